"""Text a user typed never runs in a browser, on any page that shows it.

Every text field of a postmortem holds an attack: a script tag, an event handler,
an attribute breakout, a `javascript:` link (as HTML, as Markdown and as a link's
URL), a template expression. Each page that shows the text is opened in chromium
and searched for anything the text could have become: a handler, a script, a
`javascript:` URL, a dialog, `window.__pwned`, a computed `{{ 7*7 }}`.

The browser ignores the Content-Security-Policy here (bypass_csp): the policy would
stop an inline script that escaping let through, and hide the bug. Escaping is
tested alone; the policy is checked to be sent, separately.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Response, Route

from hansei.model.access import Role
from hansei.model.links import is_unsafe_url
from tests.conftest import EXAMPLES
from tests.web.site import PASSWORDS, Site, post_markdown, user_name

SEARCH_WORD = "Pangolin"
PWNED = "__pwned"
WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"


@dataclass(frozen=True)
class Payload:
    name: str
    text: str
    shown: str = ""
    """What a reader must see where the text was typed (the text itself if empty)."""

    @property
    def visible(self) -> str:
        return self.shown or self.text

    @property
    def makes_links(self) -> bool:
        """Whether the text is itself Markdown links: CommonMark lets no link hold
        another, so a link whose text this is shows as text around the text's own."""
        return bool(re.search(r"\]\(", self.text))


PAYLOADS = (
    Payload("script-tag", "<script>window.__pwned=1</script>"),
    Payload("img-onerror", '<img src=x onerror="window.__pwned=1">'),
    Payload("double-quote-breakout", '"><svg onload=window.__pwned=1>'),
    Payload("single-quote-breakout", "' onmouseover='window.__pwned=1"),
    Payload("javascript-url", "javascript:window.__pwned=1"),
    Payload("markdown-link", "see [x](javascript:window.__pwned=1) now"),
    Payload(
        "markdown-links-disguised",
        "[a](JaVaScRiPt:window.__pwned=1) <javascript:window.__pwned=1> "
        "![i](javascript:window.__pwned=1) [b](jav&#x61;script:window.__pwned=1) "
        "[c](data:text/html,<script>window.__pwned=1</script>)",
        shown="[a](JaVaScRiPt:window.__pwned=1) <javascript:window.__pwned=1>",
    ),
    Payload("anchor-tag", '<a href="javascript:window.__pwned=1">click</a>'),
    # Markers around the expression: "49" alone may well be a time or part of an id.
    Payload("template", "calc:{{ 7*7 }}:end"),
    Payload(
        "closing-tags",
        "</textarea></title></pre></script></template><svg/onload=alert('__pwned')>",
    ),
)


def payload_named(name: str) -> Payload:
    return next(payload for payload in PAYLOADS if payload.name == name)


TEMPLATE = payload_named("template")
TEMPLATE_EVALUATED = "calc:49:end"

# Link URLs the model refuses: each would run code or open a document of its own.
REFUSED_LINK_URLS = (
    "javascript:window.__pwned=1",
    "JaVaScRiPt:window.__pwned=1",
    " java\tscript:window.__pwned=1",
    "vbscript:window.__pwned=1",
    "data:text/html,<script>window.__pwned=1</script>",
)
# Link URLs tried besides the payload itself: schemes in disguise that browsers read
# as relative paths, and URLs that carry a breakout (links to hover and click).
LINK_URLS = (
    "jav&#x61;script:window.__pwned=1",
    "javascript&colon;window.__pwned=1",
    'https://example.invalid/"onmouseover="window.__pwned=1',
    "#'onmouseover='window.__pwned=1",
)


def link_urls(text: str) -> tuple[str, ...]:
    """The URLs a link of the postmortem holding `text` gets: the text itself too,
    unless the model refuses it as a URL."""
    return LINK_URLS if is_unsafe_url(text) else (text, *LINK_URLS)


