"""Which reminders are due on a date, for whom, at which step.

- a figure due in ``FIGURE_AHEAD`` days (``due_soon``) and overdue (``overdue``) to whoever
  reports it; overdue ``ESCALATE_AFTER`` days or more (``escalated``) to the head of the
  secretariat that reports it and to the delivery unit's analysts;
- a commitment due tomorrow (``due_tomorrow``) and overdue (``overdue``) to its owner;
- a trajectory proposal waiting ``PROPOSAL_WAIT`` days or more (``waiting``) to the editors
  who may decide it;
- a delivery-plan milestone due in ``FIGURE_AHEAD`` days (``due_soon``) and late (``overdue``)
  to the users of the secretariat that leads its initiative;
- an open risk scored 15 or more (``high_risk``), and once its review date has passed
  (``overdue``), to the users of the secretariat that answers for it.

The steps come from the same sources as the inbox (``delivery.inbox``), so a reminder is
always about something the person also sees there, and a thing done stops being reminded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.access import Viewer
from delivery.inbox import (
    InboxItem,
    commitments_owned,
    figures_waiting,
    goals_reported_by,
    milestones_owned,
    proposals_awaiting,
    risks_open,
)
from delivery.models import Goal, User
from delivery.vocabulary import Role

FIGURE_AHEAD = 3
ESCALATE_AFTER = 7
PROPOSAL_WAIT = 3
STEPS = ("escalated", "overdue", "due_tomorrow", "due_soon", "waiting", "high_risk")


@dataclass(frozen=True)
class Reminder:
    user_id: int
    step: str
    item: InboxItem

    @property
    def key(self) -> tuple[int, str, str]:
        return self.user_id, self.item.thing, self.step


def _figure_step(item: InboxItem) -> str | None:
    if item.days_late > 0:
        return "overdue"
    return "due_soon" if -item.days_late <= FIGURE_AHEAD else None


def _commitment_step(item: InboxItem) -> str | None:
    if item.days_late > 0:
        return "overdue"
    return "due_tomorrow" if item.days_late == -1 else None


def _risk_step(item: InboxItem) -> str:
    return "overdue" if item.days_late > 0 else "high_risk"


def reminders_due(session: Session, as_of: date) -> dict[int, list[Reminder]]:
    """Every active account's reminders on ``as_of`` (accounts with none are left out)."""
    found: dict[int, list[Reminder]] = defaultdict(list)
    users = list(session.scalars(select(User).where(User.is_active.is_(True))
                                 .order_by(User.id)))
    figures: dict[tuple[int | None, bool], list[InboxItem]] = {}
    plans: dict[tuple[int | None, bool], list[tuple[str | None, InboxItem]]] = {}
    for user in users:
        viewer = Viewer.of(user)
        key = (viewer.own_secretariat, viewer.is_editor)
        if key not in figures:
            figures[key] = figures_waiting(session, goals_reported_by(session, viewer), as_of,
                                           ahead_days=FIGURE_AHEAD)
        for item in figures[key]:
            if step := _figure_step(item):
                found[user.id].append(Reminder(user.id, step, item))
        for item in commitments_owned(session, viewer, as_of, ahead_days=1):
            if step := _commitment_step(item):
                found[user.id].append(Reminder(user.id, step, item))
        for item in proposals_awaiting(session, viewer, as_of):
            if item.days_late >= PROPOSAL_WAIT:
                found[user.id].append(Reminder(user.id, "waiting", item))
        if key not in plans:
            plans[key] = ([(_figure_step(i), i) for i in milestones_owned(
                session, viewer, as_of, ahead_days=FIGURE_AHEAD)]
                + [(_risk_step(i), i) for i in risks_open(session, viewer, as_of)])
        for step, item in plans[key]:
            if step:
                found[user.id].append(Reminder(user.id, step, item))
    for user_id, reminder in escalations(session, users, as_of):
        found[user_id].append(reminder)
    return dict(found)


def escalations(session: Session, users: list[User], as_of: date
                ) -> list[tuple[int, Reminder]]:
    """Figures overdue ``ESCALATE_AFTER`` days or more, to the reporting secretariat's head
    and to every analyst of the unit."""
    goal_ids = list(session.scalars(select(Goal.id).where(Goal.owner_id.is_not(None))))
    late = [i for i in figures_waiting(session, goal_ids, as_of, ahead_days=0)
            if i.days_late >= ESCALATE_AFTER]
    out = []
    for item in late:
        for user in users:
            head = (user.is_secretariat_head and user.role == Role.SECRETARIAT
                    and user.secretariat_id == item.secretariat_id)
            if head or user.role == Role.ANALYST:
                out.append((user.id, Reminder(user.id, "escalated", item)))
    return out
