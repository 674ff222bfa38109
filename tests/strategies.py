"""Hypothesis strategies for whole postmortems, in the shapes the Markdown format can hold.

Text is drawn from Japanese and Latin letters, digits and common punctuation.
Left out, because the format gives them a meaning: line breaks in one-line
fields, Markdown markers (`#`, `*`, `_`, `` ` ``, `<`, `[`, `]`, `\\`), the
why arrow `→`, colons (a `label:` is a field), and list separators in
comma-separated fields. Values the template reserves as placeholders
(`-`, `TBD`, `[…]`) are left out too: they read as missing by design.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from hansei.markdown.values import is_placeholder
from hansei.model import (
    ActionItem,
    ActionStatus,
    Appendix,
    BusinessImpact,
    ExtraSection,
    Horizon,
    Impact,
    Language,
    Link,
    LogSample,
    Postmortem,
    Prevention,
    Rca,
    Review,
    ReviewStatus,
    Severity,
    Slo,
    StatedMetrics,
    Status,
    Step,
    TimelineEvent,
    Times,
    Why,
)

_FIRST = "あいうえおかきくけこアイウエオカキクケコ障害復旧接続検知原因対策ABCDEFGHXYZabcdefghxyz"
_REST = _FIRST + "0123456789 、。・（）()-./!?&%+=@'\""

ZONES = ("Asia/Tokyo", "UTC", "America/New_York", "Europe/London")
# Instants around the autumn clock changes, when a wall-clock hour happens twice.
_REPEATED_HOURS = (
    datetime(2025, 11, 2, 5, 0, tzinfo=UTC),  # America/New_York 01:00 EDT → 01:00 EST
    datetime(2025, 10, 26, 0, 0, tzinfo=UTC),  # Europe/London 01:00 BST → 01:00 GMT
)
_EXTRA_TITLES = ("メモ", "Note", "補足事項", "Customer comms")

# Section keys an extra section can follow, in the order the renderer writes them.
EXTRA_ANCHORS = (
    None,
    "summary",
    "details",
    "timeline",
    "rca",
    "response",
    "went_well",
    "went_wrong",
    "learned",
    "action_items",
    "prevention",
    "related_docs",
    "metrics",
    "reviews",
    "appendix",
)


def _words(rest: str = _REST, max_size: int = 30) -> st.SearchStrategy[str]:
    return (
        st.tuples(st.sampled_from(_FIRST), st.text(rest, max_size=max_size))
        .map(lambda parts: (parts[0] + parts[1]).strip())
        .filter(lambda text: not is_placeholder(text))
    )


line = _words()
cell = _words(_REST + "|")
name = _words(_REST.replace("、", ""), max_size=12)
optional_line = st.none() | line


def paragraphs(max_paragraphs: int = 3) -> st.SearchStrategy[str]:
    para = st.lists(line, min_size=1, max_size=3).map("\n".join)
    return st.lists(para, min_size=1, max_size=max_paragraphs).map("\n\n".join)


def instants() -> st.SearchStrategy[datetime]:
    anywhere = st.integers(0, 10 * 365 * 86400).map(
        lambda seconds: datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    )
    near_clock_change = st.tuples(
        st.sampled_from(_REPEATED_HOURS), st.integers(-3600, 3 * 3600)
    ).map(lambda pair: pair[0] + timedelta(seconds=pair[1]))
    return anywhere | near_clock_change


def _minutes_from_seconds(max_seconds: int) -> st.SearchStrategy[float]:
    return st.integers(0, max_seconds).map(lambda seconds: seconds / 60)


def _hundredths(low: int, high: int) -> st.SearchStrategy[float]:
    return st.integers(low, high).map(lambda value: value / 100)


@st.composite
def timelines(draw: st.DrawFn, start: datetime) -> list[TimelineEvent]:
    rows = []
    at = start
    for _ in range(draw(st.integers(0, 6))):
        at = at + timedelta(seconds=draw(st.integers(0, 3 * 86400) | st.integers(0, 1800)))
        rows.append(
            TimelineEvent(
                at=draw(st.none() | st.just(at)),
                event=draw(cell),
                actor=draw(st.none() | cell),
                action=draw(st.none() | cell),
            )
        )
    return rows


@st.composite
def extra_sections(draw: st.DrawFn) -> list[ExtraSection]:
    sections = []
    for number in range(draw(st.integers(0, 3))):
        sections.append(
            ExtraSection(
                title=f"{draw(st.sampled_from(_EXTRA_TITLES))} {number}",
                level=draw(st.sampled_from([2, 3])),
                body=draw(st.just("") | paragraphs()),
                after=draw(st.sampled_from(EXTRA_ANCHORS)),
            )
        )

    def position(section: ExtraSection) -> tuple[int, int]:
        anchor = EXTRA_ANCHORS.index(section.after)
        return (anchor, 0 if anchor == 0 or section.level >= 3 else 1)

    # The renderer writes extras by position; the parser reads them back in that order.
    return sorted(sections, key=position)


steps = st.lists(st.builds(Step, title=line, details=st.lists(line, max_size=3)), max_size=3)


@st.composite
def postmortems(draw: st.DrawFn) -> Postmortem:
    timezone = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(timezone)
    base = draw(instants()).astimezone(zone)

    def maybe_after(seconds: int) -> datetime | None:
        return draw(st.none() | st.integers(0, seconds).map(lambda s: base + timedelta(seconds=s)))

    times = Times(
        occurred=draw(st.none() | st.just(base)),
        detected=maybe_after(3600),
        response_started=maybe_after(7200),
        mitigated=maybe_after(10000),
        recovered=maybe_after(20000),
        resolved=maybe_after(10 * 86400),
    )
    return Postmortem(
        title=draw(optional_line),
        date=draw(st.none() | st.dates(date(2020, 1, 1), date(2030, 12, 31))),
        author=draw(st.none() | name),
        reviewers=draw(st.lists(name, max_size=3)),
        status=draw(st.sampled_from(Status)),
        language=draw(st.sampled_from(Language)),
        timezone=timezone,
        summary=draw(st.none() | paragraphs()),
        times=times,
        impact=Impact(
            services=draw(st.lists(name, max_size=3)),
            users_affected=draw(optional_line),
            severity=draw(st.none() | st.sampled_from(Severity)),
            downtime_minutes=draw(st.none() | _minutes_from_seconds(86400)),
            data_loss=draw(st.none() | st.booleans()),
        ),
        slo=Slo(
            target=draw(st.none() | st.sampled_from([0.9, 0.99, 0.995, 0.999, 0.9995, 0.9999])),
            window_days=draw(st.sampled_from([7, 28, 30, 90])),
        ),
        timeline=draw(timelines(base)),
        rca=Rca(
            direct_causes=draw(st.lists(line, max_size=3)),
            analysis=draw(st.none() | paragraphs(2)),
            whys=draw(
                st.lists(
                    st.builds(Why, question=optional_line, answer=optional_line).filter(
                        lambda why: why.question is not None or why.answer is not None
                    ),
                    max_size=6,
                )
            ),
            root_causes=draw(st.lists(line, max_size=3)),
        ),
        mitigation=draw(steps),
        resolution=draw(steps),
        went_well=draw(st.lists(line, max_size=3)),
        went_wrong=draw(st.lists(line, max_size=3)),
        learned=draw(st.lists(line, max_size=3)),
        action_items=draw(
            st.lists(
                st.builds(
                    ActionItem,
                    number=st.none() | st.integers(0, 99),
                    horizon=st.sampled_from(Horizon),
                    task=cell,
                    owner=st.none() | name,
                    due=st.none() | st.dates(date(2020, 1, 1), date(2031, 12, 31)),
                    status=st.none() | st.sampled_from(ActionStatus),
                    issue_url=st.none()
                    | st.from_regex(
                        r"https://github\.com/[a-z]{1,8}/[a-z.-]{1,8}/issues/[1-9][0-9]{0,4}",
                        fullmatch=True,
                    )
                    | st.from_regex(r"https://example\.com/[a-z0-9/]{0,12}", fullmatch=True)
                    | st.from_regex(r"[A-Z]{2,4}-[1-9][0-9]{0,3}", fullmatch=True),
                ),
                max_size=6,
            ).map(lambda items: sorted(items, key=lambda item: list(Horizon).index(item.horizon)))
        ),
        prevention=Prevention(process=draw(steps), technical=draw(steps)),
        related_docs=draw(st.lists(_links(), max_size=3)),
        business_impact=BusinessImpact(
            users_affected=draw(optional_line),
            failed_requests=draw(optional_line),
            estimated_loss=draw(optional_line),
        ),
        reviews=draw(
            st.lists(
                st.builds(
                    Review,
                    date=st.none() | st.dates(date(2020, 1, 1), date(2031, 12, 31)),
                    reviewer=name,
                    comment=st.none() | cell,
                    status=st.none() | st.sampled_from(ReviewStatus),
                ),
                max_size=4,
            )
        ),
        appendix=Appendix(
            logs=draw(
                st.lists(
                    st.builds(
                        LogSample,
                        title=st.sampled_from(["エラーログ", "Error log", "kubectl 出力"]),
                        lang=st.none() | st.sampled_from(["text", "json", "log"]),
                        text=st.text(_REST + "\n`#*", min_size=1, max_size=80)
                        .map(lambda t: t.strip("\n"))
                        .filter(lambda t: bool(t.strip())),
                    ),
                    max_size=2,
                )
            ),
            references=draw(st.lists(_links(), max_size=2)),
        ),
        extra_sections=draw(extra_sections()),
        stated=StatedMetrics(
            availability_pct=draw(st.none() | st.integers(0, 100000).map(lambda v: v / 1000)),
            budget_consumed_window_pct=draw(st.none() | _hundredths(0, 500)),
            budget_remaining_window_pct=draw(st.none() | _hundredths(-500, 500)),
            budget_window_pct=draw(st.none() | _hundredths(0, 1000)),
            ttd_minutes=draw(st.none() | _minutes_from_seconds(7200)),
            ttm_minutes=draw(st.none() | _minutes_from_seconds(7200)),
            ttr_minutes=draw(st.none() | _minutes_from_seconds(86400)),
            ttf_minutes=draw(st.none() | _minutes_from_seconds(30 * 86400)),
        ),
    )


def _links() -> st.SearchStrategy[Link]:
    return st.builds(
        Link,
        title=line,
        url=st.none() | st.from_regex(r"https://example\.com/[a-z0-9/]{0,12}", fullmatch=True),
    )
