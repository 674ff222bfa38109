"""`hansei user`: who may use the web app and the API, and with which role."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from hansei.cli.database import DbOption, open_store
from hansei.cli.output import fail, stdout_console
from hansei.model.access import Role
from hansei.model.limits import MAX_REVISION

user_app = typer.Typer(
    help="Users of the web app and the API: add, passwords, roles, API tokens.",
    no_args_is_help=True,
)

PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            fail("hansei: --password-stdin: standard input holds no password")
        return line
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Sign-in name, e.g. tanaka.")],
    role: Annotated[Role, typer.Option("--role", help="What the user may do.")] = Role.author,
    password_stdin: PasswordStdinOption = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="A user for scripts: API tokens only.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a user (asks for the password twice unless --password-stdin or --no-password)."""
    from hansei.services import accounts

    password = None if no_password else _password(password_stdin)
    with open_store(db, create=True) as database:
        user = accounts.add_user(database, name, role=role, password=password)
        # Which store: a user added to another store than the server's cannot sign in.
        typer.echo(f"added {user.name} ({user.role.value}) to {database.url}")


@user_app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    password_stdin: PasswordStdinOption = False,
    db: DbOption = None,
) -> None:
    """Set a user's password; the user's browsers are signed out."""
    from hansei.services import accounts

    password = _password(password_stdin)
    with open_store(db) as database:
        accounts.set_password(database, name, password)
    typer.echo(f"password of {name} changed")


@user_app.command("role")
def role_command(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[Role, typer.Argument(help="The new role.")],
    db: DbOption = None,
) -> None:
    """Change what a user may do."""
    from hansei.services import accounts

    with open_store(db) as database:
        user = accounts.set_role(database, name, role)
    typer.echo(f"{user.name} is now {user.role.value}")


@user_app.command("list")
def list_command(db: DbOption = None) -> None:
    """List the users and their roles."""
    from hansei.services import accounts

    with open_store(db) as database:
        users = accounts.list_users(database)
    table = Table("name", "role", box=None)
    for user in users:
        table.add_row(user.name, user.role.value)
    stdout_console().print(table)


@user_app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="Sign-in name of the token's owner.")],
    label: Annotated[
        str, typer.Option("--label", help="What the token is for, e.g. the script's name.")
    ] = "token",
    list_tokens: Annotated[
        bool, typer.Option("--list", help="List the user's tokens instead of making one.")
    ] = False,
    revoke: Annotated[
        int | None,
        typer.Option(
            "--revoke", metavar="ID", min=1, max=MAX_REVISION, help="Revoke the token with this id."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Make an API token for a user (printed once, stored hashed), list or revoke them."""
    from hansei.services import accounts

    with open_store(db) as database:
        if revoke is not None:
            revoked = accounts.revoke_token(database, name, revoke)
            typer.echo(f"token {revoked.id} ({revoked.label}) of {name} revoked")
        elif list_tokens:
            table = Table("id", "label", "created", "revoked", box=None)
            for info in accounts.list_tokens(database, name):
                table.add_row(
                    str(info.id),
                    info.label,
                    f"{info.created_at:%Y-%m-%d %H:%M}Z",
                    "" if info.revoked_at is None else f"{info.revoked_at:%Y-%m-%d %H:%M}Z",
                )
            stdout_console().print(table)
        else:
            info, secret = accounts.create_token(database, name, label=label)
            typer.echo(secret)
            typer.echo(
                f"token {info.id} ({info.label}) of {name}: shown this once; "
                "send it as `Authorization: Bearer …`",
                err=True,
            )
