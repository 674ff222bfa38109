"""What a postmortem's author typed reaches a GitHub issue inert and whole: rendered as
GitHub renders Markdown (CommonMark with raw HTML and tables), the body holds no HTML,
image or link but hansei's own, every value shows as written, and all of it is inside
code spans, where GitHub finds no mention, reference or URL to act on."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from hansei.integrations.github import NewIssue
from hansei.model import Postmortem
from hansei.services import issue_export
from tests.factories import postmortem

POSTMORTEM_ID = "0123456789abcdef0123456789abcdef"
BASE_URL = "https://hansei.example"
LINK = f"{BASE_URL}/postmortems/{POSTMORTEM_ID}"
MARKER = issue_export.marker(POSTMORTEM_ID, "0" * 64)
GITHUB_LIKE = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

HOSTILE = [
    "@ksato",
    "@acme/sre-team please look",
    "cc @octocat, fixes #12 and acme/walk-api#3, see 1a2b3c4d5e6f",
    "`@ksato`",
    "a `` b ``` c",
    "`",
    "<img src=x onerror=alert(1)>",
    "<!-- hidden --> shown",
    MARKER,
    f"<!-- hansei: postmortem {POSTMORTEM_ID} action {'f' * 64} -->",
    "![x](http://evil.example/beacon.png)",
    "[click](javascript:alert(1))",
    "<https://evil.example> www.evil.example http://evil.example",
    "&lt;script&gt; &#60;b&#62; &amp;",
    "*bold* _em_ ~~gone~~ **x** \\* \\",
    "| a | b |",
    "]( [ ) ]",
    "# heading",
    "line one\nline two\r\nline three\u2028four",
    "tab\there and NUL\x00 and bell\x07",
    "  padded  ",
    ":+1: :smile:",
]


def _document(title: str, task: str, owner: str, language: str = "en") -> Postmortem:
    """A document holding these values as they are, not as the model would tidy them:
    the body must be safe for any string, not only for what validation lets through."""
    document = postmortem(
        title="t",
        language=language,
        action_items=[{"number": 1, "horizon": "immediate", "task": "x", "owner": "o"}],
    )
    item = document.action_items[0].model_copy(update={"task": task, "owner": owner})
    return document.model_copy(update={"title": title, "action_items": [item]})


def _issue(title: str, task: str, owner: str, language: str = "en") -> NewIssue:
    return issue_export.issue_for(
        _document(title, task, owner, language),
        POSTMORTEM_ID,
        0,
        base_url=BASE_URL,
        labels=[],
        marker_key="0" * 64,
    )


def _tokens(body: str) -> list[Token]:
    """Every token of the rendered body, inline ones in their place."""
    flat = []
    for token in GITHUB_LIKE.parse(body):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def _shown(text: str) -> str:
    """What a reader sees of `text` written on one line: a tab as a space, any other
    control character (a line break among them) as the replacement character."""
    return "".join(
        " "
        if character == "\t"
        else "\ufffd"
        if unicodedata.category(character) in ("Cc", "Zl", "Zp")
        else character
        for character in text
    )


def _assert_inert_and_whole(title: str, task: str, owner: str, language: str = "en") -> None:
    body = _issue(title, task, owner, language).body
    tokens = _tokens(body)
    html = [token.content for token in tokens if token.type in ("html_block", "html_inline")]
    assert html == [MARKER + "\n"], "the only HTML is hansei's marker"
    assert body.endswith(f"\n\n{MARKER}\n"), "the marker is the last line"
    assert not [token for token in tokens if token.type == "image"]
    links = [token.attrs.get("href") for token in tokens if token.type == "link_open"]
    assert links == [LINK]
    codes = [token.content for token in tokens if token.type == "code_inline"]
    assert codes == [_shown(title), _shown(task), _shown(owner)]
    # Outside the code spans is hansei's text alone, whatever the values: nothing of
    # them for GitHub to take for a mention, a reference or a URL.
    plain = _issue("t", "x", "o", language).body
    assert _outside_code(body) == _outside_code(plain)


def _outside_code(body: str) -> list[tuple[str, str]]:
    return [
        (token.type, token.content)
        for token in _tokens(body)
        if token.type not in ("inline", "code_inline")
    ]


_TYPED = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.sampled_from("`\\|<>!&#;@[]()*_~:/- \t\nxy"), min_size=1, max_size=30),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30),
)
_VALUES = st.lists(_TYPED, min_size=1, max_size=4).map("".join)


@settings(max_examples=400, deadline=None)
@given(title=_VALUES, task=_VALUES, owner=_VALUES, language=st.sampled_from(["en", "ja"]))
def test_anything_typed_is_shown_as_written_and_does_nothing(
    title: str, task: str, owner: str, language: str
) -> None:
    _assert_inert_and_whole(title, task, owner, language)


@settings(max_examples=300, deadline=None)
@given(task=st.one_of(_VALUES, st.lists(_TYPED, min_size=10, max_size=40).map("".join)))
def test_any_task_makes_a_one_line_title_within_githubs_limit(task: str) -> None:
    whole = _shown(task).strip()
    title = _issue("t", task, "o").title
    assert not [c for c in title if unicodedata.category(c) in ("Cc", "Zl", "Zp")]
    if len(whole) <= 256:
        assert title == whole
    else:
        assert len(title) <= 256
        assert title.endswith("…")
        assert whole.startswith(title[:-1])


@pytest.mark.parametrize("typed", HOSTILE)
def test_each_known_trick_is_shown_as_written_and_does_nothing(typed: str) -> None:
    _assert_inert_and_whole(typed, "Add a nil guard", "@ksato")
    _assert_inert_and_whole("Walk API", typed, "@ksato")
    _assert_inert_and_whole("Walk API", "Add a nil guard", typed)


def test_a_backtick_in_an_owner_cannot_end_the_code_span() -> None:
    body = _issue("Walk API", "Add a nil guard", "x` @ksato `y").body
    assert "| Owner | ``x` @ksato `y`` |" in body


def test_a_forged_marker_stays_in_its_line_and_the_marker_is_last() -> None:
    forged = f"<!-- hansei: postmortem {POSTMORTEM_ID} action {'f' * 64} -->"
    body = _issue(forged, forged, forged).body
    lines = body.split("\n")
    assert lines[-2:] == [MARKER, ""]
    assert [line for line in lines if line.startswith("<!--")] == [MARKER]
    assert all(line.count(forged) <= 1 and not line.startswith(forged) for line in lines)


def test_the_title_is_one_line_within_githubs_limit_and_the_body_has_the_whole_task() -> None:
    task = "Fix\nthe\r\nparser " + "x" * 300
    issue = _issue("Walk API", task, "@ksato")
    assert issue.title.startswith("Fix\ufffdthe\ufffd\ufffdparser xxx")
    assert (len(issue.title), issue.title[-1]) == (256, "…")
    codes = [token.content for token in _tokens(issue.body) if token.type == "code_inline"]
    assert codes[1] == _shown(task)


def test_a_base_url_cannot_add_to_the_body() -> None:
    issue = issue_export.issue_for(
        _document("Walk API", "Add a nil guard", "@ksato"),
        POSTMORTEM_ID,
        0,
        base_url="https://hansei.example/a b)![x](http://evil.example/)<",
        labels=[],
    )
    tokens = _tokens(issue.body)
    assert not [token for token in tokens if token.type in ("image", "html_inline")]
    assert [token.attrs.get("href") for token in tokens if token.type == "link_open"] == [
        "https://hansei.example/a%20b%29!%5Bx%5D%28http://evil.example/%29%3C"
        f"/postmortems/{POSTMORTEM_ID}"
    ]