def postmortem_holding(payload: Payload) -> dict[str, Any]:
    """A postmortem whose every text field is the payload (the title also has a word to
    search for; the summary has it at a line's start, where Markdown starts blocks)."""
    text = payload.text

    def step() -> dict[str, Any]:
        return {"title": text, "details": [text]}

    def links() -> list[dict[str, Any]]:
        return [{"title": text, "url": url} for url in link_urls(text)]

    return {
        "title": f"{SEARCH_WORD} {text}",
        "date": "2025-03-01",
        "author": text,
        "reviewers": [text],
        "status": "draft",
        "language": "en",
        "timezone": "Asia/Tokyo",
        "summary": f"{text}\n{SEARCH_WORD} {text}",
        "times": {
            "occurred": "2025-03-01T10:00:00+09:00",
            "detected": "2025-03-01T10:05:00+09:00",
            "recovered": "2025-03-01T10:40:00+09:00",
        },
        "impact": {"services": [text], "users_affected": text, "severity": "high"},
        "slo": {"target": 0.999},
        "timeline": [
            {"at": "2025-03-01T10:05:00+09:00", "event": text, "actor": text, "action": text}
        ],
        "rca": {
            "direct_causes": [text],
            "analysis": text,
            "whys": [{"question": text, "answer": text}],
            "root_causes": [text],
        },
        "mitigation": [step()],
        "resolution": [step()],
        "went_well": [text],
        "went_wrong": [text],
        "learned": [text],
        "action_items": [
            {
                "horizon": "immediate",
                "task": text,
                "owner": text,
                "due": "2025-03-05",
                "status": "todo",
            }
        ],
        "prevention": {"process": [step()], "technical": [step()]},
        "related_docs": links(),
        "business_impact": {
            "users_affected": text,
            "failed_requests": text,
            "estimated_loss": text,
        },
        "reviews": [
            {"date": "2025-03-02", "reviewer": text, "comment": text, "status": "approved"}
        ],
        "appendix": {
            "logs": [{"title": text, "lang": text, "text": text}],
            "references": links(),
        },
        "extra_sections": [
            {"title": text, "level": 2, "body": text, "after": "timeline"},
            {"title": text, "level": 3, "body": f"{text}\n\n{text}", "after": "summary"},
        ],
    }


def second_revision(document: dict[str, Any], payload: Payload) -> dict[str, Any]:
    """A change that puts the payload into the diff the history page shows."""
    changed = copy.deepcopy(document)
    changed["summary"] = f"{document['summary']}\nrevised {payload.text}"
    changed["timeline"].append(
        {"at": "2025-03-01T10:40:00+09:00", "event": f"recovered {payload.text}", "action": "-"}
    )
    return changed


@pytest.fixture(scope="module")
def postmortem_ids(site: Site) -> dict[str, str]:
    """One postmortem per payload, each saved twice (its history has a diff)."""
    ids = {}
    with site.api(Role.author) as api:
        for payload in PAYLOADS:
            document = postmortem_holding(payload)
            created = api.post("/api/v1/postmortems", json={"postmortem": document})
            assert created.status_code == 201, created.text
            identifier: str = created.json()["id"]
            saved = api.put(
                f"/api/v1/postmortems/{identifier}",
                json={"base_revision": 1, "postmortem": second_revision(document, payload)},
            )
            assert saved.status_code == 200, saved.text
            ids[payload.name] = identifier
    return ids


def _only_this_site(site_url: str, route: Route) -> None:
    # A link to another site answers 204 No Content: the browser stays on the page,
    # so a click can be followed by a look at what the page ran.
    if route.request.url.startswith(site_url):
        route.continue_()
    else:
        route.fulfill(status=204)


@pytest.fixture(scope="module")
def signed_in(browser: Browser, site: Site) -> Iterator[BrowserContext]:
    """A browser signed in as the author through the login form, the CSP not enforced."""
    context = browser.new_context(base_url=site.url, bypass_csp=True, locale="en-US")
    context.route("**/*", lambda route: _only_this_site(site.url, route))
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=name]", user_name(Role.author))
    page.fill("input[name=password]", PASSWORDS[Role.author])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{site.url}/")
    page.close()
    yield context
    context.close()


@dataclass
class Tab:
    page: Page
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def tab(signed_in: BrowserContext) -> Iterator[Tab]:
    """A fresh page of the signed-in browser that notes every dialog it opens."""
    opened = Tab(signed_in.new_page())

    def note(dialog: Dialog) -> None:
        opened.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    opened.page.on("dialog", note)
    yield opened
    opened.page.close()


