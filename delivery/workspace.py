"""Domain helpers behind the analyst workspace: what an editor may pick, and the changes made
there, each checking the right again whatever id came from the browser."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from delivery.access import (
    Viewer,
    can_edit_strategy,
    can_see_goal,
    goal_scope,
    is_row_id,
    require,
)
from delivery.edits import NOT_YOURS
from delivery.models import DataQualityFlag, Goal, Trajectory
from delivery.quality import resolve_flag, run_checks
from delivery.vocabulary import FlagState


def editable_goals(session: Session, viewer: Viewer) -> list[Goal]:
    """The goals whose trajectory the viewer may change, by code (none for other roles)."""
    if not can_edit_strategy(viewer):
        return []
    return list(session.scalars(select(Goal).where(goal_scope(viewer)).order_by(Goal.code)))


def trajectory_versions(session: Session, goal_id: int) -> list[Trajectory]:
    """Every version of a goal's trajectory with its milestones, newest first."""
    query = (select(Trajectory).where(Trajectory.goal_id == goal_id)
             .order_by(Trajectory.version.desc()).options(selectinload(Trajectory.points)))
    return list(session.scalars(query))


def resolve_flag_as(session: Session, viewer: Viewer, flag_id: object, state: FlagState | str,
                    note: str, *, at: datetime | None = None) -> DataQualityFlag:
    """Confirm or dismiss a flag on a goal the viewer may edit (``resolve_flag``'s rules)."""
    flag = session.get(DataQualityFlag, flag_id) if is_row_id(flag_id) else None
    require(flag is not None and can_edit_strategy(viewer)
            and can_see_goal(session, viewer, flag.goal_id), NOT_YOURS)
    assert flag is not None
    return resolve_flag(session, flag.id, state=state, by=viewer.username, note=note, at=at)


def run_checks_as(session: Session, viewer: Viewer, as_of: date) -> list[DataQualityFlag]:
    """Run every data-quality check as of ``as_of`` on the viewer's behalf (editors only)."""
    require(can_edit_strategy(viewer), NOT_YOURS)
    return run_checks(session, as_of=as_of, actor=viewer.username)


def flag_queue(session: Session) -> list[DataQualityFlag]:
    """Open flags first (newest first), then the resolved ones, most recently resolved first."""
    flags = list(session.scalars(select(DataQualityFlag)))
    return sorted(flags, key=lambda f: (f.state is not FlagState.OPEN,
                                        -(f.resolved_at or f.raised_at).timestamp(), -f.id))
