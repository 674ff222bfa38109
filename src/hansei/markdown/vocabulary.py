"""The words of the document: labels written per language, and what the parser accepts.

`LABELS[lang]` is what the renderer writes. The `*_ALIASES` tables map the
many ways people write a heading or a label (either language, with or
without decoration) to one key; matching is on normalised text (see
`normalise`), by substring, first match wins.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from hansei.model import ActionStatus, Horizon, Language, ReviewStatus, Severity, Status

LABELS: dict[Language, dict[str, str]] = {
    Language.ja: {
        "title": "ポストモーテム",
        "date": "日付",
        "author": "著者",
        "reviewers": "レビュアー",
        "status": "ステータス",
        "timezone": "タイムゾーン",
        "summary_section": "エグゼクティブサマリー",
        "summary": "**概要**（2-3文で簡潔に）:",
        "details_section": "インシデント詳細",
        "times_section": "発生日時",
        "occurred": "発生",
        "detected": "検知",
        "response_started": "対応開始",
        "mitigated": "部分復旧",
        "recovered": "復旧",
        "resolved": "完全解決",
        "impact_section": "影響範囲",
        "services": "影響を受けたサービス",
        "users_affected": "影響を受けたユーザー数",
        "severity": "影響度",
        "downtime": "ダウンタイム",
        "data_loss": "データ損失",
        "slo_section": "SLO への影響",
        "availability": "Availability",
        "budget_consumed": "Error Budget 消費",
        "budget_remaining": "残りError Budget",
        "timeline_section": "タイムライン",
        "timeline_columns": "| 時刻 ({tz}) | イベント | 担当者 | アクション |\n"
        "|-----------|---------|--------|-----------|",
        "rca_section": "根本原因分析（RCA）",
        "direct_causes_section": "直接の原因",
        "root_causes_section": "根本原因",
        "whys": "**5 Whys 分析**:",
        "root_causes": "**根本原因**:",
        "response_section": "対応内容",
        "mitigation_section": "即座の対応（Mitigation）",
        "resolution_section": "根本的な修正（Resolution）",
        "went_well_section": "うまくいったこと（Good）",
        "went_wrong_section": "改善が必要なこと（Bad）",
        "learned_section": "学んだこと（Learned）",
        "actions_section": "アクションアイテム",
        "immediate_section": "即座対応（1週間以内）",
        "short_term_section": "短期対応（1ヶ月以内）",
        "long_term_section": "長期対応（3ヶ月以内）",
        "action_columns": "| # | タスク | 担当者 | 期限 | ステータス |\n"
        "|---|--------|--------|------|-----------|",
        "issue_column": "イシュー",
        "issue_lead": "ポストモーテム [{title}]({link}) のアクションアイテム{number}。",
        "issue_fields": "タスク|対応期間|担当者|期限|ステータス",
        "prevention_section": "再発防止策",
        "process_section": "プロセス改善",
        "technical_section": "技術的改善",
        "related_section": "関連ドキュメント",
        "metrics_section": "メトリクス",
        "response_times_section": "インシデント対応時間",
        "ttd": "MTTD (Mean Time To Detect)",
        "ttm": "MTTM (Mean Time To Mitigate)",
        "ttr": "MTTR (Mean Time To Resolve)",
        "ttf": "MTTF (Mean Time To Fix)",
        "ttf_note": "（完全修正まで）",
        "business_section": "ビジネス影響",
        "bi_users_affected": "影響ユーザー数",
        "failed_requests": "失敗リクエスト数",
        "estimated_loss": "推定損失",
        "reviews_section": "レビュー履歴",
        "review_columns": "| 日付 | レビュアー | コメント | ステータス |\n"
        "|------|-----------|---------|-----------|",
        "appendix_section": "付録",
        "references_section": "参考資料",
        "log_section": "エラーログサンプル",
        "target": "目標",
        "window": "期間",
        "days": "日",
        "downtime_of": "{downtime}のダウンタイム = {pct}",
        "budget_share": "（Error Budget の {pct}）",
        "remaining_minutes": "（残り {minutes}）",
        "overspent_minutes": "（{minutes} 超過）",
        "yes": "あり",
        "no": "なし",
    },
    Language.en: {
        "title": "Postmortem",
        "date": "Date",
        "author": "Author",
        "reviewers": "Reviewers",
        "status": "Status",
        "timezone": "Timezone",
        "summary_section": "Executive Summary",
        "summary": "**Summary** (2-3 sentences):",
        "details_section": "Incident Details",
        "times_section": "Timestamps",
        "occurred": "Occurred",
        "detected": "Detected",
        "response_started": "Response started",
        "mitigated": "Mitigated",
        "recovered": "Recovered",
        "resolved": "Resolved",
        "impact_section": "Impact",
        "services": "Affected services",
        "users_affected": "Affected users",
        "severity": "Severity",
        "downtime": "Downtime",
        "data_loss": "Data loss",
        "slo_section": "SLO Impact",
        "availability": "Availability",
        "budget_consumed": "Error budget consumed",
        "budget_remaining": "Error budget remaining",
        "timeline_section": "Timeline",
        "timeline_columns": "| Time ({tz}) | Event | Actor | Action |\n"
        "|-----------|---------|--------|-----------|",
        "rca_section": "Root Cause Analysis (RCA)",
        "direct_causes_section": "Direct Causes",
        "root_causes_section": "Root Causes",
        "whys": "**5 Whys**:",
        "root_causes": "**Root causes**:",
        "response_section": "Response",
        "mitigation_section": "Mitigation",
        "resolution_section": "Resolution",
        "went_well_section": "What Went Well",
        "went_wrong_section": "What Went Wrong",
        "learned_section": "What We Learned",
        "actions_section": "Action Items",
        "immediate_section": "Immediate (within 1 week)",
        "short_term_section": "Short-term (within 1 month)",
        "long_term_section": "Long-term (within 3 months)",
        "action_columns": "| # | Task | Owner | Due | Status |\n"
        "|---|--------|--------|------|-----------|",
        "issue_column": "Issue",
        "issue_lead": "Action item{number} of the postmortem [{title}]({link}).",
        "issue_fields": "Task|Horizon|Owner|Due|Status",
        "prevention_section": "Prevention",
        "process_section": "Process Improvements",
        "technical_section": "Technical Improvements",
        "related_section": "Related Documents",
        "metrics_section": "Metrics",
        "response_times_section": "Response Times",
        "ttd": "MTTD (Mean Time To Detect)",
        "ttm": "MTTM (Mean Time To Mitigate)",
        "ttr": "MTTR (Mean Time To Resolve)",
        "ttf": "MTTF (Mean Time To Fix)",
        "ttf_note": " (until fully fixed)",
        "business_section": "Business Impact",
        "bi_users_affected": "Users affected",
        "failed_requests": "Failed requests",
        "estimated_loss": "Estimated loss",
        "reviews_section": "Review History",
        "review_columns": "| Date | Reviewer | Comment | Status |\n"
        "|------|-----------|---------|-----------|",
        "appendix_section": "Appendix",
        "references_section": "References",
        "log_section": "Error log sample",
        "target": "target",
        "window": "window",
        "days": " days",
        "downtime_of": "{downtime} of downtime = {pct}",
        "budget_share": " ({pct} of the error budget)",
        "remaining_minutes": " ({minutes} left)",
        "overspent_minutes": " ({minutes} over)",
        "yes": "Yes",
        "no": "No",
    },
}

# Placeholders a reader leaves in place when a field is unknown, per language.
PLACEHOLDERS: dict[Language, dict[str, str]] = {
    Language.ja: {
        "title": "[インシデントタイトル]",
        "date": "YYYY-MM-DD",
        "author": "[担当者名]",
        "reviewers": "[レビュアー名]",
        "status": "Draft / Review / Final",
        "timestamp": "YYYY-MM-DD HH:MM:SS {tz}",
        "services": "[例: Walk API, ユーザー認証]",
        "users_affected": "[例: 全ユーザー、特定機能ユーザー]",
        "severity": "Critical / High / Medium / Low",
        "downtime": "[例: 15分]",
        "data_loss": "あり / なし",
        "availability": "[例: 99.5% (目標: 99.9%)]",
        "budget_consumed": "[例: 30分のダウンタイム = 0.07%]",
        "budget_remaining": "[例: 0.03% / 0.1%]",
        "direct_causes": "[技術的な直接原因を詳細に記載]",
        "root_analysis": "[なぜその問題が発生したかの深掘り分析]",
        "duration": "[例: 5分]",
        "bi_users_affected": "[例: 100ユーザー]",
        "failed_requests": "[例: 500リクエスト]",
        "estimated_loss": "[例: なし / 軽微]",
        "list_item": "[記入してください]",
    },
    Language.en: {
        "title": "[Incident title]",
        "date": "YYYY-MM-DD",
        "author": "[Author name]",
        "reviewers": "[Reviewer names]",
        "status": "Draft / Review / Final",
        "timestamp": "YYYY-MM-DD HH:MM:SS {tz}",
        "services": "[e.g. Walk API, user authentication]",
        "users_affected": "[e.g. all users, users of one feature]",
        "severity": "Critical / High / Medium / Low",
        "downtime": "[e.g. 15 min]",
        "data_loss": "Yes / No",
        "availability": "[e.g. 99.5% (target: 99.9%)]",
        "budget_consumed": "[e.g. 30 min of downtime = 0.07%]",
        "budget_remaining": "[e.g. 0.03% / 0.1%]",
        "direct_causes": "[Describe the technical direct cause in detail]",
        "root_analysis": "[Dig into why the problem happened]",
        "duration": "[e.g. 5 min]",
        "bi_users_affected": "[e.g. 100 users]",
        "failed_requests": "[e.g. 500 requests]",
        "estimated_loss": "[e.g. none / minor]",
        "list_item": "[to be filled in]",
    },
}

# The template's own prompts under 概要: a summary made only of these is missing.
SUMMARY_PROMPTS = frozenset(
    {
        "何が起こったか",
        "いつ起こったか",
        "影響範囲",
        "復旧までの時間",
        "what happened",
        "when it happened",
        "impact",
        "scope of impact",
        "time to recovery",
    }
)

STATUS_WORDS: dict[Status, str] = {
    Status.draft: "Draft",
    Status.review: "Review",
    Status.final: "Final",
}

SEVERITY_WORDS: dict[Severity, str] = {
    Severity.critical: "Critical",
    Severity.high: "High",
    Severity.medium: "Medium",
    Severity.low: "Low",
}

ACTION_STATUS_WORDS: dict[ActionStatus, str] = {
    ActionStatus.done: "✅ Done",
    ActionStatus.in_progress: "🔄 In Progress",
    ActionStatus.todo: "📝 Todo",
}

REVIEW_STATUS_WORDS: dict[ReviewStatus, str] = {
    ReviewStatus.draft: "Draft",
    ReviewStatus.review: "Review",
    ReviewStatus.final: "Final",
    ReviewStatus.approved: "Approved",
    ReviewStatus.changes_requested: "Changes requested",
}

LIST_MARKS: dict[str, str] = {"went_well": "✅ ", "went_wrong": "❌ ", "learned": "📚 "}


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Fold width (ＡＢＣ→ABC, ：→:), case and spacing; drop emphasis marks and numbering."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = folded.replace("*", "").replace("_", " ")
    folded = _without_marks(folded) or folded  # `🔥 概要` but `#`
    folded = re.sub(r"^\s*(?:\d+(?:\.\d+)+\.?|\d+[.)]|[ivx]+\.|第\d+章)\s*", "", folded)
    return re.sub(r"\s+", " ", folded).strip()


_LEADING_MARKS = re.compile(r"[^\w\[(]+")
_TRAILING_MARKS = re.compile(r"[^\w)\]]+")  # matched on the reversed text


def _without_marks(text: str) -> str:
    """`text` without the marks before its first word and after its last.

    The trailing run is matched on the reversed text: `[^\\w]+$` searched forwards tries
    every start in a long run of marks, each to the end (20,000 spaces: seconds).
    """
    leading = _LEADING_MARKS.match(text)
    start = leading.end() if leading else 0
    trailing = _TRAILING_MARKS.match(text[::-1])
    end = len(text) - (trailing.end() if trailing else 0)
    return text[start : max(start, end)]


def _parse_table(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((alias, key) for key, aliases in pairs for alias in aliases)


# Top-level sections. Order matters: the first alias contained in a heading wins.
SECTION_ALIASES = _parse_table(
    (
        (
            "rca",
            (
                "根本原因分析",
                "rca",
                "root cause analysis",
                "原因分析",
                "原因",
                "root cause",
                "causes",
            ),
        ),
        ("summary", ("エグゼクティブサマリー", "サマリー", "概要", "executive summary", "summary")),
        ("details", ("インシデント詳細", "incident details", "詳細", "details")),
        ("timeline", ("タイムライン", "時系列", "経緯", "timeline")),
        ("response", ("対応内容", "対応", "response", "remediation")),
        ("went_well", ("うまくいったこと", "良かったこと", "good", "what went well", "went well")),
        (
            "went_wrong",
            (
                "改善が必要なこと",
                "悪かったこと",
                "bad",
                "what went wrong",
                "went wrong",
                "to improve",
            ),
        ),
        (
            "learned",
            ("学んだこと", "学び", "learned", "what we learned", "lessons learned", "lessons"),
        ),
        (
            "action_items",
            ("アクションアイテム", "アクション", "対応項目", "action items", "actions", "todo"),
        ),
        ("action_items", ("follow-up actions", "follow-ups", "follow ups", "next steps")),
        ("prevention", ("再発防止", "prevention")),
        ("related_docs", ("関連ドキュメント", "関連資料", "related", "related documents", "links")),
        ("metrics", ("メトリクス", "指標", "metrics")),
        ("reviews", ("レビュー履歴", "review history", "reviews")),
        ("appendix", ("付録", "appendix")),
    )
)

# Subsections, by the top-level section they belong to.
SUBSECTION_ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    "details": _parse_table(
        (
            ("times", ("発生日時", "日時", "timestamps", "times", "key times")),
            ("impact", ("影響範囲", "影響", "impact")),
            ("slo", ("slo",)),
        )
    ),
    "rca": _parse_table(
        (
            ("direct_causes", ("直接の原因", "直接原因", "direct cause", "trigger")),
            ("root_causes", ("根本原因", "root cause", "5 whys", "why")),
        )
    ),
    "response": _parse_table(
        (
            ("mitigation", ("即座の対応", "暫定対応", "mitigation", "応急")),
            ("resolution", ("根本的な修正", "恒久対応", "resolution", "恒久")),
        )
    ),
    "action_items": _parse_table(
        (
            ("immediate", ("即座", "即時", "1週間", "immediate", "1 week", "this week")),
            ("short_term", ("短期", "1ヶ月", "1か月", "short", "1 month")),
            ("long_term", ("長期", "3ヶ月", "3か月", "long", "3 months")),
        )
    ),
    "prevention": _parse_table(
        (
            ("process", ("プロセス", "process")),
            ("technical", ("技術", "technical", "technology")),
        )
    ),
    "metrics": _parse_table(
        (
            ("response_times", ("対応時間", "response time", "mttx", "mttr")),
            ("business_impact", ("ビジネス影響", "business impact", "business")),
        )
    ),
    "appendix": _parse_table((("references", ("参考資料", "参考", "references")),)),
}

HORIZON_KEYS: dict[str, Horizon] = {
    "immediate": Horizon.immediate,
    "short_term": Horizon.short_term,
    "long_term": Horizon.long_term,
}

# Labels of `**label**: value` lines, anywhere in the document.
FIELD_ALIASES = _parse_table(
    (
        ("timezone", ("タイムゾーン", "timezone", "time zone")),
        ("date", ("日付", "作成日", "date")),
        ("author", ("著者", "作成者", "author")),
        ("reviewers", ("レビュアー", "レビューア", "reviewer")),
        ("status", ("ステータス", "status")),
        ("response_started", ("対応開始", "response started", "response start", "responded")),
        ("mitigated", ("部分復旧", "暫定復旧", "mitigated")),
        ("occurred", ("発生", "occurred", "impact start", "incident start", "started")),
        ("detected", ("検知", "検出", "detected", "detection")),
        ("resolved", ("完全解決", "解決", "resolved", "resolution")),
        ("recovered", ("復旧", "recovered", "recovery")),
        ("services", ("影響を受けたサービス", "対象サービス", "サービス", "services", "service")),
        (
            "users_affected",
            ("影響を受けたユーザー", "影響ユーザー", "users affected", "affected users"),
        ),
        ("severity", ("影響度", "重大度", "深刻度", "severity")),
        ("downtime", ("ダウンタイム", "停止時間", "downtime")),
        ("data_loss", ("データ損失", "data loss")),
        ("availability", ("availability", "可用性")),
        ("budget_consumed", ("消費", "consumed")),
        ("budget_remaining", ("残り", "remaining")),
        ("ttd", ("mttd", "time to detect")),
        ("ttm", ("mttm", "time to mitigate")),
        ("ttr", ("mttr", "time to resolve", "time to recover")),
        ("ttf", ("mttf", "time to fix")),
        ("failed_requests", ("失敗リクエスト", "failed requests", "failed")),
        ("estimated_loss", ("推定損失", "損失", "estimated loss", "loss")),
        ("summary", ("概要", "summary")),
        ("whys", ("5 whys", "なぜなぜ")),
        ("root_causes", ("根本原因", "root cause")),
        ("example", ("例", "example", "e.g.")),
    )
)

TITLE_PREFIXES = ("ポストモーテム", "postmortem", "post-mortem", "post mortem", "障害報告")

TIMELINE_COLUMNS = _parse_table(
    (
        ("at", ("時刻", "日時", "時間", "time", "when")),
        ("event", ("イベント", "出来事", "事象", "event", "what")),
        ("actor", ("担当", "実施者", "actor", "owner", "who")),
        ("action", ("アクション", "対応", "action", "note")),
    )
)

ACTION_COLUMNS = _parse_table(
    (
        ("number", ("#", "no", "番号")),
        ("task", ("タスク", "内容", "task", "item", "action")),
        ("owner", ("担当", "owner", "assignee", "who")),
        ("due", ("期限", "期日", "due", "deadline")),
        ("status", ("ステータス", "状態", "status", "state")),
        ("issue", ("イシュー", "チケット", "issue", "ticket")),
    )
)

REVIEW_COLUMNS = _parse_table(
    (
        ("date", ("日付", "date")),
        ("reviewer", ("レビュアー", "レビューア", "reviewer", "who")),
        ("comment", ("コメント", "comment", "note")),
        ("status", ("ステータス", "status", "state", "verdict")),
    )
)


@lru_cache(maxsize=8192)
def lookup(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    """The key of the alias equal to the normalised text, else of the first one it contains."""
    folded = normalise(text)
    for alias, key in table:
        if alias == folded:
            return key
    for alias, key in table:
        if alias in folded:
            return key
    return None
