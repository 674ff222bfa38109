"""Demo data: realistic postmortems in bulk, Japanese and English, and a demo login.

`hansei serve --demo` fills an empty store with them, and the benchmarks use
them as their corpus.

Each document is built from phrase lists the way an on-call engineer writes
one: a service, a cause, a timeline of 8-14 rows, five whys, action items in
three horizons with owners and due dates. A seed makes the corpus repeatable.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hansei.errors import UsageError
from hansei.model import Postmortem
from hansei.model.access import Role

if TYPE_CHECKING:
    from hansei.store import Database

_TOKYO = ZoneInfo("Asia/Tokyo")
SERVICES = [
    "Walk API", "Auth API", "Payment API", "Search API", "Push Gateway", "Upload Service",
    "Ranking Batch", "CDN Edge", "Sync Worker", "Notification API", "Billing API", "Catalog API",
]  # fmt: skip
OWNERS = ["@mori", "@ito", "@sato", "@tanaka", "@suzuki", "@kobayashi", "@garcia", "@smith"]
JA_CAUSES = [
    ("DB コネクションプール枯渇", "バッチが接続を返却せずプールが枯渇した"),
    ("証明書の期限切れ", "自動更新ジョブが権限不足で失敗していた"),
    ("キャッシュ TTL 設定ミス", "JWKS キャッシュが古い鍵を保持し続けた"),
    ("デプロイ直後の nil pointer", "設定値の欠落で初期化されない構造体を参照した"),
    ("メモリリーク", "ワーカーがレスポンスボディを閉じずにメモリが増え続けた"),
    ("DNS レコード削除", "Terraform の差分確認漏れで本番レコードが削除された"),
    ("外部決済代行の障害", "タイムアウトとリトライ設定が過大で接続が滞留した"),
    ("ディスク容量逼迫", "ログローテーションが止まりディスクが満杯になった"),
]
EN_CAUSES = [
    ("connection pool exhaustion", "a batch job held connections without releasing them"),
    ("expired TLS certificate", "the renewal job lacked permission and failed silently"),
    ("stale JWKS cache", "the cache kept serving a rotated signing key"),
    ("nil pointer after deploy", "a missing config value left a struct uninitialised"),
    ("memory leak in worker", "response bodies were never closed"),
    ("deleted DNS record", "a Terraform plan was applied without review"),
    ("payment provider outage", "timeouts and retries were far too generous"),
    ("disk full on log volume", "log rotation stopped after an upgrade"),
]
JA_EVENTS = ["インシデント発生", "アラート検知", "対応開始", "原因調査", "部分復旧", "復旧"]
EN_EVENTS = [
    "Incident start", "Alert detected", "Response started", "Investigating", "Mitigated",
    "Recovered",
]  # fmt: skip
JA_FILLER = [
    "エラーレートが 5% を超えた", "ダッシュボードでレイテンシの悪化を確認", "ロールバックを判断",
    "影響範囲をサポートチームに共有", "Pod を再起動", "監視の閾値を見直す必要がある",
    "ステータスページを更新", "再発防止策を検討",
]  # fmt: skip
EN_FILLER = [
    "error rate crossed 5%", "latency dashboards showed p99 above 2 s", "decided to roll back",
    "shared the impact with support", "restarted the pods", "alert thresholds need a review",
    "updated the status page", "discussed prevention",
]  # fmt: skip


def demo_postmortem(number: int, generator: random.Random) -> Postmortem:
    japanese = generator.random() < 0.7
    causes = JA_CAUSES if japanese else EN_CAUSES
    cause, detail = generator.choice(causes)
    service = generator.choice(SERVICES)
    started = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(
        minutes=generator.randrange(0, 1_500_000)
    )
    detected = started + timedelta(minutes=generator.randint(1, 20))
    mitigated = detected + timedelta(minutes=generator.randint(5, 60))
    recovered = mitigated + timedelta(minutes=generator.randint(5, 90))
    events = JA_EVENTS if japanese else EN_EVENTS
    filler = JA_FILLER if japanese else EN_FILLER
    owners = generator.sample(OWNERS, 4)
    timeline = [
        {
            "at": at,
            "event": event,
            "actor": generator.choice(owners),
            "action": generator.choice(filler),
        }
        for at, event in zip(
            (
                started,
                detected,
                detected + timedelta(minutes=2),
                detected + timedelta(minutes=4),
                mitigated,
                recovered,
            ),
            events,
            strict=True,
        )
    ] + [
        {
            "at": recovered + timedelta(minutes=5 * (i + 1)),
            "event": generator.choice(filler),
            "actor": generator.choice(owners),
            "action": generator.choice(filler),
        }
        for i in range(generator.randint(2, 8))
    ]
    horizons = [("immediate", 5), ("short_term", 25), ("long_term", 80)]
    items = [
        {
            "number": index + 1,
            "horizon": horizon,
            "task": f"{generator.choice(filler)} ({service})",
            "owner": generator.choice(owners),
            "due": (detected + timedelta(days=days)).date(),
            "status": generator.choice(["todo", "in_progress", "done"]),
        }
        for index, (horizon, days) in enumerate(
            generator.choice(horizons) for _ in range(generator.randint(3, 8))
        )
    ]
    why = "なぜ" if japanese else "Why"
    title = f"{service} の{cause}" if japanese else f"{service}: {cause}"
    return Postmortem.model_validate(
        {
            "title": f"{title} #{number}",
            "date": recovered.astimezone(_TOKYO).date(),
            "author": owners[0],
            "reviewers": owners[1:3],
            "status": generator.choice(["draft", "review", "final"]),
            "language": "ja" if japanese else "en",
            "summary": f"{detail}。{generator.choice(filler)}。"
            if japanese
            else f"{detail}. {generator.choice(filler)}.",
            "times": {"occurred": started, "detected": detected, "recovered": recovered},
            "impact": {
                "services": [service],
                "users_affected": f"{generator.randint(1, 90)}%",
                "severity": generator.choice(["critical", "high", "medium", "low"]),
            },
            "slo": {"target": 0.999, "window_days": 30},
            "timeline": timeline,
            "rca": {
                "direct_causes": [detail],
                "whys": [
                    {
                        "question": f"{why} {generator.choice(filler)}?",
                        "answer": generator.choice(filler),
                    }
                    for _ in range(5)
                ],
                "root_causes": [cause],
            },
            "mitigation": [
                {"title": generator.choice(filler), "details": generator.sample(filler, 2)}
            ],
            "went_well": generator.sample(filler, 2),
            "went_wrong": generator.sample(filler, 2),
            "learned": generator.sample(filler, 2),
            "action_items": items,
        }
    )


DEMO_USER = "demo"
DEMO_PASSWORD = "hansei-demo"
DEMO_POSTMORTEMS = 60


def demo_postmortems(count: int, *, seed: int = 7) -> list[Postmortem]:
    generator = random.Random(seed)
    return [demo_postmortem(number, generator) for number in range(count)]


def seed_demo(database: Database, *, count: int = DEMO_POSTMORTEMS) -> int:
    """Fill an empty store with `count` postmortems and the demo login (an admin).

    A store that holds postmortems but no demo login is someone's real store: it is
    refused, so that no admin with a published password appears in it. An existing
    demo login is left as it is. Returns how many postmortems were added.
    """
    # Imported here: `hansei serve --help` names the demo login without loading the store.
    from hansei.services import accounts
    from hansei.store import repository as repo

    with database.reading() as session:
        empty = not repo.any_postmortem(session)
    if accounts.find_user(database, DEMO_USER) is None:
        if not empty:
            raise UsageError(
                "--demo fills only an empty store, and this one holds postmortems: "
                "give it another --db"
            )
        accounts.add_user(database, DEMO_USER, role=Role.admin, password=DEMO_PASSWORD)
    if not empty:
        return 0
    with database.transaction() as session:
        for number, postmortem in enumerate(demo_postmortems(count)):
            repo.create(session, _some_for_the_demo_user(number, postmortem), user=DEMO_USER)
    return count


def _some_for_the_demo_user(number: int, postmortem: Postmortem) -> Postmortem:
    """Every fourth postmortem gives its first action item to the demo login, so that
    "mine" shows something to whoever tries the demo."""
    if number % 4 or not postmortem.action_items:
        return postmortem
    first, *rest = postmortem.action_items
    mine = first.model_copy(update={"owner": f"@{DEMO_USER}"})
    return postmortem.model_copy(update={"action_items": [mine, *rest]})