# What a page holds that text could have made. The app's pages use no inline
# handlers, inline scripts, images or frames (its CSP refuses the first two), so
# any of these on a page came from somebody's text.
_FIND_WHAT_TEXT_MADE = """
() => {
  const found = {handlers: [], scriptUrls: [], scripts: [], elements: []};
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name.startsWith("on")) {
        found.handlers.push(`<${element.localName} ${name}="${value}">`);
      }
      if (urlAttributes.includes(name)) {
        let scheme = "";
        try { scheme = new URL(value, document.baseURI).protocol; } catch (error) {}
        if (name === "srcdoc" || ["javascript:", "vbscript:"].includes(scheme)
            || /^\\s*data:text\\/html/i.test(value)) {
          found.scriptUrls.push(`<${element.localName} ${name}="${value}">`);
        }
      }
    }
  }
  for (const script of document.querySelectorAll("script")) {
    const source = script.getAttribute("src");
    const url = source ? new URL(source, document.baseURI) : null;
    const own = url !== null && url.origin === location.origin
      && /^\\/static\\/[\\w.-]+\\.js$/.test(url.pathname) && script.text.trim() === "";
    if (!own) found.scripts.push(script.outerHTML.slice(0, 200));
  }
  const made = "img, svg, math, iframe, frame, object, embed, base, meta[http-equiv]";
  // A standalone page states its own policy first thing in its head: hansei's, not text.
  const ownPolicy = document.head.firstElementChild?.nextElementSibling;
  for (const element of document.querySelectorAll(made)) {
    const isOwnPolicy = element === ownPolicy
      && element.getAttribute("http-equiv") === "Content-Security-Policy";
    if (!isOwnPolicy) found.elements.push(element.outerHTML.slice(0, 200));
  }
  return found;
}
"""

# Inline handlers run for synthetic events too: every element gets the events a
# reader's mouse and keyboard would send, reaching where no real hover goes.
_SEND_READER_EVENTS = """
() => {
  const mouse = ["mouseover", "mouseenter", "mousemove", "pointerover"];
  for (const element of document.querySelectorAll("*")) {
    for (const type of mouse) element.dispatchEvent(new MouseEvent(type, {bubbles: true}));
    for (const type of ["focus", "focusin"]) element.dispatchEvent(new FocusEvent(type));
  }
}
"""


def assert_nothing_ran(tab: Tab, where: str) -> None:
    page = tab.page
    found = page.evaluate(_FIND_WHAT_TEXT_MADE)
    assert found["handlers"] == [], f"{where}: text became event handlers"
    assert found["scriptUrls"] == [], f"{where}: text became script URLs"
    assert found["scripts"] == [], f"{where}: scripts other than the app's own /static/*.js"
    assert found["elements"] == [], f"{where}: text became elements"
    page.evaluate(_SEND_READER_EVENTS)
    assert page.evaluate(f"() => typeof window.{PWNED}") == "undefined", f"{where}: script ran"
    assert tab.dialogs == [], f"{where}: a dialog opened"


def exercise_links(tab: Tab, selector: str, where: str) -> int:
    """Hover and click each link `selector` finds; returns how many there were."""
    page = tab.page
    address = page.url.split("#")[0]
    count = page.locator(selector).count()
    for index in range(count):
        link = page.locator(selector).nth(index)
        href = link.get_attribute("href")
        link.hover()
        link.click()
        page.wait_for_load_state()
        assert page.evaluate(f"() => typeof window.{PWNED}") == "undefined", (
            f"{where}: clicking {href!r} ran a script"
        )
        # A relative URL typed as a link leads to a page of this site: that one must be
        # inert as well (an error page may show the path), then back to the document.
        if page.url.split("#")[0] != address:
            assert_nothing_ran(tab, f"{where}, following {href!r} to {page.url}")
            page.goto(address)
    assert tab.dialogs == [], f"{where}: a dialog opened"
    return count


def assert_template_not_evaluated(page: Page, where: str) -> None:
    assert TEMPLATE_EVALUATED not in page.content(), f"{where}: {{{{ 7*7 }}}} was evaluated"
    assert TEMPLATE.text in page.locator("body").inner_text(), (
        f"{where}: the typed {TEMPLATE.text!r} is not shown"
    )


def visible_text(page: Page) -> str:
    return page.locator("body").inner_text()


def open_page(tab: Tab, path: str) -> Response:
    response = tab.page.goto(path)
    assert response is not None, path
    assert response.ok, f"{path}: {response.status}"
    return response


