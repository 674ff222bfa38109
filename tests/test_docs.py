"""The docs are part of the product: a command, setting or figure cannot ship undocumented."""

from __future__ import annotations

import re

from hansei.cli.app import app
from hansei.config import Settings
from hansei.metrics import Metrics
from hansei.web import create_app
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


def _paths_of(text: str) -> set[str]:
    return {re.sub(r"\{[^}]+\}", "{…}", path) for path in re.findall(r"/api/v1/[\w/{}.-]*", text)}


def test_every_api_path_is_in_the_web_docs() -> None:
    documented = _paths_of((ROOT / "docs" / "web.md").read_text(encoding="utf-8"))
    # Building the app connects to nothing: the database opens when it starts.
    served = create_app(Settings()).openapi()["paths"]
    for path in served:
        assert _paths_of(path) <= documented, path


def test_the_docs_show_the_screenshots_the_browser_test_takes() -> None:
    journey = (ROOT / "tests" / "web" / "test_browser_journey.py").read_text(encoding="utf-8")
    taken = set(re.findall(r'"([\w-]+)"', " ".join(re.findall(r"_shoot\(\w+, [^)]*\)", journey))))
    taken |= set(re.findall(r'\("([\w-]+)", f?"/', journey))
    shown = set(re.findall(r"screenshots/([\w-]+)\.png", README))
    shown |= set(re.findall(r"screenshots/([\w-]+)\.png", (ROOT / "docs" / "web.md").read_text()))
    assert shown
    assert shown <= taken
    for name in shown:
        assert (ROOT / "docs" / "screenshots" / f"{name}.png").exists(), name
