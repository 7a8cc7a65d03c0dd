"""Report: where a secretariat's results centre (or an analyst) reports a figure for a goal and
updates the commitments it owns. Every id that comes back from the browser is checked again on
the server (``delivery.edits``): a forged goal or commitment id is refused and nothing changes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.development.base_component import Component
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dashboards.components import plan_updates
from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import date_picker_format, date_picker_week_start
from delivery.access import AccessDenied, Viewer, commitment_scope
from delivery.clock import review_date
from delivery.dates import parse_day
from delivery.edits import report_figure, update_commitment
from delivery.figure_entry import reportable_goals
from delivery.figures import revision_taken
from delivery.i18n import N_, _
from delivery.models import Commitment
from delivery.plans.choices import plan_choices
from delivery.status import format_date
from delivery.vocabulary import CommitmentState, Role

# access: the roles that report figures or update commitments (tabs only for what a person may
# do: the governor reports nothing, so has no Report tab); a secretariat sees only its own
dash.register_page(__name__, path="/report", title="Report · Delivery Tracker", name=N_("Report"),
                   access=(Role.ADMIN, Role.ANALYST, Role.SECRETARIAT), nav_order=7)

GOAL, START, END, VALUE = "report-goal", "report-start", "report-end", "report-value"
PROVISIONAL, NOTE, SUBMIT, RESULT = ("report-provisional", "report-note", "report-submit",
                                     "report-result")
C_STATE, C_SAVE, C_RESULT = ("report-commitment-state", "report-commitment-save",
                             "report-commitment-result")
PLANS = "report"  # the delivery-plan forms' id prefix (dashboards.components.plan_updates)
plan_updates.register(PLANS, __name__)


def goal_options(session: Any, viewer: Viewer) -> list[dict[str, Any]]:
    """Dropdown options: the goals the viewer reports on."""
    return [{"label": f"{code} · {name}", "value": goal_id, "code": code}
            for goal_id, code, name in reportable_goals(session, viewer)]


def figure_form(options: list[dict[str, Any]], goal_code: str | None = None) -> Component:
    """The form; ``goal_code`` (``?goal=`` from a link in the inbox) picks the goal when the
    viewer reports on it."""
    if not options:
        return html.P(_("Your role does not report figures."), className="text-muted")
    picked = next((o["value"] for o in options if o["code"] == goal_code), None)
    options = [{"label": o["label"], "value": o["value"]} for o in options]
    return html.Div([
        dcc.Dropdown(id=GOAL, options=options, placeholder=_("Goal"), className="mb-2",
                     value=picked),
        html.Div([
            dcc.DatePickerSingle(id=START, placeholder=_("Period start"),
                                 display_format=date_picker_format(),
                                 first_day_of_week=date_picker_week_start()),
            dcc.DatePickerSingle(id=END, placeholder=_("Period end"),
                                 display_format=date_picker_format(),
                                 first_day_of_week=date_picker_week_start()),
            dcc.Input(id=VALUE, type="number", placeholder=_("Value"), className="form-control",
                      style={"maxWidth": "12rem"}),
        ], className="d-flex gap-2 mb-2"),
        dbc.Checkbox(id=PROVISIONAL, label=_("provisional"), value=False, className="mb-2"),
        dcc.Input(id=NOTE, placeholder=_("Note (optional)"), className="form-control mb-2"),
        html.Button(_("Report figure"), id=SUBMIT, className="btn btn-primary"),
        html.Div(id=RESULT, className="mt-2"),
    ])


def commitment_rows(session: Any, viewer: Viewer) -> Component:
    commitments = session.scalars(select(Commitment).where(commitment_scope(viewer))
                                  .order_by(Commitment.due_on)).all()
    if not commitments:
        return html.P(_("No commitments to show."), className="text-muted")
    sec = viewer.own_secretariat
    rows = []
    for c in commitments:
        mine = viewer.is_editor or (sec is not None and c.owner_secretariat_id == sec)
        control: Any = html.Span(CommitmentState(c.state).label)
        if mine:
            control = html.Div([
                dcc.Dropdown(id={"type": C_STATE, "index": c.id}, clearable=False,
                             options=[{"label": s.label, "value": s.value}
                                      for s in CommitmentState],
                             value=c.state.value,
                             style={"minWidth": "8rem"}),
                html.Button(_("Save"), id={"type": C_SAVE, "index": c.id},
                            className="btn btn-sm btn-outline-primary"),
                html.Span(id={"type": C_RESULT, "index": c.id}, className="small"),
            ], className="d-flex gap-2 align-items-center")
        rows.append(html.Tr([html.Td(c.description), html.Td(c.owner),
                             html.Td(format_date(c.due_on)), html.Td(control)],
                            id=f"commitment-{c.id}"))
    head = html.Thead(html.Tr([html.Th(t) for t in (_("Commitment"), _("Owner"), _("Due"),
                                                    _("State"))]))
    return html.Table([head, html.Tbody(rows)], className="table table-sm commitment-table")


def layout(goal: str | None = None, **_query: str) -> html.Div:
    viewer = current_viewer()
    with read_session() as session:
        options = goal_options(session, viewer)
        commitments = commitment_rows(session, viewer)
        choices = plan_choices(session, viewer)
        today = review_date(session)
    plans = dbc.Card(dbc.CardBody([
        html.H2(_("Delivery plans"), className="h5"),
        html.P([_("Your initiatives: milestones done, physical progress, risks. Forecast "
                  "dates move on each initiative's page, from "), html.A(_("the plans"),
                                                                       href="/plans"), "."],
               className="small text-muted"),
        plan_updates.plan_update_forms(PLANS, choices, today)]), className="mt-4") if choices \
        else None
    return html.Div([
        html.H1(_("Report"), className="h3"),
        dbc.Card(dbc.CardBody([html.H2(_("Report a figure"), className="h5"),
                               figure_form(options, goal)]),
                 className="mb-4"),
        dbc.Card(dbc.CardBody([html.H2(_("Commitments"), className="h5"), commitments])),
        plans,
    ])


def _day(text: Any) -> date:
    if not isinstance(text, str):
        raise ValueError(_("pick the period's start and end dates"))
    return parse_day(text)


SAVE_TRIES = 3


@callback(Output(RESULT, "children"), Input(SUBMIT, "n_clicks"), State(GOAL, "value"),
          State(START, "date"), State(END, "date"), State(VALUE, "value"),
          State(PROVISIONAL, "value"), State(NOTE, "value"), prevent_initial_call=True)
def submit_figure(_clicks: Any, goal_id: Any, start: Any, end: Any, value: Any,
                  provisional: Any, note: Any) -> Any:
    try:
        for attempt in range(SAVE_TRIES):  # another save of the period may take the revision
            try:
                with write_session() as session:
                    counts = report_figure(session, current_viewer(), goal_id, _day(start),
                                           _day(end), value, provisional=bool(provisional),
                                           note=note if isinstance(note, str) else "")
                break
            except IntegrityError as exc:
                if not revision_taken(exc) or attempt == SAVE_TRIES - 1:
                    raise
    except AccessDenied as exc:
        return dbc.Alert(str(exc), color="danger", className="report-refused")
    except ValueError as exc:
        return dbc.Alert(_("Not saved: {error}").format(error=exc), color="warning")
    if counts.unchanged:
        return dbc.Alert(_("That figure was already recorded: nothing changed."), color="info")
    return dbc.Alert(_("Saved.") if counts.new else _("Saved as a new revision."), color="success")


@callback(Output({"type": C_RESULT, "index": MATCH}, "children"),
          Input({"type": C_SAVE, "index": MATCH}, "n_clicks"),
          State({"type": C_STATE, "index": MATCH}, "value"), prevent_initial_call=True)
def save_commitment(_clicks: Any, state: Any) -> str:
    commitment_id = ctx.triggered_id["index"] if isinstance(ctx.triggered_id, dict) else None
    try:
        with write_session() as session:
            update_commitment(session, current_viewer(), commitment_id, state)
    except AccessDenied as exc:
        return str(exc)
    except ValueError as exc:
        return _("Not saved: {error}").format(error=exc)
    return _("Saved.")
