"""Web throughput under load, every route, side by side: `python bench/web.py [options]`.

Fills a store with N postmortems (default 10,000) on each database asked for
(SQLite, and PostgreSQL on 127.0.0.1 after `ANALYZE`, as docs/store.md tells
a deployment to run after a bulk import), starts `hansei serve` for each
setup (SQLite with one worker, PostgreSQL with one and with two), and
datasette on a copy of the SQLite file as the yardstick. Then loads every
route with wrk (32 connections) in interleaved runs: each run goes through
every setup and every route, waiting between routes until the server is idle
again, so that one route's queued requests never spill into the next.

Two corpora: `demo` (the demo postmortems, short, mixed languages) and
`heavy` (a Japanese team's store: 10-15 KB documents, 障害 in nearly every
one, a third in review waiting for the signed-in user).

Prints, for each route and setup, the median requests per second with its
range over the runs, p50 latency, the share of the same run's /health, and
the ratio to datasette's nearest equivalent; then the targets: list API at
least 1/3 of /health, pages and search at least 1/10, every route at least
datasette's. Needs wrk (`apt-get install wrk`); datasette (`pip install
datasette`) is optional.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import heavy_postmortems
from hansei.errors import UsageError
from hansei.model import Postmortem
from hansei.model.access import Role
from hansei.services import accounts
from hansei.services.demo import demo_postmortems
from hansei.store import Database, create_engine, open_database
from hansei.store import repository as repo
from hansei.store.migrate import head_revision, upgrade

HOST = "127.0.0.1"
BENCH_USER = "bench"
BENCH_PASSWORD = "hansei-bench-password"
SESSION_COOKIE = "hansei_session"
LOGIN_CSRF_COOKIE = "hansei_login_csrf"
POSTGRESQL_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
HEALTH = "health"
LIST_API = "list API"
PAGES = ("list page", "postmortem page", "history page", "actions page")
SEARCH_PREFIX = "search "
SEARCHES = {
    "ja 2 chars, frequent": "障害",
    "ja 2 chars": "接続",
    "ja 6 chars": "ロールバック",
    "en 7 chars": "latency",
}
SHARE_OF_HEALTH = {LIST_API: 1 / 3} | dict.fromkeys(
    [*PAGES, *(SEARCH_PREFIX + group for group in SEARCHES)], 1 / 10
)
# Committing every few hundred documents shows progress, and an interrupted fill keeps
# what it wrote: the next run adds only the rest.
FILL_BATCH = 500
SERVER_START_TIMEOUT_S = 60.0
IDLE_LATENCY_S = 0.05
IDLE_TIMEOUT_S = 120.0
_LATENCY_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass(frozen=True)
class Endpoint:
    label: str
    path: str
    credentials: str
    """The request header that signs in: a session cookie, an API token, or none."""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failed_requests: int
    """Responses other than 2xx/3xx plus socket errors: figures with these are suspect."""


@dataclass
class Setup:
    label: str
    store: str
    """sqlite or postgresql: which of the filled stores it serves."""
    url: str
    workers: int
    port: int = 0
    endpoints: tuple[Endpoint, ...] = ()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def corpus(kind: str, documents: int) -> list[Postmortem]:
    if kind == "heavy":
        return heavy_postmortems(documents, reviewer=BENCH_USER)
    return demo_postmortems(documents)


def fill_store(database: Database, kind: str, documents: int) -> None:
    """Add postmortems until the store holds `documents` of them."""
    with database.reading() as session:
        stored = len(repo.all_ids(session))
    if stored >= documents:
        print(f"store: {stored:,} postmortems already there, reused")
        return
    start = time.perf_counter()
    # The same seed as a fresh fill, so that a topped-up store holds the same documents.
    missing = corpus(kind, documents)[stored:]
    for first in range(0, len(missing), FILL_BATCH):
        batch = missing[first : first + FILL_BATCH]
        with database.transaction() as session:
            for postmortem in batch:
                repo.create(session, postmortem, user=BENCH_USER, note="benchmark data")
        done = stored + first + len(batch)
        print(f"\rstore: {done:,} of {documents:,} postmortems", end="", flush=True)
    print(f" (added {len(missing):,} in {time.perf_counter() - start:.0f} s)")


def prepare_store(url: str, kind: str, documents: int) -> tuple[str, str]:
    """Fill the store, make the viewer who signs in; returns its API token and one postmortem id."""
    if url.startswith("postgresql"):
        server = sa.create_engine(f"{POSTGRESQL_SERVER}/test", isolation_level="AUTOCOMMIT")
        name = sa.engine.make_url(url).database
        with server.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        server.dispose()
        bare = Database(create_engine(url))
        try:
            upgrade(bare)
        finally:
            bare.dispose()
    database = open_database(url, create=True)
    try:
        fill_store(database, kind, documents)
        if database.dialect == "postgresql":
            # What docs/store.md asks of a deployment after a bulk import.
            with database.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE"
                )
        try:
            accounts.add_user(database, BENCH_USER, role=Role.viewer, password=BENCH_PASSWORD)
        except UsageError:
            # Left by an earlier run: the figures are a viewer's, with a password this run knows.
            accounts.set_password(database, BENCH_USER, BENCH_PASSWORD)
            accounts.set_role(database, BENCH_USER, Role.viewer)
        _, token = accounts.create_token(database, BENCH_USER, label="bench/web.py")
        with database.reading() as session:
            ids = repo.all_ids(session)
        # One from the middle of the list: neither the newest nor an edge case.
        return token, ids[len(ids) // 2]
    finally:
        database.dispose()


def hansei_command() -> list[str]:
    """`hansei` from this interpreter's environment, so the server runs the same code."""
    script = Path(sys.executable).parent / "hansei"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from hansei.cli.app import main; main()"]


