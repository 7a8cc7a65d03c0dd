"""Proposed trajectory versions awaiting a decision: which one waits on a goal, how it compares
with the version in force, and approving or rejecting it on someone's behalf.

Analysts and admins propose; an analyst or an admin *other than the proposer* decides (four
eyes: whoever moved a goal's bar does not also put it in force). The governor sees proposals and
decides nothing here, as everywhere else. A decision is a new state of the version (who, when,
and for a rejection why); its milestones are never changed, and a rejected proposal stays in the
history. A goal has at most one open proposal (a new one withdraws it), and of two decisions at
once exactly one holds: ``trajectory_versions.AlreadyDecided`` tells the other who decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from delivery.access import Viewer, can_edit_trajectory, can_see_goal, is_row_id, require
from delivery.clock import stamp_now
from delivery.edits import NOT_YOURS
from delivery.i18n import N_, _
from delivery.models import Trajectory
from delivery.trajectories import planned_values
from delivery.trajectory_versions import AlreadyDecided, approve, is_open, reject
from delivery.vocabulary import Shape

OWN_PROPOSAL = N_("You proposed this version: another analyst or an admin approves or rejects it.")


@dataclass(frozen=True)
class Proposal:
    """The version awaiting a decision, the version in force, and both paths side by side."""

    trajectory: Trajectory
    in_force: Trajectory | None
    comparison: pd.DataFrame  # on, proposed, in_force (None without one), change


def _versions(session: Session, goal_id: int) -> list[Trajectory]:
    query = (select(Trajectory).where(Trajectory.goal_id == goal_id)
             .order_by(Trajectory.version.desc()).options(selectinload(Trajectory.points)))
    return list(session.scalars(query))


def pending_proposal(session: Session, goal_id: int) -> Proposal | None:
    """The goal's newest version if it awaits a decision (a goal has at most one: a new
    proposal withdraws the open one), else None."""
    versions = _versions(session, goal_id)
    if not versions or not is_open(versions[0]):
        return None
    current = next((t for t in versions if t.approved_at is not None), None)
    return Proposal(versions[0], current, compare(versions[0], current))


def compare(proposed: Trajectory, current: Trajectory | None) -> pd.DataFrame:
    """Both paths on every milestone date of either, oldest first."""
    days = sorted({p.on for p in proposed.points}
                  | ({p.on for p in current.points} if current else set()))
    ours = planned_values(proposed.milestones(), Shape(proposed.shape), days)
    theirs = (planned_values(current.milestones(), Shape(current.shape), days)
              if current and current.points else [None] * len(days))
    frame = pd.DataFrame({"on": days, "proposed": ours, "in_force": theirs})
    frame["change"] = frame["proposed"] - pd.to_numeric(frame["in_force"])
    return frame


def may_decide(viewer: Viewer, trajectory: Trajectory) -> bool:
    """Editors decide on proposals, except on their own."""
    return can_edit_trajectory(viewer) and trajectory.proposed_by != viewer.username


def _pending_for(session: Session, viewer: Viewer, trajectory_id: object) -> Trajectory:
    trajectory = session.get(Trajectory, trajectory_id) if is_row_id(trajectory_id) else None
    require(trajectory is not None and can_edit_trajectory(viewer)
            and can_see_goal(session, viewer, trajectory.goal_id), NOT_YOURS)
    assert trajectory is not None
    require(trajectory.proposed_by != viewer.username, _(OWN_PROPOSAL))
    if not is_open(trajectory):
        raise AlreadyDecided(trajectory)
    newest = _versions(session, trajectory.goal_id)[0]
    if newest.id != trajectory.id:
        raise ValueError(_("version {version} was superseded by version {newest} ({who}): "
                           "decide on that one").format(version=trajectory.version,
                                                        newest=newest.version,
                                                        who=newest.proposed_by))
    session.info["actor"] = viewer.username
    return trajectory


def approve_trajectory(session: Session, viewer: Viewer, trajectory_id: object, *,
                       at: datetime | None = None) -> Trajectory:
    """Put the goal's pending version in force from now (the pinned day in the demo).

    Raises AccessDenied for the proposer and for anyone who may not edit trajectories,
    AlreadyDecided (a ValueError naming who decided and when) for a version someone has
    approved, rejected or withdrawn, even a moment earlier, ValueError for one superseded.
    """
    trajectory = _pending_for(session, viewer, trajectory_id)
    return approve(session, trajectory, approved_by=viewer.username,
                   at=at or stamp_now(session))


def reject_trajectory(session: Session, viewer: Viewer, trajectory_id: object, reason: str, *,
                      at: datetime | None = None) -> Trajectory:
    """Refuse the goal's pending version, saying why; the version in force stays in force."""
    trajectory = _pending_for(session, viewer, trajectory_id)
    return reject(session, trajectory, rejected_by=viewer.username, reason=reason or "",
                  at=at or stamp_now(session))


def decide(session: Session, viewer: Viewer, trajectory_id: object, action: str,
           reason: str = "") -> Trajectory:
    """``approve_trajectory`` or ``reject_trajectory`` by name, as a screen's buttons ask."""
    if action == "approve":
        return approve_trajectory(session, viewer, trajectory_id)
    if action == "reject":
        return reject_trajectory(session, viewer, trajectory_id, reason)
    raise ValueError(_("{action} is not a decision (approve or reject)").format(
        action=repr(action)))
