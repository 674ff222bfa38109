"""Markdown to HTML: every written character shown, nothing run, whatever the input."""

from __future__ import annotations

import html
import itertools
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hansei.markdown import parse_markdown, render_markdown
from hansei.markdown.html import html_sections
from hansei.markdown.to_html import EVENT_BUDGET, render, render_blocks
from tests.conftest import EXAMPLES

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "em", "strong", "s", "a", "img", "hr", "br",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"href", "title", "src", "alt", "start", "class", "style"}


class _Page(HTMLParser):
    """The tags, attributes and text of a fragment, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(fragment: str) -> _Page:
    page = _Page()
    page.feed(fragment)
    page.close()
    return page


def assert_inert(fragment: str) -> None:
    for tag, attributes in read(fragment).tags:
        assert tag in ALLOWED_TAGS, fragment
        assert set(attributes) <= ALLOWED_ATTRIBUTES, (tag, attributes)
        for name in ("href", "src"):
            url = (attributes.get(name) or "").replace("\t", "").strip().lower()
            assert not url.startswith(("javascript:", "vbscript:", "file:")), url
            assert not url.startswith("data:") or url.startswith("data:image/png"), url


def test_raw_html_is_shown_as_text() -> None:
    fragment = render("<script>alert(1)</script>\n\ntext <img src=x onerror=alert(2)> <b>b</b>")
    assert_inert(fragment)
    shown = "".join(read(fragment).text)
    assert "<script>alert(1)</script>" in shown
    assert "<img src=x onerror=alert(2)>" in shown


@pytest.mark.parametrize(
    "written",
    [
        "[a](javascript:alert(1))",
        "[a](JaVaScRiPt:alert(1))",
        "[a](vbscript:msgbox)",
        "[a](data:text/html,<script>alert(1)</script>)",
        "![i](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[a](<java\tscript:alert(1)>)",
    ],
)
def test_a_link_that_could_run_script_is_shown_as_it_was_written(written: str) -> None:
    fragment = render(written)
    assert_inert(fragment)
    assert "<a " not in fragment
    assert "<img" not in fragment
    shown = "".join(read(fragment).text)
    assert "alert(1)" in shown or "msgbox" in shown


def test_a_reference_to_a_link_that_could_run_script_is_text() -> None:
    # A reference definition is never shown (CommonMark); the reference stays as text.
    fragment = render("see [a] and [b][a]\n\n[a]: javascript:alert(1)")
    assert_inert(fragment)
    assert "<a " not in fragment
    assert "see [a] and [b][a]" in "".join(read(fragment).text)


def test_safe_links_and_inline_images_stay() -> None:
    pixel = "data:image/png;base64,iVBORw0KGgo="
    fragment = render(f'[a](https://example.com/?q=1&r="2") ![p]({pixel}) ![r](x.png "t")')
    assert '<a href="https://example.com/?q=1&amp;r=&quot;2&quot;">a</a>' in fragment
    assert f'<img src="{pixel}" alt="p">' in fragment
    assert '<img src="x.png" alt="r" title="t">' in fragment


def test_a_standalone_page_loads_no_image_but_inline_ones() -> None:
    pixel = "data:image/png;base64,iVBORw0KGgo="
    fragment = render(
        f"![remote](https://tracker.example/p.gif) ![local](a.png) ![p]({pixel})",
        images_as_links=True,
    )
    assert '<a href="https://tracker.example/p.gif">remote</a>' in fragment
    assert '<a href="a.png">local</a>' in fragment
    assert [tag for tag, _ in read(fragment).tags].count("img") == 1


@pytest.mark.parametrize("unit", ["[", "![", "*a", "_a", "**a", "[](", "[]((", "<", "`", "<a"])
def test_runs_of_markup_show_every_character(unit: str) -> None:
    # The inputs that take markdown-it-py quadratic time; here every character must
    # still reach the reader (the time is measured by bench/pathological.py).
    text = "x " + unit * 20_000  # after a word: a run of backticks opens no code block
    fragment = render(text)
    assert_inert(fragment)
    shown = "".join(read(fragment).text)
    for character in set(unit) - {"*", "_"}:
        assert shown.count(character) == text.count(character), character
    assert shown.count("a") == text.count("a")
    assert shown.count("x") == 1


def test_sections_start_at_their_headings_and_cover_every_line() -> None:
    for path in sorted(EXAMPLES.glob("*.md")):
        postmortem = parse_markdown(path.read_text(encoding="utf-8")).postmortem
        markdown = render_markdown(postmortem)
        lines = markdown.split("\n")
        sections = html_sections(postmortem, markdown)
        assert sections[0].first_line == 1
        for before, after in itertools.pairwise(sections):
            assert after.first_line == before.last_line + 1
            assert lines[after.first_line - 1].startswith(("# ", "## "))
            assert after.heading == lines[after.first_line - 1].lstrip("# ")
            assert f"<h2>{html.escape(after.heading, quote=False)}" in after.html
        assert sections[-1].last_line == len(lines)


def test_blocks_know_their_lines() -> None:
    blocks = render_blocks("# T\n\npara\ngraph\n\n- a\n- b\n\n```\ncode\n```\n")
    assert [(b.first_line, b.last_line) for b in blocks] == [(1, 1), (3, 4), (6, 7), (9, 11)]
    assert blocks[0].heading_level == 1
    assert blocks[0].heading_text == "T"


MARKUP = st.text(alphabet="[]()!<>*_`\\#-|:/ \n>&;\"'=ajsvcript.xh0123456789", max_size=300)


@settings(max_examples=300, deadline=None)
@given(MARKUP)
def test_any_text_renders_to_inert_html(text: str) -> None:
    assert_inert(render(text))
    assert_inert(render(text, images_as_links=True))


def test_past_the_event_budget_the_rest_is_shown_as_written() -> None:
    head = "# 見出し\n\n普通の段落 **強調**。\n\n"
    run = "x " + "*a" * EVENT_BUDGET
    blocks = render_blocks(head + run + "\n\n## 後の節\n\n<b>終わり</b>\n")
    assert blocks[0].html == "<h1>見出し</h1>\n"
    assert blocks[1].html == "<p>普通の段落 <strong>強調</strong>。</p>\n"
    rest = blocks[-1]
    assert rest.html.startswith('<pre class="as-written"><code>x *a*a')
    assert rest.first_line == 5
    assert rest.last_line == 9
    shown = "".join(read(rest.html).text)
    assert shown == run + "\n\n## 後の節\n\n<b>終わり</b>\n" + "\n"  # and the one after </pre>
    assert_inert(rest.html)