@contextmanager
def running(command: list[str], port: int, log: Path) -> Iterator[None]:
    """A server process, from its first answer on /health (or `/`) until the block ends."""
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"{command[0]} exited ({server.returncode}):\n{log.read_text()}")
            try:
                if get(port, "/health", {})[0] in (200, 404):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not answer within {SERVER_START_TIMEOUT_S} s")
            time.sleep(0.2)
        yield
    finally:
        # SIGINT is uvicorn's Ctrl+C: it stops its workers and closes the database cleanly.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def cookie_value(response: http.client.HTTPResponse, name: str) -> str:
    for header in response.headers.get_all("set-cookie") or []:
        found = re.match(rf"\s*{re.escape(name)}=([^;]*)", header)
        if found:
            return found.group(1)
    raise RuntimeError(f"the response set no {name} cookie")


def session_cookie(port: int) -> str:
    """Sign in through the login form, as a browser does; returns the session cookie's value."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", "/login")
    form = connection.getresponse()
    page = form.read().decode()
    hidden = re.search(r'name="login_csrf" value="([^"]+)"', page)
    if hidden is None:
        raise RuntimeError("the login page has no login_csrf field")
    body = urllib.parse.urlencode(
        {"name": BENCH_USER, "password": BENCH_PASSWORD, "login_csrf": hidden.group(1)}
    )
    connection.request(
        "POST",
        "/login",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{LOGIN_CSRF_COOKIE}={cookie_value(form, LOGIN_CSRF_COOKIE)}",
        },
    )
    signed_in = connection.getresponse()
    signed_in.read()
    connection.close()
    if signed_in.status not in (302, 303):
        raise RuntimeError(f"signing in failed: HTTP {signed_in.status}")
    return cookie_value(signed_in, SESSION_COOKIE)


def header_pair(credentials: str) -> dict[str, str]:
    if not credentials:
        return {}
    name, _, value = credentials.partition(": ")
    return {name: value}


def latency_ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if found is None:
        raise ValueError(f"wrk printed an unknown latency {text!r}")
    return float(found.group(1)) * _LATENCY_UNITS_MS[found.group(2)]


def parse_wrk(output: str) -> Load:
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50(?:\.000)?%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99(?:\.000)?%\s+(\S+)", output, re.MULTILINE)
    if rate is None or p50 is None or p99 is None:
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        failed += sum(int(count) for count in socket_errors.groups())
    return Load(float(rate.group(1)), latency_ms(p50.group(1)), latency_ms(p99.group(1)), failed)


def wait_until_idle(port: int, health: str, pause: float) -> None:
    """Let what the last load queued drain: at least `pause`, then until a lone
    request to the server's own health route is answered promptly. (Another path
    would do for hansei, not for datasette: it prints each 404's traceback, which
    took longer than the probe's patience, and the run stalled on it.)"""
    time.sleep(pause)
    deadline = time.monotonic() + IDLE_TIMEOUT_S
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with suppress(OSError):
            get(port, health, {})
        if time.perf_counter() - started < IDLE_LATENCY_S:
            return
        time.sleep(0.5)


