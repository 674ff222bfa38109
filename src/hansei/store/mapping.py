"""Model <-> rows: what a save writes besides the document itself."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from hansei.errors import DocumentError, UnreadableDocumentError
from hansei.metrics import computed_downtime, key_times
from hansei.model import Postmortem
from hansei.model.reviews import person
from hansei.store.search_text import SearchText, bigram_tokens, bigram_vector, search_text


@dataclass(frozen=True)
class PreparedDocument:
    """Everything a save writes, computed without the database.

    Import prepares documents in worker processes, so the one process that
    writes does little more than run the SQL (and is sent no model to rebuild:
    the columns and the document say all a write needs).
    """

    document: dict[str, Any]
    digest: str
    columns: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]
    search: SearchText
    bigrams: tuple[str, str] | None
    """The bigram tokens of title and body, for SQLite's short-term index."""
    bigram_vector: str | None
    """PostgreSQL's bigram index of title and body (tsvector input)."""


def prepare(postmortem: Postmortem, *, dialect: str = "sqlite") -> PreparedDocument:
    """What a save to a database of `dialect` writes (each keeps its own bigram index);
    DocumentError if the document would not read back, so that the store never holds
    what it cannot read (a model built with `model_copy` skips checks)."""
    document = postmortem.to_json_dict()
    try:
        postmortem_from_document(document)
    except UnreadableDocumentError as error:
        raise DocumentError(
            f"the document cannot be stored: {error.problem}", field=error.field
        ) from error
    text = search_text(postmortem, document)
    sqlite = dialect == "sqlite"
    return PreparedDocument(
        document=document,
        digest=content_hash(document),
        columns=summary_columns(postmortem),
        children=child_rows(postmortem),
        search=text,
        bigrams=(bigram_tokens(text.title), bigram_tokens(text.body)) if sqlite else None,
        bigram_vector=None if sqlite else bigram_vector(text.title, text.body),
    )


def content_hash(document: dict[str, Any]) -> str:
    """The same document gives the same hash, whatever the order its keys came in."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def postmortem_from_document(
    document: dict[str, Any], *, postmortem_id: str | None = None, revision: int | None = None
) -> Postmortem:
    try:
        return Postmortem.model_validate(document)
    except ValidationError as error:
        problem = error.errors()[0]
        raise UnreadableDocumentError(
            postmortem_id, revision, problem["msg"], _path(tuple(problem["loc"])) or None
        ) from None


def _path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def summary_columns(postmortem: Postmortem) -> dict[str, Any]:
    """The columns of `postmortems` that filters and sorting use."""
    times = key_times(postmortem)
    return {
        "title": postmortem.title,
        "status": postmortem.status.value,
        "severity": postmortem.impact.severity.value if postmortem.impact.severity else None,
        "language": postmortem.language.value,
        "author": postmortem.author,
        "occurred_at": times.occurred,
        "detected_at": times.detected,
        "recovered_at": times.recovered,
        "resolved_at": times.resolved,
        "downtime_minutes": computed_downtime(postmortem),
    }


def child_rows(postmortem: Postmortem) -> dict[str, list[dict[str, Any]]]:
    """The rows of each derived table, keyed by table name (without the postmortem id)."""
    return {
        "postmortem_services": [
            {"service": service} for service in dict.fromkeys(postmortem.impact.services)
        ],
        "timeline_events": [
            {
                "position": position,
                "at": row.at,
                "event": row.event,
                "actor": row.actor,
                "action": row.action,
            }
            for position, row in enumerate(postmortem.timeline)
        ],
        "action_items": [
            {
                "position": position,
                "number": item.number,
                "horizon": item.horizon.value if item.horizon else None,
                "task": item.task,
                "owner": item.owner,
                "due": item.due,
                "status": item.status.value if item.status else None,
                "issue_url": item.issue_url,
            }
            for position, item in enumerate(postmortem.action_items)
        ],
        "reviews": [
            {
                "position": position,
                "date": review.date,
                "reviewer": review.reviewer,
                "comment": review.comment,
                "status": review.status.value if review.status else None,
            }
            for position, review in enumerate(postmortem.reviews)
        ],
        "postmortem_reviewers": [
            {"reviewer_key": key}
            for key in dict.fromkeys(person(name) for name in postmortem.reviewers)
            if key
        ],
    }
