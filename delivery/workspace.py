"""Domain helpers behind the analyst workspace: what an editor may pick, and the changes made
there, each checking the right again whatever id came from the browser."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

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
from delivery.plausibility import Rules, read_rule_changes, rules_for, set_rules
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


def save_goal_rules(session: Session, viewer: Viewer, goal_id: object,
                    raw: Mapping[str, Any]) -> Rules:
    """Set a goal's plausibility rules as typed (a blank field goes back to the default);
    editors only, audited as the viewer. Returns the rules now in force."""
    require(can_edit_strategy(viewer) and is_row_id(goal_id)
            and can_see_goal(session, viewer, goal_id), NOT_YOURS)
    assert isinstance(goal_id, int)
    changes = read_rule_changes(raw)
    session.info["actor"] = viewer.username
    set_rules(session, goal_id, changes)
    return rules_for(session, [goal_id])[goal_id]


def flag_queue(session: Session) -> list[DataQualityFlag]:
    """Open flags first (newest first), then the resolved ones, most recently resolved first."""
    flags = list(session.scalars(select(DataQualityFlag)))
    return sorted(flags, key=lambda f: (f.state is not FlagState.OPEN,
                                        -(f.resolved_at or f.raised_at).timestamp(), -f.id))
