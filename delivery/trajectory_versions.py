"""Trajectory versions in the database: the original promise, proposals, approvals, and which
version was in force on a date. Versions are rows that are never edited once approved.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from datetime import date, datetime

import pandas as pd
from sqlalchemy import ColumnElement, String, and_, func, select, type_coerce, update
from sqlalchemy.orm import Session, selectinload

from delivery.clock import stamp_now
from delivery.db import query_frame
from delivery.figures import known_by
from delivery.i18n import _, _n, formats
from delivery.models import Goal, Trajectory, TrajectoryPoint
from delivery.trajectories import planned_values
from delivery.vocabulary import Shape


class TrajectoryConflict(RuntimeError):
    """A change was based on a version that someone else has since superseded."""

    def __init__(self, goal: Goal, based_on: int, latest: Trajectory) -> None:
        self.latest = latest
        super().__init__(_(
            "Goal {code}: your change was based on trajectory version {based_on}, but {who} "
            "saved version {version} at {when} ({reason}). Reload to see their change, then "
            "apply yours on top of it.").format(
                code=goal.code, based_on=based_on, who=latest.proposed_by,
                version=latest.version, when=formats.moment(latest.created_at),
                reason=latest.rationale or _("no reason given")))


def latest_version(session: Session, goal: Goal) -> Trajectory | None:
    query = (
        select(Trajectory).where(Trajectory.goal_id == goal.id)
        .order_by(Trajectory.version.desc()).limit(1)
    )
    return session.scalars(query).first()


def latest_approved(session: Session, goal_id: int) -> Trajectory | None:
    """The newest approved version, whenever it was approved (the one a change is measured
    against)."""
    query = (select(Trajectory)
             .where(Trajectory.goal_id == goal_id, Trajectory.approved_at.is_not(None))
             .order_by(Trajectory.version.desc()).limit(1)
             .options(selectinload(Trajectory.points)))
    return session.scalars(query).first()


def past_changes(current: Trajectory | None, shape: Shape,
                 milestones: Sequence[tuple[date, float]], day: date) -> list[str]:
    """Where the proposed path differs from ``current`` before ``day``, as "date (old → new)",
    oldest first (none without a current version): compared on every milestone date of either
    before ``day``, so a past milestone moved, or one added off the old path, counts, and one
    dropped or added on the same path does not. (A later milestone may still redraw the line
    between the last past milestone and ``day``: the promise for the past is its milestones.)"""
    if current is None or not current.points:
        return []
    days = sorted({p.on for p in current.points if p.on < day}
                  | {d for d, _ in milestones if d < day})
    if not days:
        return []
    old = planned_values(current.milestones(), Shape(current.shape), days)
    new = planned_values(sorted(milestones), shape, days)
    return [f"{formats.day(on)} ({formats.number(a, up_to=4)} → {formats.number(b, up_to=4)})"
            for on, a, b in zip(days, old, new, strict=True)
            if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)]


def propose(
    session: Session,
    goal: Goal,
    shape: Shape,
    milestones: Sequence[tuple[date, float]],
    *,
    proposed_by: str,
    rationale: str,
    based_on: int | None,
    restates_past: bool = False,
    at: datetime | None = None,
) -> Trajectory:
    """Add the next version of the goal's trajectory (not in force until approved).

    ``based_on`` is the version the proposer was looking at (None for the first); if a later one
    exists the change is refused with ``TrajectoryConflict`` so that nothing is silently lost.
    A change (any version after the first) needs a ``rationale``; one whose path differs from
    the approved version's on a milestone date before the day it is made (``at``, by default
    the clock's: the pinned review date in the demo) is refused naming the milestone unless
    ``restates_past``. The
    goal's open proposal, if any, is withdrawn by this one (at most one is open per goal).
    """
    if not milestones:
        raise ValueError(_("Goal {code}: a trajectory needs at least one milestone").format(
            code=goal.code))
    dates = [d for d, _ in milestones]
    if len(set(dates)) != len(dates):
        raise ValueError(_("Goal {code}: two milestones share a date").format(code=goal.code))
    latest = latest_version(session, goal)
    if latest is not None and latest.version != based_on:
        raise TrajectoryConflict(goal, based_on or 0, latest)
    if latest is not None and not (rationale or "").strip():
        raise ValueError(_("reason: say why the trajectory of goal {code} changes").format(
            code=goal.code))
    at = at or stamp_now(session)
    restated = past_changes(latest_approved(session, goal.id), shape, milestones, at.date())
    if restated and not restates_past:
        raise ValueError(_n(
            "Goal {code}: milestone {which} is before {date}; to change the past, choose "
            "\"restate the past\" and say why",
            "Goal {code}: milestones {which} are before {date}; to change the past, choose "
            "\"restate the past\" and say why", len(restated)).format(
                code=goal.code, which=", ".join(restated[:3]), date=formats.day(at.date())))
    if latest is not None and is_open(latest):
        try:
            _settle(session, latest, withdrawn_by=proposed_by, withdrawn_at=at)
        except AlreadyDecided:  # decided a moment ago: fine; withdrawn: a newer one came first
            if latest.withdrawn_at is not None:
                raise TrajectoryConflict(goal, latest.version,
                                         latest_version(session, goal) or latest) from None
    trajectory = Trajectory(
        goal_id=goal.id,
        version=(latest.version + 1) if latest else 1,
        shape=shape,
        proposed_by=proposed_by,
        rationale=(rationale or "").strip(),
        restates_past=bool(restated),
        created_at=at,
        points=[TrajectoryPoint(on=d, value=float(v)) for d, v in sorted(milestones)],
    )
    session.add(trajectory)
    session.flush()
    return trajectory


def awaiting_decision() -> ColumnElement[bool]:
    """``is_open`` in SQL: the versions proposed and not yet approved, rejected or withdrawn
    (what the workspace counts and the trajectory screen lists)."""
    return and_(Trajectory.approved_at.is_(None), Trajectory.rejected_at.is_(None),
                Trajectory.withdrawn_at.is_(None))


def is_open(trajectory: Trajectory) -> bool:
    """Proposed and awaiting a decision: not approved, rejected or withdrawn."""
    return (trajectory.approved_at is None and trajectory.rejected_at is None
            and trajectory.withdrawn_at is None)


class AlreadyDecided(ValueError):
    """Someone else settled the version first (approved, rejected or withdrew it)."""

    def __init__(self, trajectory: Trajectory) -> None:
        self.trajectory = trajectory
        t = trajectory
        if t.approved_at is not None:
            said = _("trajectory version {version} was already approved by {who} at {when}")
            who, when = t.approved_by, t.approved_at
        elif t.rejected_at is not None:
            said = _("trajectory version {version} was already rejected by {who} at {when} "
                     "({reason})")
            who, when = t.rejected_by, t.rejected_at
        else:
            said = _("trajectory version {version} was already withdrawn by {who} at {when}, "
                     "when a newer version was proposed")
            who, when = t.withdrawn_by, t.withdrawn_at
        super().__init__(said.format(version=t.version, who=who, when=formats.moment(when),
                                     reason=t.rejection_reason))


def _settle(session: Session, trajectory: Trajectory, **values: object) -> None:
    """Approve, reject or withdraw a version only if it is still open, in one conditional
    UPDATE: of two people deciding at once exactly one changes the row, the other gets
    ``AlreadyDecided`` naming who decided and when (read back from the row)."""
    open_now = (Trajectory.id == trajectory.id, awaiting_decision())
    claimed = session.execute(update(Trajectory).where(*open_now).values(**values)
                              .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(trajectory)
        raise AlreadyDecided(trajectory)
    # The row is ours now; setting the same values through the ORM writes them once more so
    # that the audit trail (an ORM flush listener) records the decision like any other change.
    for key, value in values.items():
        setattr(trajectory, key, value)
    session.flush()


def approve(session: Session, trajectory: Trajectory, *, approved_by: str,
            at: datetime | None = None) -> Trajectory:
    """Put a proposed version in force from ``at``; ``AlreadyDecided`` if it is not open."""
    if not is_open(trajectory):
        raise AlreadyDecided(trajectory)
    _settle(session, trajectory, approved_by=approved_by, approved_at=at or stamp_now(session))
    return trajectory


def reject(session: Session, trajectory: Trajectory, *, rejected_by: str, reason: str,
           at: datetime | None = None) -> Trajectory:
    """Refuse a proposed version for good, with the reason; its milestones stay as proposed.
    ``AlreadyDecided`` if it is not open."""
    if not is_open(trajectory):
        raise AlreadyDecided(trajectory)
    if not reason.strip():
        raise ValueError(_("reason: say why the proposal is rejected"))
    _settle(session, trajectory, rejected_by=rejected_by, rejected_at=at or stamp_now(session),
            rejection_reason=reason.strip())
    return trajectory


def in_force(session: Session, goal_id: int, as_of: date | datetime) -> Trajectory | None:
    """The approved version in force on ``as_of`` (the latest approved by then)."""
    query = (
        select(Trajectory)
        .where(Trajectory.goal_id == goal_id, Trajectory.approved_at < known_by(as_of))
        .order_by(Trajectory.version.desc())
        .limit(1)
        .options(selectinload(Trajectory.points))
    )
    return session.scalars(query).first()


def original(session: Session, goal_id: int) -> Trajectory | None:
    """Version 1: the promise as first made, kept visible next to the current one."""
    query = select(Trajectory).where(Trajectory.goal_id == goal_id, Trajectory.version == 1)
    return session.scalars(query.options(selectinload(Trajectory.points))).first()


def in_force_points(session: Session, as_of: date | datetime,
                    goal_ids: Collection[int] | None = None) -> pd.DataFrame:
    """Milestones of every goal's (of ``goal_ids`` if given) trajectory in force on ``as_of``,
    one row per milestone (goal_id, shape, on, value), sorted by goal and date: one query
    whatever the goal count."""
    newest = (
        select(Trajectory.goal_id, func.max(Trajectory.version).label("version"))
        .where(Trajectory.approved_at < known_by(as_of),
               *([] if goal_ids is None else [Trajectory.goal_id.in_(list(goal_ids))]))
        .group_by(Trajectory.goal_id)
        .subquery()
    )
    shape = type_coerce(Trajectory.shape, String)  # plain text: no enum object per row
    query = (
        select(Trajectory.goal_id, shape, TrajectoryPoint.on, TrajectoryPoint.value)
        .join(TrajectoryPoint, TrajectoryPoint.trajectory_id == Trajectory.id)
        .join(newest, (Trajectory.goal_id == newest.c.goal_id)
              & (Trajectory.version == newest.c.version))
        .order_by(Trajectory.goal_id, TrajectoryPoint.on)
    )
    return query_frame(session, query, ["goal_id", "shape", "on", "value"])


def all_in_force(session: Session, as_of: date | datetime) -> dict[int, tuple[Shape, list]]:
    """Every goal's trajectory in force on ``as_of``: goal_id -> (shape, milestones)."""
    result: dict[int, tuple[Shape, list]] = {}
    for goal_id, shape, on, value in in_force_points(session, as_of).itertuples(index=False):
        result.setdefault(goal_id, (Shape(shape), []))[1].append((on, value))
    return result
