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
from dashboards.i18n import page_title
from dashboards.plotly_locales import graph_config
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.review import group_view
from delivery.status import format_date
from strategy_maps.reports import spending_report

# access: the whole-government roles (admin, analyst, governor)
dash.register_page(__name__, path_template="/objective/<code>",
                   title=page_title(N_("Objective")), name=N_("Objective"))

def aggregate_note() -> str:
    return _(
        "Aggregate trajectory: for each goal with a baseline and a target, the change achieved "
        "since the baseline as a share of the change promised ({zero} at the baseline, {full} "
        "at the target), averaged over the goals with a figure, against the share their "
        "trajectories planned by the same date (dashed). Range goals are left out; each goal's "
        "share is capped between {low} and {high} so that one goal cannot drag the average off "
        "the chart.").format(zero=formats.percent(0), full=formats.percent(1),
                             low=formats.percent(-1), high=formats.percent(2))


KIND_WORDS = {"objective": N_("Objective"), "pillar": N_("Pillar")}


def group_page(kind: str, code: str | None, as_of: str | None) -> html.Div:
    code = unquote(code or "")
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        view = group_view(session, day, kind, code, spending=spending_report(session, day))
    if view is None:
        missing = (_("No objective {code}") if kind == "objective" else _("No pillar {code}"))
        return html.Div([html.H1(missing.format(code=code), className="h3"),
                         html.A(_("Back to the weekly review"), href="/review")],
                        className="group-missing")
    return html.Div([
        html.Div([html.Div(f"{_(KIND_WORDS[kind])} {view.code}", className="text-muted small"),
                  html.H1(view.name, className="h3 mb-0"),
                  html.Div(_("As of {date}").format(date=format_date(day)) + " · " +
                           _n("{n} goal", "{n} goals", len(view.goals)).format(
                               n=formats.number(len(view.goals), decimals=0)),
                           className="text-muted")], className="mb-3"),
        status_tiles(view.goals),
        section(_("Trajectory against target, in aggregate"),
                dcc.Graph(figure=progress_figure(view.progress),
                          config=graph_config(displaylogo=False), className="aggregate-graph"),
                note=aggregate_note()),
        section(_("Goals"), group_goals_table(view.goals, with_objective=kind == "pillar"),
                note=_("Worst first; the trend compares the status with four weeks earlier.")),
        section(_("Budget behind these goals"), budget_block(view.budget),
                note=_("Spent over appropriated in the fiscal year; progress is the change "
                       "achieved over the change planned by the latest figure.")),
    ], className="group-page")


def layout(code: str | None = None, as_of: str | None = None, **_query: str) -> html.Div:
    return group_page("objective", code, as_of)


def pillar_layout(code: str | None = None, as_of: str | None = None,
                  **_query: str) -> html.Div:
    return group_page("pillar", code, as_of)


dash.register_page(__name__ + ".pillar", path_template="/pillar/<code>", layout=pillar_layout,
                   title=page_title(N_("Pillar")), name=N_("Pillar"))
