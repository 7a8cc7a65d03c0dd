"""One review meeting: its agenda in order (built from what is off track, slipping, flagged and
due; reordered; topics added), and, during the meeting, attendance, decisions and commitments
typed in fast; then the minutes are closed and the page is read-only. Links to the briefing memo
and the follow-up.

Access: every signed-in role may open the page; a secretariat only its pacts' meetings (others
get the refusal). Analysts and admins edit; every action is checked again on the server and runs
through ``delivery.meetings`` in one transaction, whose error message is shown as it is.

This module holds the layout and the callbacks; what the page shows is built in
``dashboards.components.meeting_view``, its forms (and their ids) in ``meeting_forms``, the
corrections of the minutes in ``meeting_minutes``; ``page_actions`` checks and runs each action.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import dash
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
from sqlalchemy.orm import Session

from dashboards.auth import SIGNED_IN, refusal
from dashboards.components.meeting_forms import (
    ADD_NAME,
    ADD_TOPIC,
    AGENDA,
    AGENDA_MSG,
    BUILD,
    CANCEL,
    CANCEL_REASON,
    CLOSE,
    COMMIT,
    COMMIT_ITEM,
    COMMIT_MSG,
    DECIDE,
    DECISION,
    DECISION_ITEM,
    DECISION_MSG,
    DECISIONS,
    DUE,
    END_MSG,
    FOCUS_SINK,
    GOAL,
    MADE,
    MEETING,
    NEW_NAME,
    OWNER,
    PAGE,
    PRESENT,
    PRESENT_MSG,
    TOPIC,
    WHAT,
)
from dashboards.components.meeting_minutes import (
    FIX_DUE,
    FIX_ITEM,
    FIX_MSG,
    FIX_PICK,
    FIX_SAVE,
    FIX_WHAT,
    START,
    START_MSG,
)
from dashboards.components.meeting_view import (
    agenda_block,
    decision_frame,
    made_frame,
    meeting_as_of,
    meeting_body,
)
from dashboards.components.meetings import (
    AGENDA_DOWN,
    AGENDA_REMOVE,
    AGENDA_UP,
    attendance_options,
    commitments_made,
    decisions_list,
)
from dashboards.components.page_actions import RecordActions, text
from dashboards.context import current_viewer, read_session
from dashboards.i18n import page_title
from delivery.access import Viewer, can_run_meetings, can_see_meeting, is_row_id, require
from delivery.clock import review_date, stamp_now
from delivery.commitment_followup import correct_commitment, start_meeting
from delivery.dates import DateError, parse_day
from delivery.i18n import N_, _, _n
from delivery.inbox.owners import resolve_owner
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
from delivery.models import AgendaItem, Goal, ReviewMeeting


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
                   title=page_title(N_("Meeting")), name=N_("Meeting"), access=SIGNED_IN,
                   layout=meeting_layout)


# -- actions ----------------------------------------------------------------------------------


MEETINGS = RecordActions(ReviewMeeting, can_see_meeting, "meeting-error")


def runs_meetings(session: Session, viewer: Viewer, meeting_id: Any) -> None:
    """Analysts and admins change a meeting they can see."""
    require(can_run_meetings(viewer), _("You do not have the right to change meetings."))
    require(can_see_meeting(session, viewer, meeting_id), _("No such meeting."))


def act(meeting_id: Any, action: Callable[[Session, ReviewMeeting, str], Any]) -> str | None:
    """Run ``action`` on the meeting in one transaction, if the viewer may; an error message
    (the domain's own) or None."""
    return MEETINGS.act(meeting_id, runs_meetings, action)


def message(error: str | None, done: str) -> html.Span:
    return MEETINGS.failed(error) if error else html.Span(done, className="text-success")


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
    return MEETINGS.fresh(meeting_id, agenda_block), message(error, done)


@callback(Output(AGENDA, "children", allow_duplicate=True),
          Output(AGENDA_MSG, "children", allow_duplicate=True), Output(TOPIC, "value"),
          Input(ADD_TOPIC, "n_clicks"), Input(TOPIC, "n_submit"), State(TOPIC, "value"),
          State(MEETING, "data"), prevent_initial_call=True)
def add_topic_item(_clicks: Any, _submit: Any, title: Any, meeting_id: Any) -> tuple[Any, ...]:

    error = act(meeting_id, lambda s, m, by: add_topic(s, m, text(title, strip=True), by=by))
    return (MEETINGS.fresh(meeting_id, agenda_block), message(error, _("Topic added.")),
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
    return MEETINGS.fresh(meeting_id, agenda_block), message(error, done)


@callback(Output(PRESENT, "options"), Output(PRESENT, "value"), Output(NEW_NAME, "value"),
          Output(PRESENT_MSG, "children"), Input(PRESENT, "value"), Input(ADD_NAME, "n_clicks"),
          Input(NEW_NAME, "n_submit"), State(NEW_NAME, "value"), State(MEETING, "data"),
          prevent_initial_call=True)
def attendance(present: Any, _clicks: Any, _submit: Any, name: Any,
               meeting_id: Any) -> tuple[Any, ...]:

    names = [n for n in present if isinstance(n, str)] if isinstance(present, list) else []
    adding = ctx.triggered_id in {ADD_NAME, NEW_NAME}
    if adding:
        if not text(name, strip=True):
            return dash.no_update, dash.no_update, dash.no_update, message(
                "name: type the name of who came", "")
        names = list(dict.fromkeys([*names, text(name, strip=True)]))
    error = act(meeting_id, lambda s, m, by: record_attendance(s, m, names, by=by))
    if error:
        return dash.no_update, dash.no_update, dash.no_update, message(error, "")
    options = MEETINGS.fresh(meeting_id, lambda s, v, m: attendance_options(m.invited, m.attendees))
    return options, names, "" if adding else dash.no_update, message(
        None, _n("{n} present.", "{n} present.", len(names)).format(n=len(names)))


@callback(Output(DECISIONS, "children"), Output(DECISION, "value"),
          Output(DECISION_MSG, "children"), Input(DECIDE, "n_clicks"), State(DECISION, "value"),
          State(DECISION_ITEM, "value"), State(MEETING, "data"), prevent_initial_call=True)
def decide(_clicks: Any, typed: Any, item_id: Any, meeting_id: Any) -> tuple[Any, ...]:

    error = act(meeting_id, lambda s, m, by: record_decision(
        s, m, text(typed, strip=True), by=by, agenda_item_id=_item(item_id)))
    return (MEETINGS.fresh(meeting_id, lambda s, v, m: decisions_list(decision_frame(s, m))),
            dash.no_update if error else "", message(error, _("Recorded.")))


@callback(Output(MADE, "children"), Output(WHAT, "value"), Output(OWNER, "value"),
          Output(GOAL, "value"), Output(COMMIT_MSG, "children"),
          Input(COMMIT, "n_clicks"), Input(WHAT, "n_submit"),
          State(WHAT, "value"), State(OWNER, "value"),
          State(DUE, "date"), State(GOAL, "value"), State(COMMIT_ITEM, "value"),
          State(MEETING, "data"), prevent_initial_call=True)
def commit(_clicks: Any, _s1: Any, what: Any, owner: Any, due: Any,
           goal_id: Any, item_id: Any, meeting_id: Any) -> tuple[Any, ...]:

    def run(session: Session, meeting: ReviewMeeting, by: str) -> None:
        due_on = _date(due)
        goal = None
        if goal_id is not None:
            if goal_id not in meeting_scope_goal_ids(session, meeting):
                raise ValueError(_("goal: not one of this meeting's goals"))
            goal = session.get(Goal, goal_id)
        record_commitment(session, meeting, description=text(what, strip=True),
                          owner=resolve_owner(session, owner),
                          due_on=due_on, by=by, goal_id=goal.id if goal else None,
                          owner_secretariat_id=goal.owner_id if goal else None,
                          agenda_item_id=_item(item_id))
    error = act(meeting_id, run)
    made = MEETINGS.fresh(meeting_id, lambda s, v, m: commitments_made(made_frame(s, m),
                                                              as_of=review_date(s)))
    if error:
        return made, dash.no_update, dash.no_update, dash.no_update, message(error, "")
    done = _("Recorded: {what}").format(what=text(what, strip=True))
    return made, "", None, None, message(None, done)


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

    return MEETINGS.act_and_redraw(meeting_id, runs_meetings, lambda s, m, by: close_meeting(
        s, m, by=by, at=stamp_now(s)), meeting_body)


@callback(Output(PAGE, "children", allow_duplicate=True),
          Output(END_MSG, "children", allow_duplicate=True),
          Input(CANCEL, "submit_n_clicks"), State(CANCEL_REASON, "value"),
          State(MEETING, "data"), prevent_initial_call=True)
def cancel(_clicks: Any, reason: Any, meeting_id: Any) -> tuple[Any, Any]:

    return MEETINGS.act_and_redraw(meeting_id, runs_meetings, lambda s, m, by: cancel_meeting(
        s, m, text(reason, strip=True), by=by), meeting_body)


# -- in progress, and corrections of the minutes (builders in components/meeting_minutes) -------


@callback(Output(PAGE, "children", allow_duplicate=True), Output(START_MSG, "children"),
          Input(START, "n_clicks"), State(MEETING, "data"), prevent_initial_call=True)
def start(_clicks: Any, meeting_id: Any) -> tuple[Any, Any]:

    if not _clicks:  # drawn anew, not clicked
        return dash.no_update, dash.no_update
    return MEETINGS.act_and_redraw(meeting_id, runs_meetings,
                                   lambda s, m, by: start_meeting(s, m, by=by), meeting_body)


@callback(Output(FIX_WHAT, "value"), Output(FIX_DUE, "date"), Output(FIX_ITEM, "value"),
          Input(FIX_PICK, "value"), State(MEETING, "data"), prevent_initial_call=True)
def pick_correction(commitment_id: Any, meeting_id: Any) -> tuple[Any, Any, Any]:

    if commitment_id is None:
        return "", None, None

    def read(session: Session, _viewer: Viewer, meeting: ReviewMeeting) -> tuple[Any, ...]:
        c = next((c for c in meeting.commitments if c.id == commitment_id), None)
        return ("", None, None) if c is None else (c.description, c.due_on.isoformat(),
                                                   c.agenda_item_id)
    shown = MEETINGS.fresh(meeting_id, read)
    return shown if isinstance(shown, tuple) else ("", None, None)


@callback(Output(MADE, "children", allow_duplicate=True), Output(FIX_MSG, "children"),
          Input(FIX_SAVE, "n_clicks"), State(FIX_PICK, "value"), State(FIX_WHAT, "value"),
          State(FIX_DUE, "date"), State(FIX_ITEM, "value"), State(MEETING, "data"),
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
        changed.append(correct_commitment(
            session, c, by=by, description=text(what, strip=True), due_on=_date(due),
            agenda_item_id=_item(item_id)) is not None)
    error = act(meeting_id, run)
    made = MEETINGS.fresh(meeting_id, lambda s, v, m: commitments_made(made_frame(s, m),
                                                              as_of=review_date(s)))
    done = _("Corrected; the earlier text is kept in its history.") if any(changed) else \
        _("Nothing changed.")
    return made, message(error, done)
