"""`hansei review request|approve|reject|reopen ID`: the review steps from the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from hansei.cli.database import DbOption, UserOption, open_store, saving_user
from hansei.cli.settings import command_settings
from hansei.model.access import Role
from hansei.model.limits import MAX_REVISION
from hansei.workflow import Actor, ReviewAction

if TYPE_CHECKING:
    from hansei.services.connection import Database

review_app = typer.Typer(
    help="Review steps: Draft → Review → Final, written to the review history.",
    no_args_is_help=True,
)

IdArgument = Annotated[str, typer.Argument(help="The postmortem (an id prefix of 4+ will do).")]
CommentOption = Annotated[str | None, typer.Option("--comment", "-m", help="What to say.")]
BaseOption = Annotated[
    int | None,
    typer.Option(
        "--base-revision",
        min=1,
        max=MAX_REVISION,
        help="Refuse unless this is still the current revision (exit 3).",
    ),
]


def _actor(database: Database, name: str) -> Actor:
    # A user of the web app acts with their role; anyone else at the terminal works on
    # the store directly, as its operator.
    from hansei.services import accounts, reviewing

    account = accounts.find_user(database, name.removeprefix("@"))
    role = account.role if account else Role.admin
    return reviewing.actor_of(name, role)


def _step(
    action: ReviewAction,
    reference: str,
    *,
    db: str | None,
    user: str | None,
    comment: str | None = None,
    reviewers: list[str] | None = None,
    base_revision: int | None = None,
) -> None:
    from hansei.services import history, reviewing

    name = saving_user(user)
    with open_store(db) as database:
        postmortem_id = history.resolve(database, reference)
        result = reviewing.take_review_step(
            database,
            postmortem_id,
            action,
            actor=_actor(database, name),
            settings=command_settings(),
            base_revision=base_revision,
            comment=comment,
            reviewers=reviewers,
        )
        status = history.get_postmortem(database, postmortem_id).postmortem.status
    typer.echo(f"{postmortem_id}: {status.value} (revision {result.revision})")


@review_app.command("request")
def request(
    reference: IdArgument,
    reviewer: Annotated[
        list[str] | None, typer.Option("--reviewer", "-r", help="Who reviews (repeat).")
    ] = None,
    comment: CommentOption = None,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Draft → Review: ask the named reviewers (else those the document names)."""
    _step(
        ReviewAction.request_review,
        reference,
        db=db,
        user=user,
        comment=comment,
        reviewers=reviewer,
    )


@review_app.command("approve")
def approve(
    reference: IdArgument,
    comment: CommentOption = None,
    base_revision: BaseOption = None,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Review → Final: approve as a reviewer who is not the author."""
    _step(
        ReviewAction.approve,
        reference,
        db=db,
        user=user,
        comment=comment,
        base_revision=base_revision,
    )


@review_app.command("reject")
def reject(
    reference: IdArgument,
    comment: Annotated[str, typer.Option("--comment", "-m", help="What should change.")],
    base_revision: BaseOption = None,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Review → Draft: request changes, saying which."""
    _step(
        ReviewAction.request_changes,
        reference,
        db=db,
        user=user,
        comment=comment,
        base_revision=base_revision,
    )


@review_app.command("reopen")
def reopen(
    reference: IdArgument,
    comment: Annotated[str, typer.Option("--comment", "-m", help="Why it is reopened.")],
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Final → Review: reopen, as the author or an admin, with the reason."""
    _step(ReviewAction.reopen, reference, db=db, user=user, comment=comment)
