"""One public goal (``/public/goal/<slug>``, no sign-in): its figures against the planned path
and the target, the sentence behind its status, its latest figure with the period it is for,
and its data to download. A slug no public goal has is answered as not found."""

from __future__ import annotations

from urllib.parse import unquote

import dash
from dash import dcc, html

from dashboards.auth import PUBLIC, PUBLIC_PATH
from dashboards.components.public import (
    DATA_PATH,
    chart_data,
    download_links,
    figures_table,
    goal_facts,
    pillar_anchor,
)
from dashboards.context import read_session
from dashboards.figures.trajectory import goal_figure
from dashboards.i18n import page_title
from dashboards.plotly_locales import graph_config
from delivery.clock import review_date
from delivery.i18n import N_, _
from delivery.public import public_goal
from delivery.status import format_date

dash.register_page(__name__, path_template="/public/goal/<slug>",
                   title=page_title(N_("Public goal")), name=N_("Public goal"), access=PUBLIC)


def not_found() -> html.Div:
    return html.Div([html.H1(_("Goal not found"), className="h3"),
                     html.P(_("No public goal has this address."), className="goal-missing"),
                     html.A(_("Public scorecard"), href=PUBLIC_PATH)])


def layout(slug: str | None = None, **_query: str) -> html.Div:
    with read_session() as session:
        day = review_date(session)
        goal = public_goal(session, day, unquote(slug or ""))
    if goal is None:
        return not_found()
    row = goal.row
    return html.Div([
        html.Nav([html.A(_("Public scorecard"), href=PUBLIC_PATH), " › ",
                  html.A(row["pillar"], href=f"{PUBLIC_PATH}#{pillar_anchor(row['pillar'])}")],
                 className="small crumbs", **{"aria-label": _("Breadcrumb")}),
        html.H1(row["name"], className="h3 mb-0"),
        html.Div([row["indicator"], " · ", row["objective"], " · ",
                  _("as of {date}").format(date=format_date(day))], className="text-muted mb-3"),
        goal_facts(row),
        html.P(row["reason"], className="public-reason"),
        dcc.Graph(figure=goal_figure(chart_data(goal)),
                  config=graph_config(displaylogo=False, responsive=True), className="goal-graph"),
        html.Div([
            html.Div([html.H2(_("Latest figures"), className="h5"), figures_table(goal)],
                     className="review-col"),
            html.Div([html.H2(_("Download this goal's data"), className="h5"),
                      html.P([_("Figures") + " ", download_links("figures", goal=row["slug"])],
                             className="mb-2"),
                      html.P([_("Planned path") + " ",
                              download_links("trajectories", goal=row["slug"])],
                             className="mb-2"),
                      html.A(_("All open data and what each column means"), href=DATA_PATH)],
                     className="review-col"),
        ], className="review-two mt-3"),
    ], className="public-goal")
