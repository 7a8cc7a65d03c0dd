"""``delivery reminders ...``: send the reminders due by hand, set a person's mail settings."""

from __future__ import annotations

from datetime import date

import click

from delivery.cli_support import parse_date, session_factory
from delivery.db import transaction
from delivery.i18n import _


@click.group("reminders")
def reminders() -> None:
    """Reminders and escalation by e-mail (the scheduler sends them on its own too)."""


@reminders.command("send")
@click.option("--as-of", callback=parse_date,
              help="The day to remind as of (default: the review date).")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send and log nothing.")
@click.option("--past", "include_past", is_flag=True,
              help="Allow an --as-of before the review date.")
def send(as_of: date | None, dry_run: bool, include_past: bool) -> None:
    """Send each reminder due that was not sent yet (each person, thing and step once)."""
    from delivery.notifications import PastDate, send_reminders
    from delivery.settings import load_settings

    try:
        run = send_reminders(session_factory(), load_settings(), as_of=as_of, dry_run=dry_run,
                             include_past=include_past)
    except PastDate as exc:
        raise click.ClickException(str(exc)) from None
    for outgoing in run.outgoing:
        click.echo(f"{outgoing.to}: " + ", ".join(f"{thing} {step}"
                                                 for thing, step in outgoing.keys))
    summary = _("{n} e-mail(s) due as of {date}: {sent} sent, {failed} failed").format(
        n=run.messages, date=run.as_of.isoformat(), sent=run.sent, failed=run.failed)
    click.echo(summary + (f" ({run.not_sent_because})" if run.not_sent_because else ""))
    if run.failed:
        raise SystemExit(1)


@reminders.command("contact")
@click.argument("username")
@click.option("--email", default="", help="The address reminders go to (empty: none).")
@click.option("--digest", type=click.Choice(["daily", "weekly", "none"]), default="daily",
              show_default=True, help="How often reminders come.")
@click.option("--head/--not-head", default=None,
              help="Whether the person heads their secretariat (overdue figures escalate to "
                   "the head).")
def contact(username: str, email: str, digest: str, head: bool | None) -> None:
    """Set a person's e-mail address and digest."""
    from sqlalchemy import select

    from delivery.models import User
    from delivery.notifications.preferences import set_mail_preferences

    with transaction(session_factory()) as session:
        session.info["actor"] = "cli"
        user = session.scalar(select(User).where(User.username == username.lower()))
        if user is None:
            raise click.ClickException(_("user: no user {name}").format(name=username))
        try:
            set_mail_preferences(session, user, email=email, digest=digest, head=head)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(_("{name}: {email}, {digest}").format(name=username, email=email or "—",
                                                     digest=digest))
