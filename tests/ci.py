"""Whether the tests run in CI, where a missing service or file fails instead of skipping."""

from __future__ import annotations

import os


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
