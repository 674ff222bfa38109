"""Reads and writes of postmortems and their revisions, inside a caller's transaction.

The services own the transactions; every function here takes the open session.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hansei.errors import NotFoundError
from hansei.model import Postmortem
from hansei.store import action_changes, search_index
from hansei.store.mapping import PreparedDocument, postmortem_from_document, prepare
from hansei.store.tables import (
    CHILD_TABLES,
    Base,
    PostmortemCountRow,
    PostmortemRow,
    ReviewerRow,
    RevisionRow,
    table_of,
)

# Core tables: writes skip the ORM's unit of work, which import would pay per row.
_POSTMORTEMS = table_of(PostmortemRow)
_REVISIONS = table_of(RevisionRow)
# Built once: a statement made anew for every row costs more than running it.
_INSERT_POSTMORTEM = sa.insert(_POSTMORTEMS)
_INSERT_REVISION = sa.insert(_REVISIONS)
_INSERT_CHILD = {row_class: sa.insert(table_of(row_class)) for row_class in CHILD_TABLES}
_COUNTS = table_of(PostmortemCountRow)


def _adding_to_count(insert: postgresql.Insert | sqlite.Insert) -> sa.Insert:
    counted = insert.values(
        status=sa.bindparam("counted_status"), postmortems=sa.bindparam("added")
    )
    return counted.on_conflict_do_update(
        index_elements=[_COUNTS.c.status],
        set_={"postmortems": _COUNTS.c.postmortems + counted.excluded.postmortems},
    )


_ADD_TO_COUNT = {
    "postgresql": _adding_to_count(postgresql.insert(_COUNTS)),
    "sqlite": _adding_to_count(sqlite.insert(_COUNTS)),
}


@dataclass(frozen=True)
class StoredPostmortem:
    id: str
    revision: int
    postmortem: Postmortem
    content_hash: str
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True)
class RevisionInfo:
    number: int
    kind: str
    based_on: int | None
    created_at: dt.datetime
    created_by: str
    note: str | None
    current: bool


@dataclass(frozen=True)
class WriteResult:
    """What a write did: `created`, `updated`, `unchanged` or `conflict`."""

    postmortem_id: str
    outcome: str
    revision: int
    current_revision: int


def new_id() -> str:
    return uuid.uuid4().hex


def normalise_id(value: str) -> str | None:
    """A postmortem id as stored (32 hex digits), or None if `value` is not one."""
    try:
        return uuid.UUID(value.strip()).hex
    except ValueError:
        return None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def exists(session: Session, postmortem_id: str) -> bool:
    found = session.execute(
        sa.select(PostmortemRow.id).where(PostmortemRow.id == postmortem_id)
    ).first()
    return found is not None


def _prepared(session: Session, document: Postmortem | PreparedDocument) -> PreparedDocument:
    if isinstance(document, PreparedDocument):
        return document
    return prepare(document, dialect=session.get_bind().dialect.name)


def create(
    session: Session,
    postmortem: Postmortem | PreparedDocument,
    *,
    user: str,
    postmortem_id: str | None = None,
    kind: str = "save",
    note: str | None = None,
) -> WriteResult:
    postmortem_id = postmortem_id or new_id()
    # One postmortem is a batch of one: both write exactly the same rows.
    create_many(
        session,
        [NewPostmortem(postmortem_id, _prepared(session, postmortem), note)],
        user=user,
        kind=kind,
    )
    return WriteResult(postmortem_id, "created", 1, 1)


@dataclass(frozen=True)
class NewPostmortem:
    """One of the postmortems `create_many` writes."""

    postmortem_id: str
    prepared: PreparedDocument
    note: str | None


def create_many(
    session: Session, documents: list[NewPostmortem], *, user: str, kind: str = "save"
) -> None:
    """New postmortems, as `create` writes each, in a few statements for all of them:
    each table's rows go in at once (one round trip, not one for each row)."""
    if not documents:
        return
    now = _now()
    connection = session.connection()
    connection.execute(
        _INSERT_POSTMORTEM,
        [
            {
                "id": item.postmortem_id,
                "document": item.prepared.document,
                "content_hash": item.prepared.digest,
                "revision": 1,
                "last_revision": 1,
                "created_at": now,
                "created_by": user,
                "updated_at": now,
                "updated_by": user,
                **item.prepared.columns,
            }
            for item in documents
        ],
    )
    connection.execute(
        _INSERT_REVISION,
        [
            {
                "postmortem_id": item.postmortem_id,
                "number": 1,
                "kind": kind,
                "based_on": None,
                "document": item.prepared.document,
                "content_hash": item.prepared.digest,
                "created_at": now,
                "created_by": user,
                "note": item.note,
            }
            for item in documents
        ],
    )
    for row_class in CHILD_TABLES:
        rows = [
            row
            for item in documents
            for row in _child_rows(row_class, item.postmortem_id, item.prepared, now)
        ]
        if rows:
            connection.execute(_INSERT_CHILD[row_class], rows)
    search_index.write_many(session, [(item.postmortem_id, item.prepared) for item in documents])
    _count(session, Counter(item.prepared.columns["status"] for item in documents))