# Pages that show one postmortem, and the links in them that came from its text.
DOCUMENT_PAGES = {
    "postmortem": ("/postmortems/{id}", ".doc-body a"),
    "history": ("/postmortems/{id}/history", None),
    "api-html": ("/api/v1/postmortems/{id}?format=html", "body a"),
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
@pytest.mark.parametrize("page_name", DOCUMENT_PAGES)
def test_a_postmortem_page_runs_none_of_its_text(
    tab: Tab, postmortem_ids: dict[str, str], payload: Payload, page_name: str
) -> None:
    path_template, link_selector = DOCUMENT_PAGES[page_name]
    path = path_template.format(id=postmortem_ids[payload.name])
    where = f"{page_name} page, {payload.name}"
    open_page(tab, path)
    assert payload.visible in visible_text(tab.page), f"{where}: the text did not arrive"
    assert_nothing_ran(tab, where)
    if link_selector is not None:
        # The https:// and #fragment URLs of LINK_URLS are accepted: links to follow.
        followed = exercise_links(tab, link_selector, where)
        if not payload.makes_links:
            assert followed >= 2, f"{where}: no links to follow"
    if payload is TEMPLATE:
        assert_template_not_evaluated(tab.page, where)


def editor_fields(payload: Payload) -> dict[str, str]:
    """The editor's fields and the text each must hold: what was typed, unchanged."""
    text = payload.text
    steps = f"{text}\n- {text}"
    return {
        "input[name=title]": f"{SEARCH_WORD} {text}",
        "input[name=author]": text,
        "input[name=reviewers]": text,
        "textarea[name=summary]": f"{text}\n{SEARCH_WORD} {text}\nrevised {text}",
        "input[name='impact.services']": text,
        "input[name='impact.users_affected']": text,
        "input[name='timeline.event']": text,
        "input[name='timeline.actor']": text,
        "input[name='timeline.action']": text,
        "textarea[name='rca.direct_causes']": text,
        "textarea[name='rca.analysis']": text,
        "input[name='why.question']": text,
        "input[name='why.answer']": text,
        "textarea[name='rca.root_causes']": text,
        "textarea[name=mitigation]": steps,
        "textarea[name=resolution]": steps,
        "textarea[name='prevention.process']": steps,
        "textarea[name='prevention.technical']": steps,
        "input[name='related.title']": text,
        "input[name='related.url']": link_urls(text)[0],
        "input[name='reference.title']": text,
        "input[name='reference.url']": link_urls(text)[0],
        "textarea[name=went_well]": text,
        "textarea[name=went_wrong]": text,
        "textarea[name=learned]": text,
        "input[name='action.task']": text,
        "input[name='action.owner']": text,
        "input[name='business_impact.users_affected']": text,
        "input[name='business_impact.failed_requests']": text,
        "input[name='business_impact.estimated_loss']": text,
        "input[name='log.title']": text,
        "input[name='log.lang']": text,
        "textarea[name='log.text']": text,
        "input[name='extra.title']": text,
        "textarea[name='extra.body']": text,
    }


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_the_editor_runs_none_of_the_text_it_edits(
    tab: Tab, postmortem_ids: dict[str, str], payload: Payload
) -> None:
    page = tab.page
    where = f"editor, {payload.name}"
    # The editor's script sends the form for live figures and findings as it opens.
    with page.expect_response("**/postmortems/preview") as previewed:
        open_page(tab, f"/postmortems/{postmortem_ids[payload.name]}/edit")
    assert previewed.value.ok, f"{where}: the preview failed: {previewed.value.text()}"
    page.locator("#live-figures div").first.wait_for()
    for selector, typed in editor_fields(payload).items():
        value = page.locator(selector).first.input_value()
        assert value == typed, f"{where}: {selector} holds {value!r}"
    assert payload.text in page.locator("h1").inner_text(), f"{where}: the title is not shown"
    assert_nothing_ran(tab, where)
    # Rows added by the script are clones of the page's templates: they must be inert too.
    for button in page.locator("button[data-add-row]").all():
        button.click()
    edited = f"{payload.text} edited"
    with page.expect_response(
        lambda response: (
            response.url.endswith("/postmortems/preview")
            and edited in (response.request.post_data or "")
        )
    ):
        page.locator("input[name='why.question']").first.fill(edited)
    assert_nothing_ran(tab, f"{where}, after editing")


SHARED_PAGES = {
    "list": "/",
    "search": f"/?q={SEARCH_WORD}",
    "actions": "/actions",
}


@pytest.mark.usefixtures("postmortem_ids")
@pytest.mark.parametrize("page_name", SHARED_PAGES)
def test_pages_of_every_postmortem_run_none_of_their_text(tab: Tab, page_name: str) -> None:
    open_page(tab, SHARED_PAGES[page_name])
    text = visible_text(tab.page)
    missing = [p.name for p in PAYLOADS if p.visible not in text]
    assert missing == [], f"{page_name} page: the text of {missing} did not arrive"
    assert_nothing_ran(tab, f"{page_name} page")
    # Their links lead to the app's own pages; the text is in the links, so hover them.
    for link in tab.page.locator("main a").all():
        link.hover()
    assert_nothing_ran(tab, f"{page_name} page, hovered")
    assert_template_not_evaluated(tab.page, f"{page_name} page")


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_the_markdown_export_is_downloaded_not_shown(
    tab: Tab, postmortem_ids: dict[str, str], payload: Payload
) -> None:
    page = tab.page
    identifier = postmortem_ids[payload.name]
    where = f"Markdown export, {payload.name}"
    open_page(tab, f"/postmortems/{identifier}")
    with page.expect_download() as downloading:
        page.click(f"a[href='/postmortems/{identifier}/export.md']")
    download = downloading.value
    assert download.suggested_filename.endswith(".md")
    exported = download.path().read_text(encoding="utf-8")
    # Markdown is the text as typed: it is safe because no browser renders it.
    assert payload.text in exported, f"{where}: the text is not in the file"
    response = page.request.get(f"/postmortems/{identifier}/export.md")
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert_nothing_ran(tab, where)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/?q={SEARCH_WORD}",
        "/postmortems/{id}",
        "/postmortems/{id}/edit",
        "/postmortems/{id}/history",
        "/postmortems/{id}/export.md",
        "/actions",
        "/api/v1/postmortems/{id}?format=html",
    ],
)
def test_pages_send_a_content_security_policy(
    signed_in: BrowserContext, postmortem_ids: dict[str, str], path: str
) -> None:
    response = signed_in.request.get(path.format(id=postmortem_ids["script-tag"]))
    assert response.ok, response.status
    policy = response.headers.get("content-security-policy", "")
    directives = {
        name: value
        for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))
        if name
    }
    # Scripts come from the app alone (or not at all), never from the page itself.
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts in ("'self'", "'none'"), f"{path}: {policy!r}"
    objects = directives.get("object-src", directives.get("default-src"))
    assert objects == "'none'", f"{path}: {policy!r}"
    assert directives.get("base-uri") == "'none'", f"{path}: {policy!r}"


