"""Slack incoming webhooks: a message is JSON with a fallback `text` and `blocks`.

https://api.slack.com/messaging/webhooks — mrkdwn needs &, < and > escaped, and a
link is written <url|text>.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from hansei.errors import HanseiError

TIMEOUT_SECONDS = 10.0


class DeliveryError(HanseiError):
    """The peer did not take what was sent."""


@dataclass(frozen=True)
class Line:
    text: str
    url: str
    detail: str


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message(title: str, summary: str, sections: list[tuple[str, list[Line]]]) -> dict[str, Any]:
    """A message: a header, then a section per non-empty group of linked lines."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}}
    ]
    for heading, lines in sections:
        if not lines:
            continue
        items = "\n".join(
            f"• <{line.url}|{escape(line.text)}> — {escape(line.detail)}" for line in lines
        )
        # A section's text holds at most 3,000 characters.
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{escape(heading)}*\n{items}"[:3000]},
            }
        )
    return {"text": summary, "blocks": blocks}


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
