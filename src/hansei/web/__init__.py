"""The web app and REST API: create_app(settings); touches the store only through services."""

from hansei.web.app import create_app

__all__ = ["create_app"]