def update(
    session: Session,
    postmortem_id: str,
    postmortem: Postmortem | PreparedDocument,
    *,
    user: str,
    base_revision: int | None,
    kind: str = "save",
    note: str | None = None,
) -> WriteResult:
    """A new revision; with `base_revision` given, only if that is still the current one.

    A stale update is kept as a `conflict` revision (not current) so nothing typed
    is lost; the caller commits and reports it.
    """
    prepared = _prepared(session, postmortem)
    document, digest = prepared.document, prepared.digest
    current = session.execute(
        sa.select(PostmortemRow.revision, PostmortemRow.content_hash).where(
            PostmortemRow.id == postmortem_id
        )
    ).first()
    if current is None:
        raise NotFoundError(f"no postmortem {postmortem_id}")
    if digest == current.content_hash:
        # Whatever it started from, it reads as the current revision does: no conflict.
        return WriteResult(postmortem_id, "unchanged", current.revision, current.revision)
    # Taking the next number locks the row (PostgreSQL) before the current revision
    # is compared, so two writers cannot both pass the check.
    number, current_revision, stored_status = session.execute(
        sa.update(PostmortemRow)
        .where(PostmortemRow.id == postmortem_id)
        .values(last_revision=PostmortemRow.last_revision + 1)
        .returning(PostmortemRow.last_revision, PostmortemRow.revision, PostmortemRow.status)
    ).one()
    now = _now()
    if base_revision is not None and base_revision != current_revision:
        _add_revision(
            session, postmortem_id, number, "conflict", base_revision, document, digest, now,
            user, note,
        )  # fmt: skip
        return WriteResult(postmortem_id, "conflict", number, current_revision)
    session.execute(
        sa.update(PostmortemRow)
        .where(PostmortemRow.id == postmortem_id)
        .values(
            document=document,
            content_hash=digest,
            revision=number,
            updated_at=now,
            updated_by=user,
            **prepared.columns,
        )
    )
    _add_revision(
        session, postmortem_id, number, kind, current_revision, document, digest, now, user, note
    )
    action_changes.record(
        session, postmortem_id, prepared.children["action_items"], user=user, now=now
    )
    _write_children(session, postmortem_id, prepared, now, replace=True)
    search_index.write(session, postmortem_id, prepared, replace=True)
    status = prepared.columns["status"]
    if status != stored_status:
        _count(session, Counter({stored_status: -1, status: 1}))
    return WriteResult(postmortem_id, "updated", number, number)


def _count(session: Session, added: Counter[str]) -> None:
    """Add to the postmortems counted in each status. In the order of the statuses'
    names: two writers moving postmortems in opposite directions lock the same rows
    in the same order, and one waits for the other rather than neither going on."""
    statement = _ADD_TO_COUNT[session.get_bind().dialect.name]
    for status in sorted(added):
        session.execute(statement, {"counted_status": status, "added": added[status]})


