"""The docs are part of the product: a command, setting or figure cannot ship undocumented."""

from __future__ import annotations

from hansei.cli.app import app
from hansei.config import Settings
from hansei.metrics import Metrics
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    names = [
        command.name or command.callback.__name__
        for command in app.registered_commands
        if command.callback
    ]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        names += [
            f"{group.name} {command.name}" for command in group.typer_instance.registered_commands
        ]
    assert "db upgrade" in names
    for name in names:
        assert f"`hansei {name}" in README, name


def test_every_setting_is_in_the_readme() -> None:
    for name in Settings.model_fields:
        assert f"`HANSEI_{name.upper()}`" in README, name


def test_every_metric_is_defined_in_the_metrics_page() -> None:
    page = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    for key in Metrics.model_fields:
        assert f"`{key}`" in page, key


def test_readme_commands_are_the_makefile_targets() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make run" in README
    assert "make test" in README
    assert "\nrun:" in makefile
    assert "\ntest:" in makefile
