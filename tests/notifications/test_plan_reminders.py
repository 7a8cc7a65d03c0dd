"""Delivery plans in the reminders: late and soon-due milestones and open high risks reach the
secretariat that answers for them through a real SMTP server, each step once, in the reader's
language; the governor's Monday digest counts them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from delivery.db import transaction
from delivery.models import NotificationSent, User
from delivery.notifications import send_reminders
from tests.notifications.conftest import mail_settings
from tests.plans.conftest import add_plans


@pytest.fixture
def plans(session_factory, people):
    """The two initiatives on the reminders' government: on 10 Mar 2023 SDS's "Works
    contract" (1 Dec 2022) and SEE's "First 50 schools" (25 Jan 2023) are late, and SDS's
    high risk (16) was to be reviewed on 10 Jan 2023."""
    with transaction(session_factory) as session:
        return add_plans(session, people)


def plan_steps(session_factory, username: str) -> set[tuple[str, str, str]]:
    with session_factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        return {(r.thing, r.step, r.state) for r in session.scalars(
            select(NotificationSent).where(NotificationSent.user_id == user.id))
            if r.thing.split(":")[0] in {"milestone", "risk"}}


def test_late_milestones_and_high_risks_are_mailed_once_to_their_secretariat(
        session_factory, plans, smtp):
    settings = mail_settings(smtp.port)
    first = send_reminders(session_factory, settings)
    assert first.failed == 0 and first.sent == len(smtp.received.messages) == 3
    works, schools = plans.milestones["Works contract"], plans.milestones["First 50 schools"]
    risk = next(t for t, _s, _st in plan_steps(session_factory, "sonia") if t.startswith("risk"))
    assert plan_steps(session_factory, "sonia") == {
        (f"milestone:{works}", "overdue", "sent"), (risk, "overdue", "sent")}
    assert plan_steps(session_factory, "edu") == {(f"milestone:{schools}", "overdue", "sent")}
    assert plan_steps(session_factory, "ana") == set()  # the unit leads no initiative
    [sonia] = smtp.received.to("sonia@sds.example.org")
    body = sonia.get_content()  # Portuguese
    assert "Police stations: marco Works contract" in body
    assert "risco 16: Land not released" in body
    assert "https://tracker.example.org/initiative/SDS-DELEG" in body
    [edu] = smtp.received.to("edu@see.example.org")
    assert "Full-time schools: hito First 50 schools" in edu.get_content()  # Spanish
    # the job run again the same day, and the next, sends nothing new about them
    assert send_reminders(session_factory, settings).messages == 0
    assert send_reminders(session_factory, settings, as_of=date(2023, 3, 11)).messages == 0
    assert len(smtp.received.messages) == 3


def test_a_milestone_is_reminded_three_days_ahead_then_once_late(session_factory, plans,
                                                                 smtp):
    settings = mail_settings(smtp.port)
    schools = f"milestone:{plans.milestones['First 50 schools']}"  # due 25 Jan 2023
    for day in (date(2023, 1, 21), date(2023, 1, 22), date(2023, 1, 23), date(2023, 1, 26),
                date(2023, 1, 27)):
        send_reminders(session_factory, settings, as_of=day, include_past=True)
    assert plan_steps(session_factory, "edu") == {(schools, "due_soon", "sent"),
                                                  (schools, "overdue", "sent")}
    edu = [m.get_content() for m in smtp.received.to("edu@see.example.org")]
    assert sum("First 50 schools" in text for text in edu) == 2


def test_the_governors_monday_digest_counts_late_milestones_and_high_risks(
        session_factory, plans, smtp):
    send_reminders(session_factory, mail_settings(smtp.port), as_of=date(2023, 3, 13))
    [gil] = smtp.received.to("gil@gov.example.org")
    text = gil.get_body(("plain",)).get_content()
    assert "Planos de entrega: 2 marcos atrasados, 1 riscos altos abertos" in text
