"""``delivery users``: create the first admin, add users, reset passwords, change roles, end
sessions, make a secretariat's head, list, deactivate.

Passwords are asked for at a hidden prompt (twice), or read from ``--password-stdin`` for scripts;
never from the command line, where they would stay in the shell history and the process list.
Changes are recorded in the audit trail as made by ``cli:<login>`` of whoever ran the command.
"""

from __future__ import annotations

import getpass
import sys

import click

from delivery.db import transaction
from delivery.i18n import _, _n
from delivery.signin.sessions import BY_ADMIN, end_sessions
from delivery.users import (
    UserError,
    count_admins,
    create_user,
    find_user,
    list_users,
    set_active,
    set_password,
    set_role,
    set_secretariat_head,
)
from delivery.vocabulary import Role

ROLES = click.Choice([r.value for r in Role])


def _factory(ctx: click.Context):  # type: ignore[no-untyped-def]
    from delivery.cli import Context

    _, factory = ctx.ensure_object(Context).database()
    return factory


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt(_("Password"), hide_input=True,
                        confirmation_prompt=_("Repeat for confirmation"))


password_stdin = click.option("--password-stdin", is_flag=True,
                              help="Read the password from the first line of standard input.")


@click.group()
def users() -> None:
    """People who sign in to the web app, and their roles."""


@users.command("create-admin")
@click.argument("username")
@click.option("--name", "display_name", default="", help="Name shown in the app.")
@password_stdin
@click.pass_context
def create_admin(ctx: click.Context, username: str, display_name: str,
                 password_stdin: bool) -> None:
    """Create the first administrator (refused once an active admin exists: use `add`)."""
    with transaction(_factory(ctx)) as session:
        if count_admins(session):
            raise click.ClickException(_("an administrator already exists: an admin can add "
                                         "others with `delivery users add --role admin`"))
        session.info["actor"] = _actor()
        try:
            create_user(session, username, _password(password_stdin), Role.ADMIN,
                        display_name=display_name)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(_("created administrator {name}").format(name=username.lower()))


@users.command("add")
@click.argument("username")
@click.option("--role", type=ROLES, required=True, help="What the user may see and do.")
@click.option("--secretariat", help="Code of the secretariat (secretariat users only).")
@click.option("--name", "display_name", default="", help="Name shown in the app.")
@password_stdin
@click.pass_context
def add(ctx: click.Context, username: str, role: str, secretariat: str | None,
        display_name: str, password_stdin: bool) -> None:
    """Add a user with a ROLE (admin, analyst, governor or secretariat)."""
    with transaction(_factory(ctx)) as session:
        session.info["actor"] = _actor()
        try:
            create_user(session, username, _password(password_stdin), role,
                        display_name=display_name, secretariat=secretariat)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(_("added {role} {name}").format(role=role, name=username.lower()))


def _existing(session, username: str):  # type: ignore[no-untyped-def]
    user = find_user(session, username)
    if user is None:
        raise click.ClickException(_("no user {name}").format(name=repr(username)))
    return user


@users.command("reset-password")
@click.argument("username")
@password_stdin
@click.pass_context
def reset_password(ctx: click.Context, username: str, password_stdin: bool) -> None:
    """Set a new password (the user's open sessions end)."""
    with transaction(_factory(ctx)) as session:
        session.info["actor"] = _actor()
        user = _existing(session, username)
        try:
            set_password(session, user, _password(password_stdin))
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(_("new password set for {name}").format(name=user.username))


@users.command("deactivate")
@click.argument("username")
@click.option("--reactivate", is_flag=True, help="Let the user sign in again.")
@click.pass_context
def deactivate(ctx: click.Context, username: str, reactivate: bool) -> None:
    """Stop a user from signing in (users are never deleted: the audit trail names them)."""
    with transaction(_factory(ctx)) as session:
        session.info["actor"] = _actor()
        user = _existing(session, username)
        set_active(session, user, reactivate)
    click.echo((_("{name} reactivated") if reactivate else _("{name} deactivated")).format(
        name=user.username))


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLES)
@click.option("--secretariat", help="Code of the secretariat (secretariat users only).")
@click.pass_context
def set_role_command(ctx: click.Context, username: str, role: str,
                     secretariat: str | None) -> None:
    """Give a user another ROLE (their open sessions end)."""
    with transaction(_factory(ctx)) as session:
        session.info["actor"] = _actor()
        user = _existing(session, username)
        try:
            set_role(session, user, role, secretariat)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(_("{name} is now {role}").format(name=user.username, role=role))


@users.command("set-head")
@click.argument("username")
@click.option("--not", "not_head", is_flag=True, help="The user no longer heads it.")
@click.pass_context
def set_head_command(ctx: click.Context, username: str, not_head: bool) -> None:
    """Make a secretariat user head of their secretariat (overdue figures escalate to them)."""
    with transaction(_factory(ctx)) as session:
        session.info["actor"] = _actor()
        user = _existing(session, username)
        try:
            set_secretariat_head(session, user, not not_head)
        except UserError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo((_("{name} no longer heads their secretariat") if not_head
                else _("{name} now heads their secretariat")).format(name=user.username))


@users.command("end-sessions")
@click.argument("username")
@click.pass_context
def end_sessions_command(ctx: click.Context, username: str) -> None:
    """Sign a user out everywhere: every open session ends now (e.g. a lost laptop)."""
    with transaction(_factory(ctx)) as session:
        session.info["actor"] = _actor()
        user = _existing(session, username)
        ended = end_sessions(session, user.id, BY_ADMIN)
    click.echo(_n("ended {n} session of {name}", "ended {n} sessions of {name}", ended).format(
        n=ended, name=user.username))


@users.command("list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """List every user: username, role, secretariat, active, name."""
    with _factory(ctx)() as session:
        rows = list_users(session)
    if not rows:
        click.echo(_("no users yet: create the first with `delivery users create-admin NAME`"))
    for user, code in rows:
        state = _("active") if user.is_active else _("inactive")
        click.echo(f"{user.username:24} {user.role:12} {code or '-':10} {state:9} "
                   f"{user.display_name}")
