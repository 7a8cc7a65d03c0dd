"""The lists of review meetings the screens show (``/meetings`` and a pact's page): which
meetings a person sees, with their scope and how much each holds, split into upcoming and past.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, String, false, func, or_, select, true, type_coerce
from sqlalchemy.orm import Session

from delivery.access import Viewer, commitment_scope, meeting_scope
from delivery.db import query_frame
from delivery.i18n import _
from delivery.meetings import occurrences
from delivery.models import (
    AgendaItem,
    Commitment,
    MeetingSeries,
    Objective,
    Pact,
    ReviewMeeting,
    Secretariat,
)
from delivery.vocabulary import CommitmentState, MeetingState

GOVERNOR = "governor"
COLUMNS = ["meeting_id", "held_on", "title", "objective", "pact", "pact_id", "state",
           "closed_at", "agenda_items", "commitments", "started_at"]


def routine_filter(routine: Any) -> ColumnElement[bool]:
    """The governor's meetings ("governor"), one pact's (its id), or all (anything else)."""
    if routine == GOVERNOR:
        return ReviewMeeting.objective_id.is_not(None)
    if isinstance(routine, int) and not isinstance(routine, bool):
        return ReviewMeeting.pact_id == routine
    return true()


def meeting_frame(session: Session, viewer: Viewer, routine: Any = None) -> pd.DataFrame:
    """The meetings ``viewer`` may see (of one routine, see ``routine_filter``), oldest first,
    with their scope, whether the minutes are closed, agenda items and commitments made."""
    items = (select(func.count(AgendaItem.id)).where(AgendaItem.meeting_id == ReviewMeeting.id)
             .scalar_subquery())
    made = (select(func.count(Commitment.id)).where(Commitment.meeting_id == ReviewMeeting.id)
            .scalar_subquery())
    query = (select(ReviewMeeting.id, ReviewMeeting.held_on, ReviewMeeting.title, Objective.name,
                    Pact.name, ReviewMeeting.pact_id, type_coerce(ReviewMeeting.state, String),
                    ReviewMeeting.closed_at, items, made, ReviewMeeting.started_at)
             .outerjoin(Objective, ReviewMeeting.objective_id == Objective.id)
             .outerjoin(Pact, ReviewMeeting.pact_id == Pact.id)
             .where(meeting_scope(viewer), routine_filter(routine))
             .order_by(ReviewMeeting.held_on, ReviewMeeting.id))
    frame = query_frame(session, query, COLUMNS)
    frame["scope"] = [_("Objective: {name}").format(name=o) if isinstance(o, str) else
                      _("Pact: {name}").format(name=p) if isinstance(p, str) else "—"
                      for o, p in zip(frame["objective"], frame["pact"], strict=True)]
    frame["closed"] = frame["closed_at"].notna()
    frame["in_progress"] = (frame["started_at"].notna() & ~frame["closed"]
                            & (frame["state"] != MeetingState.CANCELLED.value))
    return frame


def split(frame: pd.DataFrame, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(upcoming, soonest first; past, latest first): upcoming are the scheduled meetings from
    ``as_of`` on, and any meeting in progress."""
    ahead = ((frame["held_on"] >= as_of) & (frame["state"] == MeetingState.SCHEDULED.value)
             | frame.get("in_progress", False))
    return frame[ahead], frame[~ahead].iloc[::-1]


def next_meeting_due(session: Session, pact_id: int, as_of: date) -> date | None:
    """The soonest day from ``as_of`` on which one of the pact's active series meets, whether
    or not that meeting is scheduled yet; None for a pact without an active series."""
    days = [day for series in session.scalars(select(MeetingSeries).where(
                MeetingSeries.pact_id == pact_id, MeetingSeries.is_active.is_(True)))
            for day in occurrences(series, as_of + timedelta(weeks=series.every_weeks))
            if day >= as_of]
    return min(days, default=None)


COMMITMENT_COLUMNS = ["commitment_id", "description", "owner", "secretariat", "due_on", "state",
                      "meeting", "held_on", "goal_id"]


def commitments_frame(session: Session, viewer: Viewer, *, pact_id: int | None = None,
                      goal_ids: list[int] | None = None, open_only: bool = False) -> pd.DataFrame:
    """The commitments a person sees that were made in a pact's meetings (``pact_id``) or on
    any of ``goal_ids``, with their meeting; only the open ones with ``open_only``."""
    scope = or_(ReviewMeeting.pact_id == pact_id if pact_id is not None else false(),
                Commitment.goal_id.in_(goal_ids) if goal_ids else false())
    query = (
        select(Commitment.id, Commitment.description, Commitment.owner, Secretariat.code,
               Commitment.due_on, type_coerce(Commitment.state, String), ReviewMeeting.title,
               ReviewMeeting.held_on, Commitment.goal_id)
        .join(ReviewMeeting, Commitment.meeting_id == ReviewMeeting.id)
        .outerjoin(Secretariat, Commitment.owner_secretariat_id == Secretariat.id)
        .where(scope, commitment_scope(viewer))
        .order_by(Commitment.due_on, Commitment.id)
    )
    if open_only:
        query = query.where(Commitment.state == CommitmentState.OPEN)
    return query_frame(session, query, COMMITMENT_COLUMNS)
