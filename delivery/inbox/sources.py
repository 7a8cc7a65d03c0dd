"""The inbox's sources: figures, commitments, proposals and data-quality flags.

Figures follow the goal's reporting frequency and the same rule as the ``late`` check
(``delivery.quality.checks.check_late``): the figure of the period after the latest one known
is due by that period's end plus the goal's reporting lag (one reporting period when it has
none). A goal with no figure yet counts from its baseline date.

Who reports a goal: the users of the secretariat that owns it; goals no secretariat owns fall
to the delivery unit (analysts and admins). Who owns a commitment: its account, else the users
of its secretariat; one with neither is the unit's to assign.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from delivery.access import Viewer, commitment_scope
from delivery.figures import known_by, latest_figure_per_goal
from delivery.inbox.items import AHEAD_DAYS, InboxItem, register_source
from delivery.models import Commitment, DataQualityFlag, Goal, ReviewMeeting, Trajectory
from delivery.quality.series import PERIODS
from delivery.vocabulary import CommitmentState, FlagState, Frequency


def next_period_end(last: date, frequency: Frequency) -> date:
    """The end of the reporting period after the one ending on ``last``."""
    following = pd.Period(last, freq=PERIODS[frequency]) + 1
    return following.to_timestamp(how="end").normalize().date()


def figure_due_by(period_end: date, frequency: Frequency, lag_days: int | None) -> date:
    """When a period's figure is due: its end plus the reporting lag (else one period)."""
    return period_end + timedelta(days=frequency.days if lag_days is None else lag_days)


def goals_reported_by(session: Session, viewer: Viewer) -> list[int]:
    """The goals whose figures ``viewer`` is expected to report."""
    if viewer.own_secretariat is not None:
        condition = Goal.owner_id == viewer.own_secretariat
    elif viewer.is_editor:
        condition = Goal.owner_id.is_(None)
    else:
        return []
    return list(session.scalars(select(Goal.id).where(condition).order_by(Goal.id)))


def figures_waiting(session: Session, goal_ids: Collection[int], as_of: date,
                    ahead_days: int = AHEAD_DAYS) -> list[InboxItem]:
    """For each goal, its next figure if it is due within ``ahead_days`` or overdue on
    ``as_of`` (one item per goal: the first period still missing)."""
    if not goal_ids:
        return []
    latest = latest_figure_per_goal(session, as_of, goal_ids)
    last = dict(zip(latest["goal_id"], latest["period_end"], strict=True))
    items = []
    for goal in session.scalars(select(Goal).where(Goal.id.in_(list(goal_ids)))):
        start = last.get(goal.id) or goal.baseline_date
        if start is None:
            continue
        frequency = Frequency(goal.frequency)
        period_end = next_period_end(pd.Timestamp(start).date(), frequency)
        due = figure_due_by(period_end, frequency, goal.reporting_lag_days)
        if period_end > as_of or due > as_of + timedelta(days=ahead_days):
            continue
        items.append(InboxItem(
            kind="figure", thing=f"figure:{goal.id}:{period_end.isoformat()}", due_on=due,
            as_of=as_of, href=f"/report?goal={goal.code}", goal_code=goal.code,
            goal_name=goal.name, subject=period_end.isoformat(), frequency=frequency.value,
            secretariat_id=goal.owner_id))
    return items


@register_source
def figures_due(session: Session, viewer: Viewer, as_of: date) -> list[InboxItem]:
    return figures_waiting(session, goals_reported_by(session, viewer), as_of)


def _owned_by(viewer: Viewer):  # type: ignore[no-untyped-def]
    mine = Commitment.owner_user_id == viewer.user_id
    if viewer.own_secretariat is not None:
        return or_(mine, and_(Commitment.owner_user_id.is_(None),
                              Commitment.owner_secretariat_id == viewer.own_secretariat))
    if viewer.is_editor:  # nobody's yet: the unit assigns it
        return or_(mine, and_(Commitment.owner_user_id.is_(None),
                              Commitment.owner_secretariat_id.is_(None)))
    return mine


