"""Commitments carried forward and the review routine's own health, read as frames for the
agendas (``delivery.meetings``), the review screen and the routine pages.

Rules, with the clock passed in:

- **Carry-forward.** A commitment is open on a date when it was made by then and not done or
  dropped by then. ``carried`` counts the meetings held after the one that made it, up to that
  date, whose scope holds its goal: each such meeting carried it forward once.
- **Routine health.** Something counts once its day has passed: a meeting is *scheduled* (due)
  when it is dated before ``as_of``, or on ``as_of`` and already held or cancelled; a commitment
  is *due* when its due date is before ``as_of``, or on it and already closed. *Held* and
  *cancelled* split the scheduled meetings (the rest were never recorded). A commitment is
  *closed on time* when marked done on or before its due date; done late and dropped count
  against the share. *Open overdue*: open on ``as_of`` and due before it; *mean days overdue*
  is their mean lateness. The "unit" row counts every meeting; a pact's row its own meetings and
  the commitments made in them.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from delivery.db import query_frame
from delivery.models import Commitment, Goal, Pact, PactGoal, ReviewMeeting, Secretariat
from delivery.vocabulary import CommitmentState, MeetingState, Status

COMMITMENT_COLUMNS = ["commitment_id", "description", "owner", "owner_secretariat", "due_on",
                      "state", "closed_on", "goal_id", "code", "name", "meeting_id", "meeting",
                      "made_on", "objective_id", "pact_id"]


def _commitments(session: Session) -> pd.DataFrame:
    session.flush()
    query = (select(Commitment.id, Commitment.description, Commitment.owner, Secretariat.code,
                    Commitment.due_on, type_coerce(Commitment.state, String),
                    Commitment.closed_on, Commitment.goal_id, Goal.code, Goal.name,
                    ReviewMeeting.id, ReviewMeeting.title, ReviewMeeting.held_on,
                    ReviewMeeting.objective_id, ReviewMeeting.pact_id)
             .join(ReviewMeeting, Commitment.meeting_id == ReviewMeeting.id)
             .outerjoin(Goal, Commitment.goal_id == Goal.id)
             .outerjoin(Secretariat, Commitment.owner_secretariat_id == Secretariat.id)
             .order_by(Commitment.due_on, Commitment.id))
    return query_frame(session, query, COMMITMENT_COLUMNS)


def _open_on(frame: pd.DataFrame, as_of: date) -> pd.Series:
    """Made by ``as_of`` and not closed by then (closing later does not count yet)."""
    closed = pd.to_datetime(frame["closed_on"])
    made = pd.to_datetime(frame["made_on"]) <= pd.Timestamp(as_of)
    return made & ((frame["state"] == CommitmentState.OPEN.value)
                   | (closed > pd.Timestamp(as_of)))


def open_commitments(session: Session, as_of: date, goal_ids: Collection[int] | None = None,
                     *, with_carried: bool = True) -> pd.DataFrame:
    """Every commitment open on ``as_of``, soonest due first: ``COMMITMENT_COLUMNS`` plus
    ``days_overdue`` (positive: late) and ``carried`` (see the module docstring)."""
    frame = _commitments(session)
    frame = frame[_open_on(frame, as_of)]
    if goal_ids is not None:
        frame = frame[frame["goal_id"].isin(list(goal_ids))]
    frame = frame.reset_index(drop=True)
    frame["days_overdue"] = (pd.Timestamp(as_of) - pd.to_datetime(frame["due_on"])).dt.days
    if with_carried:
        frame["carried"] = _carried(session, frame, as_of)
    return frame


def _held_scopes(session: Session, as_of: date) -> pd.DataFrame:
    """(meeting_id, held_on, goal_id, objective_id, pact_id) for each goal in each held
    meeting's scope up to ``as_of``; a meeting with an empty scope has one row without goal."""
    held = (select(ReviewMeeting.id, ReviewMeeting.held_on, ReviewMeeting.objective_id,
                   ReviewMeeting.pact_id)
            .where(ReviewMeeting.state == MeetingState.HELD, ReviewMeeting.held_on <= as_of))
    meetings = query_frame(session, held, ["meeting_id", "held_on", "objective_id", "pact_id"])
    by_objective = query_frame(session, select(Goal.objective_id, Goal.id),
                               ["objective_id", "goal_id"])
    by_pact = query_frame(session, select(PactGoal.pact_id, PactGoal.goal_id),
                          ["pact_id", "goal_id"])
    scoped = pd.concat([
        meetings.dropna(subset=["objective_id"]).merge(by_objective, on="objective_id"),
        meetings.dropna(subset=["pact_id"]).merge(by_pact, on="pact_id"),
        meetings.assign(goal_id=np.nan)], ignore_index=True)
    return scoped


