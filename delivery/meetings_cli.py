"""``delivery meetings``: schedule the review meetings, build and print an agenda, list meetings,
and the routine's health (rules in ``delivery.meetings`` and ``delivery.routine_health``).
Dates default to the review date."""

from __future__ import annotations

import getpass
from datetime import date

import click
import pandas as pd
from sqlalchemy import select

from delivery.agenda_texts import AgendaText, agenda_texts
from delivery.cli_support import parse_date, session_factory
from delivery.clock import review_date
from delivery.db import transaction
from delivery.i18n import _, _n, formats
from delivery.meetings import agenda, build_agenda, schedule_meetings
from delivery.models import ReviewMeeting
from delivery.routine_health import routine_health
from delivery.status import format_date
from delivery.vocabulary import AgendaKind, MeetingState


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.group("meetings")
def meetings() -> None:
    """The review routine: the meeting schedule, agendas and the routine's health."""


@meetings.command("schedule")
@click.option("--through", required=True, callback=parse_date,
              help="Schedule every series' meetings up to this date (YYYY-MM-DD).")
def schedule(through: date) -> None:
    """Add the meetings every active series is due to hold up to a date (safe to run again)."""
    with transaction(session_factory()) as session:
        session.info["actor"] = _actor()
        created = schedule_meetings(session, through)
        lines = [f"  {m.id:>5}  {m.held_on}  {m.title}" for m in created]
    click.echo(_n("scheduled {n} meeting up to {date}", "scheduled {n} meetings up to {date}",
                  len(lines)).format(n=len(lines), date=through))
    for line in lines:
        click.echo(line)


@meetings.command("list")
@click.option("--from", "start", callback=parse_date, help="First date (default: 4 weeks back).")
@click.option("--to", "end", callback=parse_date, help="Last date (default: 4 weeks ahead).")
def list_meetings(start: date | None, end: date | None) -> None:
    """List the meetings between two dates: id, date, state and title."""
    with session_factory()() as session:
        today = review_date(session)
        start = start or today - pd.Timedelta(weeks=4).to_pytimedelta()
        end = end or today + pd.Timedelta(weeks=4).to_pytimedelta()
        rows = session.scalars(select(ReviewMeeting).where(ReviewMeeting.held_on.between(
            start, end)).order_by(ReviewMeeting.held_on, ReviewMeeting.id)).all()
        for m in rows:
            why = f" ({m.cancelled_reason})" if m.state is MeetingState.CANCELLED else ""
            click.echo(f"{m.id:>5}  {format_date(m.held_on)}  {m.state.label:9}  {m.title}{why}")


@meetings.command("agenda")
@click.argument("meeting_id", type=int)
@click.option("--as-of", callback=parse_date,
              help="Build from the data known on this date (default: the review date).")
def agenda_command(meeting_id: int, as_of: date | None) -> None:
    """Build (or bring up to date) a meeting's agenda and print it.

    Goals off track or slipping in the meeting's scope, open data-quality flags, commitments due
    within a week or overdue; the analyst's own items and order are kept. A meeting whose
    minutes are closed, or that was cancelled, is printed as it stands.
    """
    with transaction(session_factory()) as session:
        meeting = session.get(ReviewMeeting, meeting_id)
        if meeting is None:
            raise click.ClickException(_("no meeting {id} (see `delivery meetings list`)").format(
                id=meeting_id))
        day = as_of or review_date(session)
        frozen = meeting.closed_at is not None or meeting.state is MeetingState.CANCELLED
        items = agenda(meeting) if frozen else build_agenda(session, meeting, day, by=_actor())
        click.echo(f"{meeting.title}, {format_date(meeting.held_on)} ({meeting.state.label}"
                   + (", " + _("minutes closed") if meeting.closed_at else "") + ")")
        worded = agenda_texts(session, items, min(day, meeting.held_on))
        for item in items:
            text = worded.get(item.id, AgendaText(item.title, item.note))
            click.echo(f"{item.position + 1:>3}. [{AgendaKind(item.kind).label.lower()}] "
                       f"{text.title}")
            if text.note:
                click.echo(f"       {text.note}")
        if not items:
            click.echo("     (" + _("nothing on the agenda") + ")")


def _share(value: float) -> str:
    return "-" if pd.isna(value) else formats.percent(value)


@meetings.command("health")
@click.option("--as-of", callback=parse_date, help="Date to measure on (default: the review date).")
@click.option("--since", callback=parse_date, help="Only meetings and commitments due from then.")
def health(as_of: date | None, since: date | None) -> None:
    """Meetings held against scheduled and commitments closed on time, for the unit and each
    pact."""
    with session_factory()() as session:
        day = as_of or review_date(session)
        frame = routine_health(session, day, since=since)
    click.echo(_("Routine health as of {date}").format(date=format_date(day))
               + (", " + _("since {date}").format(date=format_date(since)) if since else ""))
    # (translated outside the f-string: gettext extraction does not look inside one)
    words = [_("meetings"), _("held"), _("cancel"), _("held"), _("due"), _("on time"),
             _("late"), _("drop"), _("on time"), _("overdue"), _("mean days")]
    widths = [8, 5, 6, 5, 4, 7, 4, 4, 7, 7, 9]
    cells = [word.rjust(width) for word, width in zip(words, widths, strict=True)]
    click.echo(" " * 44 + " " + " ".join(cells[:4]) + "   " + " ".join(cells[4:9]) + "   "
               + " ".join(cells[9:]))
    for row in frame.itertuples():
        days = "-" if pd.isna(row.mean_days_overdue) else formats.number(row.mean_days_overdue,
                                                                          decimals=1)
        click.echo(f"{row.name[:44]:44} {row.scheduled:>8} {row.held:>5} {row.cancelled:>6} "
                   f"{_share(row.held_share):>5}   {row.commitments_due:>4} "
                   f"{row.closed_on_time:>7} {row.closed_late:>4} {row.dropped:>4} "
                   f"{_share(row.on_time_share):>7}   {row.open_overdue:>7} {days:>9}")
