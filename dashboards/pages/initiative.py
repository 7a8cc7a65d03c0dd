"""One initiative: ``/initiative/<code>``: the Gantt of its milestones (baseline against
forecast against actual), the physical against financial curve with the notes that explain
its figures, its milestones with their forecast history, risks and heat map, the goals it
serves with their status; and, for whoever may change it, the form that moves a forecast date
(a reason required).

Access: every signed-in role, within ``initiative_scope``; one out of scope is answered like
one that does not exist. The move is checked again on the server (``delivery.plans.edits``):
a forged callback for another secretariat's milestone changes nothing.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from dashboards.auth import SIGNED_IN
from dashboards.components.pact import section
from dashboards.components.plans import (
    MOVE_DATE,
    MOVE_MILESTONE,
    MOVE_REASON,
    MOVE_RESULT,
    MOVE_SAVE,
    forecast_form,
    goals_served,
    milestone_badge,
    milestones_table,
    progress_notes,
    risks_table,
)
from dashboards.context import current_viewer, read_session, write_session
from dashboards.figures.plans import gantt_figure, heat_map_figure, progress_curve_figure
from dashboards.i18n import page_title
from dashboards.plotly_locales import graph_config
from delivery.access import AccessDenied, goal_filter
from delivery.clock import review_date
from delivery.i18n import N_, _, formats
from delivery.models import Initiative, Milestone
from delivery.plans.access import can_update_initiative, initiative_scope
from delivery.plans.detail import initiative_view, open_heat_map
from delivery.plans.edits import PlanEditError, move_forecast
from delivery.plans.rules import initiative_slip, initiative_status, money_ahead_of_work
from delivery.plans.vocabulary import MilestoneStatus, Stage
from delivery.status import format_date

dash.register_page(__name__, path_template="/initiative/<code>",
                   title=page_title(N_("Initiative")), name=N_("Initiative"),
                   access=SIGNED_IN)

GANTT, MILESTONES = "initiative-gantt", "initiative-milestones"
DONE = [MilestoneStatus.DONE_ON_TIME.value, MilestoneStatus.DONE_LATE.value]


def _view(code: Any) -> tuple[Any, Any]:
    """The initiative's view for the current viewer, or (None, None) out of scope."""
    viewer = current_viewer()
    with read_session() as session:
        initiative = session.scalar(select(Initiative).options(
            joinedload(Initiative.secretariat), joinedload(Initiative.pact)).where(
            Initiative.code == code, initiative_scope(viewer))) if isinstance(code, str) else None
        if initiative is None:
            return None, None
        day = review_date(session)
        allowed = goal_filter(session, viewer)
        view = initiative_view(session, initiative, day, allowed)
        editable = can_update_initiative(session, viewer, initiative.id)
    return view, (day, editable)


def layout(code: str | None = None, **_query: str) -> html.Div:
    view, extra = _view(code)
    if view is None:
        return html.Div([html.H1(_("Initiative not found"), className="h3"),
                         html.P(_("There is no initiative with code {code}.").format(code=code)),
                         html.A(_("All initiatives"), href="/plans")])
    day, editable = extra
    i = view.initiative
    status = initiative_status(MilestoneStatus(s) for s in view.milestones.get("status", []))
    done = view.milestones.get("status", []).isin(DONE) if len(view.milestones) else []
    slip = initiative_slip(zip(view.milestones.get("slip", []), done, strict=True))
    ahead = money_ahead_of_work(view.physical_now, view.financial_now)
    facts = " · ".join(filter(None, [
        i.code, i.secretariat.name, i.responsible, i.pact.name if i.pact else "",
        Stage(i.stage).label + (f" ({i.cancel_reason})" if i.cancel_reason else ""),
        _("{start} to {end}").format(start=format_date(i.starts_on), end=format_date(i.ends_on))
        if i.starts_on and i.ends_on else "",
        _("tolerance {n} days").format(n=i.tolerance_days)]))
    header = html.Div([
        html.A("← " + _("All initiatives"), href="/plans", className="small d-print-none"),
        html.H1(i.name, className="h3 mb-0"),
        html.Div(facts, className="text-muted"),
        html.Div([milestone_badge(status.value if status else None), " · ",
                  *([_("slip {n} days").format(n=slip), " · "] if slip else []),
                  _("physical {physical} · spent {spent}").format(
                      physical=formats.percent(None if view.physical_now is None
                                               else view.physical_now / 100),
                      spent=formats.percent(view.financial_now)),
                  html.Span(_("money ahead of work"), className="badge text-bg-warning ms-2")
                  if ahead else None], className="mt-1 initiative-standing"),
        html.P(i.description, className="mt-2 mb-0", style={"maxWidth": "70rem"})
        if i.description else None,
    ], className="mb-3")
    move = section(_("Move a forecast date"), forecast_form(view.milestones),
                   _("the baseline never moves")) if editable else None
    gantt = dcc.Graph(id=GANTT, figure=gantt_figure(view.milestones, day, start=i.starts_on),
                      config=graph_config(displayModeBar=False, responsive=True))
    return html.Div([
        header,
        dbc.Row([
            dbc.Col(section(_("Milestones: baseline, forecast, actual"), gantt,
                            _("as of {date}").format(date=format_date(day))), xl=8),
            dbc.Col([move, section(_("Goals served"), goals_served(view.goals))], xl=4),
        ]),
        section(_("Milestones"), html.Div(milestones_table(view.milestones, view.revisions),
                                          id=MILESTONES)),
        dbc.Row([
            dbc.Col(section(_("Physical against financial progress"), html.Div([dcc.Graph(
                figure=progress_curve_figure(view.physical, view.financial),
                config=graph_config(displayModeBar=False, responsive=True)),
                progress_notes(view.physical)]),
                _("money ahead of work when spending runs 20 points ahead")), lg=7),
            dbc.Col(section(_("Risk heat map"), dcc.Graph(
                figure=heat_map_figure(open_heat_map(view.risks)),
                config=graph_config(displayModeBar=False, responsive=True)),
                _("open risks")), lg=5),
        ]),
        section(_("Risks"), risks_table(view.risks)),
    ], className="initiative-page")


@callback(Output(MOVE_RESULT, "children"), Output(GANTT, "figure"),
          Output(MILESTONES, "children"), Input(MOVE_SAVE, "n_clicks"),
          State(MOVE_MILESTONE, "value"), State(MOVE_DATE, "date"), State(MOVE_REASON, "value"),
          prevent_initial_call=True)
def save_forecast(_clicks: Any, milestone_id: Any, forecast: Any, reason: Any) -> tuple:
    """Move the forecast (checked on the server), then redraw the Gantt and the table."""
    try:
        with write_session() as session:
            move_forecast(session, current_viewer(), milestone_id, forecast, reason)
            code = session.scalar(select(Initiative.code).join(
                Milestone, Milestone.initiative_id == Initiative.id).where(
                Milestone.id == milestone_id))
    except AccessDenied as exc:
        return dbc.Alert(str(exc), color="danger", className="move-refused"), no_update, no_update
    except PlanEditError as exc:
        return (dbc.Alert(_("Not saved: {error}").format(error=exc.reason), color="warning",
                          className="move-refused"), no_update, no_update)
    view, extra = _view(code)
    if view is None:
        return no_update, no_update, no_update
    day, _editable = extra
    return (dbc.Alert(_("Forecast moved."), color="success", className="move-saved"),
            gantt_figure(view.milestones, day, start=view.initiative.starts_on),
            milestones_table(view.milestones, view.revisions))
