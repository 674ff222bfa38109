"""Web throughput under load: `python bench/web.py [--documents N] [--db URL] [--duration S]`.

Fills a store with N demo postmortems (default 10,000; Japanese and English),
starts `hansei serve` on 127.0.0.1 as its own process, and loads each endpoint
with wrk (32 connections for 10 s by default), signed in as a viewer:

- the list page (GET /) and one postmortem's page (GET /postmortems/{id}),
  with a browser's session cookie;
- the list API (GET /api/v1/postmortems) and the search API
  (GET /api/v1/search?q=障害), with an API token;
- the bare health endpoint (GET /health), which touches neither the database
  nor sign-in: the most the framework serves here, the ceiling the others are
  given as a fraction of.

Prints requests per second and p50/p99 latency for each. Target: the list API
reaches at least a third of the health ceiling. Needs wrk (`apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from hansei.errors import UsageError
from hansei.model.access import Role
from hansei.services import accounts
from hansei.services.demo import demo_postmortems
from hansei.store import Database, create_engine, open_database
from hansei.store import repository as repo
from hansei.store.migrate import upgrade

HOST = "127.0.0.1"
BENCH_USER = "bench"
BENCH_PASSWORD = "hansei-bench-password"
SESSION_COOKIE = "hansei_session"
LOGIN_CSRF_COOKIE = "hansei_login_csrf"
TARGET_SHARE_OF_CEILING = 1 / 3
HEALTH = "health (ceiling)"
LIST_API = "list API"
# Committing every few hundred documents shows progress, and an interrupted fill keeps
# what it wrote: the next run adds only the rest.
FILL_BATCH = 500
SERVER_START_TIMEOUT_S = 60.0
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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def fill_store(database: Database, documents: int) -> None:
    """Add demo postmortems until the store holds `documents` of them."""
    with database.reading() as session:
        stored = len(repo.all_ids(session))
    if stored >= documents:
        print(f"store: {stored:,} postmortems already there, reused")
        return
    start = time.perf_counter()
    # The same seed as a fresh fill, so that a topped-up store holds the same documents.
    missing = demo_postmortems(documents)[stored:]
    for first in range(0, len(missing), FILL_BATCH):
        batch = missing[first : first + FILL_BATCH]
        with database.transaction() as session:
            for postmortem in batch:
                repo.create(session, postmortem, user=BENCH_USER, note="benchmark data")
        done = stored + first + len(batch)
        print(f"\rstore: {done:,} of {documents:,} postmortems", end="", flush=True)
    print(f" (added {len(missing):,} in {time.perf_counter() - start:.0f} s)")


def prepare_store(url: str, documents: int) -> tuple[str, str]:
    """Fill the store, make the viewer who signs in; returns its API token and one postmortem id."""
    if not url.startswith("sqlite"):
        bare = Database(create_engine(url))
        try:
            upgrade(bare)
        finally:
            bare.dispose()
    database = open_database(url, create=True)
    try:
        fill_store(database, documents)
        try:
            accounts.add_user(database, BENCH_USER, role=Role.viewer, password=BENCH_PASSWORD)
        except UsageError:
            # Left by an earlier run, or a user of that name in a store passed with --db:
            # the figures are a viewer's, with a password this run knows.
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


def start_server(url: str, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [*hansei_command(), "serve", "--db", url, "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited ({server.returncode}):\n{log.read_text()}")
        try:
            if get(port, "/health", {})[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"/health did not answer within {SERVER_START_TIMEOUT_S:.0f} s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    # SIGINT is uvicorn's Ctrl+C: it stops its workers and closes the database cleanly.
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, http.client.HTTPResponse]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response


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


def run_wrk(
    wrk: str, port: int, endpoint: Endpoint, *, threads: int, connections: int, duration: int
) -> Load:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    if endpoint.credentials:
        command += ["-H", endpoint.credentials]
    command.append(f"http://{HOST}:{port}{endpoint.path}")
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed on {endpoint.path}: {finished.stderr.strip()}")
    return parse_wrk(finished.stdout)


def endpoints(postmortem_id: str, query: str, token: str, cookie: str) -> list[Endpoint]:
    browser = f"Cookie: {SESSION_COOKIE}={cookie}"
    script = f"Authorization: Bearer {token}"
    return [
        Endpoint(HEALTH, "/health", ""),
        Endpoint("list page", "/", browser),
        Endpoint("postmortem page", f"/postmortems/{postmortem_id}", browser),
        Endpoint(LIST_API, "/api/v1/postmortems", script),
        Endpoint("search API", f"/api/v1/search?q={urllib.parse.quote(query)}", script),
    ]


def measure(args: argparse.Namespace, wrk: str) -> dict[str, Load]:
    """Each endpoint's load figures, health first."""
    with tempfile.TemporaryDirectory(prefix="hansei-bench-web-") as temporary:
        scratch = args.workdir or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        url = args.db or f"sqlite:///{scratch / f'hansei-web-{args.documents}.db'}"
        token, postmortem_id = prepare_store(url, args.documents)

        port = free_port()
        server = start_server(url, port, args.workers, scratch / "server.log")
        try:
            cookie = session_cookie(port)
            plan = endpoints(postmortem_id, args.query, token, cookie)
            # One request each first: a refused or missing page would be timed as fast errors.
            for endpoint in plan:
                status = get(port, endpoint.path, header_pair(endpoint.credentials))[0]
                if status != 200:
                    raise RuntimeError(f"{endpoint.label}: GET {endpoint.path} gave {status}")
            print(
                f"load: wrk, {args.connections} connections on {args.threads} threads, "
                f"{args.duration} s per endpoint; server: {args.workers} worker(s), "
                f"{url.split(':', 1)[0]}, port {port}"
            )
            return {
                endpoint.label: run_wrk(
                    wrk,
                    port,
                    endpoint,
                    threads=args.threads,
                    connections=args.connections,
                    duration=args.duration,
                )
                for endpoint in plan
            }
        finally:
            stop_server(server)


