from __future__ import annotations

import pytest
from pydantic import ValidationError

from hansei.markdown import render_html
from hansei.model import Link, Postmortem


def test_html_page_escapes_what_the_author_typed() -> None:
    pm = Postmortem.model_validate(
        {
            "title": "<script>alert(1)</script>",
            "went_well": ['<img src=x onerror="alert(2)">'],
            # The model takes no such URL; written as Markdown in a title, it stays text.
            "related_docs": [{"title": "[click](javascript:alert(3))"}],
        }
    )
    page = render_html(pm)
    assert "<script>" not in page
    assert "<img" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_page_has_the_sections_and_language() -> None:
    page = render_html(Postmortem.model_validate({"title": "障害", "language": "ja"}))
    assert '<html lang="ja">' in page
    assert "<h2>タイムライン</h2>" in page
    assert "<table>" in page


def test_a_link_that_runs_code_is_no_link() -> None:
    for url in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " java\tscript:x",
        "data:text/html,x",
    ):
        with pytest.raises(ValidationError, match="a link may not use javascript:"):
            Link(title="click", url=url)
    assert Link(title="runbook", url="https://example.com/a:b").url == "https://example.com/a:b"


def test_a_standalone_page_loads_nothing_from_outside() -> None:
    pm = Postmortem.model_validate(
        {
            "title": "画像",
            "extra_sections": [
                {
                    "title": "スクリーンショット",
                    "body": "![グラフ](https://grafana.example/render.png) ![ローカル](graph.png)",
                }
            ],
        }
    )
    page = render_html(pm)
    assert "<img" not in page
    assert '<a href="https://grafana.example/render.png">グラフ</a>' in page
    assert '<a href="graph.png">ローカル</a>' in page
    policy = page.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert "default-src 'none'" in policy
    assert "img-src data:" in policy