def _add_revision(
    session: Session,
    postmortem_id: str,
    number: int,
    kind: str,
    based_on: int | None,
    document: dict[str, Any],
    digest: str,
    now: dt.datetime,
    user: str,
    note: str | None,
) -> None:
    session.execute(
        _INSERT_REVISION,
        {
            "postmortem_id": postmortem_id,
            "number": number,
            "kind": kind,
            "based_on": based_on,
            "document": document,
            "content_hash": digest,
            "created_at": now,
            "created_by": user,
            "note": note,
        },
    )


def _child_rows(
    row_class: type[Base], postmortem_id: str, prepared: PreparedDocument, now: dt.datetime
) -> list[dict[str, Any]]:
    rows = [
        {**row, "postmortem_id": postmortem_id}
        for row in prepared.children[row_class.__tablename__]
    ]
    if row_class is ReviewerRow:
        # What "waiting for my review" sorts and counts by, beside who is asked.
        status = prepared.columns["status"]
        rows = [{**row, "status": status, "updated_at": now} for row in rows]
    return rows


def _write_children(
    session: Session,
    postmortem_id: str,
    prepared: PreparedDocument,
    now: dt.datetime,
    *,
    replace: bool,
) -> None:
    for row_class in CHILD_TABLES:
        table = table_of(row_class)
        if replace:
            session.execute(sa.delete(table).where(table.c.postmortem_id == postmortem_id))
        rows = _child_rows(row_class, postmortem_id, prepared, now)
        if rows:
            session.execute(_INSERT_CHILD[row_class], rows)