def run_wrk(wrk: str, port: int, endpoint: Endpoint, args: argparse.Namespace) -> Load:
    command = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    command += ["--latency", "--timeout", "10s"]
    if endpoint.credentials:
        command += ["-H", endpoint.credentials]
    command.append(f"http://{HOST}:{port}{endpoint.path}")
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed on {endpoint.path}: {finished.stderr.strip()}")
    return parse_wrk(finished.stdout)


def hansei_endpoints(postmortem_id: str, token: str, cookie: str) -> tuple[Endpoint, ...]:
    browser = f"Cookie: {SESSION_COOKIE}={cookie}"
    script = f"Authorization: Bearer {token}"
    return (
        Endpoint(HEALTH, "/health", ""),
        Endpoint("list page", "/", browser),
        Endpoint("postmortem page", f"/postmortems/{postmortem_id}", browser),
        Endpoint("history page", f"/postmortems/{postmortem_id}/history", browser),
        Endpoint("actions page", "/actions", browser),
        Endpoint(LIST_API, "/api/v1/postmortems", script),
        Endpoint("postmortem API", f"/api/v1/postmortems/{postmortem_id}", script),
        *(
            Endpoint(SEARCH_PREFIX + group, f"/api/v1/search?q={urllib.parse.quote(word)}", script)
            for group, word in SEARCHES.items()
        ),
        Endpoint("action items API", "/api/v1/action-items", script),
        Endpoint("waiting API", "/api/v1/reviews/waiting", script),
    )


def datasette_endpoints(name: str, postmortem_id: str) -> tuple[Endpoint, ...]:
    """datasette's nearest equivalent of each hansei route, on the same SQLite file."""
    columns = "&".join(
        f"_col={column}"
        for column in ("title", "status", "severity", "author", "detected_at", "updated_at")
    )
    like = "select postmortem_id, title from search_documents where title like :q or body like :q"

    def search(word: str) -> str:
        query = urllib.parse.urlencode({"sql": f"{like} limit 20", "q": f"%{word}%"})
        return f"/{name}.json?{query}&_shape=array"

    return (
        # Without facet suggestions, which read every row's columns on each view: with
        # them datasette's table page outlasted wrk's timeout on the heavy store.
        Endpoint(
            "list page", f"/{name}/postmortems?_size=25&{columns}&_nosuggest=1&_nofacet=1", ""
        ),
        Endpoint("postmortem page", f"/{name}/postmortems/{postmortem_id}", ""),
        Endpoint(LIST_API, f"/{name}/postmortems.json?_size=20&{columns}&_shape=array", ""),
        Endpoint("postmortem API", f"/{name}/postmortems/{postmortem_id}.json", ""),
        *(Endpoint(SEARCH_PREFIX + group, search(word), "") for group, word in SEARCHES.items()),
        Endpoint("actions page", f"/{name}/action_items?_size=100&_sort=due&_nosuggest=1", ""),
        Endpoint("action items API", f"/{name}/action_items.json?_size=200&_sort=due", ""),
    )


