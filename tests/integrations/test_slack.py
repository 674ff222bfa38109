"""Slack messages: escaped text, links, and the size limits of a section."""

from __future__ import annotations

import pytest

from hansei.errors import DeliveryError
from hansei.integrations import slack
from tests.recording_server import recording_server


def test_text_is_escaped_and_links_keep_their_url() -> None:
    message = slack.message(
        "t", "s", [("A & B", [slack.Line("<b>x</b>", "https://h/p?a=1&b=2", "d > e")])]
    )
    (_, section) = message["blocks"]
    assert (
        section["text"]["text"]
        == "*A &amp; B*\n• <https://h/p?a=1&b=2|&lt;b&gt;x&lt;/b&gt;> — d &gt; e"
    )


def test_long_groups_are_split_at_whole_lines_and_nothing_is_lost() -> None:
    many = [slack.Line(f"task {n} " + "x" * 80, "https://h", "due") for n in range(100)]
    message = slack.message("t" * 200, "s", [("Empty", []), ("Many", many)])
    header, *sections = message["blocks"]
    assert len(header["text"]["text"]) == 150
    texts = [section["text"]["text"] for section in sections]
    assert len(texts) > 1
    assert all(len(text) <= slack.SECTION_LIMIT for text in texts)
    shown = "\n".join(texts)
    assert all(f"|task {n} " in shown for n in range(100))
    assert "Empty" not in shown


def test_more_than_a_message_holds_is_counted() -> None:
    many = [slack.Line("x" * 2900, "https://h", "d") for _ in range(60)]
    message = slack.message("t", "s", [("Many", many)])
    assert len(message["blocks"]) == slack.BLOCK_LIMIT
    assert message["blocks"][-1]["text"]["text"] == "…and 12 more"


def test_a_refused_post_is_a_delivery_error() -> None:
    with recording_server() as server:
        server.answer = lambda request: (404, "no_service")
        with pytest.raises(DeliveryError, match="answered 404: no_service"):
            slack.post(server.url, {"text": "x"})
    with pytest.raises(DeliveryError, match="Slack webhook"):
        slack.post("http://127.0.0.1:9/unreachable", {"text": "x"})


def test_the_fallback_text_is_escaped_too() -> None:
    message = slack.message("t", "for <!channel> & co", [])
    assert message["text"] == "for &lt;!channel&gt; &amp; co"
