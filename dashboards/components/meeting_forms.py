"""The forms of a meeting's page (``/meeting/<id>``) and the ids its callbacks use: the agenda's
tools, attendance, decisions and commitments typed in fast during the meeting, closing or
cancelling it. Shown only to who runs meetings while the minutes are open (see
``dashboards.components.meeting_view``); corrections of the minutes are in
``dashboards.components.meeting_minutes``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards.components.meetings import attendance_options
from dashboards.components.review import section
from dashboards.i18n import date_picker
from delivery.i18n import _
from delivery.inbox.owners import owner_choices
from delivery.meetings import meeting_scope_goal_ids
from delivery.models import Goal, ReviewMeeting

PAGE, MEETING = "meeting-page", "meeting-id"
AGENDA, AGENDA_MSG, BUILD = "meeting-agenda", "meeting-agenda-msg", "meeting-build"
TOPIC, ADD_TOPIC = "meeting-topic", "meeting-add-topic"
PRESENT, NEW_NAME, ADD_NAME, PRESENT_MSG = ("meeting-present", "meeting-new-name",
                                            "meeting-add-name", "meeting-present-msg")
DECISION, DECIDE, DECISIONS, DECISION_MSG = ("meeting-decision", "meeting-decide",
                                             "meeting-decisions", "meeting-decision-msg")
WHAT, OWNER, DUE, GOAL, COMMIT, MADE, COMMIT_MSG = (
    "meeting-commit-what", "meeting-commit-owner", "meeting-commit-due", "meeting-commit-goal",
    "meeting-commit", "meeting-made", "meeting-commit-msg")
DECISION_ITEM, COMMIT_ITEM = "meeting-decision-item", "meeting-commit-item"
CLOSE, CANCEL_REASON, CANCEL, END_MSG = ("meeting-close", "meeting-cancel-reason",
                                         "meeting-cancel", "meeting-end-msg")
FOCUS_SINK = "meeting-focus-sink"


def agenda_item_options(meeting: ReviewMeeting) -> list[dict[str, Any]]:
    """The agenda items a decision or commitment may be tied to, in order."""
    return [{"label": f"{n}. {i.title}"[:160], "value": i.id}
            for n, i in enumerate(sorted(meeting.agenda_items,
                                         key=lambda i: (i.position, i.id or 0)), start=1)]


def scope_goal_options(session: Session, meeting: ReviewMeeting) -> list[dict[str, Any]]:

    ids = meeting_scope_goal_ids(session, meeting)
    goals = session.execute(select(Goal.id, Goal.code, Goal.name).where(Goal.id.in_(ids))
                            .order_by(Goal.code)).all()
    return [{"label": f"{code} · {name}", "value": goal_id} for goal_id, code, name in goals]


def agenda_tools(meeting: ReviewMeeting) -> html.Div:
    return html.Div([
        dbc.Button(_("Build agenda"), id=BUILD, color="primary", size="sm",
                   title=_("Add what is off track or slipping in this meeting's scope, open "
                         "data-quality flags and commitments due: nothing twice, your topics "
                         "and order kept")),
        dbc.InputGroup([dbc.Input(id=TOPIC, placeholder=_("Add a topic"), maxLength=300),
                        dbc.Button(_("Add"), id=ADD_TOPIC, color="secondary", outline=True)],
                       size="sm", style={"maxWidth": "26rem"}),
        html.Span(id=AGENDA_MSG, className="small"),
    ], className="d-flex align-items-center gap-2 flex-wrap mb-3 d-print-none")


def attendance_form(meeting: ReviewMeeting) -> html.Div:
    return html.Div([
        dbc.Checklist(id=PRESENT, options=attendance_options(meeting.invited, meeting.attendees),
                      value=list(meeting.attendees), className="attendance mb-2"),
        dbc.InputGroup([dbc.Input(id=NEW_NAME, placeholder=_("Someone else who came"),
                                  maxLength=120),
                        dbc.Button(_("Add"), id=ADD_NAME, color="secondary", outline=True)],
                       size="sm"),
        html.Div(id=PRESENT_MSG, className="small mt-1"),
    ])


def decision_form(meeting: ReviewMeeting) -> html.Div:
    return html.Div([
        dbc.Textarea(id=DECISION, placeholder=_("Decision"), rows=2, className="mb-2"),
        dcc.Dropdown(id=DECISION_ITEM, options=agenda_item_options(meeting),
                     placeholder=_("On agenda item (optional)"), className="mb-2"),
        html.Div([dbc.Button(_("Record decision"), id=DECIDE, size="sm", color="primary",
                             outline=True),
                  html.Span(id=DECISION_MSG, className="small")],
                 className="d-flex align-items-center gap-2"),
    ], className="mb-3")


def commitment_form(session: Session, meeting: ReviewMeeting) -> html.Div:
    due = meeting.held_on + timedelta(days=14)
    return html.Div([
        dbc.Row([
            dbc.Col(dbc.Input(id=WHAT, placeholder=_("What will be done"), maxLength=2000),
                    md=12, className="mb-2"),
            dbc.Col(dcc.Dropdown(id=OWNER, options=owner_choices(session),
                                 placeholder=_("Owner: an account or a secretariat")), md=7,
                    className="mb-2"),
            dbc.Col(html.Div([dbc.Label(_("Due"), html_for=DUE, className="mb-0 small"),
                              date_picker(DUE, date=due.isoformat(),
                                          min_date_allowed=meeting.held_on.isoformat())],
                             className="d-flex align-items-center gap-2"), md=5,
                    className="mb-2"),
            dbc.Col(dcc.Dropdown(id=GOAL, options=scope_goal_options(session, meeting),
                                 placeholder=_("Goal (optional)")), md=12, className="mb-2"),
            dbc.Col(dcc.Dropdown(id=COMMIT_ITEM, options=agenda_item_options(meeting),
                                 placeholder=_("On agenda item (optional)")), md=12,
                    className="mb-2"),
        ], className="g-2"),
        html.Div([dbc.Button(_("Record commitment"), id=COMMIT, color="primary", size="sm"),
                  html.Span(_("Enter records it; the cursor goes back to “What” for the next."),
                            className="small text-muted"),
                  html.Span(id=COMMIT_MSG, className="small")],
                 className="d-flex align-items-center gap-2 flex-wrap"),
    ], className="commitment-form mb-3")


def end_controls() -> html.Section:
    return section(_("Close or cancel"), html.Div([
        dcc.ConfirmDialogProvider(
            dbc.Button(_("Close meeting"), color="dark", size="sm"), id=CLOSE,
            message=_("Close the minutes? The agenda, attendance, decisions and commitments "
                    "become read-only.")),
        html.Span(_("or"), className="text-muted small"),
        dbc.InputGroup([dbc.Input(id=CANCEL_REASON, placeholder=_("Why is it cancelled?"),
                                  maxLength=500),
                        dcc.ConfirmDialogProvider(dbc.Button(_("Cancel meeting"), color="danger",
                                                             outline=True, size="sm"),
                                                  id=CANCEL, message=_("Cancel this meeting?"))],
                       size="sm", style={"maxWidth": "30rem"}),
        html.Span(id=END_MSG, className="small"),
    ], className="d-flex align-items-center gap-3 flex-wrap"),
        note=_("Closing makes the minutes final and read-only. A meeting that will not take "
             "place is cancelled with the reason; the routine's health counts it."),
        class_name="meeting-end d-print-none")