def check_answers(port: int, endpoints: tuple[Endpoint, ...]) -> None:
    # One request each first: a refused or missing page would be timed as fast errors.
    for endpoint in endpoints:
        status = get(port, endpoint.path, header_pair(endpoint.credentials))[0]
        if status != 200:
            raise RuntimeError(f"{endpoint.label}: GET {endpoint.path} gave {status}")


Results = dict[str, dict[str, list[Load]]]
"""setup label -> route label -> one Load per run."""


def measure(args: argparse.Namespace, wrk: str, scratch: Path) -> Results:
    setups: list[Setup] = []
    # Named by schema too: a store filled by one version of hansei is not served by another.
    name = f"hansei_bench_{args.corpus}_{args.documents}_{head_revision()}"
    sqlite_file = scratch / f"{name}.db"
    stores: dict[str, tuple[str, str, str]] = {}
    for kind in args.databases:
        url = f"sqlite:///{sqlite_file}" if kind == "sqlite" else f"{POSTGRESQL_SERVER}/{name}"
        print(f"{kind}: {url}")
        token, postmortem_id = prepare_store(url, args.corpus, args.documents)
        stores[kind] = (url, token, postmortem_id)
        for workers in args.workers:
            if kind == "sqlite" and workers > 1:
                continue  # SQLite takes one writer: hansei serves it with one worker
            label = f"{kind}, {workers} worker{'s' if workers > 1 else ''}"
            setups.append(Setup(label, kind, url, workers))

    results: Results = {}
    with ExitStack() as servers:
        for setup in setups:
            setup.port = free_port()
            command = [*hansei_command(), "serve", "--db", setup.url, "--host", HOST]
            command += ["--port", str(setup.port), "--workers", str(setup.workers)]
            log = scratch / f"server-{setup.port}.log"
            servers.enter_context(running(command, setup.port, log))
            _, token, postmortem_id = stores[setup.store]
            cookie = session_cookie(setup.port)
            setup.endpoints = hansei_endpoints(postmortem_id, token, cookie)
            check_answers(setup.port, setup.endpoints)
        datasette = shutil.which("datasette", path=str(Path(sys.executable).parent))
        if datasette and "sqlite" in stores and args.datasette:
            copy = scratch / "datasette-copy.db"
            shutil.copyfile(sqlite_file, copy)
            port = free_port()
            command = [datasette, "serve", "-i", str(copy), "--host", HOST, "--port", str(port)]
            command += ["--setting", "sql_time_limit_ms", "10000"]
            servers.enter_context(running(command, port, scratch / "datasette.log"))
            yardstick = Setup("datasette", "sqlite", str(copy), 1, port)
            yardstick.endpoints = (
                Endpoint(HEALTH, "/-/versions.json", ""),
                *datasette_endpoints(copy.stem, stores["sqlite"][2]),
            )
            check_answers(port, yardstick.endpoints)
            setups.append(yardstick)
        print(
            f"load: wrk, {args.connections} connections on {args.threads} threads, "
            f"{args.duration} s per route, {args.runs} interleaved runs, "
            f"{args.pause} s pause and an idle server before each route"
        )
        for run in range(args.runs):
            for setup in setups:
                for endpoint in setup.endpoints:
                    wait_until_idle(setup.port, setup.endpoints[0].path, args.pause)
                    load = run_wrk(wrk, setup.port, endpoint, args)
                    results.setdefault(setup.label, {}).setdefault(endpoint.label, []).append(load)
                    print(
                        f"  run {run + 1}: {setup.label:<24} {endpoint.label:<28} "
                        f"{load.requests_per_second:>8,.0f} req/s",
                        flush=True,
                    )
    return results


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} [{min(values):,.0f}-{max(values):,.0f}]"


