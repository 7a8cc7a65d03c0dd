"""Workspace · trajectories: an analyst edits a goal's trajectory in a grid, starting from a
generated shape if wished, sees the path live, and saves it as a new version based on the one
loaded (a save based on an older version is refused with the other person's change named).
The version awaiting approval is shown against the one in force, with Approve / Reject for the
editors who decide (not its proposer)."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboards.components.goal_editing import proposal_ids, proposal_panel
from dashboards.components.grid_cells import grid_options, grid_problem
from dashboards.components.review import version_state
from dashboards.components.workspace import (
    milestone_columns,
    milestone_rows,
    read_milestones,
    screen_header,
    shape_label,
    shape_to_save,
    unrounded,
)
from dashboards.context import current_viewer, read_session, write_session
from dashboards.decisions import decide_from_buttons
from dashboards.figures.preview import trajectory_preview
from dashboards.grid_locales import EXAMPLE_DAY, EXAMPLE_NUMBER
from dashboards.i18n import page_title
from dashboards.plotly_locales import graph_config
from delivery.access import AccessDenied, can_see_goal
from delivery.edits import save_trajectory
from delivery.i18n import N_, _, formats
from delivery.models import Goal
from delivery.proposals import OWN_PROPOSAL, may_decide, pending_proposal
from delivery.status import FREQUENCY_ADJECTIVES, format_date
from delivery.trajectories import generate_milestones
from delivery.trajectory_versions import TrajectoryConflict
from delivery.vocabulary import Frequency, Role, Shape
from delivery.workspace import editable_goals, trajectory_versions

PATH = "/workspace/trajectory"
dash.register_page(__name__, path=PATH, title=page_title(N_("Trajectories"), N_("Workspace")),
                   name="Trajectories", access=(Role.ADMIN, Role.ANALYST))

GOAL, INFO, GRID, ADD_ROW = "wst-goal", "wst-info", "wst-grid", "wst-add-row"
GRID_PROBLEM = "wst-grid-problem"
GEN_SHAPE, GENERATE = "wst-gen-shape", "wst-generate"
SHAPE, BASED_ON, SAVED = "wst-shape", "wst-based-on", "wst-saved"
PREVIEW, PROBLEM, RATIONALE, SAVE, RESULT = ("wst-preview", "wst-problem", "wst-rationale",
                                             "wst-save", "wst-result")
RESTATE = "wst-restate"
VERSIONS, RELOAD, PENDING = "wst-versions", "wst-reload", "wst-pending"
PROPOSAL = proposal_ids("wst-proposal")


def layout(goal: str | None = None, **_query: str) -> html.Div:
    with read_session() as session:
        goals = editable_goals(session, current_viewer())
    options = [{"label": f"{g.code} · {g.name}", "value": g.id} for g in goals]
    chosen = next((g.id for g in goals if g.code == goal), goals[0].id if goals else None)
    generator = html.Div([
        dcc.Dropdown(id=GEN_SHAPE, clearable=False, value=Shape.LINEAR.value,
                     options=[{"label": shape_label(s), "value": s.value}
                              for s in (Shape.LINEAR, Shape.S_CURVE, Shape.STEP)],
                     style={"minWidth": "17rem"}),
        dbc.Button(_("Fill from baseline to target"), id=GENERATE, color="secondary",
                   outline=True),
    ], className="d-flex flex-wrap gap-2 align-items-center mb-2")
    editor = dbc.Card(dbc.CardBody([
        html.Div(_("Start from a shape"), className="small text-muted mb-1"),
        generator,
        dag.AgGrid(id=GRID, columnDefs=milestone_columns(), rowData=[],
                   defaultColDef={"sortable": False, "resizable": True},
                   dashGridOptions=grid_options(GRID_PROBLEM),
                   style={"height": "360px"}, className="ag-theme-quartz"),
        grid_problem(GRID_PROBLEM),
        html.Div([
            dbc.Button(_("Add a row"), id=ADD_ROW, color="link", size="sm",
                       className="px-0 text-nowrap"),
            html.Span(_("Click a cell to edit it; clear both cells of a row to drop it. "
                        "Dates as {date}, values as {number}.").format(
                          date=formats.day(EXAMPLE_DAY),
                          number=formats.number(EXAMPLE_NUMBER, up_to=2)),
                      className="small text-muted"),
        ], className="d-flex gap-3 align-items-center mb-2"),
        dbc.Input(id=RATIONALE, placeholder=_("Why this change? (required)"),
                  className="mb-2"),
        dbc.Checkbox(id=RESTATE, value=False, className="small mb-2",
                     label=_("Restate the past: this version changes milestones dated before "
                             "the review date (the goal page will say so)")),
        dbc.Button(_("Save as a new version"), id=SAVE, color="primary"),
        html.Div(id=RESULT, className="mt-2"),
    ]), className="border-0 shadow-sm")
    chart = dbc.Card(dbc.CardBody([
        html.Div(id=PROBLEM),
        dcc.Graph(id=PREVIEW, config=graph_config(displayModeBar=False)),
        html.H2(_("Versions"), className="h6 mt-2"),
        html.Div(id=VERSIONS),
    ]), className="border-0 shadow-sm")
    pending = dbc.Card(dbc.CardBody([
        html.H2(_("Awaiting approval"), className="h6"), html.Div(id=PENDING),
        html.Div(id=PROPOSAL["result"]),
    ]), className="border-0 shadow-sm mt-3")
    return html.Div([
        screen_header(N_("Trajectories"), N_("Edit the planned path of a goal; every save is a new "
                      "version, the original promise stays visible."), PATH),
        dcc.Dropdown(id=GOAL, options=options, value=chosen, clearable=False,
                     className="mb-1", style={"maxWidth": "48rem"}),
        html.Div(id=INFO, className="small text-muted mb-3"),
        dcc.Store(id=SHAPE), dcc.Store(id=BASED_ON), dcc.Store(id=SAVED),
        dcc.Store(id=RELOAD, data=0),
        dbc.Row([dbc.Col(editor, lg=5), dbc.Col(chart, lg=7)], className="g-3"),
        pending,
    ])


def _points(trajectory: Any) -> list[list[Any]]:
    return [[p.on.isoformat(), p.value] for p in trajectory.points]


def _versions_table(versions: list[Any]) -> html.Div | html.P:
    if not versions:
        return html.P(_("No trajectory yet."), className="text-muted")
    rows = [html.Tr([
        html.Td(f"v{t.version}"), html.Td(shape_label(Shape(t.shape))),
        html.Td(f"{t.proposed_by} · {format_date(t.created_at.date())} {t.created_at:%H:%M}"),
        html.Td([version_state(t),
                 f" · {format_date(t.approved_at.date())}" if t.approved_at else ""]),
        html.Td(t.rationale or "—"),
    ]) for t in versions]
    head = html.Thead(html.Tr([html.Th(h) for h in
                               (_("Version"), _("Shape"), _("Saved by"), _("Approved"),
                                _("Why"))]))
    # A region that scrolls sideways on a phone takes the keyboard focus (axe:
    # scrollable-region-focusable), which dbc.Table(responsive=True)'s wrapper cannot.
    return html.Div(dbc.Table([head, html.Tbody(rows)], size="sm", className="mb-0 small versions"),
                    className="table-responsive", tabIndex="0", role="region",
                    **{"aria-label": _("Versions")})


@callback(Output(GRID, "rowData"), Output(SHAPE, "data"), Output(BASED_ON, "data"),
          Output(SAVED, "data"), Output(VERSIONS, "children"), Output(INFO, "children"),
          Output(PENDING, "children"), Input(GOAL, "value"), Input(RELOAD, "data"))
def load_goal(goal_id: Any, _reload: Any) -> tuple[Any, ...]:
    """The goal's latest version not rejected in the grid, the version the next save is based
    on (the latest of all), and the version awaiting approval."""
    viewer = current_viewer()
    with read_session() as session:
        if not can_see_goal(session, viewer, goal_id):
            return [], None, None, None, html.P(_("Pick a goal.")), "", None
        goal = session.get(Goal, goal_id)
        assert goal is not None
        versions = trajectory_versions(session, goal.id)
        newest = versions[0].version if versions else None
        latest = next((t for t in versions if t.rejected_at is None), None)
        proposal = pending_proposal(session, goal.id)
        panel = proposal_panel(proposal, prefix="wst-proposal", unit=goal.unit,
                               can_decide=proposal is not None
                               and may_decide(viewer, proposal.trajectory),
                               why_not=_(OWN_PROPOSAL))
        original = versions[-1] if versions else None
        saved = {
            "latest": [_("Saved v{version}").format(version=latest.version), latest.shape.value,
                       _points(latest)]
            if latest else None,
            "original": [_("Original promise (v{version})").format(version=original.version),
                         original.shape.value,
                         _points(original)] if original and original is not latest else None,
            "unit": goal.unit,
        }
        info = _("Baseline {baseline} on {baseline_date} → target {target} on {target_date} · "
                 "{unit} · reported {frequency}").format(
            baseline=formats.number(goal.baseline_value, goal.unit),
            baseline_date=format_date(goal.baseline_date),
            target=formats.number(goal.target_value, goal.unit),
            target_date=format_date(goal.target_date), unit=goal.unit,
            frequency=str(FREQUENCY_ADJECTIVES[Frequency(goal.frequency)]))
        rows = milestone_rows((p.on, p.value) for p in latest.points) if latest else []
        return (rows, latest.shape.value if latest else Shape.MILESTONES.value,
                newest, saved, _versions_table(versions), info, panel)


@callback(Output(GRID, "rowData", allow_duplicate=True), Output(SHAPE, "data",
                                                                allow_duplicate=True),
          Input(GENERATE, "n_clicks"), State(GEN_SHAPE, "value"), State(GOAL, "value"),
          prevent_initial_call=True)
def generate(_clicks: Any, shape_value: Any, goal_id: Any) -> tuple[Any, Any]:
    with read_session() as session:
        if not can_see_goal(session, current_viewer(), goal_id):
            return no_update, no_update
        goal = session.get(Goal, goal_id)
        assert goal is not None
        shape = Shape(shape_value)
        points = generate_milestones(shape, (goal.baseline_date, goal.baseline_value),
                                     (goal.target_date, goal.target_value),
                                     Frequency(goal.frequency))
    return milestone_rows(points), shape_to_save(shape, points).value


@callback(Output(GRID, "rowData", allow_duplicate=True), Input(ADD_ROW, "n_clicks"),
          State(GRID, "rowData"), prevent_initial_call=True)
def add_row(_clicks: Any, rows: Any) -> list[dict[str, Any]]:
    return [*(rows or []), {"on": "", "value": None}]


@callback(Output(PREVIEW, "figure"), Output(PROBLEM, "children"),
          Input(GRID, "rowData"), Input(GRID, "cellValueChanged"), Input(SHAPE, "data"),
          State(SAVED, "data"))
def preview(rows: Any, _changed: Any, shape_value: Any, saved: Any) -> tuple[Any, Any]:
    """The draft as it stands, over the saved version and the original promise."""
    problem = None
    try:
        draft = read_milestones(rows)
    except ValueError as error:
        draft, problem = [], dbc.Alert(str(error), color="warning", className="py-1 small")
    shape = shape_to_save(Shape(shape_value or Shape.MILESTONES.value), draft)
    saved = saved or {}

    def line(key: str) -> Any:
        item = saved.get(key)
        if not item:
            return None
        label, shape_text, points = item
        return label, Shape(shape_text), [(date.fromisoformat(d), v) for d, v in points]

    figure = trajectory_preview(draft, shape, saved=line("latest"), original=line("original"),
                                unit=saved.get("unit", ""))
    return figure, problem


@callback(Output(RESULT, "children"), Output(RELOAD, "data"),
          Input(SAVE, "n_clicks"), State(GOAL, "value"), State(GRID, "rowData"),
          State(SHAPE, "data"), State(BASED_ON, "data"), State(RATIONALE, "value"),
          State(RESTATE, "value"), State(RELOAD, "data"), State(SAVED, "data"),
          prevent_initial_call=True)
def save(_clicks: Any, goal_id: Any, rows: Any, shape_value: Any, based_on: Any,
         rationale: Any, restate: Any, reloads: Any, saved: Any) -> tuple[Any, Any]:
    try:
        loaded = ((saved or {}).get("latest") or [None, None, []])[2]
        milestones = unrounded(read_milestones(rows),
                               [(date.fromisoformat(d), float(v)) for d, v in loaded])
        if not milestones:
            raise ValueError(_("add at least one milestone"))
        shape = shape_to_save(Shape(shape_value or Shape.MILESTONES.value), milestones)
        with write_session() as session:
            saved = save_trajectory(session, current_viewer(), goal_id, shape, milestones,
                                    rationale=rationale if isinstance(rationale, str) else "",
                                    based_on=based_on if isinstance(based_on, int) else None,
                                    restates_past=restate is True)
            version = saved.version
    except TrajectoryConflict as conflict:
        return dbc.Alert([html.Strong(_("Not saved. ")), str(conflict)], color="danger",
                         className="wst-conflict"), no_update
    except (AccessDenied, ValueError) as error:
        return dbc.Alert(_("Not saved: {error}").format(error=error), color="danger"), no_update
    message = dbc.Alert(_("Saved as version {version} (proposed, awaiting approval).").format(
        version=version),
                        color="success", className="wst-saved-ok")
    return message, (reloads or 0) + 1


@callback(Output(PROPOSAL["result"], "children"), Output(RELOAD, "data", allow_duplicate=True),
          Input(PROPOSAL["approve"], "n_clicks"), Input(PROPOSAL["reject"], "n_clicks"),
          State(PROPOSAL["id"], "data"), State(PROPOSAL["reason"], "value"),
          State(RELOAD, "data"), prevent_initial_call=True)
def decide_proposal(approved: Any, rejected: Any, trajectory_id: Any, reason: Any,
                    reloads: Any) -> tuple[Any, Any]:
    if not (approved or rejected):
        return no_update, no_update  # the panel was just drawn again
    version, message = decide_from_buttons(PROPOSAL, trajectory_id, reason)
    return message, no_update if version is None else (reloads or 0) + 1