def _carried(session: Session, frame: pd.DataFrame, as_of: date) -> pd.Series:
    if frame.empty:
        return pd.Series([], dtype=int)
    scopes = _held_scopes(session, as_of)
    with_goal = frame.dropna(subset=["goal_id"])[["commitment_id", "goal_id", "made_on"]].merge(
        scopes.dropna(subset=["goal_id"]), on="goal_id")
    bare = frame[frame["goal_id"].isna()][["commitment_id", "objective_id", "pact_id",
                                           "made_on"]]
    bare = pd.concat([
        bare.dropna(subset=["objective_id"]).merge(
            scopes[scopes["goal_id"].isna()].drop(columns="pact_id"), on="objective_id"),
        bare.dropna(subset=["pact_id"]).merge(
            scopes[scopes["goal_id"].isna()].drop(columns="objective_id"), on="pact_id")])
    pairs = pd.concat([with_goal, bare], ignore_index=True)
    later = pairs[pd.to_datetime(pairs["held_on"]) > pd.to_datetime(pairs["made_on"])]
    counts = later.drop_duplicates(["commitment_id", "meeting_id"]).groupby(
        "commitment_id").size()
    return frame["commitment_id"].map(counts).fillna(0).astype(int)


def goals_without_commitment(session: Session, statuses: pd.DataFrame,
                             as_of: date) -> pd.DataFrame:
    """The rows of ``statuses`` (a ``goal_statuses`` frame) off track with no commitment open
    on them on ``as_of``."""
    covered = open_commitments(session, as_of, with_carried=False)["goal_id"].dropna()
    off = (statuses["status"] == Status.OFF_TRACK.value) & ~statuses["goal_id"].isin(
        covered.astype(int).tolist())
    return statuses[off].reset_index(drop=True)


HEALTH_COLUMNS = ["scope", "code", "name", "scheduled", "held", "cancelled", "not_recorded",
                  "held_share", "commitments_due", "closed_on_time", "closed_late", "dropped",
                  "on_time_share", "open_overdue", "mean_days_overdue"]


def routine_health(session: Session, as_of: date, *, since: date | None = None) -> pd.DataFrame:
    """One row for the unit ("unit": every meeting) and one per pact, with the figures of the
    module docstring; meetings dated and commitments due from ``since`` on, when given."""
    session.flush()
    query = select(ReviewMeeting.id, ReviewMeeting.held_on,
                   type_coerce(ReviewMeeting.state, String), ReviewMeeting.pact_id)
    meetings = query_frame(session, query, ["meeting_id", "held_on", "state", "pact_id"])
    commitments = _commitments(session)
    start = pd.Timestamp(since or date.min)
    meetings = meetings[pd.to_datetime(meetings["held_on"]) >= start]
    commitments = commitments[pd.to_datetime(commitments["due_on"]) >= start]
    pacts = session.execute(select(Pact.id, Pact.code, Pact.name).order_by(Pact.code)).all()
    rows = [_health("unit", "", "Delivery unit (every meeting)", meetings, commitments, as_of)]
    rows += [_health("pact", code, name, meetings[meetings["pact_id"] == pact_id],
                     commitments[commitments["pact_id"] == pact_id], as_of)
             for pact_id, code, name in pacts]
    return pd.DataFrame(rows, columns=HEALTH_COLUMNS)


def _health(scope: str, code: str, name: str, meetings: pd.DataFrame,
            commitments: pd.DataFrame, as_of: date) -> dict:
    day = pd.Timestamp(as_of)
    dated = pd.to_datetime(meetings["held_on"])
    state = meetings["state"]
    due = (dated < day) | ((dated == day) & (state != MeetingState.SCHEDULED.value))
    held = int((due & (state == MeetingState.HELD.value)).sum())
    cancelled = int((due & (state == MeetingState.CANCELLED.value)).sum())
    due_on = pd.to_datetime(commitments["due_on"])
    closed_on = pd.to_datetime(commitments["closed_on"])
    closed = commitments["state"].ne(CommitmentState.OPEN.value) & (closed_on <= day)
    falls_due = (due_on < day) | ((due_on == day) & closed)
    done = closed & (commitments["state"] == CommitmentState.DONE.value)
    on_time = int((falls_due & done & (closed_on <= due_on)).sum())
    overdue = _open_on(commitments, as_of) & (due_on < day)
    lateness = (day - due_on[overdue]).dt.days
    scheduled, owed = int(due.sum()), int(falls_due.sum())
    return {
        "scope": scope, "code": code, "name": name, "scheduled": scheduled, "held": held,
        "cancelled": cancelled, "not_recorded": scheduled - held - cancelled,
        "held_share": held / scheduled if scheduled else np.nan,
        "commitments_due": owed, "closed_on_time": on_time,
        "closed_late": int((falls_due & done & (closed_on > due_on)).sum()),
        "dropped": int((falls_due & closed & ~done).sum()),
        "on_time_share": on_time / owed if owed else np.nan,
        "open_overdue": int(overdue.sum()),
        "mean_days_overdue": float(lateness.mean()) if len(lateness) else np.nan,
    }
