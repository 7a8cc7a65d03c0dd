"""Changes made on behalf of a person: the right is checked, the actor is recorded, and a change
based on something another person has since changed is refused with a message showing theirs.

Each function runs inside the caller's transaction and raises ``AccessDenied`` (nothing written)
when the viewer may not see or change the object, whatever id the browser sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from delivery.access import (
    Viewer,
    can_edit_goal,
    can_edit_trajectory,
    can_report_figures,
    can_see_goal,
    can_update_commitment,
    require,
)
from delivery.clock import review_date, stamp_now
from delivery.figures import (
    RecordCounts,
    latest_revisions,
    record_figures_by_row,
    screen_source,
)
from delivery.i18n import _, _l, formats
from delivery.models import AuditEntry, Commitment, Goal, Trajectory
from delivery.plausibility import (
    FigureRefused,
    admit_figures,
    check_written,
    flag_implausible,
)
from delivery.plausibility.check import as_number
from delivery.trajectory_versions import TrajectoryConflict, latest_version, propose
from delivery.vocabulary import CommitmentState, Shape

EDITABLE_GOAL_FIELDS = frozenset({
    "name", "indicator", "unit", "baseline_value", "baseline_date", "target_value",
    "target_date", "target_low", "target_high", "tolerance", "off_track_tolerance",
    "reporting_lag_days", "is_public", "is_output",
})
NOT_YOURS = _l("You do not have the right to change this, or it does not exist.")


class GoalConflict(RuntimeError):
    """The goal was saved by someone else after the version this change was based on."""

    def __init__(self, goal: Goal, expected_version: int, other: AuditEntry | None) -> None:
        self.other = other
        if other is None:
            theirs = _("someone saved version {version}").format(version=goal.version)
        else:
            changed = "; ".join(
                f"{key.replace('_', ' ')}: {(other.before or {}).get(key)} → {value}"
                for key, value in (other.after or {}).items() if key != "version"
            )
            theirs = _("{who} saved it at {when} ({changed})").format(
                who=other.actor, when=formats.moment(other.at), changed=changed or _("no fields"))
        super().__init__(_(
            "Goal {code} was changed while you were editing it: your change was based on "
            "version {version}, but {theirs}. Your change was not saved: reload to see "
            "theirs, then apply yours on top of it.").format(
                code=goal.code, version=expected_version, theirs=theirs))


def _act_as(session: Session, viewer: Viewer) -> None:
    session.info["actor"] = viewer.username or "anonymous"


def _last_goal_change(session: Session, goal_id: int) -> AuditEntry | None:
    query = (select(AuditEntry)
             .where(AuditEntry.object_type == "Goal", AuditEntry.object_id == str(goal_id))
             .order_by(AuditEntry.id.desc()).limit(1))
    return session.scalars(query).first()


def update_goal(session: Session, viewer: Viewer, goal_id: object, changes: dict[str, Any],
                expected_version: int) -> Goal:
    """Apply ``changes`` to a goal the viewer loaded at ``expected_version``.

    Raises GoalConflict when someone saved the goal since (even a split second before this
    save: the UPDATE itself checks the version), ValueError on a field that cannot be edited.
    """
    require(can_edit_goal(viewer) and can_see_goal(session, viewer, goal_id), NOT_YOURS)
    unknown = set(changes) - EDITABLE_GOAL_FIELDS
    if unknown:
        raise ValueError(_("these goal fields cannot be edited here: {fields}").format(
            fields=", ".join(sorted(unknown))))
    _act_as(session, viewer)
    goal = session.get(Goal, goal_id, populate_existing=True)
    assert goal is not None
    if goal.version != expected_version:
        raise GoalConflict(goal, expected_version, _last_goal_change(session, goal.id))
    try:
        with session.begin_nested():
            for key, value in changes.items():
                setattr(goal, key, value)
            session.flush()
    except StaleDataError:
        session.expire(goal)
        raise GoalConflict(goal, expected_version, _last_goal_change(session, goal.id)) from None
    return goal


def save_trajectory(session: Session, viewer: Viewer, goal_id: object, shape: Shape,
                    milestones: Sequence[tuple[date, float]], *, rationale: str,
                    based_on: int | None, restates_past: bool = False) -> Trajectory:
    """Propose the next trajectory version of a goal, based on version ``based_on`` (the rules
    of ``trajectory_versions.propose``: a reason, the past kept unless ``restates_past``, the
    goal's open proposal withdrawn).

    Raises TrajectoryConflict when a later version exists, including one saved by another
    person at the same moment (the database's unique version per goal decides who was first).
    """
    require(can_edit_trajectory(viewer) and can_see_goal(session, viewer, goal_id), NOT_YOURS)
    _act_as(session, viewer)
    goal = session.get(Goal, goal_id)
    assert goal is not None
    try:
        with session.begin_nested():
            return propose(session, goal, shape, milestones, proposed_by=viewer.username,
                           rationale=rationale, based_on=based_on,
                           restates_past=restates_past, at=stamp_now(session))
    except IntegrityError:
        latest = latest_version(session, goal)
        if latest is None:
            raise
        raise TrajectoryConflict(goal, based_on or 0, latest) from None


def report_figure(session: Session, viewer: Viewer, goal_id: object, period_start: date,
                  period_end: date, value: float | str, *, provisional: bool = False,
                  source: str = "", note: str = "") -> RecordCounts:
    """Record a figure for a goal the viewer may report on (a new revision if one exists);
    see ``report_figures``. Any value the browser sent (a text, 10**400, NaN) is refused with
    a message, never an error."""
    row = {"period_start": period_start, "period_end": period_end,
           "value": as_number(value) + 0.0, "is_provisional": provisional, "note": note}
    return report_figures(session, viewer, goal_id, pd.DataFrame([row]), source=source)[1]


def report_figures(session: Session, viewer: Viewer, goal_id: object, rows: pd.DataFrame, *,
                   source: str = "") -> tuple[pd.DataFrame, RecordCounts]:
    """Record many figures of one goal the viewer may report on, in one insert.

    ``rows`` has period_start, period_end, value, is_provisional and note, one row per
    period. Returns the rows written (with their ``revision`` and ``outcome``) and the counts.
    Thousands of rows take one query to plan and one executemany to write, so the write lock
    is held for a moment rather than for a round trip per row.

    Every row passes ``delivery.plausibility``'s check first: FigureRefused (a ValueError
    naming the field) for the first row that may not be stored, or needs a note and has none.
    A figure stored with a warning is flagged; the data-quality checks then run on the goal.
    """
    require(can_report_figures(session, viewer, goal_id), NOT_YOURS)
    if (rows["period_end"] < rows["period_start"]).any():
        raise ValueError(_("the period ends before it starts"))
    goal = session.get(Goal, goal_id)
    assert goal is not None
    return report_many(session, viewer, rows.assign(goal_id=goal.id), source=source)


def report_many(session: Session, viewer: Viewer, rows: pd.DataFrame, *, source: str = "",
                checked: pd.DataFrame | None = None, stored: pd.DataFrame | None = None
                ) -> tuple[pd.DataFrame, RecordCounts]:
    """``report_figures`` for rows of several goals (a ``goal_id`` column), whose rights the
    caller has checked (``can_report_figures`` on each goal). ``checked``: the plausibility
    verdict the caller already has for ``rows`` (to name every refused row itself);
    ``stored``: ``latest_revisions`` of the goals, when read already."""
    _act_as(session, viewer)
    as_of = review_date(session)
    rows = rows.assign(note=rows["note"].fillna("").astype(str).str.strip())
    if stored is None:
        stored = latest_revisions(session, rows["goal_id"].tolist())
    verdict = checked if checked is not None else admit_figures(session, rows, as_of=as_of,
                                                                stored=stored)
    refused = verdict["error"].notna().to_numpy()
    if refused.any():
        first = verdict[refused].iloc[0]
        raise FigureRefused(str(first["field"]), str(first["error"]))
    rows = rows.assign(value=rows["value"].astype(float) + 0.0)  # -0 is stored as 0
    # stored now, known on the review date (the pinned day in the demo), as every figure is
    written, counts = record_figures_by_row(session, rows, reported_by=viewer.username,
                                            source=source or screen_source(viewer.username),
                                            latest=stored)
    if counts.written:
        actor = viewer.username or "anonymous"
        warned = rows.assign(warning=verdict["warning"].to_numpy())
        flag_implausible(session, warned[warned["warning"].notna()], actor=actor, as_of=as_of)
        check_written(session, rows, actor=actor, as_of=as_of)
    return written, counts


def update_commitment(session: Session, viewer: Viewer, commitment_id: object,
                      state: CommitmentState | str, *, on: date | None = None) -> Commitment:
    """Mark a commitment open, done or dropped (``on``: the day it was closed, by default the
    review date, so that routine health, /review and /pact count it closed on the same day
    the screen showed, the pinned day in the demo)."""
    require(can_update_commitment(session, viewer, commitment_id), NOT_YOURS)
    try:
        state = CommitmentState(state)
    except ValueError:
        raise ValueError(_("{state} is not a commitment state").format(state=repr(state))) \
            from None
    _act_as(session, viewer)
    commitment = session.get(Commitment, commitment_id)
    assert commitment is not None
    closing = state != CommitmentState.OPEN
    on = on or review_date(session)  # before the changes: reading the clock may flush
    commitment.state = state
    commitment.closed_on = on if closing else None
    commitment.closed_by = viewer.username if closing else None
    session.flush()
    return commitment