def report(results: dict[str, Load]) -> None:
    ceiling = results[HEALTH].requests_per_second
    print(f"{'endpoint':<18} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'of health':>10}  errors")
    for label, load in results.items():
        row = (
            f"{label:<18} {load.requests_per_second:>9,.0f} {load.p50_ms:>9.1f} "
            f"{load.p99_ms:>9.1f} {load.requests_per_second / ceiling:>10.0%}  "
            f"{load.failed_requests or ''}"
        )
        print(row.rstrip())
    share = results[LIST_API].requests_per_second / ceiling
    verdict = "reached" if share >= TARGET_SHARE_OF_CEILING else "did NOT reach"
    print(f"list API: {share:.0%} of the health ceiling: {verdict} the target of 1/3")
    if any(load.failed_requests for load in results.values()):
        print("some requests failed (errors column): those figures are not to be trusted")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--documents", type=int, default=10_000)
    options.add_argument("--db", help="database URL (default: a SQLite file under --workdir)")
    options.add_argument(
        "--workdir",
        type=Path,
        help="keep the SQLite file here; a later run with the same --documents reuses it",
    )
    options.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    options.add_argument("--connections", type=int, default=32, help="concurrent connections")
    options.add_argument("--threads", type=int, default=2, help="wrk's threads")
    options.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    options.add_argument("--query", default="障害", help="the search API's query")
    args = options.parse_args()

    wrk = shutil.which("wrk")
    if wrk is None:
        print("bench/web.py needs wrk: apt-get install wrk", file=sys.stderr)
        raise SystemExit(2)
    if args.workers > 1 and (args.db is None or args.db.startswith("sqlite")):
        print("--workers above 1 needs PostgreSQL: pass --db postgresql://…", file=sys.stderr)
        raise SystemExit(2)
    try:
        results = measure(args, wrk)
    except RuntimeError as error:
        print(f"bench/web.py: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    # A measurement, not a test: the verdict is printed, and the exit status stays 0.
    report(results)


if __name__ == "__main__":
    main()
