"""One goal (``/goal/<code>``): figures against the trajectory in force and the original promise,
the target and the forecast with its band; revisions of figures and of the trajectory (who,
when, why); data-quality flags; budget against progress. Comments are not shown: they need a
table of their own (a migration), left for later."""

from __future__ import annotations

from urllib.parse import unquote

import dash
from dash import dcc, html

from dashboards.auth import SIGNED_IN
from dashboards.components.review import (
    budget_block,
    corrections_table,
    flags_list,
    goal_chart_data,
    goal_facts,
    group_href,
    parse_as_of,
    section,
    versions_table,
)
from dashboards.context import current_viewer, read_session
from dashboards.figures.trajectory import goal_figure
from delivery.access import goal_filter
from delivery.clock import review_date
from delivery.review import goal_dossier
from delivery.status import format_date

# access: every signed-in role; a goal the viewer may not see is answered as not found
dash.register_page(__name__, path_template="/goal/<code>", title="Goal · Delivery Tracker",
                   name="Goal", access=SIGNED_IN)


def layout(code: str | None = None, as_of: str | None = None, **_query: str) -> html.Div:
    code = unquote(code or "")
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        d = goal_dossier(session, day, code, goal_filter(session, current_viewer()))
        if d is None:
            return html.Div([html.H1("Goal not found", className="h3"),
                             html.P("There is no goal with this code that you may see.",
                                    className="goal-missing"),
                             html.A("All goals", href="/")])
        s, g = d.status, d.goal
        return html.Div([
            html.Div([
                html.Div([html.A(s["pillar"], href=group_href("pillar", s["pillar_code"])),
                          " › ", html.A(s["objective"],
                                        href=group_href("objective", s["objective_code"]))],
                         className="small crumbs"),
                html.H1(g.name, className="h3 mb-0"),
                html.Div(f"{g.code} · {g.indicator} · as of {format_date(day)}",
                         className="text-muted"),
            ], className="mb-3"),
            section("Figures against trajectory and target", html.Div([
                goal_facts(d), html.Div(s.get("reason") or "", className="small mb-1"),
                dcc.Graph(figure=goal_figure(goal_chart_data(d)), config={"displaylogo": False},
                          className="goal-graph"),
                html.Div(d.forecast.reason if d.forecast else "No forecast: the goal has no "
                         "baseline and target.", className="small text-muted forecast-reason"),
            ])),
            html.Div([
                html.Div(section("Trajectory versions", versions_table(d)), className="review-col"),
                html.Div(section("Corrected figures", corrections_table(d)),
                         className="review-col"),
            ], className="review-two"),
            html.Div([
                html.Div(section("Data-quality flags", flags_list(d)), className="review-col"),
                html.Div(section("Budget against progress", budget_block(d.budget)),
                         className="review-col"),
            ], className="review-two"),
            section("Comments", html.Div("Comments are not available yet: they need a table of "
                                         "their own.", className="text-muted small")),
        ], className="goal-page")
