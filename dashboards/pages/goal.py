"""One goal (``/goal/<code>``): figures against the trajectory in force and the original promise,
the target and the forecast with its band; revisions of figures and of the trajectory (who,
when, why); data-quality flags; budget against progress; the trajectory change awaiting
approval (with Approve / Reject for the editors who decide); comments."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboards.auth import SIGNED_IN
from dashboards.components.goal_editing import (
    comment_form,
    comment_ids,
    comments_list,
    proposal_ids,
    proposal_panel,
)
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
from dashboards.context import current_viewer, read_session, write_session
from dashboards.decisions import decide_from_buttons
from dashboards.figures.trajectory import goal_figure
from delivery.access import AccessDenied, can_comment, goal_filter
from delivery.clock import review_date
from delivery.comments import add_comment, comments_for_goal
from delivery.proposals import OWN_PROPOSAL, may_decide, pending_proposal
from delivery.review import goal_dossier
from delivery.status import format_date
from strategy_maps.reports import spending_report

# access: every signed-in role; a goal the viewer may not see is answered as not found
dash.register_page(__name__, path_template="/goal/<code>", title="Goal · Delivery Tracker",
                   name="Goal", access=SIGNED_IN)

GOAL_ID, RELOAD = "goal-id", "goal-reload"
PROPOSAL, COMMENTS = proposal_ids("goal-proposal"), comment_ids("goal-comments")


def proposal_section(session: Any, goal: Any) -> Any:
    """The change awaiting approval, for the whole-government roles (None for others, and
    when nothing waits)."""
    viewer = current_viewer()
    p = pending_proposal(session, goal.id) if viewer.sees_everything else None
    if p is None:
        return None
    allowed = may_decide(viewer, p.trajectory)
    why_not = OWN_PROPOSAL if viewer.is_editor else "Analysts and admins decide on proposals."
    panel = proposal_panel(p, prefix="goal-proposal", can_decide=allowed, why_not=why_not,
                           unit=goal.unit)
    return section("Trajectory change awaiting approval",
                   html.Div([panel, html.Div(id=PROPOSAL["result"], className="mt-2")]),
                   class_name="goal-proposal")


def comments_section(session: Any, goal: Any) -> Any:
    viewer = current_viewer()
    if not can_comment(session, viewer, goal.id):
        return None
    threads = comments_for_goal(session, viewer, goal.id)
    return section("Comments", html.Div([
        comment_form("goal-comments"),
        html.Div(comments_list(threads), id=COMMENTS["list"]),
    ]), class_name="goal-comments")


def layout(code: str | None = None, as_of: str | None = None, **_query: str) -> html.Div:
    code = unquote(code or "")
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        d = goal_dossier(session, day, code, goal_filter(session, current_viewer()),
                         spending=spending_report(session, day))
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
            proposal_section(session, g),
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
            comments_section(session, g),
            dcc.Store(id=GOAL_ID, data=g.id), dcc.Location(id=RELOAD, refresh=True),
        ], className="goal-page")


@callback(Output(RELOAD, "href"), Output(PROPOSAL["result"], "children"),
          Input(PROPOSAL["approve"], "n_clicks"), Input(PROPOSAL["reject"], "n_clicks"),
          State(PROPOSAL["id"], "data"), State(PROPOSAL["reason"], "value"),
          State(RELOAD, "pathname"), prevent_initial_call=True)
def decide_proposal(_approve: Any, _reject: Any, trajectory_id: Any, reason: Any,
                    path: Any) -> tuple[Any, Any]:
    """Approve or reject, then load the page again: the chart shows the trajectory in force."""
    version, message = decide_from_buttons(PROPOSAL, trajectory_id, reason)
    return (no_update if version is None else f"{quote(path or '/')}?decided=v{version}",
            message)


@callback(Output(COMMENTS["list"], "children"), Output(COMMENTS["result"], "children"),
          Output(COMMENTS["body"], "value"), Input(COMMENTS["post"], "n_clicks"),
          State(GOAL_ID, "data"), State(COMMENTS["body"], "value"), prevent_initial_call=True)
def post_comment(_clicks: Any, goal_id: Any, body: Any) -> tuple[Any, Any, Any]:
    viewer = current_viewer()
    try:
        with write_session() as session:
            add_comment(session, viewer, goal_id, body)
    except (AccessDenied, ValueError) as error:
        return no_update, html.Span(f"Not posted: {error}", className="text-danger"), no_update
    with read_session() as session:
        threads = comments_for_goal(session, viewer, goal_id)
    return comments_list(threads), html.Span("Posted.", className="text-success"), ""
