"""The layering of DESIGN.md, and nothing done at import time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_import_contracts_are_kept() -> None:
    linter = shutil.which("lint-imports", path=os.path.dirname(sys.executable))
    assert linter is not None, "import-linter is not installed"
    done = subprocess.run([linter], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_importing_hansei_reads_no_environment() -> None:
    # Settings that fail validation when read: importing every module must not read them.
    broken = {**os.environ, "HANSEI_TIMEZONE": "Not/AZone", "HANSEI_SLO_TARGET": "oops"}
    code = (
        "import pkgutil, importlib, hansei\n"
        "for m in pkgutil.walk_packages(hansei.__path__, 'hansei.'):\n"
        "    importlib.import_module(m.name)\n"
        "from hansei.config import load_settings\n"
        "from hansei.errors import SettingsError\n"
        "try:\n"
        "    load_settings()\n"
        "except SettingsError:\n"
        "    print('imported; settings refused only when read')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=broken, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "imported; settings refused only when read", done.stderr


def test_settings_come_from_hansei_variables_only_when_asked() -> None:
    from hansei.config import load_settings

    settings = load_settings({"HANSEI_TIMEZONE": "UTC", "HANSEI_SLO_TARGET": "0.995", "TZ": "X"})
    assert settings.timezone == "UTC"
    assert settings.slo_target == 0.995
    assert load_settings({}).timezone == "Asia/Tokyo"