@register_source
def commitments_owned(session: Session, viewer: Viewer, as_of: date,
                      ahead_days: int = AHEAD_DAYS) -> list[InboxItem]:
    """Open commitments ``viewer`` owns that are due within ``ahead_days`` or overdue (one
    closed after ``as_of`` was still open then)."""
    still_open = or_(Commitment.state == CommitmentState.OPEN, Commitment.closed_on > as_of)
    query = (select(Commitment, Goal.code, Goal.name)
             .join(ReviewMeeting, Commitment.meeting_id == ReviewMeeting.id)
             .outerjoin(Goal, Commitment.goal_id == Goal.id)
             .where(ReviewMeeting.held_on <= as_of, still_open, _owned_by(viewer),
                    Commitment.due_on <= as_of + timedelta(days=ahead_days)))
    rows = session.execute(query).all()
    opens = _openable(session, viewer, [c.id for c, _code, _name in rows])
    return [InboxItem(kind="commitment", thing=f"commitment:{c.id}", due_on=c.due_on,
                      as_of=as_of, href=commitment_link(c.id, opens), goal_code=code or "",
                      goal_name=name or "", subject=c.description,
                      secretariat_id=c.owner_secretariat_id)
            for c, code, name in rows]


def commitment_link(commitment_id: int, openable: Collection[int]) -> str:
    """The commitment's own page, or no link ("") when the viewer may not open it (an account
    named owner of another secretariat's commitment does not see it by that alone)."""
    return f"/commitment/{commitment_id}" if commitment_id in openable else ""


def _openable(session: Session, viewer: Viewer, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(select(Commitment.id).where(Commitment.id.in_(ids),
                                                           commitment_scope(viewer))))


@register_source
def proposals_awaiting(session: Session, viewer: Viewer, as_of: date) -> list[InboxItem]:
    """Trajectory proposals open on ``as_of`` that ``viewer`` may decide (editors, not their
    own): each goal's newest version, if nobody has decided it."""
    if not viewer.is_editor:
        return []
    cut = known_by(as_of)
    newest = (select(Trajectory.goal_id, func.max(Trajectory.version).label("version"))
              .where(Trajectory.created_at < cut).group_by(Trajectory.goal_id).subquery())
    query = (select(Trajectory, Goal.code, Goal.name)
             .join(newest, and_(Trajectory.goal_id == newest.c.goal_id,
                                Trajectory.version == newest.c.version))
             .join(Goal, Trajectory.goal_id == Goal.id)
             .where(Trajectory.proposed_by != viewer.username,
                    or_(Trajectory.approved_at.is_(None), Trajectory.approved_at >= cut),
                    or_(Trajectory.rejected_at.is_(None), Trajectory.rejected_at >= cut),
                    or_(Trajectory.withdrawn_at.is_(None), Trajectory.withdrawn_at >= cut)))
    return [InboxItem(kind="proposal", thing=f"proposal:{t.id}", due_on=t.created_at.date(),
                      as_of=as_of, href=f"/goal/{code}", goal_code=code, goal_name=name,
                      subject=t.proposed_by, secretariat_id=None)
            for t, code, name in session.execute(query)]


@register_source
def flags_to_answer(session: Session, viewer: Viewer, as_of: date) -> list[InboxItem]:
    """Open data-quality flags, one line per goal: every goal's for the unit (it resolves
    them), a secretariat's own goals' for a secretariat (it answers with a correction or a
    comment on the goal's page)."""
    if viewer.own_secretariat is not None:
        scope = Goal.owner_id == viewer.own_secretariat
    elif viewer.is_editor:
        scope = Goal.id.is_not(None)
    else:
        return []
    cut = known_by(as_of)
    query = (select(Goal.id, Goal.code, Goal.name, Goal.owner_id,
                    func.count(DataQualityFlag.id), func.min(DataQualityFlag.raised_at))
             .join(DataQualityFlag, DataQualityFlag.goal_id == Goal.id)
             .where(scope, DataQualityFlag.raised_at < cut,
                    or_(DataQualityFlag.state == FlagState.OPEN,
                        DataQualityFlag.resolved_at >= cut))
             .group_by(Goal.id, Goal.code, Goal.name, Goal.owner_id))
    return [InboxItem(kind="flags", thing=f"flags:{goal_id}", due_on=first.date(), as_of=as_of,
                      href=(f"/workspace/quality?goal={code}" if viewer.is_editor
                            else f"/goal/{code}"),
                      goal_code=code, goal_name=name, count=n, secretariat_id=owner)
            for goal_id, code, name, owner, n, first in session.execute(query)]
