"""Store throughput and search latency: `python bench/store.py [--documents N] [--db URL]…`.

Writes N realistic postmortems (default 10,000; Japanese and English) as
Markdown, then measures in one run:

- parse alone (read + parse every file, on every core, as import does), before
  and after each import: the faster of the two is the yardstick;
- import into an empty database (`hansei import`'s own code path), and its
  throughput as a share of parse alone on every core, PASS or FAIL against the
  target;
- the database's size;
- search latency (p50, p99) over a mix of 2-, 3- and 6-character Japanese
  and English queries, 20 results with snippets each, as `hansei search` runs;
- latency of the overdue action-items query.

`--db` may be given more than once (`--db sqlite` is a new SQLite file, as with no
`--db`); each database is measured in turn, and the exit status is 1 when an
import misses its target.

Targets here (2 cores), on SQLite and PostgreSQL: import at least 60% of
parse-alone throughput on every core; search p99 under 50 ms at 10,000
documents and under 200 ms at 100,000.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus
from hansei.services import importing
from hansei.services.documents import load_with_id
from hansei.services.searching import find_action_items, search_postmortems
from hansei.store import Database, create_engine, open_database
from hansei.store.migrate import upgrade
from hansei.store.queries import ActionFilters

QUERIES = {
    "ja 2 chars": ["障害", "接続", "枯渇", "証明", "遅延", "復旧"],
    "ja 3 chars": ["証明書", "メモリ", "ディスク", "タイム", "鍵を保"],
    "ja 6 chars": ["コネクション", "ログローテー", "ダッシュボード", "ステータスペ"],
    "en 2 chars": ["db", "ok", "5%"],
    "en 3 chars": ["api", "dns", "ttl", "pod"],
    "en 6 chars": ["memory", "expired", "rotation", "roll back"],
}


def _parse(path: Path) -> str | None:
    return load_with_id(path).result.postmortem.title


def parse_alone(paths: list[Path], workers: int) -> float:
    """Documents per second: read and parse only, spread over processes as import does."""
    start = time.perf_counter()
    if workers == 1:
        for path in paths:
            _parse(path)
    else:
        chunk = max(1, min(16, len(paths) // (workers * 8)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for _ in pool.map(_parse, paths, chunksize=chunk):
                pass
    return len(paths) / (time.perf_counter() - start)


IMPORT_TARGET = 0.6
"""Import throughput as a share of parse alone on every core."""


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def timed(call: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def database_size(database: Database, path: Path | None) -> str:
    if path is not None:
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    else:
        with database.engine.connect() as connection:
            size = int(
                connection.exec_driver_sql(
                    "SELECT pg_database_size(current_database())"
                ).scalar_one()
            )
    return f"{size / 1024 / 1024:,.0f} MiB"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--documents", type=int, default=10_000)
    options.add_argument(
        "--db",
        action="append",
        help="database URL, an empty one (default: a new SQLite file); "
        "more than once to measure each, `sqlite` for a new SQLite file",
    )
    options.add_argument("--rounds", type=int, default=10, help="runs of each search query")
    options.add_argument(
        "--workdir",
        type=Path,
        help="keep the corpus and the SQLite file here; a later run with the same "
        "--documents reuses them and measures search again without importing",
    )
    args = options.parse_args()
    workers = os.cpu_count() or 1

    with tempfile.TemporaryDirectory(prefix="hansei-bench-") as temporary:
        scratch = args.workdir or Path(temporary)
        folder = Path(scratch) / f"postmortems-{args.documents}"
        start = time.perf_counter()
        paths = sorted(folder.glob("*.md")) if folder.exists() else []
        if len(paths) != args.documents:
            paths = write_corpus(folder, args.documents)
        size = sum(path.stat().st_size for path in paths) / len(paths)
        print(
            f"corpus: {len(paths):,} documents (mean {size / 1024:.1f} KiB), "
            f"written in {time.perf_counter() - start:.1f} s"
        )
        verdicts = [
            measure(url, paths, scratch=Path(scratch), args=args, workers=workers)
            for url in args.db or ["sqlite"]
        ]
    for verdict in verdicts:
        print(verdict)
    sys.exit(0 if all(" PASS" in verdict for verdict in verdicts) else 1)


def measure(
    url: str, paths: list[Path], *, scratch: Path, args: argparse.Namespace, workers: int
) -> str:
    """Measures one database; the import's verdict, one line."""
    documents = len(paths)
    sqlite_file = scratch / f"hansei-{documents}.db" if url == "sqlite" else None
    if sqlite_file is not None:
        url = f"sqlite:///{sqlite_file}"
    reuse = sqlite_file is not None and sqlite_file.exists()
    if sqlite_file is None:
        bare = Database(create_engine(url))
        upgrade(bare)
        bare.dispose()
    database = open_database(url)
    dialect = database.dialect
    # The rate per document does not depend on how many there are: a sample will do.
    parse_one = parse_alone(paths[:1000], 1)
    parse_before = parse_alone(paths[:10_000], workers)
    print(f"{dialect}: parse alone, 1 process: {parse_one:,.0f} documents/s")
    print(f"{dialect}: parse alone, {workers} processes: {parse_before:,.0f} documents/s")
    if reuse:
        verdict = f"{dialect}: import skipped, {sqlite_file} is reused"
        print(verdict)
        verdict += " PASS"
    else:
        start = time.perf_counter()
        report = importing.import_paths(database, paths, user="bench", workers=workers)
        elapsed = time.perf_counter() - start
        rate = documents / elapsed
        assert len(report.created) == documents, report.failed[:3]
        # Other work on the machine slows either measurement: parse alone again, and
        # the faster of the two is the yardstick (the stricter verdict).
        parse_after = parse_alone(paths[:10_000], workers)
        parse_all = max(parse_before, parse_after)
        print(
            f"{dialect}: parse alone, {workers} processes, after the import: "
            f"{parse_after:,.0f} documents/s"
        )
        ratio = rate / parse_all
        verdict = (
            f"{dialect}: import ({workers} processes) {elapsed:.1f} s, {rate:,.0f} documents/s"
            f" = {ratio:.2f} of parse alone on {workers} processes ({parse_all:,.0f}/s), "
            f"{rate / parse_one:.2f} of parse alone on 1; target >= {IMPORT_TARGET:.2f}: "
            f"{'PASS' if ratio >= IMPORT_TARGET else 'FAIL'}"
        )
        print(verdict)
    print(f"{dialect}: database size: {database_size(database, sqlite_file)}")

    target = 50 if documents <= 10_000 else 200
    generator = random.Random(3)
    every: list[float] = []
    for group, queries in QUERIES.items():
        samples: list[float] = []
        hits: list[int] = []
        plan = [query for query in queries for _ in range(args.rounds)]
        generator.shuffle(plan)
        for query in plan:
            begin = time.perf_counter()
            found = search_postmortems(database, query, limit=20)
            samples.append(time.perf_counter() - begin)
            hits.append(len(found))
        every += samples
        p50, p99 = percentiles(samples)
        print(
            f"{dialect}: search {group:<11} p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
            f"(mean {statistics.mean(hits):.0f} results shown)"
        )
    p50, p99 = percentiles(every)
    print(
        f"{dialect}: search, all queries: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        f"(target p99 < {target} ms)"
    )

    today = date(2026, 1, 1)
    overdue: list[int] = []

    def overdue_query() -> None:
        overdue.append(len(find_action_items(database, ActionFilters(overdue_on=today), limit=100)))

    p50, p99 = percentiles(timed(overdue_query, args.rounds * 5))
    print(f"{dialect}: action items overdue (100 shown): p50 {p50:.1f} ms, p99 {p99:.1f} ms")

    def owner_overdue() -> None:
        filters = ActionFilters(owner="@mori", overdue_on=today)
        find_action_items(database, filters, limit=100)

    p50, p99 = percentiles(timed(owner_overdue, args.rounds * 5))
    print(
        f"{dialect}: action items overdue for one owner (100 shown): "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )
    database.dispose()
    return verdict


if __name__ == "__main__":
    main()
