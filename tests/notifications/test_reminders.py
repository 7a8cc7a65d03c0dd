"""Reminders through a real SMTP server: each step once, in the reader's language, retried
when the server fails, never for a past day unless asked."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import select

from delivery.clock import pin_review_date
from delivery.db import transaction
from delivery.models import NotificationSent, ReviewMeeting, User
from delivery.notifications import NO_SERVER, PastDate, send_reminders
from delivery.notifications.reminders import reminders_due
from delivery.scheduler import Scheduler
from delivery.settings import load_settings
from tests.notifications.conftest import MailServer, free_port, mail_settings


def steps(session_factory, username: str) -> set[tuple[str, str, str]]:
    with session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        return {(r.thing.split(":")[0], r.step, r.state) for r in session.scalars(
            select(NotificationSent).where(NotificationSent.user_id == user.id))}


def test_the_job_run_twice_on_the_same_day_sends_each_message_once(session_factory, people,
                                                                   smtp):
    settings = mail_settings(smtp.port)
    first = send_reminders(session_factory, settings)
    assert first.as_of == date(2023, 3, 10) and first.failed == 0
    assert first.sent == len(smtp.received.messages) == 3  # Sónia, Edu, Ana; Gil on Mondays
    again = send_reminders(session_factory, settings)
    assert again.messages == 0 and len(smtp.received.messages) == 3
    # Sónia reports both SDS goals, owns the SDS commitment and heads SDS
    assert steps(session_factory, "sonia") == {
        ("figure", "overdue", "sent"), ("commitment", "overdue", "sent"),
        ("figure", "escalated", "sent")}
    [ana] = smtp.received.to("ana@unit.example.org")
    body = ana.get_content()
    assert "Overdue for a week or more" in body and body.count("/report?goal=") == 5
    assert "https://tracker.example.org/report?goal=SDS-HOM" in body
    # the next day brings no new step for the same things
    assert send_reminders(session_factory, settings, as_of=date(2023, 3, 11)).messages == 0


def test_messages_are_in_each_persons_language(session_factory, people, smtp):
    send_reminders(session_factory, mail_settings(smtp.port))
    [sonia] = smtp.received.to("sonia@sds.example.org")
    [edu] = smtp.received.to("edu@see.example.org")
    [ana] = smtp.received.to("ana@unit.example.org")
    assert sonia["Subject"] == "Delivery Tracker: 5 itens aguardam você"
    assert "Atrasado" in sonia.get_content() and "março de 2023" not in sonia["Subject"]
    assert "janeiro de 2023" in sonia.get_content()
    assert edu["Subject"] == "Delivery Tracker: 3 cosas le esperan"
    assert "enero de 2023" in edu.get_content()
    assert ana["Subject"] == "Delivery Tracker: 5 things are waiting for you"
    assert sonia["From"] == "tracker@unit.example.org"


def test_a_failing_server_is_logged_and_tried_again_on_the_next_run(session_factory, people,
                                                                    caplog):
    port = free_port()  # nothing listens there yet
    settings = mail_settings(port, smtp_timeout_seconds=5.0)
    with caplog.at_level(logging.WARNING, logger="delivery.notifications.run"):
        down = send_reminders(session_factory, settings)
    assert down.sent == 0 and down.failed == 3
    assert "tried again next run" in caplog.text and f"127.0.0.1:{port}" in caplog.text
    assert ("figure", "overdue", "failed") in steps(session_factory, "sonia")
    server = MailServer(port)
    server.start()
    try:
        up = send_reminders(session_factory, settings)
        assert up.sent == 3 and len(server.received.messages) == 3
        assert ("figure", "overdue", "sent") in steps(session_factory, "sonia")
        with session_factory() as session:
            attempts = {r.attempts for r in session.scalars(select(NotificationSent))}
        assert attempts == {2}
        assert send_reminders(session_factory, settings).messages == 0
    finally:
        server.stop()


def test_without_a_mail_server_reminders_stay_in_the_inbox_and_the_log_says_why(
        session_factory, people, caplog):
    settings = load_settings({"smtp_host": None}, environ={})
    with caplog.at_level(logging.INFO, logger="delivery.notifications.run"):
        run = send_reminders(session_factory, settings)
    assert run.sent == 0 and run.not_sent_because == NO_SERVER and run.messages == 3
    assert "DELIVERY_SMTP_HOST is empty" in caplog.text
    with session_factory() as session:
        assert session.scalars(select(NotificationSent)).all() == []


def test_nothing_is_sent_for_a_past_day_unless_asked(session_factory, people, smtp):
    settings = mail_settings(smtp.port)
    with pytest.raises(PastDate, match="before the review date"):
        send_reminders(session_factory, settings, as_of=date(2023, 3, 1))
    assert smtp.received.messages == []
    run = send_reminders(session_factory, settings, as_of=date(2023, 2, 28), include_past=True)
    assert run.sent == 2  # Sónia and Edu: due in 3 days then (nothing late enough for Ana)
    assert ("figure", "due_soon", "sent") in steps(session_factory, "sonia")


def test_a_dry_run_sends_and_logs_nothing(session_factory, people, smtp):
    run = send_reminders(session_factory, mail_settings(smtp.port), dry_run=True)
    assert run.messages == 3 and run.sent == 0 and smtp.received.messages == []
    with session_factory() as session:
        assert session.scalars(select(NotificationSent)).all() == []


def test_digests_weekly_on_mondays_and_none_never(session_factory, people, smtp):
    with transaction(session_factory) as session:
        for name, digest in (("sonia", "weekly"), ("edu", "none")):
            session.scalar(select(User).where(User.username == name)).digest = digest
    settings = mail_settings(smtp.port)
    friday = send_reminders(session_factory, settings)  # 10 Mar 2023 is a Friday
    assert {o.to for o in friday.outgoing} == {"ana@unit.example.org"}
    monday = send_reminders(session_factory, settings, as_of=date(2023, 3, 13))
    assert "sonia@sds.example.org" in {o.to for o in monday.outgoing}
    assert "edu@see.example.org" not in {o.to for o in monday.outgoing}


def test_the_governor_gets_the_monday_digest_with_the_briefing_memo(session_factory, people,
                                                                   smtp):
    with transaction(session_factory) as session:
        pin_review_date(session, date(2023, 3, 13))
        session.add(ReviewMeeting(held_on=date(2023, 3, 15), title="Weekly review: violence",
                                  objective_id=1))
    send_reminders(session_factory, mail_settings(smtp.port))
    [gil] = smtp.received.to("gil@gov.example.org")
    assert gil["Subject"].startswith("Delivery Tracker: a revisão da semana")
    [memo] = list(gil.iter_attachments())
    assert memo.get_content_type() == "application/pdf"
    assert memo.get_content().startswith(b"%PDF") and memo.get_filename() == \
        "briefing-2023-03-15.pdf"
    assert send_reminders(session_factory, mail_settings(smtp.port)).messages == 0


def test_escalation_reaches_the_head_and_the_unit_only_after_a_week(session_factory, people):
    with session_factory() as session:
        early = reminders_due(session, date(2023, 3, 9))
        late = reminders_due(session, date(2023, 3, 10))
    names = {people.users[p]: p for p in people.users}

    def escalated(due):  # type: ignore[no-untyped-def]
        return {names[u] for u, rs in due.items() if any(r.step == "escalated" for r in rs)}

    assert escalated(early) == set()
    assert escalated(late) == {"secretariat", "analyst"}  # Sónia heads SDS; Edu heads nothing


def test_the_scheduler_job_sends_through_the_lease_holder(session_factory, people, smtp):
    scheduler = Scheduler(session_factory, mail_settings(smtp.port), holder="test")
    assert scheduler.remind() is None  # no lease yet: nothing
    scheduler.renew_lease()
    run = scheduler.remind()
    assert run is not None and run.sent == 3 and len(smtp.received.messages) == 3
    assert scheduler.remind().messages == 0