def test_the_browser_would_run_an_inline_handler_on_the_app_s_pages(tab: Tab) -> None:
    """The premise of the others: with the CSP bypassed, only escaping stands in the way."""
    open_page(tab, "/")
    ran = tab.page.evaluate(
        """() => {
          const probe = document.createElement("button");
          probe.setAttribute("onclick", "window.__inline_ran = 1");
          document.body.append(probe);
          probe.click();
          return window.__inline_ran === 1;
        }"""
    )
    assert ran


# Where each payload would run had it been written into the page unescaped: in text,
# in a double- or single-quoted attribute, in a textarea.
UNESCAPED = {
    "script-tag": "<p>{}</p>",
    "img-onerror": "<p>{}</p>",
    "double-quote-breakout": '<input value="{}">',
    "single-quote-breakout": "<input value='{}'>",
    "anchor-tag": "<p>{}</p>",
    "closing-tags": "<textarea>{}</textarea>",
}


@pytest.mark.parametrize(("name", "markup"), UNESCAPED.items(), ids=list(UNESCAPED))
def test_the_checks_catch_text_that_was_not_escaped(tab: Tab, name: str, markup: str) -> None:
    """Were escaping forgotten, the checks above would notice: they can fail."""
    payload = payload_named(name)
    tab.page.set_content(markup.format(payload.text))
    with pytest.raises(AssertionError):
        assert_nothing_ran(tab, "a page with the text unescaped")


def test_the_checks_catch_an_evaluated_template(tab: Tab) -> None:
    tab.page.set_content(f"<p>{TEMPLATE_EVALUATED}</p>")
    with pytest.raises(AssertionError):
        assert_template_not_evaluated(tab.page, "a page with the template evaluated")


