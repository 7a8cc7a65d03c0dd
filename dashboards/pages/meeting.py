"""One review meeting: its agenda in order (built from what is off track, slipping, flagged and
due; reordered; topics added), and, during the meeting, attendance, decisions and commitments
typed in fast; then the minutes are closed and the page is read-only. Links to the briefing memo
and the follow-up.

Access: every signed-in role may open the page; a secretariat only its pacts' meetings (others
get the refusal). Analysts and admins edit; every action is checked again on the server and runs
through ``delivery.meetings`` in one transaction, whose error message is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards.auth import SIGNED_IN, refusal
from dashboards.components.meeting_minutes import (
    FIX_DUE,
    FIX_ITEM,
    FIX_MSG,
    FIX_PICK,
    FIX_SAVE,
    FIX_WHAT,
    START,
    START_MSG,
    correction_form,
    start_button,
)
from dashboards.components.meetings import (
    AGENDA_DOWN,
    AGENDA_REMOVE,
    AGENDA_UP,
    AgendaRow,
    agenda_list,
    attendance_options,
    attendance_text,
    commitments_made,
    decisions_list,
    documents_links,
    state_badge,
)
from dashboards.components.review import section
from dashboards.context import current_viewer, read_session, write_session
from delivery.access import (
    AccessDenied,
    Viewer,
    can_run_meetings,
    can_see_meeting,
    is_row_id,
    require,
)
from delivery.agenda_texts import agenda_texts
from delivery.assessment import goal_statuses
from delivery.clock import review_date, stamp_now
from delivery.commitment_followup import correct_commitment, start_meeting
from delivery.dates import DateError, parse_day
from delivery.i18n import N_, _, _n
from delivery.inbox.owners import owner_choices, resolve_owner
from delivery.meetings import (
    add_topic,
    build_agenda,
    cancel_meeting,
    close_meeting,
    meeting_scope_goal_ids,
    move_agenda_item,
    record_attendance,
    record_commitment,
    record_decision,
    remove_agenda_item,
)
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


def meeting_layout(meeting_id: str | None = None, **_query: str) -> html.Div:
    viewer = current_viewer()
    number = int(meeting_id) if isinstance(meeting_id, str) and meeting_id.isdigit() else None
    with read_session() as session:
        meeting = session.get(ReviewMeeting, number) if number is not None and \
            number < 2**31 else None
        if meeting is None:
            return html.Div([html.H1(_("Meeting not found"), className="h3"),
                             html.P(_("There is no meeting {id}.").format(id=meeting_id),
                                    className="meeting-missing"),
                             html.A(_("All meetings"), href="/meetings")])
        if not can_see_meeting(session, viewer, meeting.id):
            return refusal(viewer, f"/meeting/{meeting.id}")
        body = meeting_body(session, viewer, meeting)
    return html.Div([dcc.Store(id=MEETING, data=meeting.id), dcc.Store(id=FOCUS_SINK),
                     html.Div(body, id=PAGE)], className="meeting-page")


dash.register_page(f"{__name__}", path_template="/meeting/<meeting_id>",
                   title="Meeting · Delivery Tracker", name=N_("Meeting"), access=SIGNED_IN,
                   layout=meeting_layout)


# -- what the page shows ----------------------------------------------------------------------


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


# -- forms ------------------------------------------------------------------------------------


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
            dbc.Col(dbc.InputGroup([dbc.InputGroupText(_("Due")),
                                    dbc.Input(id=DUE, type="date", value=due.isoformat(),
                                              min=meeting.held_on.isoformat())]), md=5,
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


# -- actions ----------------------------------------------------------------------------------


def act(meeting_id: Any, action: Callable[[Session, ReviewMeeting, str], Any]) -> str | None:
    """Run ``action`` on the meeting in one transaction, if the viewer may; an error message
    (the domain's own) or None."""
    viewer = current_viewer()
    try:
        require(can_run_meetings(viewer), _("You do not have the right to change meetings."))
        with write_session() as session:
            require(can_see_meeting(session, viewer, meeting_id), _("No such meeting."))
            action(session, session.get(ReviewMeeting, meeting_id), viewer.username)
    except (AccessDenied, ValueError) as error:
        return str(error)
    return None


def message(error: str | None, done: str) -> html.Span:
    if error:
        return html.Span(_("Not saved: {error}").format(error=error),
                         className="text-danger meeting-error")
    return html.Span(done, className="text-success")


def fresh(meeting_id: Any, build: Callable[[Session, Viewer, ReviewMeeting], Any]) -> Any:
    viewer = current_viewer()
    with read_session() as session:
        if not can_see_meeting(session, viewer, meeting_id):
            return dash.no_update
        return build(session, viewer, session.get(ReviewMeeting, meeting_id))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@callback(Output(AGENDA, "children"), Output(AGENDA_MSG, "children"),
          Input(BUILD, "n_clicks"), State(MEETING, "data"), prevent_initial_call=True)
def build(_clicks: Any, meeting_id: Any) -> tuple[Any, Any]:

    before: list[int] = []

    def run(session: Session, meeting: ReviewMeeting, by: str) -> None:
        before.append(len(meeting.agenda_items))
        agenda = build_agenda(session, meeting, meeting_as_of(session, meeting), by=by)
        before.append(len(agenda))
    error = act(meeting_id, run)
    added = before[1] - before[0] if len(before) == 2 else 0
    done = (_n("{n} item added.", "{n} items added.", added).format(n=added) if added
            else _("Nothing new to add."))
    return fresh(meeting_id, agenda_block), message(error, done)


@callback(Output(AGENDA, "children", allow_duplicate=True),
          Output(AGENDA_MSG, "children", allow_duplicate=True), Output(TOPIC, "value"),
          Input(ADD_TOPIC, "n_clicks"), Input(TOPIC, "n_submit"), State(TOPIC, "value"),
          State(MEETING, "data"), prevent_initial_call=True)
def add_topic_item(_clicks: Any, _submit: Any, title: Any, meeting_id: Any) -> tuple[Any, ...]:

    error = act(meeting_id, lambda s, m, by: add_topic(s, m, _text(title), by=by))
    return (fresh(meeting_id, agenda_block), message(error, _("Topic added.")),
            dash.no_update if error else "")


@callback(Output(AGENDA, "children", allow_duplicate=True),
          Output(AGENDA_MSG, "children", allow_duplicate=True),
          Input({"type": AGENDA_UP, "index": ALL}, "n_clicks"),
          Input({"type": AGENDA_DOWN, "index": ALL}, "n_clicks"),
          Input({"type": AGENDA_REMOVE, "index": ALL}, "n_clicks"),
          State(MEETING, "data"), prevent_initial_call=True)
def reorder(_up: Any, _down: Any, _remove: Any, meeting_id: Any) -> tuple[Any, Any]:

    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
        return dash.no_update, dash.no_update  # buttons drawn anew, not clicked

    def run(session: Session, meeting: ReviewMeeting, by: str) -> None:
        item = session.get(AgendaItem, trigger.get("index"))
        if item is None or item.meeting_id != meeting.id:
            raise ValueError(_("agenda item: not on this meeting's agenda"))
        if trigger["type"] == AGENDA_REMOVE:
            remove_agenda_item(session, item, by=by)
            return
        order = [i.id for i in meeting.agenda_items]
        step = -1 if trigger["type"] == AGENDA_UP else 1
        move_agenda_item(session, item, max(0, min(len(order) - 1,
                                                   order.index(item.id) + step)), by=by)
    error = act(meeting_id, run)
    done = _("Removed.") if trigger["type"] == AGENDA_REMOVE else _("Moved.")
    return fresh(meeting_id, agenda_block), message(error, done)


@callback(Output(PRESENT, "options"), Output(PRESENT, "value"), Output(NEW_NAME, "value"),
          Output(PRESENT_MSG, "children"), Input(PRESENT, "value"), Input(ADD_NAME, "n_clicks"),
          Input(NEW_NAME, "n_submit"), State(NEW_NAME, "value"), State(MEETING, "data"),
          prevent_initial_call=True)
def attendance(present: Any, _clicks: Any, _submit: Any, name: Any,
               meeting_id: Any) -> tuple[Any, ...]:

    names = [n for n in present if isinstance(n, str)] if isinstance(present, list) else []
    adding = ctx.triggered_id in {ADD_NAME, NEW_NAME}
    if adding:
        if not _text(name):
            return dash.no_update, dash.no_update, dash.no_update, message(
                "name: type the name of who came", "")
        names = list(dict.fromkeys([*names, _text(name)]))
    error = act(meeting_id, lambda s, m, by: record_attendance(s, m, names, by=by))
    if error:
        return dash.no_update, dash.no_update, dash.no_update, message(error, "")
    options = fresh(meeting_id, lambda s, v, m: attendance_options(m.invited, m.attendees))
    return options, names, "" if adding else dash.no_update, message(
        None, _n("{n} present.", "{n} present.", len(names)).format(n=len(names)))


@callback(Output(DECISIONS, "children"), Output(DECISION, "value"),
          Output(DECISION_MSG, "children"), Input(DECIDE, "n_clicks"), State(DECISION, "value"),
          State(DECISION_ITEM, "value"), State(MEETING, "data"), prevent_initial_call=True)
def decide(_clicks: Any, text: Any, item_id: Any, meeting_id: Any) -> tuple[Any, ...]:

    error = act(meeting_id, lambda s, m, by: record_decision(
        s, m, _text(text), by=by, agenda_item_id=_item(item_id)))
    return (fresh(meeting_id, lambda s, v, m: decisions_list(decision_frame(s, m))),
            dash.no_update if error else "", message(error, _("Recorded.")))


@callback(Output(MADE, "children"), Output(WHAT, "value"), Output(OWNER, "value"),
          Output(GOAL, "value"), Output(COMMIT_MSG, "children"),
          Input(COMMIT, "n_clicks"), Input(WHAT, "n_submit"),
          Input(DUE, "n_submit"), State(WHAT, "value"), State(OWNER, "value"),
          State(DUE, "value"), State(GOAL, "value"), State(COMMIT_ITEM, "value"),
          State(MEETING, "data"), prevent_initial_call=True)
def commit(_clicks: Any, _s1: Any, _s3: Any, what: Any, owner: Any, due: Any,
           goal_id: Any, item_id: Any, meeting_id: Any) -> tuple[Any, ...]:

    def run(session: Session, meeting: ReviewMeeting, by: str) -> None:
        due_on = _date(due)
        goal = None
        if goal_id is not None:
            if goal_id not in meeting_scope_goal_ids(session, meeting):
                raise ValueError(_("goal: not one of this meeting's goals"))
            goal = session.get(Goal, goal_id)
        record_commitment(session, meeting, description=_text(what),
                          owner=resolve_owner(session, owner),
                          due_on=due_on, by=by, goal_id=goal.id if goal else None,
                          owner_secretariat_id=goal.owner_id if goal else None,
                          agenda_item_id=_item(item_id))
    error = act(meeting_id, run)
    made = fresh(meeting_id, lambda s, v, m: commitments_made(made_frame(s, m),
                                                              as_of=review_date(s)))
    if error:
        return made, dash.no_update, dash.no_update, dash.no_update, message(error, "")
    return made, "", None, None, message(None, _("Recorded: {what}").format(what=_text(what)))


def _item(value: Any) -> int | None:
    """An agenda item id from a dropdown (the domain checks it is this meeting's)."""
    if value is None:
        return None
    if not is_row_id(value):
        raise ValueError(_("agenda item: pick one from the list"))
    return int(value)


def _date(value: Any) -> date:
    try:
        return parse_day(value)
    except DateError:
        raise ValueError(_("due date: pick a date between 1900 and 2200")) from None


clientside_callback(ClientsideFunction("meetings", "focusWhat"), Output(FOCUS_SINK, "data"),
                    Input(COMMIT_MSG, "children"), prevent_initial_call=True)


@callback(Output(PAGE, "children"), Output(END_MSG, "children"),
          Input(CLOSE, "submit_n_clicks"), State(MEETING, "data"), prevent_initial_call=True)
def close(_clicks: Any, meeting_id: Any) -> tuple[Any, Any]:

    error = act(meeting_id, lambda s, m, by: close_meeting(s, m, by=by, at=stamp_now(s)))
    if error:
        return dash.no_update, message(error, "")
    return fresh(meeting_id, meeting_body), dash.no_update


@callback(Output(PAGE, "children", allow_duplicate=True),
          Output(END_MSG, "children", allow_duplicate=True),
          Input(CANCEL, "submit_n_clicks"), State(CANCEL_REASON, "value"),
          State(MEETING, "data"), prevent_initial_call=True)
def cancel(_clicks: Any, reason: Any, meeting_id: Any) -> tuple[Any, Any]:

    error = act(meeting_id, lambda s, m, by: cancel_meeting(s, m, _text(reason), by=by))
    if error:
        return dash.no_update, message(error, "")
    return fresh(meeting_id, meeting_body), dash.no_update


# -- in progress, and corrections of the minutes (builders in components/meeting_minutes) -------


@callback(Output(PAGE, "children", allow_duplicate=True), Output(START_MSG, "children"),
          Input(START, "n_clicks"), State(MEETING, "data"), prevent_initial_call=True)
def start(_clicks: Any, meeting_id: Any) -> tuple[Any, Any]:

    if not _clicks:  # drawn anew, not clicked
        return dash.no_update, dash.no_update
    error = act(meeting_id, lambda s, m, by: start_meeting(s, m, by=by))
    if error:
        return dash.no_update, message(error, "")
    return fresh(meeting_id, meeting_body), dash.no_update


@callback(Output(FIX_WHAT, "value"), Output(FIX_DUE, "value"), Output(FIX_ITEM, "value"),
          Input(FIX_PICK, "value"), State(MEETING, "data"), prevent_initial_call=True)
def pick_correction(commitment_id: Any, meeting_id: Any) -> tuple[Any, Any, Any]:

    if commitment_id is None:
        return "", None, None

    def read(session: Session, _viewer: Viewer, meeting: ReviewMeeting) -> tuple[Any, ...]:
        c = next((c for c in meeting.commitments if c.id == commitment_id), None)
        return ("", None, None) if c is None else (c.description, c.due_on.isoformat(),
                                                   c.agenda_item_id)
    shown = fresh(meeting_id, read)
    return shown if isinstance(shown, tuple) else ("", None, None)


@callback(Output(MADE, "children", allow_duplicate=True), Output(FIX_MSG, "children"),
          Input(FIX_SAVE, "n_clicks"), State(FIX_PICK, "value"), State(FIX_WHAT, "value"),
          State(FIX_DUE, "value"), State(FIX_ITEM, "value"), State(MEETING, "data"),
          prevent_initial_call=True)
def save_correction(_clicks: Any, commitment_id: Any, what: Any, due: Any, item_id: Any,
                    meeting_id: Any) -> tuple[Any, Any]:

    if not _clicks:  # drawn anew, not clicked
        return dash.no_update, dash.no_update
    changed: list[bool] = []

    def run(session: Session, meeting: ReviewMeeting, by: str) -> None:
        c = next((c for c in meeting.commitments if c.id == commitment_id), None)
        if c is None:
            raise ValueError(_("commitment: pick one of this meeting's commitments"))
        changed.append(correct_commitment(session, c, by=by, description=_text(what),
                                          due_on=_date(due), agenda_item_id=_item(item_id))
                       is not None)
    error = act(meeting_id, run)
    made = fresh(meeting_id, lambda s, v, m: commitments_made(made_frame(s, m),
                                                              as_of=review_date(s)))
    done = _("Corrected; the earlier text is kept in its history.") if any(changed) else \
        _("Nothing changed.")
    return made, message(error, done)
