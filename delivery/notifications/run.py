"""One run of the reminders: work out what is due, send what was not sent, log it.

``send_reminders`` is the plain function the scheduler's job and ``delivery reminders send``
both call. Every (person, thing, step) is sent once: the ``notification_sent`` row of a sent
step is never sent again; one whose sending failed is tried again on the next run. Reminders
go to people with an e-mail address and a digest other than ``none``; ``weekly`` people get
theirs on Mondays, as the governor gets the Monday digest. A date before the review date is
refused unless ``include_past`` (a run for a past day would remind people of what was then).
The database is never held while the mail server is talked to.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from delivery.clock import review_date
from delivery.db import transaction
from delivery.i18n import formats, use_locale
from delivery.models import NotificationSent, User
from delivery.notifications.compose import governor_mail, reminder_mail
from delivery.notifications.digest import memo, week_summary
from delivery.notifications.mailer import NO_SERVER, MailServer
from delivery.notifications.reminders import Reminder, reminders_due
from delivery.settings import Settings
from delivery.vocabulary import Digest, Role

log = logging.getLogger(__name__)
MONDAY_STEP = "monday_digest"


class PastDate(ValueError):
    """Reminders for a day before the review date were not asked for."""


@dataclass
class Outgoing:
    """One e-mail for one person and the (thing, step) pairs it carries."""

    user_id: int
    to: str
    keys: list[tuple[str, str]]
    message: EmailMessage


@dataclass
class ReminderRun:
    as_of: date
    outgoing: list[Outgoing] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    not_sent_because: str = ""  # no server, dry run

    @property
    def messages(self) -> int:
        return len(self.outgoing)


def send_reminders(factory: sessionmaker[Session], settings: Settings, *,
                   as_of: date | None = None, dry_run: bool = False,
                   include_past: bool = False, environ: Mapping[str, str] | None = None,
                   before_commit: Callable[[Session], None] | None = None) -> ReminderRun:
    """Send the reminders due on ``as_of`` (default: the review date); see the module."""
    with factory() as session:
        today = review_date(session)
        day = as_of or today
        if day < today and not include_past:
            raise PastDate(f"as_of: {day.isoformat()} is before the review date "
                           f"{today.isoformat()}; pass --past to send reminders for it")
        run = ReminderRun(day, plan(session, day, settings))
    if dry_run:
        run.not_sent_because = "dry run"
        return run
    server = MailServer.of(settings, os.environ if environ is None else environ)
    if server is None:
        run.not_sent_because = NO_SERVER
        if run.outgoing:
            log.info("%d reminder e-mail(s) not sent: %s", run.messages, NO_SERVER)
        return run
    results = server.send([o.message for o in run.outgoing])
    now = datetime.now(UTC)
    with transaction(factory) as session:
        for outgoing, error in zip(run.outgoing, results, strict=True):
            record(session, outgoing, day, error, now)
            if error:
                log.warning("reminder to %s not sent (tried again next run): %s",
                            outgoing.to, error)
        if before_commit is not None:
            before_commit(session)
    run.sent = sum(error is None for error in results)
    run.failed = len(results) - run.sent
    return run


def plan(session: Session, day: date, settings: Settings) -> list[Outgoing]:
    """The e-mails due on ``day`` that were not sent yet, each in its reader's language."""
    sent = {(r.user_id, r.thing, r.step) for r in session.scalars(
        select(NotificationSent).where(NotificationSent.state == "sent"))}
    due = reminders_due(session, day)
    outgoing = []
    for user in session.scalars(select(User).where(User.is_active.is_(True),
                                                   User.email.is_not(None)).order_by(User.id)):
        if not user.email or user.digest == Digest.NONE:
            continue
        if user.digest == Digest.WEEKLY and day.weekday() != 0:
            continue
        with use_locale(user.language or settings.language):
            if user.role == Role.GOVERNOR:
                thing = f"review:{day.isoformat()}"
                if day.weekday() == 0 and (user.id, thing, MONDAY_STEP) not in sent:
                    mail = governor_mail(user, week_summary(session, day), memo(session, day),
                                         settings.site_url, formats.day(day))
                    outgoing.append(Outgoing(user.id, user.email, [(thing, MONDAY_STEP)], mail))
                continue
            fresh: list[Reminder] = [r for r in due.get(user.id, []) if r.key not in sent]
            if fresh:
                outgoing.append(Outgoing(user.id, user.email,
                                         [(r.item.thing, r.step) for r in fresh],
                                         reminder_mail(user, fresh, settings.site_url)))
    return outgoing


def record(session: Session, outgoing: Outgoing, day: date, error: str | None,
           now: datetime) -> None:
    """Log each (thing, step) of a message as sent, or as failed with the error."""
    rows = {(r.thing, r.step): r for r in session.scalars(
        select(NotificationSent).where(NotificationSent.user_id == outgoing.user_id,
                                       NotificationSent.state != "sent"))}
    for thing, step in outgoing.keys:
        row = rows.get((thing, step))
        if row is None:
            row = NotificationSent(user_id=outgoing.user_id, thing=thing, step=step, as_of=day,
                                   attempts=0, last_error="", created_at=now)
            session.add(row)
        row.attempts += 1
        row.state, row.last_error = ("failed", error[:2000]) if error else ("sent", "")
        row.sent_at = None if error else now
    session.flush()
