"""Trajectory versions in the database: the original promise, proposals, approvals, and which
version was in force on a date. Versions are rows that are never edited once approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd
from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from delivery.db import query_frame
from delivery.figures import known_by
from delivery.models import Goal, Trajectory, TrajectoryPoint, utcnow
from delivery.vocabulary import Shape


class TrajectoryConflict(RuntimeError):
    """A change was based on a version that someone else has since superseded."""

    def __init__(self, goal: Goal, based_on: int, latest: Trajectory) -> None:
        self.latest = latest
        super().__init__(
            f"Goal {goal.code}: your change was based on trajectory version {based_on}, but "
            f"{latest.proposed_by} saved version {latest.version} at "
            f"{latest.created_at:%Y-%m-%d %H:%M} ({latest.rationale or 'no reason given'}). "
            "Reload to see their change, then apply yours on top of it."
        )


def latest_version(session: Session, goal: Goal) -> Trajectory | None:
    query = (
        select(Trajectory).where(Trajectory.goal_id == goal.id)
        .order_by(Trajectory.version.desc()).limit(1)
    )
    return session.scalars(query).first()


def propose(
    session: Session,
    goal: Goal,
    shape: Shape,
    milestones: Sequence[tuple[date, float]],
    *,
    proposed_by: str,
    rationale: str,
    based_on: int | None,
    at: datetime | None = None,
) -> Trajectory:
    """Add the next version of the goal's trajectory (not in force until approved).

    ``based_on`` is the version the proposer was looking at (None for the first); if a later one
    exists the change is refused with ``TrajectoryConflict`` so that nothing is silently lost.
    """
    if not milestones:
        raise ValueError(f"Goal {goal.code}: a trajectory needs at least one milestone")
    dates = [d for d, _ in milestones]
    if len(set(dates)) != len(dates):
        raise ValueError(f"Goal {goal.code}: two milestones share a date")
    latest = latest_version(session, goal)
    if latest is not None and latest.version != based_on:
        raise TrajectoryConflict(goal, based_on or 0, latest)
    trajectory = Trajectory(
        goal_id=goal.id,
        version=(latest.version + 1) if latest else 1,
        shape=shape,
        proposed_by=proposed_by,
        rationale=rationale,
        created_at=at or utcnow(),
        points=[TrajectoryPoint(on=d, value=float(v)) for d, v in sorted(milestones)],
    )
    session.add(trajectory)
    session.flush()
    return trajectory


def approve(session: Session, trajectory: Trajectory, *, approved_by: str,
            at: datetime | None = None) -> Trajectory:
    """Put a proposed version in force from ``at``."""
    if trajectory.approved_at is not None:
        raise ValueError(f"trajectory version {trajectory.version} is already approved")
    if trajectory.rejected_at is not None:
        raise ValueError(f"trajectory version {trajectory.version} was rejected by "
                         f"{trajectory.rejected_by}: propose it again to have it approved")
    trajectory.approved_by = approved_by
    trajectory.approved_at = at or utcnow()
    session.flush()
    return trajectory


def reject(session: Session, trajectory: Trajectory, *, rejected_by: str, reason: str,
           at: datetime | None = None) -> Trajectory:
    """Refuse a proposed version for good, with the reason; its milestones stay as proposed."""
    if trajectory.approved_at is not None or trajectory.rejected_at is not None:
        state = "approved" if trajectory.approved_at is not None else "rejected"
        raise ValueError(f"trajectory version {trajectory.version} is already {state}")
    if not reason.strip():
        raise ValueError("reason: say why the proposal is rejected")
    trajectory.rejected_by = rejected_by
    trajectory.rejected_at = at or utcnow()
    trajectory.rejection_reason = reason.strip()
    session.flush()
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


def in_force_points(session: Session, as_of: date | datetime) -> pd.DataFrame:
    """Milestones of every goal's trajectory in force on ``as_of``, one row per milestone
    (goal_id, shape, on, value), sorted by goal and date: one query whatever the goal count."""
    newest = (
        select(Trajectory.goal_id, func.max(Trajectory.version).label("version"))
        .where(Trajectory.approved_at < known_by(as_of))
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
