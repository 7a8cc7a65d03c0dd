"""Pieces of a meeting's minutes while it is in progress (pure: no database, no callbacks; the
page ``dashboards/pages/meeting_minutes.py`` holds their callbacks): the button that starts the
meeting, and the form correcting a commitment of the minutes until they close."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.i18n import date_picker
from delivery.i18n import _
from delivery.models import ReviewMeeting
from delivery.vocabulary import CommitmentState

START, START_MSG = "meeting-start", "meeting-start-msg"
FIX_PICK, FIX_WHAT, FIX_DUE, FIX_ITEM, FIX_SAVE, FIX_MSG = (
    "meeting-fix-pick", "meeting-fix-what", "meeting-fix-due", "meeting-fix-item",
    "meeting-fix-save", "meeting-fix-msg")


def start_button(meeting: ReviewMeeting) -> html.Div | None:
    """"Start meeting" for a scheduled meeting not yet started; nothing otherwise."""
    if meeting.started_at is not None:
        return None
    return html.Div([dbc.Button(_("Start meeting"), id=START, color="success", size="sm",
                                title=_("The meeting reads “in progress” until its minutes "
                                        "are closed")),
                     html.Span(id=START_MSG, className="small")],
                    className="d-flex align-items-center gap-2 d-print-none")


def correction_form(session: Any, meeting: ReviewMeeting) -> html.Details | None:
    """Pick a commitment of these minutes, change what it says, its due date or its agenda
    item; the change is kept as a correction with before and after."""
    open_ones = [c for c in meeting.commitments if c.state is CommitmentState.OPEN]
    if not open_ones:
        return None
    items = [{"label": f"{n}. {i.title}"[:160], "value": i.id}
             for n, i in enumerate(sorted(meeting.agenda_items,
                                          key=lambda i: (i.position, i.id or 0)), start=1)]
    return html.Details([
        html.Summary(_("Correct a commitment"), className="small fw-semibold"),
        html.Div([
            dcc.Dropdown(id=FIX_PICK, options=[{"label": c.description[:120], "value": c.id}
                                               for c in open_ones],
                         placeholder=_("Commitment to correct"), className="mb-2"),
            dbc.Input(id=FIX_WHAT, placeholder=_("What will be done"), maxLength=2000,
                      className="mb-2"),
            html.Div([dbc.Label(_("Due"), html_for=FIX_DUE, className="mb-0 small"),
                      date_picker(FIX_DUE, min_date_allowed=meeting.held_on.isoformat(),
                                  max_date_allowed="2200-12-31")],
                     className="d-flex align-items-center gap-2 mb-2"),
            dcc.Dropdown(id=FIX_ITEM, options=items, placeholder=_("On agenda item (optional)"),
                         className="mb-2"),
            html.Div([dbc.Button(_("Save correction"), id=FIX_SAVE, size="sm", color="primary",
                                 outline=True),
                      html.Span(id=FIX_MSG, className="small")],
                     className="d-flex align-items-center gap-2 flex-wrap"),
        ], className="mt-2"),
    ], className="commitment-correction mt-3 d-print-none")
