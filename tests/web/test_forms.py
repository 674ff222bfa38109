"""The editor's form and the history diff split lines as the parser does."""

from __future__ import annotations

from starlette.datastructures import FormData

from hansei.web.forms import postmortem_from_form
from hansei.web.pages.postmortems import diff_lines


def test_a_lone_cr_in_a_textarea_ends_a_line() -> None:
    form = FormData(
        [("title", "t"), ("summary", "one\rtwo\r\nthree"), ("went_well", "a\rb\r\r\nc")]
    )
    pm = postmortem_from_form(form)
    assert pm.summary == "one\ntwo\nthree"
    assert pm.went_well == ["a", "b", "c"]


def test_diff_lines_keep_other_separators_inside_a_line() -> None:
    diff = "--- a\n+++ b\n@@ -1 +1 @@\n-x\u2028y\n+x\x85z\n"
    assert [(line.kind, line.text) for line in diff_lines(diff)] == [
        ("file", "--- a"),
        ("file", "+++ b"),
        ("hunk", "@@ -1 +1 @@"),
        ("removed", "-x\u2028y"),
        ("added", "+x\x85z"),
    ]
    assert diff_lines("") == []
