"""Fuzz the parser, lint, `lint --fix` and the renderers for a time budget.

    python bench/fuzz.py [--seconds S] [--first-seed N] [--only MUTATOR,...]

Runs every mutator of tests/fuzzing.py in turn, seed after seed, over the real
documents (tests/fixtures, examples/, the template) until the budget is spent.
Prints, per mutator, the inputs tried, how many the parser refused (a DocumentError
with a line), the crashes, and the slowest input; then each distinct crash once with
its traceback and the (mutator, seed) that reproduce it. Crashes on numbers or
instants out of range (year 1, 1e308 minutes) are listed apart. Exit status 1 when
any other crash was found.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzzing import MUTATORS, Crash, fuzz_outcome, seed_documents


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated mutators")
    args = parser.parse_args()
    names = [name for name in MUTATORS if not args.only or name in args.only.split(",")]
    documents = seed_documents()
    tried: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    crashed: Counter[str] = Counter()
    slowest: dict[str, tuple[float, int]] = {}
    crashes: dict[tuple[str, str], list[Crash]] = defaultdict(list)
    deadline = time.monotonic() + args.seconds
    seed = args.first_seed
    while time.monotonic() < deadline:
        for name in names:
            started = time.perf_counter()
            outcome, found = fuzz_outcome(name, seed, documents)
            taken = time.perf_counter() - started
            tried[name] += 1
            refused[name] += "parse" in outcome.refused
            crashed[name] += bool(found)
            if taken > slowest.get(name, (0.0, 0))[0]:
                slowest[name] = (taken, seed)
            for crash in found:
                crashes[(crash.stage, crash.trace.strip().splitlines()[-1])].append(crash)
            if time.monotonic() >= deadline:
                break
        seed += 1
    print(f"{'mutator':<20} {'inputs':>7} {'refused':>8} {'crashed':>8}  slowest")
    for name in names:
        taken, at = slowest.get(name, (0.0, 0))
        print(
            f"{name:<20} {tried[name]:>7} {refused[name]:>8} {crashed[name]:>8}"
            f"  {taken:.2f} s (seed {at})"
        )
    print(f"{'all':<20} {sum(tried.values()):>7} {sum(refused.values()):>8}")
    other = {key: found for key, found in crashes.items() if not found[0].out_of_range}
    known = {key: found for key, found in crashes.items() if found[0].out_of_range}
    for title, group in (("crashes", other), ("out of range (numbers, instants)", known)):
        print(f"\n{len(group)} distinct {title}")
        for (stage, last), found in group.items():
            seeds = ", ".join(f"{crash.mutator} {crash.seed}" for crash in found[:10])
            print(f"\n- {stage}: {last}\n  {len(found)} inputs: {seeds}")
            if title == "crashes":
                print(found[0].trace)
    return 1 if other else 0


if __name__ == "__main__":
    sys.exit(main())
