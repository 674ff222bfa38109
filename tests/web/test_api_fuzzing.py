"""The API under a property-based fuzzer (schemathesis): no answer is a server error.

A real `hansei serve --demo` on 127.0.0.1, on SQLite and on PostgreSQL, is sent
cases generated from its own OpenAPI document: valid and invalid parameters and
bodies, aimed at stored postmortems as well as made-up ids. The run is bounded
(FUZZ_EXAMPLES cases per operation and phase) and seeded, so that it repeats;
set HANSEI_FUZZ_SEED to explore other cases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from hansei.services import accounts
from hansei.store import open_database
from tests.web.site import serving_process

FUZZ_EXAMPLES = 12
FUZZ_SEED = int(os.environ.get("HANSEI_FUZZ_SEED", "12"))
# Answers must be no server error, and JSON answers must be what the document says.
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
# Revoking tokens would revoke the fuzzer's own and leave the rest of the run at 401:
# those two operations run last, in a pass of their own.
REVOKING = r"^DELETE /api/v1/(users/\{name\}/)?tokens/\{token_id\}$"


def _config(folder: Path, postmortem_ids: list[str]) -> Path:
    """Send most cases to stored postmortems, or they would all end at 404."""
    ids = ", ".join(json.dumps(identifier) for identifier in postmortem_ids)
    config = folder / "schemathesis.toml"
    config.write_text(
        f"[dictionaries.postmortems]\nvalues = [{ids}]\n\n"
        '[parameters]\n"path.postmortem_id" = { dictionary = "postmortems", probability = 0.8 }\n',
        encoding="utf-8",
    )
    return config


def _fuzz(
    base: str, token: str, config: Path, report: Path, *filters: str
) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{base}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(FUZZ_EXAMPLES),
        "--seed",
        str(FUZZ_SEED),
        "--workers",
        "2",
        "--request-timeout",
        "60",
        "--no-color",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        *filters,
    ]
    # In the report's folder: schemathesis keeps a cache in the folder it runs in.
    return subprocess.run(
        command, capture_output=True, text=True, timeout=900, check=False, cwd=report.parent
    )


def _cases(report: Path) -> int:
    """How many cases the run sent, from its report."""
    count = 0
    for line in report.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        for name in ("ScenarioFinished",):
            if name in event:
                count += len(event[name].get("recorder", {}).get("cases", {}))
    return count


def test_the_fuzzed_api_never_answers_with_a_server_error(
    database_url: str, tmp_path: Path
) -> None:
    with serving_process(["--demo", "--db", database_url], tmp_path / "server.log") as base:
        database = open_database(database_url)
        try:
            _, token = accounts.create_token(database, "demo", label="fuzzer")
        finally:
            database.dispose()
        listed = httpx.get(
            f"{base}/api/v1/postmortems",
            params={"limit": "5"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert listed.status_code == 200, listed.text
        config = _config(tmp_path, [item["id"] for item in listed.json()["items"]])
        runs = [
            _fuzz(base, token, config, tmp_path / "main.ndjson", "--exclude-name-regex", REVOKING),
            _fuzz(
                base, token, config, tmp_path / "revoking.ndjson", "--include-name-regex", REVOKING
            ),
        ]
        health = httpx.get(f"{base}/health")
    for run in runs:
        assert run.returncode == 0, f"{run.stdout[-20000:]}\n{run.stderr[-5000:]}"
    cases = _cases(tmp_path / "main.ndjson") + _cases(tmp_path / "revoking.ndjson")
    print(f"schemathesis sent {cases} cases")
    assert cases >= 500
    assert health.status_code == 200
