"""Running the web app under uvicorn: one process, or several against one database."""

from __future__ import annotations

import os
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from hansei.config import Settings
from hansei.errors import UsageError
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
    config = uvicorn.Config(
        "hansei.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
    listening = listening_socket(host, port)
    try:
        Multiprocess(config, sockets=[listening]).run()
    except KeyboardInterrupt:
        pass
    finally:
        listening.close()


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket the workers share, bound here rather than by uvicorn's supervisor.

    The supervisor makes its socket without naming TCP as the protocol, and asyncio
    turns Nagle's algorithm off only on sockets that name it: every connection a
    worker accepted then waited ~40 ms for a delayed ACK on each keep-alive request.
    A socket made for TCP keeps that through the hand-over to each worker.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    listening.set_inheritable(True)
    return listening
