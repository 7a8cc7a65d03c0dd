"""Which goals the public sees (``/workspace/public``, analysts and admins): pick a goal, switch
"shown on the public scorecard" on or off, save. The change goes through ``update_goal`` (the
version check, the audit trail: who, when, before and after)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboards.auth import PUBLIC_PATH
from dashboards.components.public import goal_href
from dashboards.components.workspace import screen_header
from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import page_title
from delivery.access import AccessDenied
from delivery.edits import GoalConflict, update_goal
from delivery.i18n import N_, _, _n
from delivery.models import Goal
from delivery.public.portal import slugs
from delivery.vocabulary import Role
from delivery.workspace import editable_goals

PATH = "/workspace/public"
dash.register_page(__name__, path=PATH, title=page_title(N_("Public goals")),
                   name=N_("Public goals"), access=(Role.ADMIN, Role.ANALYST))

GOAL, SWITCH, SAVE, RESULT = "wsp-goal", "wsp-switch", "wsp-save", "wsp-result"
VERSION, LISTING = "wsp-version", "wsp-listing"


def public_listing(session: Any) -> html.Div:
    """The goals the public sees now, each linked to its public page."""
    names = slugs(session)
    goals = [session.get(Goal, goal_id) for goal_id in names]
    head = html.P(_n("{n} goal is public.", "{n} goals are public.", len(goals))
                  .format(n=len(goals)), className="mb-1")
    return html.Div([head, html.Ul([html.Li([f"{g.code} · ", html.A(g.name,
                                                                    href=goal_href(names[g.id]))])
                                    for g in sorted(goals, key=lambda g: g.code)],
                                   className="small")])


def layout(**_query: str) -> html.Div:
    with read_session() as session:
        goals = editable_goals(session, current_viewer())
        options = [{"label": f"{g.code} · {g.name}" + (" · " + _("public") if g.is_public
                                                          else ""), "value": g.id}
                   for g in goals]
        listing = public_listing(session)
    editor = dbc.Card(dbc.CardBody([
        html.Label(_("Goal"), htmlFor=GOAL, className="form-label"),
        dcc.Dropdown(id=GOAL, options=options, placeholder=_("Choose a goal"), className="mb-3"),
        dbc.Switch(id=SWITCH, label=_("Shown on the public scorecard"), value=False,
                   disabled=True, className="mb-2"),
        html.P(_("Its name, indicator, pillar, objective, responsible secretariat, figures, "
                 "planned path and status become public, on the portal and in the open data. "
                 "Its code never does."), className="small text-muted"),
        dbc.Button(_("Save"), id=SAVE, color="primary", disabled=True),
        html.Div(id=RESULT, className="mt-2", role="status"),
        dcc.Store(id=VERSION),
    ]), className="border-0 shadow-sm")
    return html.Div([
        screen_header(N_("Public goals"), N_("Choose which goals the public scorecard shows; "
                                             "every change is in the audit trail."), PATH),
        dbc.Row([dbc.Col(editor, lg=6),
                 dbc.Col(dbc.Card(dbc.CardBody([
                     html.H2(_("On the public scorecard"), className="h6"),
                     html.Div(listing, id=LISTING),
                     html.A(_("Open the public scorecard"), href=PUBLIC_PATH, className="small"),
                 ]), className="border-0 shadow-sm"), lg=6)], className="g-3"),
    ])


@callback(Output(SWITCH, "value"), Output(SWITCH, "disabled"), Output(SAVE, "disabled"),
          Output(VERSION, "data"), Output(RESULT, "children", allow_duplicate=True),
          Input(GOAL, "value"), prevent_initial_call=True)
def load_goal(goal_id: Any) -> tuple[Any, ...]:
    with read_session() as session:
        goal = next((g for g in editable_goals(session, current_viewer()) if g.id == goal_id),
                    None)
        if goal is None:
            return False, True, True, None, ""
        return bool(goal.is_public), False, False, goal.version, ""


@callback(Output(RESULT, "children"), Output(LISTING, "children"), Output(VERSION, "data",
                                                                          allow_duplicate=True),
          Input(SAVE, "n_clicks"), State(GOAL, "value"), State(SWITCH, "value"),
          State(VERSION, "data"), prevent_initial_call=True)
def save_public(_clicks: Any, goal_id: Any, public: Any, version: Any) -> tuple[Any, ...]:
    if not isinstance(goal_id, int) or not isinstance(version, int):
        return html.Span(_("Choose a goal first."), className="text-danger"), no_update, no_update
    try:
        with write_session() as session:
            goal = update_goal(session, current_viewer(), goal_id, {"is_public": bool(public)},
                               version)
            saved, name = goal.version, goal.name
    except (AccessDenied, GoalConflict) as error:
        return html.Span(_("Not saved: {error}").format(error=error),
                         className="text-danger"), no_update, no_update
    with read_session() as session:
        listing = public_listing(session)
    message = (_("{goal} is now on the public scorecard.") if public
               else _("{goal} is no longer public.")).format(goal=name)
    return html.Span(message, className="text-success"), listing, saved