def get(session: Session, postmortem_id: str, *, for_update: bool = False) -> StoredPostmortem:
    """The current revision; `for_update` locks its row until the transaction ends
    (PostgreSQL; SQLite's writers hold the whole database already), for a writer that
    checks what is stored before it writes."""
    row = session.get(PostmortemRow, postmortem_id, with_for_update=for_update)
    if row is None:
        raise NotFoundError(f"no postmortem {postmortem_id}")
    return StoredPostmortem(
        id=row.id,
        revision=row.revision,
        postmortem=postmortem_from_document(
            row.document, postmortem_id=row.id, revision=row.revision
        ),
        content_hash=row.content_hash,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


@dataclass(frozen=True)
class Head:
    """What names a postmortem's current revision, without its document."""

    id: str
    revision: int
    content_hash: str
    updated_at: dt.datetime
    updated_by: str


_HEAD = sa.select(
    PostmortemRow.id,
    PostmortemRow.revision,
    PostmortemRow.content_hash,
    PostmortemRow.updated_at,
    PostmortemRow.updated_by,
).where(PostmortemRow.id == sa.bindparam("id"))


def head(session: Session, postmortem_id: str) -> Head | None:
    row = session.execute(_HEAD, {"id": postmortem_id}).first()
    return None if row is None else Head(*row)


def resolve_id(session: Session, reference: str) -> str:
    """The full id of a postmortem named by its id or an unambiguous prefix of it."""
    wanted = normalise_id(reference)
    if wanted is not None and exists(session, wanted):
        return wanted
    prefix = reference.strip().lower().replace("-", "")
    if len(prefix) >= 4 and all(c in "0123456789abcdef" for c in prefix):
        found = session.scalars(
            sa.select(PostmortemRow.id).where(PostmortemRow.id.startswith(prefix)).limit(2)
        ).all()
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise NotFoundError(f"{reference!r} names more than one postmortem; give more of it")
    elif len(prefix) < 4:
        raise NotFoundError(f"no postmortem {reference!r} (give at least 4 characters of an id)")
    raise NotFoundError(f"no postmortem {reference!r}")


def find_by_title_and_detection(
    session: Session, title: str | None, detected: dt.datetime | None
) -> str | None:
    if not title or detected is None:
        return None
    return session.scalars(
        sa.select(PostmortemRow.id)
        .where(PostmortemRow.title == title, PostmortemRow.detected_at == detected)
        .order_by(PostmortemRow.created_at)
        .limit(1)
    ).first()


def existing_ids(session: Session, ids: list[str]) -> set[str]:
    """Those of `ids` that name a stored postmortem."""
    if not ids:
        return set()
    return set(session.scalars(sa.select(PostmortemRow.id).where(PostmortemRow.id.in_(ids))))


def first_by_title_and_detection(
    session: Session, wanted: list[tuple[str | None, dt.datetime | None]]
) -> dict[tuple[str, dt.datetime], str]:
    """`find_by_title_and_detection` for many at once: each (title, detection time)
    that names a stored postmortem, with the one it names."""
    titles = sorted({title for title, detected in wanted if title and detected is not None})
    if not titles:
        return {}
    found: dict[tuple[str, dt.datetime], str] = {}
    rows = session.execute(
        sa.select(PostmortemRow.id, PostmortemRow.title, PostmortemRow.detected_at)
        .where(PostmortemRow.title.in_(titles), PostmortemRow.detected_at.is_not(None))
        .order_by(PostmortemRow.created_at)
    )
    for row in rows:
        found.setdefault((row.title, row.detected_at), row.id)
    return found


def first_by_content(session: Session, digests: list[str]) -> dict[str, str]:
    """`find_by_content` for many at once: each digest that a postmortem holds now,
    with that postmortem."""
    if not digests:
        return {}
    found: dict[str, str] = {}
    rows = session.execute(
        sa.select(PostmortemRow.id, PostmortemRow.content_hash)
        .where(PostmortemRow.content_hash.in_(sorted(set(digests))))
        .order_by(PostmortemRow.created_at)
    )
    for row in rows:
        found.setdefault(row.content_hash, row.id)
    return found


def find_by_content(session: Session, digest: str) -> str | None:
    """A postmortem whose current revision is exactly this document."""
    return session.scalars(
        sa.select(PostmortemRow.id)
        .where(PostmortemRow.content_hash == digest)
        .order_by(PostmortemRow.created_at)
        .limit(1)
    ).first()


def lock_for_matching(session: Session, key: str) -> None:
    """On PostgreSQL, serialise writers that would match the same document, so two
    imports of one new file cannot both create it (SQLite's writers queue anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))


def lock_many_for_matching(session: Session, keys: list[str]) -> None:
    """`lock_for_matching` for many keys in one statement, taken in sorted order so
    that two imports of overlapping files wait for each other rather than deadlock."""
    if keys and session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.text(
                "SELECT count(pg_advisory_xact_lock(hashtext(key))) "
                "FROM unnest(CAST(:keys AS text[])) AS key"
            ),
            {"keys": sorted(set(keys))},
        )


def history(session: Session, postmortem_id: str) -> list[RevisionInfo]:
    current = session.scalar(
        sa.select(PostmortemRow.revision).where(PostmortemRow.id == postmortem_id)
    )
    if current is None:
        raise NotFoundError(f"no postmortem {postmortem_id}")
    rows = session.execute(
        sa.select(
            RevisionRow.number,
            RevisionRow.kind,
            RevisionRow.based_on,
            RevisionRow.created_at,
            RevisionRow.created_by,
            RevisionRow.note,
        )
        .where(RevisionRow.postmortem_id == postmortem_id)
        .order_by(RevisionRow.number)
    ).all()
    return [
        RevisionInfo(
            number=row.number,
            kind=row.kind,
            based_on=row.based_on,
            created_at=row.created_at,
            created_by=row.created_by,
            note=row.note,
            current=row.number == current,
        )
        for row in rows
    ]


def revision(session: Session, postmortem_id: str, number: int) -> Postmortem:
    document = session.scalar(
        sa.select(RevisionRow.document).where(
            RevisionRow.postmortem_id == postmortem_id, RevisionRow.number == number
        )
    )
    if document is None:
        raise NotFoundError(f"postmortem {postmortem_id} has no revision {number}")
    return postmortem_from_document(document, postmortem_id=postmortem_id, revision=number)


def any_postmortem(session: Session) -> bool:
    return session.execute(sa.select(PostmortemRow.id).limit(1)).first() is not None


def all_ids(session: Session) -> list[str]:
    return list(
        session.scalars(
            sa.select(PostmortemRow.id).order_by(
                PostmortemRow.detected_at.desc().nulls_last(), PostmortemRow.id
            )
        )
    )
