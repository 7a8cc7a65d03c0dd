"""``delivery tokens``: personal API tokens made, listed and revoked from the command line
(audited as ``cli:<login>``). The secret is printed once, at creation; only its hash is kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click

from delivery.api.tokens import TokenError, create_token, list_tokens, revoke_token, state
from delivery.cli_support import parse_date
from delivery.db import transaction
from delivery.users import find_user
from delivery.users_cli import _actor, _factory


@click.group()
def tokens() -> None:
    """Personal API tokens: a token acts as its user, with the user's role and secretariat."""


@tokens.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for, e.g. the system using it.")
@click.option("--expires", callback=parse_date, help="Last day the token works (YYYY-MM-DD).")
@click.pass_context
def create(ctx: click.Context, username: str, name: str, expires: date | None) -> None:
    """Make a token for USERNAME and print its secret (shown this once only)."""
    with transaction(_factory(ctx)) as session:
        session.info["actor"] = _actor()
        user = find_user(session, username)
        if user is None:
            raise click.ClickException(f"no user {username!r}")
        try:
            made = create_token(session, user, name, expires=expires, created_by=_actor())
        except TokenError as exc:
            raise click.ClickException(str(exc)) from None
        token_id = made.token.id
    click.echo(f"token {token_id} for {user.username} ({name}); keep this secret now, it is "
               "not shown again:")
    click.echo(made.secret)


@tokens.command("list")
@click.option("--user", "username", help="Only this user's tokens.")
@click.pass_context
def list_command(ctx: click.Context, username: str | None) -> None:
    """Every token: id, user, name, state, created, expires, last used (never the secret)."""
    now = datetime.now(UTC)
    with _factory(ctx)() as session:
        user_id = None
        if username:
            user = find_user(session, username)
            if user is None:
                raise click.ClickException(f"no user {username!r}")
            user_id = user.id
        rows = list_tokens(session, user_id)
        click.echo(f"{'id':>5}  {'user':16} {'name':24} {'state':8} {'created':10} "
                   f"{'expires':10} {'last used':16}")
        for token, owner in rows:
            def day(at: datetime | None) -> str:
                return at.strftime("%Y-%m-%d") if at else "-"
            used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "-"
            click.echo(f"{token.id:>5}  {owner:16} {token.name[:24]:24} {state(token, now):8} "
                       f"{day(token.created_at):10} {day(token.expires_at):10} {used}")


@tokens.command("revoke")
@click.argument("token_id", type=int)
@click.pass_context
def revoke(ctx: click.Context, token_id: int) -> None:
    """Revoke token TOKEN_ID: it is refused from its next request on."""
    with transaction(_factory(ctx)) as session:
        session.info["actor"] = _actor()
        try:
            token = revoke_token(session, token_id, by=_actor())
        except TokenError as exc:
            raise click.ClickException(str(exc)) from None
        name = token.name
    click.echo(f"revoked token {token_id} ({name})")
