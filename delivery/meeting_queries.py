"""The lists of review meetings the screens show (``/meetings`` and a pact's page): which
meetings a person sees, with their scope and how much each holds, split into upcoming and past.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, String, func, select, true, type_coerce
from sqlalchemy.orm import Session

from delivery.access import Viewer, meeting_scope
from delivery.db import query_frame
from delivery.i18n import _
from delivery.meetings import occurrences
from delivery.models import AgendaItem, Commitment, MeetingSeries, Objective, Pact, ReviewMeeting
from delivery.vocabulary import MeetingState

GOVERNOR = "governor"
COLUMNS = ["meeting_id", "held_on", "title", "objective", "pact", "pact_id", "state",
           "closed_at", "agenda_items", "commitments"]


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
                    ReviewMeeting.closed_at, items, made)
             .outerjoin(Objective, ReviewMeeting.objective_id == Objective.id)
             .outerjoin(Pact, ReviewMeeting.pact_id == Pact.id)
             .where(meeting_scope(viewer), routine_filter(routine))
             .order_by(ReviewMeeting.held_on, ReviewMeeting.id))
    frame = query_frame(session, query, COLUMNS)
    frame["scope"] = [_("Objective: {name}").format(name=o) if isinstance(o, str) else
                      _("Pact: {name}").format(name=p) if isinstance(p, str) else "—"
                      for o, p in zip(frame["objective"], frame["pact"], strict=True)]
    frame["closed"] = frame["closed_at"].notna()
    return frame


def split(frame: pd.DataFrame, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(upcoming, soonest first; past, latest first): upcoming are the scheduled meetings from
    ``as_of`` on."""
    ahead = (frame["held_on"] >= as_of) & (frame["state"] == MeetingState.SCHEDULED.value)
    return frame[ahead], frame[~ahead].iloc[::-1]


def next_meeting_due(session: Session, pact_id: int, as_of: date) -> date | None:
    """The soonest day from ``as_of`` on which one of the pact's active series meets, whether
    or not that meeting is scheduled yet; None for a pact without an active series."""
    days = [day for series in session.scalars(select(MeetingSeries).where(
                MeetingSeries.pact_id == pact_id, MeetingSeries.is_active.is_(True)))
            for day in occurrences(series, as_of + timedelta(weeks=series.every_weeks))
            if day >= as_of]
    return min(days, default=None)
