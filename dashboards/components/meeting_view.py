"""What a meeting's page (``/meeting/<id>``) shows, read from the database: the header and its
notices, the agenda with each item's goal status and reason, attendance, commitments made and
decisions; the forms (``dashboards.components.meeting_forms``) where the viewer may still edit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards.components.meeting_forms import (
    AGENDA,
    DECISIONS,
    MADE,
    agenda_tools,
    attendance_form,
    commitment_form,
    decision_form,
    end_controls,
)
from dashboards.components.meeting_minutes import correction_form, start_button
from dashboards.components.meetings import (
    AgendaRow,
    agenda_list,
    attendance_text,
    commitments_made,
    decisions_list,
    documents_links,
    state_badge,
)
from dashboards.components.review import section
from delivery.access import Viewer, can_run_meetings
from delivery.agenda_texts import agenda_texts
from delivery.assessment import goal_statuses
from delivery.clock import review_date
from delivery.i18n import N_, _
from delivery.models import (
    AgendaItem,
    Commitment,
    DataQualityFlag,
    Goal,
    Objective,
    Pact,
    ReviewMeeting,
)
from delivery.status import format_date
from delivery.vocabulary import AgendaKind, MeetingState

ACCESS_NOTE = N_("Analysts run meetings; everyone else reads them.")


def is_open(meeting: ReviewMeeting) -> bool:
    """Whether the agenda and minutes may still change."""
    return meeting.closed_at is None and meeting.state is not MeetingState.CANCELLED


def meeting_as_of(session: Session, meeting: ReviewMeeting) -> date:
    """Statuses as known on the meeting's day, or today for a meeting still ahead."""
    return min(meeting.held_on, review_date(session))


def scope_line(session: Session, meeting: ReviewMeeting) -> str:
    if meeting.objective_id is not None:
        objective = session.get(Objective, meeting.objective_id)
        return (_("Objective {code}: {name}").format(code=objective.code, name=objective.name)
                if objective else "")
    pact = session.get(Pact, meeting.pact_id) if meeting.pact_id is not None else None
    return _("Pact: {name}").format(name=pact.name) if pact else ""


def agenda_rows(session: Session, meeting: ReviewMeeting) -> list[AgendaRow]:
    """The agenda as shown: each item with its goal's code and computed status and the reason it
    is there (the goal's status sentence, the flag's reason, the commitment's due date), worded
    in the reader's language (delivery.agenda_texts)."""
    items = list(session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                 .order_by(AgendaItem.position, AgendaItem.id)))
    as_of = meeting_as_of(session, meeting)
    flag_goals = dict(session.execute(select(DataQualityFlag.id, DataQualityFlag.goal_id).where(
        DataQualityFlag.id.in_([i.flag_id for i in items if i.flag_id]))).all())
    promise_goals = dict(session.execute(select(Commitment.id, Commitment.goal_id).where(
        Commitment.id.in_([i.commitment_id for i in items if i.commitment_id]))).all())
    goal_of = {i.id: i.goal_id or flag_goals.get(i.flag_id) or promise_goals.get(i.commitment_id)
               for i in items}
    goal_ids = {g for g in goal_of.values() if g is not None}
    statuses = (goal_statuses(session, as_of, goal_ids=goal_ids).set_index("goal_id")
                if goal_ids else pd.DataFrame())
    texts = agenda_texts(session, items, as_of)
    rows = []
    for item in items:
        goal = statuses.loc[goal_of[item.id]] if goal_of[item.id] in statuses.index else None
        title, reason = (texts[item.id].title, texts[item.id].note) if item.id in texts else (
            item.title, item.note)
        if item.kind is AgendaKind.GOAL and goal is not None:
            title = str(goal["name"])  # the code and status badge say the rest
            reason = str(goal["reason"]) or reason
        rows.append(AgendaRow(item.id, item.kind.value, title,
                              goal_code=None if goal is None else str(goal["code"]),
                              status=None if goal is None else str(goal["status"]),
                              reason=reason))
    return rows


