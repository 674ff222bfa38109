"""Running the web app under uvicorn: one process, or several against one database."""

from __future__ import annotations

import os

import uvicorn

from hansei.config import Settings
from hansei.web.app import create_app


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted. Several workers each build their app from HANSEI_*
    variables, so the settings are handed over through the environment."""
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return
    for name, value in settings.model_dump().items():
        if value is not None:
            os.environ[f"HANSEI_{name.upper()}"] = str(value)
    uvicorn.run(
        "hansei.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
