"""Workspace · data quality: the queue of flags raised on figures, open ones first; an analyst
confirms a flag (the figure is doubtful) or dismisses it with a note saying why it is sound."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from sqlalchemy import select

from dashboards.components.workspace import (
    RULE_LABELS,
    flag_columns,
    flag_rows,
    rule_form_values,
    rules_form,
    rules_in_force,
    screen_header,
)
from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import page_title
from delivery.access import AccessDenied
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.models import Goal, GoalRule
from delivery.plausibility import rules_for
from delivery.status import format_date
from delivery.vocabulary import FlagState, Role, flag_kind_label
from delivery.workspace import (
    editable_goals,
    flag_queue,
    resolve_flag_as,
    run_checks_as,
    save_goal_rules,
)

PATH = "/workspace/quality"
dash.register_page(__name__, path=PATH, title=page_title(N_("Data quality"), N_("Workspace")),
                   name="Data quality", access=(Role.ADMIN, Role.ANALYST))

GRID, COUNTS, RUN, RUN_RESULT = "wsq-grid", "wsq-counts", "wsq-run", "wsq-run-result"
STATE, NOTE, RESOLVE, RESULT = "wsq-state", "wsq-note", "wsq-resolve", "wsq-result"
RULES = {"goal": "wsq-rules-goal", "save": "wsq-rules-save", "result": "wsq-rules-result",
         "in_force": "wsq-rules-in-force", **{f: f"wsq-rules-{f}" for f in RULE_LABELS}}


def queue() -> tuple[list[dict[str, Any]], str]:
    with read_session() as session:
        flags = flag_queue(session)
        codes = dict(session.execute(select(Goal.id, Goal.code)).all())
        rows = flag_rows(flags, codes)
    open_count = sum(r["state"] == FlagState.OPEN.label for r in rows)
    return rows, _("{open} open · {resolved} resolved").format(
        open=formats.number(open_count), resolved=formats.number(len(rows) - open_count))


def layout(**_query: str) -> html.Div:
    rows, counts = queue()
    with read_session() as session:
        day = review_date(session)
        goals = [(g.id, g.code, g.name) for g in editable_goals(session, current_viewer())]
    resolve = dbc.Card(dbc.CardBody([
        html.Div(_("Resolve the selected flag"), className="fw-semibold mb-2"),
        dbc.RadioItems(id=STATE, value=FlagState.CONFIRMED.value, inline=True, className="mb-2",
                       options=[{"label": _("Confirm: the figure is doubtful"),
                                 "value": FlagState.CONFIRMED.value},
                                {"label": _("Dismiss: the figure is sound"),
                                 "value": FlagState.DISMISSED.value}]),
        dbc.Textarea(id=NOTE, placeholder=_("Note (needed to dismiss: why is the figure sound?)"),
                     rows=2, className="mb-2"),
        dbc.Button(_("Resolve"), id=RESOLVE, color="primary"),
        html.Div(id=RESULT, className="mt-2"),
    ]), className="border-0 shadow-sm")
    return html.Div([
        screen_header(N_("Data quality"), N_("Reasons to doubt a figure: late, missing, jumps, "
                      "patterns that look like gaming. Resolved flags are kept."), PATH),
        html.Div([
            html.Span(counts, id=COUNTS, className="fw-semibold"),
            dbc.Button(_("Run the checks as of {day}").format(day=format_date(day)), id=RUN,
                       color="secondary",
                       outline=True, size="sm"),
            dcc.Loading(html.Span(id=RUN_RESULT, className="small text-muted")),
        ], className="d-flex gap-3 align-items-center mb-2"),
        dag.AgGrid(id=GRID, columnDefs=flag_columns(), rowData=rows, getRowId="params.data.id",
                   defaultColDef={"resizable": True, "sortable": True, "filter": True},
                   dashGridOptions={"rowSelection": {"mode": "singleRow",
                                                     "enableClickSelection": True},
                                    "localeText": {"noRowsToShow": _("No flags: run the checks.")}},
                   style={"height": "430px"}, className="ag-theme-quartz mb-3"),
        resolve,
        rules_form(RULES, goals),
    ])


@callback(Output(GRID, "rowData"), Output(COUNTS, "children"), Output(RUN_RESULT, "children"),
          Input(RUN, "n_clicks"), prevent_initial_call=True)
def run(_clicks: Any) -> tuple[Any, Any, Any]:
    try:
        with write_session() as session:
            raised = len(run_checks_as(session, current_viewer(), review_date(session)))
    except AccessDenied as error:
        return dash.no_update, dash.no_update, str(error)
    rows, counts = queue()
    return rows, counts, _n("{n} new flag raised.", "{n} new flags raised.", raised).format(
        n=formats.number(raised))


@callback(Output(GRID, "rowData", allow_duplicate=True),
          Output(COUNTS, "children", allow_duplicate=True), Output(RESULT, "children"),
          Input(RESOLVE, "n_clicks"), State(GRID, "selectedRows"), State(STATE, "value"),
          State(NOTE, "value"), prevent_initial_call=True)
def resolve(_clicks: Any, selected: Any, state: Any, note: Any) -> tuple[Any, Any, Any]:
    if not selected:
        return dash.no_update, dash.no_update, dbc.Alert(_("Select a flag in the table first."),
                                                         color="warning", className="py-1")
    flag_id = selected[0].get("id") if isinstance(selected[0], dict) else None
    try:
        with write_session() as session:
            flag = resolve_flag_as(session, current_viewer(), flag_id, state, note or "")
            done = _("Flag on {kind} {state}.").format(kind=flag_kind_label(flag.kind),
                                                     state=flag.state.label)
    except (AccessDenied, ValueError) as error:
        return dash.no_update, dash.no_update, dbc.Alert(str(error), color="danger",
                                                         className="py-1")
    rows, counts = queue()
    return rows, counts, dbc.Alert(done, color="success", className="py-1")


@callback(*(Output(RULES[f], "value") for f in RULE_LABELS),
          Output(RULES["in_force"], "children"), Input(RULES["goal"], "value"),
          prevent_initial_call=True)
def show_rules(goal: Any) -> tuple[Any, ...]:
    goal_id = int(goal) if isinstance(goal, str) and goal.isdigit() else None
    with read_session() as session:
        rules = rules_for(session, [goal_id]).get(goal_id) if goal_id else None
        if rules is None:
            return (*rule_form_values(None), "")
        return (*rule_form_values(session.get(GoalRule, goal_id)), rules_in_force(rules))


@callback(Output(RULES["result"], "children"),
          Output(RULES["in_force"], "children", allow_duplicate=True),
          Input(RULES["save"], "n_clicks"), State(RULES["goal"], "value"),
          *(State(RULES[f], "value") for f in RULE_LABELS), prevent_initial_call=True)
def save_rules(_clicks: Any, goal: Any, *values: Any) -> tuple[Any, Any]:
    goal_id = int(goal) if isinstance(goal, str) and goal.isdigit() else goal
    try:
        with write_session() as session:
            rules = save_goal_rules(session, current_viewer(), goal_id,
                                    dict(zip(RULE_LABELS, values, strict=True)))
    except (AccessDenied, ValueError) as error:
        return dbc.Alert(_("Not saved: {error}").format(error=error), color="danger",
                         className="py-1"), dash.no_update
    return dbc.Alert(_("Rules saved."), color="success", className="py-1"), \
        rules_in_force(rules)
