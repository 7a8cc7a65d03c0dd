"""What the weekly review needs, with the clock passed in: the objective in focus, the goals most
off track, the commitments due since the last meeting, what changed in the week, and the
aggregate progress of a pillar or objective over time.

The weekly review rotates through the strategic objectives, one a week, as Pernambuco's governor
did: a review meeting scheduled on an objective in the week of ``as_of`` sets the focus;
otherwise the objectives take turns in strategy-map order (pillar, then objective), objective
number ``w mod n`` in the week numbered ``w`` (weeks counted from Monday 1 Jan of year 1, so the
turn moves on every Monday, also across new years).

Aggregate progress ("trajectory against target in aggregate"): for each goal with a baseline
and a target apart, the change achieved since the baseline as a share of the change promised
(0% at the baseline, 100% at the target), against the share its trajectory planned by the same
date; a group's line is the mean over its goals with a figure. Range goals are left out.

A goal's own page is ``delivery.goal_dossier``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from delivery.assessment import explanations, goal_statuses
from delivery.db import query_frame
from delivery.i18n import _
from delivery.models import Commitment, Goal, Objective, Pillar, ReviewMeeting
from delivery.review_grades import (  # noqa: F401 - re-exported: delivery.review's names
    ReviewGrades,
    figure_activity,
    forget,
    review_grades,
    status_changes,
    trajectory_changes,
)
from delivery.review_progress import (  # noqa: F401 - re-exported
    LOOKBACK,
    SHARE_CLIP,
    aggregate_progress,
    history_window_start,
    month_ends,
    progress_history,
)
from delivery.vocabulary import CommitmentState, MeetingState, Status

# Worst first: the order in which the review lists goals that need attention.
ATTENTION = {Status.OFF_TRACK.value: 0, Status.SLIPPING.value: 1}


def week_number(day: date) -> int:
    """Weeks since Monday 1 Jan of year 1: consecutive across years, changing on Mondays."""
    return (day.toordinal() - 1) // 7


def rotation_index(as_of: date, count: int) -> int | None:
    """Which of ``count`` objectives (in map order) is in focus in the week of ``as_of``."""
    return week_number(as_of) % count if count else None


def objective_in_focus(session: Session, as_of: date) -> tuple[Objective | None, str]:
    """(objective, why): the one a meeting this week is on, else the rotation's turn."""
    monday = as_of - timedelta(days=as_of.weekday())
    meeting = session.scalars(
        select(ReviewMeeting).where(ReviewMeeting.objective_id.is_not(None),
                                    ReviewMeeting.held_on.between(monday, monday + timedelta(6)))
        .order_by(ReviewMeeting.held_on)).first()
    if meeting is not None:
        return session.get(Objective, meeting.objective_id), _("on the agenda: {meeting}").format(
            meeting=meeting.title)
    objectives = list(session.scalars(
        select(Objective).join(Pillar).order_by(Pillar.position, Objective.position)))
    turn = rotation_index(as_of, len(objectives))
    if turn is None:
        return None, _("no objectives yet")
    return objectives[turn], _("its turn in the weekly rotation ({turn} of {count})").format(
        turn=turn + 1, count=len(objectives))


