"""Who may do what: the roles of DESIGN.md's users and what each role allows."""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class Role(StrEnum):
    viewer = "viewer"
    author = "author"
    reviewer = "reviewer"
    admin = "admin"


class Permission(StrEnum):
    read = "read"
    """See postmortems, their history, metrics, lint findings and action items."""
    write = "write"
    """Create postmortems, save new revisions, restore old ones."""
    review = "review"
    """Approve or request changes on a postmortem in review."""
    manage_users = "manage_users"
    """Add users, change roles, revoke anyone's API tokens."""


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.viewer: frozenset({Permission.read}),
    Role.author: frozenset({Permission.read, Permission.write}),
    Role.reviewer: frozenset({Permission.read, Permission.write, Permission.review}),
    Role.admin: frozenset(Permission),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in _GRANTS[role]


def name_key(name: str) -> str:
    """What makes two user names one: `adm`, `ADM` and `ａｄｍ` share the key `adm`.

    NFKC folds width and compatibility forms, casefold folds case; casefolding can
    yield text NFKC changes again (and back), so both repeat until nothing changes:
    the key of a key is itself.
    """
    key = name
    # A handful of rounds settles any text (one round almost always does); bounded so
    # that no input can keep it going.
    for _ in range(8):
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", key).casefold())
        if folded == key:
            break
        key = folded
    return key