# The payload as a browser shows it: text, with its angle brackets escaped in the source.
SCRIPT_TAG = payload_named("script-tag")
ESCAPED_SCRIPT_TAG = "&lt;script&gt;window.__pwned=1&lt;/script&gt;"


@pytest.mark.parametrize(
    ("path", "at_least"),
    [
        # Some 30 fields, and links shown as text with their URL: over 50 places in all.
        ("/postmortems/{id}", 50),
        ("/api/v1/postmortems/{id}?format=html", 50),
        # The title, and the diff's changed summary and timeline lines.
        ("/postmortems/{id}/history", 3),
        # The title and the service (in its column or snippet, and in the filter).
        (f"/?q={SEARCH_WORD}", 2),
        ("/", 2),
        # Task, owner and the postmortem's title.
        ("/actions", 3),
    ],
)
def test_typed_markup_is_shown_as_text(
    tab: Tab, postmortem_ids: dict[str, str], path: str, at_least: int
) -> None:
    """The other tests would pass on a page that dropped the text: this one shows it arrived."""
    open_page(tab, path.format(id=postmortem_ids[SCRIPT_TAG.name]))
    shown = visible_text(tab.page).count(SCRIPT_TAG.text)
    assert shown >= at_least, f"{path}: the script tag is shown {shown} times"
    assert ESCAPED_SCRIPT_TAG in tab.page.content()


@pytest.mark.usefixtures("postmortem_ids")
@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "path",
    [
        "/?q={text}",
        "/?service={text}",
        "/actions?owner={text}",
        "/login?next=/{text}",
        "/postmortems/{text}",
        "/postmortems/{text}/history",
    ],
)
def test_text_typed_into_an_address_runs_nowhere(tab: Tab, payload: Payload, path: str) -> None:
    response = tab.page.goto(path.format(text=quote(payload.text, safe="")))
    assert response is not None
    assert_nothing_ran(tab, f"{path}, {payload.name}")


# A document uploaded as Markdown reaches the model by the parser, not by JSON: raw HTML
# blocks and a section the template does not know are kept, to be shown again.
UPLOADED_TITLE = "# ポストモーテム: Pangolin <script>window.__pwned=1</script>"
UPLOADED_LINK = '- [<img src=x onerror="window.__pwned=1">](javascript:window.__pwned=1)'
UPLOADED_SECTION = """
## Notes <svg onload=window.__pwned=1>

<script>window.__pwned=1</script>

<div onmouseover="window.__pwned=1">hover me</div>

<a href="javascript:window.__pwned=1">click</a> and [x](javascript:window.__pwned=1)

<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>

calc:{{ 7*7 }}:end
"""


@pytest.fixture(scope="module")
def uploaded_id(site: Site) -> str:
    lines = WALK.read_text(encoding="utf-8").splitlines()
    lines[0] = UPLOADED_TITLE
    related = lines.index("## 関連ドキュメント")
    lines.insert(related + 2, UPLOADED_LINK)
    return post_markdown(site, "\n".join(lines) + "\n" + UPLOADED_SECTION)


@pytest.mark.parametrize(
    "path",
    ["/postmortems/{id}", "/api/v1/postmortems/{id}?format=html", "/postmortems/{id}/edit"],
)
def test_html_in_an_uploaded_markdown_document_runs_nowhere(
    tab: Tab, uploaded_id: str, path: str
) -> None:
    open_page(tab, path.format(id=uploaded_id))
    page = tab.page
    if path.endswith("/edit"):
        shown = page.locator("textarea[name='extra.body']").last.input_value()
        assert shown == UPLOADED_SECTION.split("\n", 3)[3].strip()
    else:
        text = visible_text(page)
        for typed in ('<div onmouseover="window.__pwned=1">hover me</div>', UPLOADED_LINK[2:]):
            assert typed in text, f"{path}: {typed!r} is not shown as text"
        assert_template_not_evaluated(page, path)
    assert_nothing_ran(tab, path)


