"""Pillar and objective pages (``/pillar/<code>``, ``/objective/<code>``): trajectory against
target in aggregate, the goals beneath with status, trend and owner, and the budget behind them.
"""

from __future__ import annotations

from urllib.parse import unquote

import dash
from dash import dcc, html

from dashboards.components.overview import status_tiles
from dashboards.components.review import (
    budget_block,
    group_goals_table,
    parse_as_of,
    section,
)
from dashboards.context import read_session
from dashboards.figures.trajectory import progress_figure
from delivery.clock import review_date
from delivery.review import group_view
from delivery.status import format_date
from strategy_maps.reports import spending_report

# access: the whole-government roles (admin, analyst, governor)
dash.register_page(__name__, path_template="/objective/<code>",
                   title="Objective · Delivery Tracker", name="Objective")

AGGREGATE_NOTE = (
    "Aggregate trajectory: for each goal with a baseline and a target, the change achieved "
    "since the baseline as a share of the change promised (0% at the baseline, 100% at the "
    "target), averaged over the goals with a figure, against the share their trajectories "
    "planned by the same date (dashed). Range goals are left out; each goal's share is capped "
    "between -100% and 200% so that one goal cannot drag the average off the chart.")


def group_page(kind: str, code: str | None, as_of: str | None) -> html.Div:
    code = unquote(code or "")
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        view = group_view(session, day, kind, code, spending=spending_report(session, day))
    if view is None:
        return html.Div([html.H1(f"No {kind} {code}", className="h3"),
                         html.A("Back to the weekly review", href="/review")],
                        className="group-missing")
    return html.Div([
        html.Div([html.Div(f"{kind.capitalize()} {view.code}", className="text-muted small"),
                  html.H1(view.name, className="h3 mb-0"),
                  html.Div(f"As of {format_date(day)} · {len(view.goals)} goals",
                           className="text-muted")], className="mb-3"),
        status_tiles(view.goals),
        section("Trajectory against target, in aggregate",
                dcc.Graph(figure=progress_figure(view.progress), config={"displaylogo": False},
                          className="aggregate-graph"), note=AGGREGATE_NOTE),
        section("Goals", group_goals_table(view.goals, with_objective=kind == "pillar"),
                note="Worst first; the trend compares the status with four weeks earlier."),
        section("Budget behind these goals", budget_block(view.budget),
                note="Spent over appropriated in the fiscal year; progress is the change "
                     "achieved over the change planned by the latest figure."),
    ], className="group-page")


def layout(code: str | None = None, as_of: str | None = None, **_query: str) -> html.Div:
    return group_page("objective", code, as_of)


def pillar_layout(code: str | None = None, as_of: str | None = None,
                  **_query: str) -> html.Div:
    return group_page("pillar", code, as_of)


dash.register_page(__name__ + ".pillar", path_template="/pillar/<code>", layout=pillar_layout,
                   title="Pillar · Delivery Tracker", name="Pillar")
