"""The editor's form, sent back as the page gave it, changes nothing; a conflict loses nothing."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from hansei.model.access import Role
from hansei.services import history, saving
from hansei.services.documents import load_document
from tests.conftest import EXAMPLES, example_paths
from tests.factories import as_draft, postmortem
from tests.web.site import Site


class _FormFields(HTMLParser):
    """The fields of the page's form#editor as a browser would send them, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = self._in_template = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._chosen: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form" and values.get("id") == "editor":
            self._in_form = True
        if not self._in_form or self._in_template:
            self._in_template = self._in_template or tag == "template"
            return
        if tag == "template":
            self._in_template = True
        elif tag == "input" and "name" in values:
            self.fields.append((values["name"], values.get("value", "")))
        elif tag == "textarea":
            self._textarea = values["name"]
            self.fields.append((values["name"], ""))
        elif tag == "select":
            self._select, self._chosen, self._first_option = values["name"], None, None
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = values.get("value", "")
            if "selected" in values:
                self._chosen = values.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._in_template = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self.fields[-1]
            # A browser drops the one newline that follows <textarea>.
            self.fields[-1] = (name, text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._chosen if self._chosen is not None else self._first_option
            self.fields.append((self._select, chosen or ""))
            self._select = None
        elif tag == "form":
            self._in_form = False


def editor_fields(html: str) -> list[tuple[str, str]]:
    parser = _FormFields()
    parser.feed(html)
    return [(name, value) for name, value in parser.fields if name != "csrf_token"]


TRICKY = postmortem(
    title="Hand-typed figures and odd text",
    language="en",
    times={"detected": "2025-03-02T10:00:00+09:00", "recovered": "2025-03-02T10:30:00+09:00"},
    impact={"downtime_minutes": 90},
    stated={"ttd_minutes": 25, "availability_pct": 99.5},
    mitigation=[{"title": "-5% of traffic moved away", "details": ["- a dash too"]}],
    related_docs=[{"title": "Runbook | search", "url": "https://example.com/a|b"}],
    action_items=[
        {"horizon": "immediate", "task": "guard", "issue_url": "https://github.com/a/b/issues/3"}
    ],
    appendix={"logs": [{"title": "curl", "lang": "sh", "text": "    $ curl -v x\n  > GET /"}]},
    extra_sections=[{"title": "Notes", "body": "    indented code\n\ntext", "after": "timeline"}],
)


@pytest.mark.parametrize(
    "document",
    [*(load_document(path).postmortem for path in example_paths()), TRICKY],
    ids=[*(path.name for path in example_paths()), "tricky"],
)
def test_saving_the_editor_untouched_changes_nothing(site: Site, document: object) -> None:
    assert not isinstance(document, Path)
    created = saving.create_postmortem(site.database, document, user="t")  # type: ignore[arg-type]
    identifier = created.postmortem_id
    browser = site.browser(Role.author)
    form = editor_fields(browser.get(f"/postmortems/{identifier}/edit").text)
    saved = browser.post_form(f"/postmortems/{identifier}/edit", form)
    assert saved.status_code == 303, saved.text
    stored = history.get_postmortem(site.database, identifier)
    assert stored.revision == 1, history.diff_revisions(site.database, identifier, 1, 2)
    assert stored.postmortem == document


def test_after_a_conflict_the_editor_shows_the_saved_version_and_keeps_mine(site: Site) -> None:
    walk = as_draft(load_document(EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").postmortem)
    identifier = saving.create_postmortem(site.database, walk, user="t").postmortem_id
    browser = site.browser(Role.author)
    mine = editor_fields(browser.get(f"/postmortems/{identifier}/edit").text)
    theirs = walk.model_copy(update={"summary": "Their summary, saved first."})
    saving.update_postmortem(site.database, identifier, theirs, user="o", base_revision=1)
    mine = [(n, "My summary." if n == "summary" else v) for n, v in mine]
    refused = browser.post_form(f"/postmortems/{identifier}/edit", mine)
    assert refused.status_code == 409
    shown = dict(editor_fields(refused.text))
    assert shown["summary"] == "Their summary, saved first."
    assert shown["base_revision"] == "2"
    assert "/history?old=2&amp;new=3" in refused.text
    kept = history.revision_document(site.database, identifier, 3)
    assert kept.summary == "My summary."