def most_off_track(statuses: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` goals most in need of attention: off track before slipping, then by how far
    behind the trajectory (shortfall), worst first."""
    # ranked on two arrays, then n rows taken: not the whole frame filtered and sorted
    status = statuses["status"].to_numpy()
    rank = np.full(len(status), np.nan)
    for value, place in ATTENTION.items():
        rank[status == value] = place
    behind = np.flatnonzero(~np.isnan(rank))
    shortfall = statuses["shortfall"].to_numpy(dtype=float)[behind]
    order = behind[np.lexsort((-shortfall, rank[behind]))]  # stable; no shortfall: last
    return statuses.iloc[order[:n]].reset_index(drop=True)


def last_meeting(session: Session, as_of: date) -> ReviewMeeting | None:
    """The governor's latest review (a meeting on an objective) held before ``as_of``: the
    weekly review follows up what happened since then, whatever the pacts met about."""
    return session.scalars(
        select(ReviewMeeting).where(ReviewMeeting.state == MeetingState.HELD,
                                    ReviewMeeting.objective_id.is_not(None),
                                    ReviewMeeting.held_on < as_of)
        .order_by(ReviewMeeting.held_on.desc(), ReviewMeeting.id.desc()).limit(1)).first()


COMMITMENT_COLUMNS = ["commitment_id", "description", "owner", "due_on", "state", "closed_on",
                      "goal_id", "meeting", "held_on"]


def commitments_due(session: Session, as_of: date, *, since: date | None,
                    ahead_days: int = 7, goal_ids: Collection[int] | None = None
                    ) -> pd.DataFrame:
    """Commitments the review follows up: every one open on ``as_of`` due by ``as_of +
    ahead_days`` (overdue first), and those due since ``since`` (the last meeting) that were
    closed by ``as_of``.
    Adds ``days_overdue`` (positive: late; open ones only)."""
    state = type_coerce(Commitment.state, String)
    query = (select(Commitment.id, Commitment.description, Commitment.owner, Commitment.due_on,
                    state, Commitment.closed_on, Commitment.goal_id, ReviewMeeting.title,
                    ReviewMeeting.held_on)
             .join(ReviewMeeting, Commitment.meeting_id == ReviewMeeting.id)
             .where(ReviewMeeting.held_on <= as_of))
    frame = query_frame(session, query, COMMITMENT_COLUMNS)
    if goal_ids is not None:
        frame = frame[frame["goal_id"].isin(list(goal_ids))]
    # As routine health counts it: one closed after ``as_of`` was still open then.
    later = pd.to_datetime(frame["closed_on"]) > pd.Timestamp(as_of)
    frame.loc[later, "state"], frame.loc[later, "closed_on"] = CommitmentState.OPEN.value, None
    is_open = frame["state"] == CommitmentState.OPEN.value
    due = pd.to_datetime(frame["due_on"])
    horizon = pd.Timestamp(as_of + timedelta(days=ahead_days))
    closed_lately = ~is_open & (due > pd.Timestamp(since or date.min)) & (
        due <= pd.Timestamp(as_of))
    frame = frame[(is_open & (due <= horizon)) | closed_lately].copy()
    late = (pd.Timestamp(as_of) - pd.to_datetime(frame["due_on"])).dt.days
    frame["days_overdue"] = late.where(frame["state"] == CommitmentState.OPEN.value)
    order = frame["state"].ne(CommitmentState.OPEN.value)
    return (frame.assign(_closed=order).sort_values(["_closed", "due_on"], kind="stable")
            .drop(columns="_closed").reset_index(drop=True))


# -- the screens' bundles: everything one page needs, computed once per request ---------------


@dataclass(frozen=True)
class WeeklyReview:
    as_of: date
    statuses: pd.DataFrame  # goal_statuses without reasons, one row per goal
    progress: pd.DataFrame  # aggregate_progress by pillar_code
    focus: Objective | None
    focus_why: str
    worst: pd.DataFrame
    last_meeting: ReviewMeeting | None
    commitments: pd.DataFrame
    changes: pd.DataFrame  # status_changes over the week
    figures: pd.DataFrame  # figure_activity over the week, with code and name
    replans: pd.DataFrame  # trajectory_changes over the week
    focus_progress: pd.DataFrame  # aggregate_progress of the objective in focus (on, ...)


def weekly_review(session: Session, as_of: date, *, goal_ids: Collection[int] | None = None,
                  top: int = 10) -> WeeklyReview:
    """The weekly review as of ``as_of``: two status passes (now and a week ago) and one
    history pass over one read of the figures, whatever the number of goals, kept until the
    data changes (see ``review_grades``); then a few small queries. Statuses come without
    reasons (a Python step per goal): ``worst`` has them."""
    grades = review_grades(session, as_of, goal_ids)
    statuses = grades.statuses
    focus, why = objective_in_focus(session, as_of)
    meeting = last_meeting(session, as_of)
    worst = most_off_track(statuses, top)
    return WeeklyReview(
        as_of, statuses, grades.progress, focus, why,
        worst.assign(reason=explanations(worst, as_of)), meeting,
        commitments_due(session, as_of, since=meeting.held_on if meeting else None,
                        goal_ids=goal_ids),
        grades.changes, grades.figures, grades.replans,
        grades.objective_progress[grades.objective_progress["objective_code"]
                                  == (focus.code if focus is not None else None)])


def group_goals(statuses: pd.DataFrame, kind: str, code: str) -> pd.DataFrame:
    """The goals beneath a pillar or objective (``kind`` "pillar" or "objective")."""
    return statuses[statuses[f"{kind}_code"] == code].reset_index(drop=True)


@dataclass(frozen=True)
class GroupView:
    """A pillar or objective: its goals (with ``was``: the status four weeks earlier), the
    aggregate progress series, and the budget behind its goals (rows of the spending report
    the caller passed in)."""

    kind: str
    code: str
    name: str
    as_of: date
    goals: pd.DataFrame
    progress: pd.DataFrame
    budget: pd.DataFrame


def group_view(session: Session, as_of: date, kind: str, code: str, *,
               spending: pd.DataFrame) -> GroupView | None:
    """The pillar or objective ``code`` as of ``as_of``; None if there is none. ``spending``:
    spending against progress of every funded goal on ``as_of`` (the money side lives with the
    strategy map, ``strategy_maps.reports.spending_report``), cut here to the group's goals."""
    model = Pillar if kind == "pillar" else Objective
    row = session.scalars(select(model).where(model.code == code)).first()
    if row is None:
        return None
    # Only the group's goals are graded and explained: a pillar of a national plan is a
    # fraction of its goals, and the explaining sentences are the costly part.
    member = (select(Goal.id).join(Objective, Goal.objective_id == Objective.id)
              .where(Objective.id == row.id) if kind == "objective" else
              select(Goal.id).join(Objective, Goal.objective_id == Objective.id)
              .where(Objective.pillar_id == row.id))
    statuses = goal_statuses(session, as_of, goal_ids=set(session.scalars(member)))
    goals = group_goals(statuses, kind, code)
    earlier = goal_statuses(session, as_of - timedelta(weeks=4), with_reasons=False,
                            goal_ids=goals["goal_id"].tolist())
    goals = goals.merge(earlier[["goal_id", "status"]].rename(columns={"status": "was"}),
                        on="goal_id", how="left")
    history = progress_history(session, as_of, goals)
    progress = aggregate_progress(history, goals.assign(group=code), "group")
    budget = spending if spending.empty else spending[
        spending["goal_id"].isin(goals["goal_id"])].merge(goals[["goal_id", "name"]], on="goal_id")
    return GroupView(kind, code, row.name, as_of, goals, progress, budget)


