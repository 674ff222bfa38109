from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"
SHARED_TEMPLATE = ROOT.parent / "shared" / "seed" / "postmortem-template.ja.md"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def template_text() -> str:
    return (FIXTURES / "postmortem-template.ja.md").read_text(encoding="utf-8")


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.md"))