def submit_editor(page: Page) -> int:
    """Save the editor's form; returns the status of the page that answers it."""
    # The editor's live preview POSTs too, by fetch: the form's answer is a document.
    with page.expect_response(
        lambda response: (
            response.request.method == "POST" and response.request.resource_type == "document"
        )
    ) as answered:
        page.click("form#editor button[type=submit]")
    page.wait_for_load_state()
    return answered.value.status


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_a_refused_form_shows_the_typed_text_back_inert(tab: Tab, payload: Payload) -> None:
    page = tab.page
    where = f"refused new postmortem, {payload.name}"
    open_page(tab, "/postmortems/new")
    page.fill("input[name=title]", payload.text)
    page.fill("textarea[name=summary]", payload.text)
    # Fields the form cannot read: the refusal quotes what was typed in them.
    page.fill("input[name='slo.target']", payload.text)
    page.locator("input[name='action.number']").first.fill(payload.text)
    assert submit_editor(page) == 422, where
    assert page.locator("#form-errors").is_visible(), f"{where}: no errors shown"
    assert page.input_value("input[name=title]") == payload.text, where
    assert page.input_value("input[name='slo.target']") == payload.text, where
    assert_nothing_ran(tab, where)


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_a_conflicting_save_shows_the_typed_text_back_inert(
    tab: Tab, site: Site, payload: Payload
) -> None:
    page = tab.page
    where = f"conflicting save, {payload.name}"
    document = postmortem_holding(payload)
    with site.api(Role.author) as api:
        created = api.post("/api/v1/postmortems", json={"postmortem": document})
        assert created.status_code == 201, created.text
        identifier = created.json()["id"]
        open_page(tab, f"/postmortems/{identifier}/edit")
        # Somebody else saves while the editor is open.
        saved = api.put(
            f"/api/v1/postmortems/{identifier}",
            json={"base_revision": 1, "postmortem": second_revision(document, payload)},
        )
        assert saved.status_code == 200, saved.text
    mine = f"{payload.text} mine"
    page.fill("textarea[name=summary]", mine)
    assert submit_editor(page) == 409, where
    # The editor now holds the saved version; mine is kept as revision 3.
    saved_summary = second_revision(document, payload)["summary"]
    assert page.input_value("textarea[name=summary]") == saved_summary, where
    assert_nothing_ran(tab, where)
    open_page(tab, f"/postmortems/{identifier}/history?old=2&new=3")
    assert mine in visible_text(page), f"{where}: the kept revision is not in the diff"
    assert_nothing_ran(tab, f"{where}, history")


# The account page shows the labels its user gives API tokens (at most 100 characters).
TOKEN_LABEL_PAYLOADS = [p for p in PAYLOADS if len(p.text) <= 100]


@pytest.mark.parametrize("payload", TOKEN_LABEL_PAYLOADS, ids=lambda p: p.name)
def test_an_api_token_label_runs_nowhere(tab: Tab, payload: Payload) -> None:
    page = tab.page
    where = f"account page, token label {payload.name}"
    open_page(tab, "/account")
    page.fill("input[name=label]", payload.text)
    page.fill("form[action='/account/tokens'] input[name=password]", PASSWORDS[Role.author])
    page.click("form[action='/account/tokens'] button[type=submit]")
    page.wait_for_load_state()
    assert payload.text in visible_text(page), f"{where}: the label is not shown"
    assert_nothing_ran(tab, where)
    open_page(tab, "/account")
    assert_nothing_ran(tab, where)


@pytest.mark.parametrize("url", REFUSED_LINK_URLS)
def test_links_that_run_code_are_refused_by_the_api_and_the_editor(site: Site, url: str) -> None:
    document = {"title": "Links", "related_docs": [{"title": "runbook", "url": url}]}
    with site.api(Role.author) as api:
        refused = api.post("/api/v1/postmortems", json={"postmortem": document})
    assert refused.status_code == 422
    assert refused.json()["field"] == "postmortem.related_docs[0].url"
    browser = site.browser(Role.author)
    form = browser.post_form(
        "/postmortems/new", {"title": "Links", "reference.title": "runbook", "reference.url": url}
    )
    assert form.status_code == 422
    assert "a link may not use javascript:" in form.text


def test_a_link_that_runs_code_in_uploaded_markdown_stays_text(site: Site) -> None:
    markdown = (
        "# ポストモーテム: Links\n\n## 概要\n\nok\n\n## 関連ドキュメント\n\n"
        "- [runbook](javascript:window.__pwned=1)\n"
    )
    identifier = post_markdown(site, markdown)
    with site.api(Role.viewer) as api:
        stored = api.get(f"/api/v1/postmortems/{identifier}").json()
    assert stored["postmortem"]["related_docs"] == [
        {"title": "[runbook](javascript:window.__pwned=1)", "url": None}
    ]
