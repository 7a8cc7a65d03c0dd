"""One goal (``/goal/<code>``): figures against the trajectory in force and the original promise,
the target and the forecast with its band; revisions of figures and of the trajectory (who,
when, why); data-quality flags; budget against progress; the trajectory change awaiting
approval (with Approve / Reject for the editors who decide, and what became of it once decided);
comments, each editable in place by its author."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

import dash
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboards.auth import SIGNED_IN
from dashboards.components.goal_editing import (
    comment_form,
    comment_ids,
    comments_list,
    decided_note,
    proposal_ids,
    proposal_panel,
)
from dashboards.components.goal_record import (
    FIGURES_DEFAULT_SORT,
    FIGURES_SORT,
    FIGURES_SORT_COLUMNS,
    figures_download,
    figures_table,
    goal_budget_block,
    goal_commitments,
    goal_likelihood,
)
from dashboards.components.links import link
from dashboards.components.plans import initiative_list
from dashboards.components.review import (
    corrections_table,
    flags_list,
    goal_chart_data,
    goal_facts,
    group_href,
    parse_as_of,
    section,
    versions_table,
)
from dashboards.components.sorting import next_sort
from dashboards.context import current_viewer, read_session, write_session
from dashboards.decisions import decide_from_buttons
from dashboards.figures.trajectory import goal_figure
from dashboards.i18n import page_title
from dashboards.plotly_locales import graph_config
from delivery.access import AccessDenied, can_comment, can_see_goal, goal_filter
from delivery.clock import review_date
from delivery.comments import add_comment, comments_for_goal, edit_comment
from delivery.dates import day_or_none
from delivery.exports import figures_frame
from delivery.goal_dossier import goal_dossier
from delivery.i18n import N_, _
from delivery.likelihood import latest_assessments
from delivery.meeting_queries import commitments_frame
from delivery.models import Goal
from delivery.plans.access import visible_initiative_ids
from delivery.plans.board import initiatives_of
from delivery.proposals import OWN_PROPOSAL, may_decide, pending_proposal
from delivery.status import format_date
from strategy_maps.reports import goal_spending

# access: every signed-in role; a goal the viewer may not see is answered as not found
dash.register_page(__name__, path_template="/goal/<code>", title=page_title(N_("Goal")),
                   name=N_("Goal"), access=SIGNED_IN)

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
    why_not = _(OWN_PROPOSAL) if viewer.is_editor else _("Analysts and admins decide on proposals.")
    panel = proposal_panel(p, prefix="goal-proposal", can_decide=allowed, why_not=why_not,
                           unit=goal.unit)
    return section(_("Trajectory change awaiting approval"),
                   html.Div([panel, html.Div(id=PROPOSAL["result"], className="mt-2")]),
                   class_name="goal-proposal")


def initiatives_section(session: Any, goal_id: int, day: Any) -> Any:
    """The initiatives serving the goal that the viewer may see (none: no section)."""
    board = initiatives_of(session, day, goal_id=goal_id,
                           visible=visible_initiative_ids(session, current_viewer()))
    return section(_("Initiatives"), initiative_list(board)) if len(board) else None


def comments_section(session: Any, goal: Any) -> Any:
    viewer = current_viewer()
    if not can_comment(session, viewer, goal.id):
        return None
    return section(_("Comments"), html.Div([
        comment_form("goal-comments"),
        html.Div(comment_threads(session, goal.id), id=COMMENTS["list"]),
    ]), class_name="goal-comments")


def figures_section(session: Any, goal: Any, day: Any) -> Any:
    """Every figure known on ``day``, each revision on its line, and its download."""
    figures = figures_frame(session, goal_codes=[goal.code], as_of=day, all_revisions=True)
    download = html.A(_("Download CSV"), href=figures_download(goal.code, day),
                      className="btn btn-outline-secondary btn-sm d-print-none")
    return section(_("Figures"), html.Div([
        html.Div(download, className="mb-2"),
        dcc.Store(id=FIGURES_DAY, data=day.isoformat()),
        dcc.Store(id=FIGURES_SORTED, data=FIGURES_DEFAULT_SORT),
        html.Div(figures_table(figures, goal.unit, str(goal.frequency.value)),
                 id=FIGURES_TABLE),
    ]), note=_("every revision known on {date}; the unit: {unit}").format(
        date=format_date(day), unit=goal.unit or "—"), class_name="goal-figures-section")


def likelihood_section(session: Any, goal: Any, day: Any) -> Any:
    """Each rater's latest judgement of the goal: for the whole-government roles only, as on
    ``/likelihood`` (None for the others)."""
    if not current_viewer().sees_everything:
        return None
    latest = latest_assessments(session, day)
    mine = latest[(latest["subject"] == "goal") & (latest["subject_id"] == goal.id)]
    return section(_("Likelihood of delivery"), goal_likelihood(mine),
                   note=_("each rater's latest judgement, never averaged"))


def comment_threads(session: Any, goal_id: Any) -> Any:
    """The goal's comments, the viewer's own with an Edit button."""
    viewer = current_viewer()
    return comments_list(comments_for_goal(session, viewer, goal_id), prefix="goal-comments",
                         editable_by=viewer.username)


def each(kind: str, index: Any = MATCH) -> dict[str, Any]:
    """The pattern-matching id of one part of a comment (``kind`` from ``comment_ids``)."""
    return {"type": COMMENTS[kind], "index": index}


def layout(code: str | None = None, as_of: str | None = None, decided: str | None = None,
           **_query: str) -> html.Div:
    code = unquote(code or "")
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        d = goal_dossier(session, day, code, goal_filter(session, current_viewer()),
                         spending=lambda statuses: goal_spending(session, day, statuses))
        if d is None:
            return html.Div([html.H1(_("Goal not found"), className="h3"),
                             html.P(_("There is no goal with this code that you may see."),
                                    className="goal-missing"),
                             html.A(_("All goals"), href="/")])
        s, g = d.status, d.goal
        return html.Div([
            html.Div([
                html.Nav([link(s["pillar"], group_href("pillar", s["pillar_code"])),
                          " › ", link(s["objective"],
                                      group_href("objective", s["objective_code"]))],
                         className="small crumbs", **{"aria-label": _("Breadcrumb")}),
                html.H1(g.name, className="h3 mb-0"),
                html.Div(f"{g.code} · {g.indicator} · "
                         + _("as of {date}").format(date=format_date(day)),
                         className="text-muted"),
            ], className="mb-3"),
            decided_note(d.versions, decided),
            section(_("Figures against trajectory and target"), html.Div([
                goal_facts(d), html.Div(s.get("reason") or "", className="small mb-1"),
                dcc.Graph(figure=goal_figure(goal_chart_data(d)),
                          config=graph_config(displaylogo=False), className="goal-graph"),
                html.Div(d.forecast.reason if d.forecast else _("No forecast: the goal has no "
                         "baseline and target."), className="small text-muted forecast-reason"),
            ])),
            proposal_section(session, g),
            html.Div([
                html.Div(figures_section(session, g, day), className="review-col"),
                html.Div([likelihood_section(session, g, day),
                          section(_("Open commitments"), goal_commitments(
                              commitments_frame(session, current_viewer(), goal_ids=[g.id],
                                                open_only=True), day))],
                         className="review-col"),
            ], className="review-two"),
            html.Div([
                html.Div(section(_("Trajectory versions"), versions_table(d)),
                         className="review-col"),
                html.Div(section(_("Corrected figures"), corrections_table(d)),
                         className="review-col"),
            ], className="review-two"),
            html.Div([
                html.Div(section(_("Data-quality flags"), flags_list(d)), className="review-col"),
                html.Div(section(_("Budget against progress"),
                                 goal_budget_block(d.budget, g.unit)),
                         className="review-col"),
            ], className="review-two"),
            initiatives_section(session, g.id, day),
            comments_section(session, g),
            dcc.Store(id=GOAL_ID, data=g.id), dcc.Location(id=RELOAD, refresh=True),
        ], className="goal-page")


@callback(Output(RELOAD, "href"), Output(PROPOSAL["result"], "children"),
          Input(PROPOSAL["approve"], "n_clicks"), Input(PROPOSAL["reject"], "n_clicks"),
          State(PROPOSAL["id"], "data"), State(PROPOSAL["reason"], "value"),
          State(RELOAD, "pathname"), prevent_initial_call=True)
def decide_proposal(_approve: Any, _reject: Any, trajectory_id: Any, reason: Any,
                    path: Any) -> tuple[Any, Any]:
    """Approve or reject, then load the page again: the chart shows the trajectory in force and
    ``decided`` says what became of the version."""
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
        return no_update, html.Span(_("Not posted: {error}").format(error=error),
                                       className="text-danger"), no_update
    with read_session() as session:
        threads = comment_threads(session, goal_id)
    return threads, html.Span(_("Posted."), className="text-success"), ""


@callback(Output(each("editor"), "hidden"), Output(each("shown"), "hidden"),
          Output(each("edit"), "style"), Output(each("text"), "value"),
          Output(each("message"), "children", allow_duplicate=True),
          Input(each("edit"), "n_clicks"),
          Input(each("cancel"), "n_clicks"), State(each("shown"), "children"),
          prevent_initial_call=True)
def open_comment_editor(_edit: Any, _cancel: Any, shown: Any) -> tuple[Any, ...]:
    """Edit puts the comment's text in its editor; Cancel puts the comment back as it was.
    Nothing is written here."""
    if not ctx.triggered or not ctx.triggered[0]["value"]:
        return (no_update,) * 5  # drawn anew, not clicked
    editing = isinstance(ctx.triggered_id, dict) and ctx.triggered_id["type"] == COMMENTS["edit"]
    return not editing, editing, {"display": "none"} if editing else {}, shown, ""


@callback(Output(COMMENTS["list"], "children", allow_duplicate=True),
          Output(each("message", ALL), "children"), Input(each("save", ALL), "n_clicks"),
          State(each("text", ALL), "value"), State(GOAL_ID, "data"), prevent_initial_call=True)
def save_comment_edit(_clicks: Any, _texts: Any, goal_id: Any) -> tuple[Any, Any]:
    """Save the edited text as a new comment replacing the old one (the domain checks the
    comment's id, its author and its goal before writing), then draw the comments again."""
    trigger, untouched = ctx.triggered_id, [no_update] * len(ctx.outputs_list[1])
    if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
        return no_update, untouched  # drawn anew, not clicked
    comment_id = trigger.get("index")
    text = next((s.get("value") for s in ctx.states_list[0] if s["id"]["index"] == comment_id),
                None)
    try:
        with write_session() as session:
            edit_comment(session, current_viewer(), comment_id, text, goal_id=goal_id)
    except (AccessDenied, ValueError) as error:
        refused = html.Span(_("Not saved: {error}").format(error=error), className="text-danger")
        return no_update, [refused if o["id"]["index"] == comment_id else no_update
                           for o in ctx.outputs_list[1]]
    with read_session() as session:
        return comment_threads(session, goal_id), untouched


FIGURES_TABLE, FIGURES_DAY, FIGURES_SORTED = ("goal-figures-table", "goal-figures-day",
                                              "goal-figures-sorted")


@callback(Output(FIGURES_TABLE, "children"), Output(FIGURES_SORTED, "data"),
          Input({"type": FIGURES_SORT, "col": ALL}, "n_clicks"), State(FIGURES_SORTED, "data"),
          State(FIGURES_DAY, "data"), State(GOAL_ID, "data"), prevent_initial_call=True)
def sort_figures(_clicks: Any, sort: Any, day: Any, goal_id: Any) -> tuple[Any, Any]:
    """The figures table sorted by the header clicked (again: the other way)."""
    trigger = dash.ctx.triggered_id
    if not isinstance(trigger, dict) or not dash.ctx.triggered or \
            not dash.ctx.triggered[0]["value"]:
        return dash.no_update, dash.no_update  # headers drawn anew, not clicked
    sort = next_sort(sort, trigger.get("col"), list(FIGURES_SORT_COLUMNS),
                     FIGURES_DEFAULT_SORT)
    as_of = day_or_none(day)
    with read_session() as session:
        if as_of is None or not can_see_goal(session, current_viewer(), goal_id):
            return dash.no_update, dash.no_update
        goal = session.get(Goal, goal_id)
        figures = figures_frame(session, goal_codes=[goal.code], as_of=as_of,
                                all_revisions=True)
        return figures_table(figures, goal.unit, str(goal.frequency.value), sort), sort
