"""Does hostile input stall the server? /health latency with and without an attack.

    python bench/hostile.py [--seconds S] [--attackers N]

Starts `hansei serve` (SQLite, one worker) on 127.0.0.1, then measures /health one
request at a time: first on a quiet server, then while N clients send, as fast as
they are answered, the worst documents bench/pathological.py knows (1 MB of `*a`,
`[`, `**a` to /api/v1/preview, which any viewer may call) and bodies announced at
50 MB (refused with 413 before they are read). Prints /health's p50, p99 and
worst latency in both phases and what the attackers were answered.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pathological import cases
from web import HOST, free_port, hansei_command, prepare_store, running


def health_latencies(port: int, seconds: float) -> list[float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    taken: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.perf_counter()
        connection.request("GET", "/health")
        connection.getresponse().read()
        taken.append((time.perf_counter() - start) * 1000)
        time.sleep(0.01)
    connection.close()
    return taken


def attack(port: int, token: str, bodies: list[bytes], stop: threading.Event, seen: Counter[str]):  # type: ignore[no-untyped-def]
    index = 0
    while not stop.is_set():
        body = bodies[index % len(bodies)]
        index += 1
        try:
            if not body:
                seen[_announce_huge(port, token)] += 1
                continue
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
            connection.request(
                "POST",
                "/api/v1/preview",
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "text/markdown"},
            )
            answer = connection.getresponse()
            answer.read()
            seen[str(answer.status)] += 1
            connection.close()
        except OSError as error:
            seen[type(error).__name__] += 1


def _announce_huge(port: int, token: str) -> str:
    with socket.create_connection((HOST, port), timeout=60) as client:
        client.sendall(
            b"POST /api/v1/preview HTTP/1.1\r\nHost: bench\r\n"
            + f"Authorization: Bearer {token}\r\n".encode()
            + b"Content-Type: text/markdown\r\nContent-Length: 50000000\r\n\r\n"
            + b"[" * 65536
        )
        head = client.recv(65536)
    return head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/1.1") else "no answer"


def summary(label: str, taken: list[float]) -> str:
    ordered = sorted(taken)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{label:<28} {len(taken):>5} requests  p50 {statistics.median(ordered):7.1f} ms  "
        f"p99 {p99:7.1f} ms  worst {ordered[-1]:7.1f} ms"
    )


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--seconds", type=float, default=10.0)
    options.add_argument("--attackers", type=int, default=4)
    args = options.parse_args()
    built = cases(1_000_000)
    bodies = [built[name].encode("utf-8") for name in ("run *a", "run [", "run **a")] + [b""]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'hostile.db'}"
        token, _ = prepare_store(url, "demo", 20)
        port = free_port()
        command = [*hansei_command(), "serve", "--db", url, "--host", HOST, "--port", str(port)]
        with running(command, port, Path(folder) / "server.log"):
            quiet = health_latencies(port, args.seconds)
            stop = threading.Event()
            seen: Counter[str] = Counter()
            attackers = [
                threading.Thread(target=attack, args=(port, token, bodies, stop, seen))
                for _ in range(args.attackers)
            ]
            for thread in attackers:
                thread.start()
            time.sleep(1)
            attacked = health_latencies(port, args.seconds)
            stop.set()
            for thread in attackers:
                thread.join()
    print(f"server: hansei serve, SQLite, 1 worker; {args.attackers} attacking clients")
    print(summary("/health, quiet", quiet))
    print(summary("/health, under attack", attacked))
    print("attackers were answered: " + ", ".join(f"{k} × {v}" for k, v in sorted(seen.items())))


if __name__ == "__main__":
    main()
