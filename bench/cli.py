"""Command-line start-up time: `python bench/cli.py [--runs N] [--hansei PATH]`.

Runs each of these as a fresh process, N times (default 10), and prints the
median and range of its wall time, and the median CPU time (user + system) the
process used, which a busy machine disturbs less than the wall time:

- `hansei --help`
- `hansei --version`
- `hansei lint examples/2025-05-20-search-latency.en.md`

Target: every median under 0.3 s with bytecode compiled (`make` compiles it),
so a command that needs neither the store nor the web app starts at once.
Prints PASS or FAIL, and exits 1 on FAIL.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("examples") / "2025-05-20-search-latency.en.md"
TARGET_SECONDS = 0.3


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timings(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU time of each run of `command`, after one unmeasured warm-up run."""
    subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    walls, cpus = [], []
    for _ in range(runs):
        cpu = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr.decode()}")
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command")
    parser.add_argument(
        "--hansei",
        default=str(Path(sys.executable).parent / "hansei"),
        help="the hansei command (default: beside this Python)",
    )
    args = parser.parse_args()
    commands = {
        "hansei --help": [args.hansei, "--help"],
        "hansei --version": [args.hansei, "--version"],
        f"hansei lint {EXAMPLE}": [args.hansei, "lint", str(EXAMPLE)],
    }
    print(f"wall time of {args.runs} runs each; target: median under {TARGET_SECONDS:.2f} s")
    passed = True
    for name, command in commands.items():
        walls, cpus = timings(command, args.runs)
        median = statistics.median(walls)
        passed = passed and median < TARGET_SECONDS
        print(
            f"  {name:<52} median {median:.3f} s  range {min(walls):.3f}–{max(walls):.3f} s"
            f"  (CPU {statistics.median(cpus):.3f} s)"
        )
    print("PASS" if passed else "FAIL")
    if not passed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
