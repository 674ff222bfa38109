"""Slack incoming webhooks: a message is JSON with a fallback `text` and `blocks`.

https://api.slack.com/messaging/webhooks — mrkdwn needs &, < and > escaped, and a
link is written <url|text>.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from hansei.errors import DeliveryError

TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Line:
    text: str
    url: str
    detail: str


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


SECTION_LIMIT = 3000
BLOCK_LIMIT = 50


def message(title: str, summary: str, sections: list[tuple[str, list[Line]]]) -> dict[str, Any]:
    """A message: a header, then each non-empty group of linked lines in sections of whole
    lines (a section holds 3,000 characters, a message 50 blocks: what does not fit is
    counted in a last line)."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}}
    ]
    texts: list[str] = []
    left_out = 0
    for heading, lines in sections:
        if not lines:
            continue
        text = f"*{escape(heading)}*"
        for line in lines:
            entry = f"• <{line.url}|{escape(line.text)}> — {escape(line.detail)}"
            if len(text) + 1 + len(entry) > SECTION_LIMIT:
                texts.append(text)
                text = ""
            text = f"{text}\n{entry}" if text else entry
        texts.append(text)
    room = BLOCK_LIMIT - 2
    if len(texts) > room + 1:
        left_out = sum(text.count("\n• ") + text.startswith("• ") for text in texts[room:])
        texts = [*texts[:room], f"…and {left_out} more"]
    blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": t}} for t in texts]
    # The fallback text is mrkdwn too: a typed "<!channel>" must not notify anyone.
    return {"text": escape(summary), "blocks": blocks}


def post(webhook_url: str, payload: dict[str, Any], *, client: httpx.Client | None = None) -> None:
    """Post one message; DeliveryError unless Slack answers 200."""
    try:
        if client is not None:
            response = client.post(webhook_url, json=payload)
        else:
            response = httpx.post(webhook_url, json=payload, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        raise DeliveryError(f"Slack webhook: {error}") from error
    if response.status_code != 200:
        raise DeliveryError(
            f"Slack webhook answered {response.status_code}: {response.text.strip()[:200]}"
        )
