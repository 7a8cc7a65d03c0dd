"""Workspace · figures: an analyst picks a goal, sees its latest figures, types new ones (or
corrections) in a grid and saves them; each row says which revision it became, and a row that is
not right is named with its field while nothing is stored. Figures go through the same domain
path as the report page (``delivery.edits.report_figure``)."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboards.components.goal_editing import (
    entry_columns,
    entry_rows,
    outcomes_alert,
    recent_table,
    row_errors_alert,
)
from dashboards.components.grid_cells import grid_options, grid_problem
from dashboards.components.workspace import screen_header
from dashboards.context import current_viewer, read_session, write_session
from dashboards.grid_locales import EXAMPLE_DAY, EXAMPLE_NUMBER
from dashboards.i18n import page_title
from delivery.access import AccessDenied, can_report_figures
from delivery.figure_entry import FigureRowsInvalid, enter_figures, recent_figures, reportable_goals
from delivery.i18n import N_, _, formats
from delivery.models import Goal
from delivery.status import FREQUENCY_ADJECTIVES
from delivery.vocabulary import Frequency, Role

PATH = "/workspace/figures"
dash.register_page(__name__, path=PATH, title=page_title(N_("Figures"), N_("Workspace")),
                   name="Figures", access=(Role.ADMIN, Role.ANALYST))

GOAL, INFO, RECENT, GRID = "wsf-goal", "wsf-info", "wsf-recent", "wsf-grid"
ADD_ROW, SAVE, RESULT, RELOAD = "wsf-add-row", "wsf-save", "wsf-result", "wsf-reload"
GRID_PROBLEM = "wsf-grid-problem"


def layout(goal: str | None = None, **_query: str) -> html.Div:
    with read_session() as session:
        goals = reportable_goals(session, current_viewer())
    options = [{"label": f"{code} · {name}", "value": goal_id} for goal_id, code, name in goals]
    chosen = next((i for i, code, _ in goals if code == goal), None)
    entry = dbc.Card(dbc.CardBody([
        html.H2(_("New figures or corrections"), className="h6"),
        dag.AgGrid(id=GRID, columnDefs=entry_columns(), rowData=entry_rows(),
                   defaultColDef={"sortable": False, "resizable": True},
                   dashGridOptions=grid_options(GRID_PROBLEM),
                   style={"height": "250px"}, className="ag-theme-quartz"),
        grid_problem(GRID_PROBLEM),
        html.Div([
            dbc.Button(_("Add a row"), id=ADD_ROW, color="link", size="sm",
                       className="px-0 text-nowrap"),
            html.Span(_("Dates as {date}, values as {number}. A period already reported with "
                        "another value becomes its next revision; the same value again changes "
                        "nothing.").format(date=formats.day(EXAMPLE_DAY),
                                           number=formats.number(EXAMPLE_NUMBER, up_to=2)),
                      className="small text-muted"),
        ], className="d-flex gap-3 align-items-center mb-2"),
        dbc.Button(_("Save figures"), id=SAVE, color="primary"),
        html.Div(id=RESULT, className="mt-2"),
    ]), className="border-0 shadow-sm")
    recent = dbc.Card(dbc.CardBody([
        html.H2(_("Latest figures"), className="h6"), html.Div(id=RECENT),
    ]), className="border-0 shadow-sm")
    return html.Div([
        screen_header(N_("Figures"), N_("Type in a goal's figures by hand; every change is kept "
                                        "as a revision, nothing is overwritten."), PATH),
        dcc.Dropdown(id=GOAL, options=options, value=chosen, placeholder=_("Pick a goal (type to "
                     "search by code or name)"), searchable=True, className="mb-1",
                     style={"maxWidth": "48rem"}),
        html.Div(id=INFO, className="small text-muted mb-3"),
        dcc.Store(id=RELOAD, data=0),
        dbc.Row([dbc.Col(entry, lg=7), dbc.Col(recent, lg=5)], className="g-3"),
    ])


@callback(Output(RECENT, "children"), Output(INFO, "children"), Input(GOAL, "value"),
          Input(RELOAD, "data"))
def show_goal(goal_id: Any, _reload: Any) -> tuple[Any, Any]:
    """The goal's latest figures at their current revision."""
    with read_session() as session:
        if not can_report_figures(session, current_viewer(), goal_id):
            return html.P(_("Pick a goal."), className="text-muted small"), ""
        goal = session.get(Goal, goal_id)
        assert goal is not None
        info = " · ".join([goal.indicator, goal.unit, _("reported {frequency}").format(
            frequency=str(FREQUENCY_ADJECTIVES[Frequency(goal.frequency)]))])
        return recent_table(recent_figures(session, goal.id), goal.unit), info


@callback(Output(GRID, "rowData", allow_duplicate=True), Input(ADD_ROW, "n_clicks"),
          State(GRID, "rowData"), prevent_initial_call=True)
def add_row(_clicks: Any, rows: Any) -> list[dict[str, Any]]:
    return [*(rows or []), *entry_rows(1)]


@callback(Output(RESULT, "children"), Output(RELOAD, "data"),
          Output(GRID, "rowData", allow_duplicate=True), Input(SAVE, "n_clicks"),
          State(GOAL, "value"), State(GRID, "rowData"), State(RELOAD, "data"),
          prevent_initial_call=True)
def save(_clicks: Any, goal_id: Any, rows: Any, reloads: Any) -> tuple[Any, Any, Any]:
    """All rows or none: the rows that are not right are named and nothing is stored."""
    if goal_id is None:
        return dbc.Alert(_("Pick a goal first."), color="warning", className="py-2"), no_update, \
            no_update
    try:
        with write_session() as session:
            outcomes = enter_figures(session, current_viewer(), goal_id, rows)
    except FigureRowsInvalid as invalid:
        return row_errors_alert(invalid.errors), no_update, no_update
    except (AccessDenied, ValueError) as error:
        alert = dbc.Alert(_("Not saved: {error}").format(error=error), color="danger",
                          className="py-2")
        return alert, no_update, no_update
    return outcomes_alert(outcomes), (reloads or 0) + 1, entry_rows()
