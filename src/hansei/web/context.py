"""What every request handler shares: the settings, the database and the templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from hansei.config import Settings
from hansei.services.connection import Database

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    database: Database
    templates: Jinja2Templates


def app_context(request: Request) -> AppContext:
    context = request.app.state.context
    assert isinstance(context, AppContext)
    return context