def _ratio(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


def report(results: Results) -> None:
    yardstick = results.get("datasette", {})
    print()
    header = f"{'setup':<22} {'route':<28} {'req/s median [range]':>24} {'p50 ms':>8}"
    print(f"{header} {'of health':>18} {'vs datasette':>18}  errors")
    verdicts: list[str] = []
    for setup, routes in results.items():
        health = [load.requests_per_second for load in routes[HEALTH]]
        for route, loads in routes.items():
            rates = [load.requests_per_second for load in loads]
            shares = [rate / ceiling for rate, ceiling in zip(rates, health, strict=True)]
            versus = ""
            if setup != "datasette" and route in yardstick and route != HEALTH:
                theirs = [load.requests_per_second for load in yardstick[route]]
                if min(theirs) > 0:
                    ratios = [ours / other for ours, other in zip(rates, theirs, strict=True)]
                    versus = _ratio(ratios)
                    if statistics.median(ratios) < 1:
                        verdicts.append(f"{setup}: {route} below datasette ({versus})")
                else:
                    # Within wrk's timeout datasette answered nothing in some run.
                    versus = "datasette: 0"
            errors = sum(load.failed_requests for load in loads)
            share = _ratio(shares) if setup != "datasette" else ""
            print(
                f"{setup:<22} {route:<28} {_spread(rates):>24} "
                f"{statistics.median(load.p50_ms for load in loads):>8.1f} {share:>18} "
                f"{versus:>18}  {errors or ''}".rstrip()
            )
            target = SHARE_OF_HEALTH.get(route)
            if setup != "datasette" and target and statistics.median(shares) < target:
                verdicts.append(
                    f"{setup}: {route} at {_ratio(shares)} of health, target {target:.2f}"
                )
    print()
    print("targets: all reached" if not verdicts else "targets NOT reached:")
    for verdict in verdicts:
        print(f"  {verdict}")
    loads = [load for routes in results.values() for each in routes.values() for load in each]
    if any(load.failed_requests for load in loads):
        print("some requests failed (errors column): those figures are not to be trusted")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--documents", type=int, default=10_000)
    options.add_argument("--corpus", choices=["demo", "heavy"], default="demo")
    options.add_argument(
        "--databases", default="sqlite,postgresql", help="sqlite, postgresql or both"
    )
    options.add_argument("--workers", default="1,2", help="worker counts (above 1: PostgreSQL)")
    options.add_argument("--runs", type=int, default=3, help="interleaved runs")
    options.add_argument("--duration", type=int, default=5, help="seconds of load per route")
    options.add_argument("--pause", type=float, default=2.0, help="seconds between routes")
    options.add_argument("--connections", type=int, default=32, help="concurrent connections")
    options.add_argument("--threads", type=int, default=2, help="wrk's threads")
    options.add_argument("--no-datasette", dest="datasette", action="store_false")
    options.add_argument(
        "--workdir", type=Path, help="keep the SQLite file here; a later run reuses it"
    )
    args = options.parse_args()
    args.databases = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    args.workers = [int(count) for count in args.workers.split(",")]

    wrk = shutil.which("wrk")
    if wrk is None:
        print("bench/web.py needs wrk: apt-get install wrk", file=sys.stderr)
        raise SystemExit(2)
    with tempfile.TemporaryDirectory(prefix="hansei-bench-web-") as temporary:
        scratch = args.workdir or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        try:
            results = measure(args, wrk, scratch)
        except RuntimeError as error:
            print(f"bench/web.py: {error}", file=sys.stderr)
            raise SystemExit(1) from None
    # A measurement, not a test: the verdicts are printed, and the exit status stays 0.
    report(results)


if __name__ == "__main__":
    main()
