"""One commitment and its follow-up: what was promised, by whom, when it is due (and the date
first agreed when it moved), the meeting and agenda item it was made on; its history of progress
notes with evidence (a link, a text, files: ``dashboards/components/evidence.py``), requests
for a new date and their answers, corrections of the minutes.

Access: whoever sees the commitment (``commitment_scope``) reads the page. Its owner (the
owning secretariat) and the delivery unit record progress notes and ask for a new date; the
delivery unit (analysts, admins) accepts or refuses a request. Every action is checked again on
the server and runs through ``delivery.commitment_followup`` in one transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from sqlalchemy.orm import Session

from dashboards.auth import SIGNED_IN, refusal
from dashboards.components.commitments import history_table, urgency
from dashboards.components.evidence import CHOSEN, FILES, SHOW_CHOSEN, file_lists, upload_field
from dashboards.components.meetings import meeting_href
from dashboards.components.page_actions import RecordActions, clicked, text
from dashboards.components.review import goal_href, section
from dashboards.context import current_settings, current_viewer, read_session
from dashboards.i18n import date_picker, page_title
from delivery.access import (
    Viewer,
    can_run_meetings,
    can_see_commitment,
    can_see_goal,
    can_see_meeting,
    can_update_commitment,
    require,
)
from delivery.clock import review_date
from delivery.commitment_followup import (
    add_progress_note,
    agenda_titles,
    answer_date_request,
    history,
    pending_request,
    request_new_date,
)
from delivery.dates import DateError, parse_day
from delivery.evidence_files import Limits, check_uploads, files_of
from delivery.i18n import N_, _
from delivery.models import Commitment, Goal
from delivery.status import format_date
from delivery.vocabulary import CommitmentState

PAGE, ID = "commitment-page", "commitment-id"
NOTE, URL, EVIDENCE, ADD_NOTE, NOTE_MSG = ("commitment-note", "commitment-url",
                                           "commitment-evidence", "commitment-add-note",
                                           "commitment-note-msg")
NEW_DATE, REASON, ASK, ASK_MSG = ("commitment-new-date", "commitment-reason",
                                  "commitment-ask", "commitment-ask-msg")
ANSWER_NOTE, ACCEPT, REFUSE, ANSWER_MSG = ("commitment-answer-note", "commitment-accept",
                                           "commitment-refuse", "commitment-answer-msg")


def commitment_layout(commitment_id: str | None = None, **_query: str) -> html.Div:
    viewer = current_viewer()
    number = (int(commitment_id) if isinstance(commitment_id, str) and commitment_id.isdigit()
              and len(commitment_id) < 10 else None)
    with read_session() as session:
        if number is None or session.get(Commitment, number) is None:
            return html.Div([html.H1(_("Commitment not found"), className="h3"),
                             html.P(_("There is no commitment {id}.").format(
                                 id=str(commitment_id)[:40]), className="commitment-missing"),
                             html.A(_("Report"), href="/report")])
        if not can_see_commitment(session, viewer, number):
            return refusal(viewer, f"/commitment/{number}")
        body = commitment_body(session, viewer, session.get(Commitment, number))
    return html.Div([dcc.Store(id=ID, data=number), html.Div(body, id=PAGE)],
                    className="commitment-page")


dash.register_page(__name__, path_template="/commitment/<commitment_id>",
                   title=page_title(N_("Commitment")), name=N_("Commitment"),
                   access=SIGNED_IN, layout=commitment_layout)


def facts(session: Session, viewer: Viewer, c: Commitment) -> html.Dl:
    as_of = review_date(session)
    _key, when, css = urgency(c.state.value, c.due_on, as_of)
    goal = session.get(Goal, c.goal_id) if c.goal_id is not None else None
    meeting = c.meeting
    item = agenda_titles(session, meeting.id).get(c.agenda_item_id) if c.agenda_item_id else None
    due = [format_date(c.due_on), " ", html.Span(when, className=f"urgency {css}") if when
           else None]
    if c.first_due_on and c.first_due_on != c.due_on:
        due.append(html.Span(_(" (first agreed: {date})").format(
            date=format_date(c.first_due_on)), className="small text-muted first-due"))
    state = c.state.label.capitalize()
    if c.state is not CommitmentState.OPEN and c.closed_on:
        state = _("{state} on {date}").format(state=state, date=format_date(c.closed_on))
    pairs = [
        (_("Owner"), c.owner),
        (_("Due"), due),
        (_("State"), [state, html.Div(c.closing_note, className="small text-muted")
                      if c.closing_note else None]),
        (_("Made at"), html.A(f"{meeting.title} · {format_date(meeting.held_on)}",
                               href=meeting_href(meeting.id))
         if can_see_meeting(session, viewer, meeting.id) else
         f"{meeting.title} · {format_date(meeting.held_on)}"),
        (_("Agenda item"), item) if item else None,
        (_("Goal"), html.A(f"{goal.code} · {goal.name}", href=goal_href(goal.code))
         if can_see_goal(session, viewer, goal.id) else f"{goal.code} · {goal.name}")
        if goal else None,
    ]
    children: list[Any] = []
    for pair in filter(None, pairs):
        children += [html.Dt(pair[0], className="col-sm-3"), html.Dd(pair[1], className="col-sm-9")]
    return html.Dl(children, className="row commitment-facts mb-0")


def commitment_body(session: Session, viewer: Viewer, c: Commitment) -> list[Any]:
    owner_side = can_update_commitment(session, viewer, c.id)
    unit = can_run_meetings(viewer)
    waiting = pending_request(session, c.id)
    forms: list[Any] = []
    if waiting is not None:
        forms.append(section(_("A new date is asked"), html.Div([
            html.P(_("{who} asks to move the due date from {old} to {new}: {reason}").format(
                who=waiting.recorded_by, old=format_date(waiting.previous_due_on),
                new=format_date(waiting.requested_due_on), reason=waiting.text),
                className="pending-request"),
            answer_form() if unit else html.Div(
                _("Waiting for the delivery unit's answer."), className="small text-muted"),
        ]), class_name="commitment-pending"))
    if owner_side and c.state is not CommitmentState.DROPPED:
        forms.append(section(_("Progress note"), note_form(),
                             note=_("How it goes, with evidence if there is: files (a signed "
                                    "memo, a photo, a spreadsheet), a link to a document, or "
                                    "its reference.")))
    if owner_side and c.state is CommitmentState.OPEN and waiting is None:
        forms.append(section(_("Ask for a new date"), request_form(c),
                             note=_("The delivery unit accepts or refuses; the date first "
                                    "agreed is kept.")))
    return [
        html.A(_("← Report"), href="/report", className="small d-print-none"),
        html.H1(c.description, className="h3 text-break"),
        dbc.Row([
            dbc.Col([section(_("Commitment"), facts(session, viewer, c)),
                     section(_("Follow-up"), html.Div(history_table(
                         history(session, c.id), file_lists(files_of(session, c.id), c.id)),
                         id="commitment-history"))], lg=7),
            dbc.Col(forms, lg=5),
        ]),
    ]


def note_form() -> html.Div:
    return html.Div([
        dbc.Textarea(id=NOTE, placeholder=_("Progress note"), rows=3, maxLength=4000,
                     className="mb-2"),
        dbc.Input(id=URL, type="url", placeholder=_("Link to evidence (https://…)"),
                  maxLength=500, className="mb-2"),
        dbc.Input(id=EVIDENCE, placeholder=_("Evidence as text (a reference, a figure)"),
                  maxLength=4000, className="mb-2"),
        upload_field(Limits.of(current_settings()).max_file_bytes,
                     int(current_settings().max_request_mb) * 2**20),
        html.Div([dbc.Button(_("Record note"), id=ADD_NOTE, color="primary", size="sm"),
                  html.Span(id=NOTE_MSG, className="small")],
                 className="d-flex align-items-center gap-2 flex-wrap"),
    ])


def request_form(c: Commitment) -> html.Div:
    return html.Div([
        html.Div([dbc.Label(_("New due date"), html_for=NEW_DATE, className="mb-0 small"),
                  date_picker(NEW_DATE, date=(c.due_on + timedelta(days=14)).isoformat(),
                              min_date_allowed=c.meeting.held_on.isoformat(),
                              max_date_allowed="2200-12-31")],
                 className="d-flex align-items-center gap-2 mb-2"),
        dbc.Textarea(id=REASON, placeholder=_("Why a new date is needed"), rows=2,
                     maxLength=4000, className="mb-2"),
        html.Div([dbc.Button(_("Ask for the new date"), id=ASK, color="primary", size="sm",
                             outline=True),
                  html.Span(id=ASK_MSG, className="small")],
                 className="d-flex align-items-center gap-2 flex-wrap"),
    ])


def answer_form() -> html.Div:
    return html.Div([
        dbc.Textarea(id=ANSWER_NOTE, placeholder=_("Note (required to refuse)"), rows=2,
                     maxLength=4000, className="mb-2"),
        html.Div([dbc.Button(_("Accept the new date"), id=ACCEPT, color="success", size="sm"),
                  dbc.Button(_("Refuse"), id=REFUSE, color="danger", outline=True, size="sm"),
                  html.Span(id=ANSWER_MSG, className="small")],
                 className="d-flex align-items-center gap-2 flex-wrap"),
    ])


# -- actions ----------------------------------------------------------------------------------

COMMITMENTS = RecordActions(Commitment, can_see_commitment, "commitment-error")


def owner_side(session: Session, viewer: Viewer, commitment_id: Any) -> None:
    """The owner side (its secretariat, the delivery unit) records notes and asks for dates."""
    require(can_update_commitment(session, viewer, commitment_id),
            _("You may not change this commitment."))


def unit_side(session: Session, viewer: Viewer, commitment_id: Any) -> None:
    """The delivery unit answers a request for a new date."""
    require(can_run_meetings(viewer) and can_see_commitment(session, viewer, commitment_id),
            _("You may not change this commitment."))


clientside_callback(SHOW_CHOSEN, Output(CHOSEN, "children"), Input(FILES, "filename"),
                    Input(FILES, "contents"))


@callback(Output(PAGE, "children"), Output(NOTE_MSG, "children"), Input(ADD_NOTE, "n_clicks"),
          State(NOTE, "value"), State(URL, "value"), State(EVIDENCE, "value"),
          State(FILES, "contents"), State(FILES, "filename"), State(ID, "data"),
          prevent_initial_call=True)
def record_note(_clicks: Any, note: Any, url: Any, evidence: Any, contents: Any, names: Any,
                commitment_id: Any) -> tuple[Any, Any]:
    if not clicked():
        return dash.no_update, dash.no_update
    limits = Limits.of(current_settings())

    def run(session: Session, c: Commitment, by: str) -> None:
        add_progress_note(session, c, text(note), evidence_url=text(url),
                          evidence_text=text(evidence), by=by,
                          files=check_uploads(contents, names, limits))
    return COMMITMENTS.act_and_redraw(commitment_id, owner_side, run, commitment_body)


@callback(Output(PAGE, "children", allow_duplicate=True),
          Output(ASK_MSG, "children"), Input(ASK, "n_clicks"), State(NEW_DATE, "date"),
          State(REASON, "value"), State(ID, "data"), prevent_initial_call=True)
def ask(_clicks: Any, day: Any, reason: Any, commitment_id: Any) -> tuple[Any, Any]:
    if not clicked():
        return dash.no_update, dash.no_update

    def run(session: Session, c: Commitment, by: str) -> None:
        try:
            new = parse_day(day)
        except DateError:
            raise ValueError(_("new date: pick a date between 1900 and 2200")) from None
        request_new_date(session, c, new, text(reason), by=by)
    return COMMITMENTS.act_and_redraw(commitment_id, owner_side, run, commitment_body)


@callback(Output(PAGE, "children", allow_duplicate=True),
          Output(ANSWER_MSG, "children"), Input(ACCEPT, "n_clicks"), Input(REFUSE, "n_clicks"),
          State(ANSWER_NOTE, "value"), State(ID, "data"), prevent_initial_call=True)
def answer(_accept: Any, _refuse: Any, note: Any, commitment_id: Any) -> tuple[Any, Any]:
    if not clicked():
        return dash.no_update, dash.no_update
    accept = dash.ctx.triggered_id == ACCEPT

    def run(session: Session, c: Commitment, by: str) -> None:
        waiting = pending_request(session, c.id)
        if waiting is None:
            raise ValueError(_("request: already answered"))
        answer_date_request(session, waiting, accept, note=text(note), by=by)
    return COMMITMENTS.act_and_redraw(commitment_id, unit_side, run, commitment_body)