def made_frame(session: Session, meeting: ReviewMeeting) -> pd.DataFrame:
    titles = {i.id: i.title for i in meeting.agenda_items}
    rows = session.execute(select(Commitment.description, Commitment.owner, Goal.code,
                                  Commitment.due_on, Commitment.state, Commitment.id,
                                  Commitment.agenda_item_id)
                           .outerjoin(Goal, Commitment.goal_id == Goal.id)
                           .where(Commitment.meeting_id == meeting.id)
                           .order_by(Commitment.id)).all()
    return pd.DataFrame([(d, o, g, due, s.value, i, titles.get(a, ""))
                         for d, o, g, due, s, i, a in rows],
                        columns=["description", "owner", "goal_code", "due_on", "state",
                                 "commitment_id", "item"])


def decision_frame(session: Session, meeting: ReviewMeeting) -> pd.DataFrame:
    worded = agenda_texts(session, meeting.agenda_items, meeting_as_of(session, meeting))
    titles = {i.id: worded[i.id].title if i.id in worded else i.title
              for i in meeting.agenda_items}
    return pd.DataFrame([(d.text, d.recorded_by, titles.get(d.agenda_item_id, ""))
                         for d in meeting.decisions], columns=["text", "recorded_by", "item"])


def agenda_block(session: Session, viewer: Viewer, meeting: ReviewMeeting) -> Any:
    return agenda_list(agenda_rows(session, meeting),
                       editable=can_run_meetings(viewer) and is_open(meeting))


def meeting_body(session: Session, viewer: Viewer, meeting: ReviewMeeting) -> list[Any]:
    editing = can_run_meetings(viewer) and is_open(meeting)
    as_of, today = meeting_as_of(session, meeting), review_date(session)
    state = meeting.state.value
    header = html.Div([
        html.A(_("← All meetings"), href="/meetings", className="small d-print-none"),
        html.Div([html.H1(meeting.title, className="h3 mb-0"),
                  state_badge(state, closed=meeting.closed_at is not None,
                              in_progress=meeting.in_progress),
                  start_button(meeting) if editing else None],
                 className="d-flex align-items-center gap-3 flex-wrap"),
        html.Div(" · ".join(filter(None, [format_date(meeting.held_on),
                                          scope_line(session, meeting),
                                          _("statuses as of {date}").format(
                                              date=format_date(as_of))])),
                 className="text-muted"),
    ], className="mb-3")
    notices = []
    if meeting.state is MeetingState.CANCELLED:
        notices.append(dbc.Alert(_("Cancelled: {reason}").format(reason=meeting.cancelled_reason),
                                 color="secondary",
                                 className="meeting-cancelled"))
    elif meeting.closed_at is not None:
        notices.append(dbc.Alert(_("Minutes closed by {who} on {date}: read-only.").format(
            who=meeting.closed_by, date=format_date(meeting.closed_at.date())),
                                 color="light", className="meeting-closed border"))
    elif not can_run_meetings(viewer):
        notices.append(html.Div(_(ACCESS_NOTE), className="small text-muted mb-2"))
    agenda = section(_("Agenda"), html.Div([
        agenda_tools(meeting) if editing else None,
        html.Div(agenda_block(session, viewer, meeting), id=AGENDA),
    ]), note=_("In order. Built items show the goal's computed status and why they are there."))
    minutes = [
        section(_("Attendance"), attendance_form(meeting) if editing else
                attendance_text(meeting.invited, meeting.attendees)),
        section(_("Commitments made"), html.Div([
            commitment_form(session, meeting) if editing else None,
            html.Div(commitments_made(made_frame(session, meeting), as_of=today), id=MADE),
            correction_form(session, meeting) if editing else None,
        ]), note=_("Carried forward to later meetings and the weekly review until closed; "
                   "each one's page follows it up.")),
        section(_("Decisions"), html.Div([
            decision_form(meeting) if editing else None,
            html.Div(decisions_list(decision_frame(session, meeting)), id=DECISIONS)])),
    ]
    return [
        header, *notices,
        html.Div([html.Span(_("Documents"), className="fw-semibold me-3"),
                  documents_links(meeting.id)],
                 className="d-flex align-items-center mb-3 d-print-none"),
        dbc.Row([dbc.Col(agenda, xl=7), dbc.Col(minutes, xl=5)]),
        end_controls() if editing else None,
    ]

