"""Slack messages: escaped text, links, and the size limits of a section."""

from __future__ import annotations

import pytest

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


def test_empty_groups_are_left_out_and_long_ones_cut_to_slacks_limit() -> None:
    many = [slack.Line("task " * 20, "https://h", "due") for _ in range(100)]
    message = slack.message("t" * 200, "s", [("Empty", []), ("Many", many)])
    header, section = message["blocks"]
    assert len(header["text"]["text"]) == 150
    assert len(section["text"]["text"]) == 3000


def test_a_refused_post_is_a_delivery_error() -> None:
    with recording_server() as server:
        server.answer = lambda request: (404, "no_service")
        with pytest.raises(slack.DeliveryError, match="answered 404: no_service"):
            slack.post(server.url, {"text": "x"})
    with pytest.raises(slack.DeliveryError, match="Slack webhook"):
        slack.post("http://127.0.0.1:9/unreachable", {"text": "x"})
