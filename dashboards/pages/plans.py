"""Delivery plans: ``/plans`` lists every initiative the person may see, worst first (the worst
milestone status, then the slip), filtered by pillar, secretariat, pact and stage.

Access: every signed-in role; a secretariat sees its own initiatives, those serving goals it
sees and those of its pacts (``delivery.plans.access.initiative_scope``).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html
from sqlalchemy import select

from dashboards.auth import SIGNED_IN
from dashboards.components.plans import board_table
from dashboards.context import current_viewer, read_session
from dashboards.i18n import page_title
from delivery.access import Viewer
from delivery.bulk import collector_paused
from delivery.clock import review_date
from delivery.i18n import N_, _, _n
from delivery.models import Initiative, Pact, Pillar, Secretariat
from delivery.plans.access import visible_initiative_ids
from delivery.plans.board import BoardFilters, plan_board
from delivery.plans.vocabulary import Stage
from delivery.status import format_date

dash.register_page(__name__, path="/plans", title=page_title(N_("Delivery plans")),
                   name=N_("Plans"), access=SIGNED_IN, nav_order=3.5)

PILLAR, SECRETARIAT, PACT, STAGE, BOARD, SUMMARY = (
    "plans-pillar", "plans-secretariat", "plans-pact", "plans-stage", "plans-board",
    "plans-summary")


def board_for(viewer: Viewer, filters: BoardFilters) -> tuple[Any, str]:
    with read_session() as session:
        day = review_date(session)
        board = plan_board(session, day, initiative_ids=visible_initiative_ids(session, viewer),
                           filters=filters)
    late = int((board["late"] > 0).sum()) if len(board) else 0
    summary = " · ".join([
        _("as of {date}").format(date=format_date(day)),
        _n("{n} initiative", "{n} initiatives", len(board)).format(n=len(board)),
        _n("{n} with a late milestone", "{n} with late milestones", late).format(n=late),
        _n("{n} with money ahead of work", "{n} with money ahead of work",
           int(board["money_ahead"].sum()) if len(board) else 0).format(
            n=int(board["money_ahead"].sum()) if len(board) else 0)])
    with collector_paused():  # 200 rows of components at once (see plan_board)
        table = board_table(board)
    return table, summary


def _options(session: Any) -> dict[str, list[dict[str, str]]]:
    return {
        PILLAR: [{"label": name, "value": code} for code, name in session.execute(
            select(Pillar.code, Pillar.name).order_by(Pillar.position))],
        SECRETARIAT: [{"label": f"{code} · {name}", "value": code} for code, name in
                      session.execute(select(Secretariat.code, Secretariat.name).where(
                          Secretariat.id.in_(select(Initiative.secretariat_id))).order_by(
                          Secretariat.code))],
        PACT: [{"label": name, "value": code} for code, name in session.execute(
            select(Pact.code, Pact.name).order_by(Pact.code))],
        STAGE: [{"label": s.label, "value": s.value} for s in Stage],
    }


def _filter(ident: str, label: str, options: list[dict[str, str]]) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=ident, className="small mb-0"),
                    dcc.Dropdown(id=ident, options=options, placeholder=_("All"))],
                   xs=12, sm=6, lg=3)


def layout(**_query: str) -> html.Div:
    viewer = current_viewer()
    with read_session() as session:
        options = _options(session)
    table, summary = board_for(viewer, BoardFilters())
    return html.Div([
        html.H1(_("Delivery plans"), className="h3 mb-0"),
        html.Div(summary, id=SUMMARY, className="text-muted mb-3"),
        dbc.Row([_filter(PILLAR, _("Pillar"), options[PILLAR]),
                 _filter(SECRETARIAT, _("Secretariat"), options[SECRETARIAT]),
                 _filter(PACT, _("Pact"), options[PACT]),
                 _filter(STAGE, _("Stage"), options[STAGE])], className="g-2 mb-3"),
        dbc.Card(dbc.CardBody(html.Div(table, id=BOARD)), className="pillar-card"),
    ], className="plans-page")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@callback(Output(BOARD, "children"), Output(SUMMARY, "children"), Input(PILLAR, "value"),
          Input(SECRETARIAT, "value"), Input(PACT, "value"), Input(STAGE, "value"),
          prevent_initial_call=True)
def filter_board(pillar: Any, secretariat: Any, pact: Any, stage: Any) -> tuple[Any, str]:
    return board_for(current_viewer(), BoardFilters(
        pillar=_text(pillar), secretariat=_text(secretariat), pact=_text(pact),
        stage=_text(stage)))
