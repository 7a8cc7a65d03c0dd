"""Budget: the performance-budgeting table (cost per unit of output, change on last year) and
money against physical progress, for the latest fiscal year with accounts.

Access: the whole-government roles (the default): it spans every secretariat's accounts.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.components.budget import (
    flagged_table,
    money_vs_progress_figure,
    performance_budget,
    performance_budget_table,
)
from dashboards.components.pact import money, section
from dashboards.context import read_session
from dashboards.i18n import page_title
from dashboards.plotly_locales import graph_config
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.status import format_date
from pacts.budget import spending_rule
from strategy_maps.index import MapIndex
from strategy_maps.loader import build_graph
from strategy_maps.nodes import FUNDED_BY, GOAL
from strategy_maps.reports import spending_report, unit_costs

dash.register_page(__name__, path="/budget", title=page_title(N_("Budget")), name=N_("Budget"),
                   nav_order=5)


def _programmes(graph) -> tuple[dict[int, str], dict[int, str]]:  # type: ignore[no-untyped-def]
    """Goal id -> name, and goal id -> the names of the budget lines that fund it."""
    names, programmes = {}, {}
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") != GOAL:
            continue
        names[node[1]] = attrs.get("label", attrs.get("code"))
        accounts = sorted({graph.nodes[a]["label"] for a in graph.successors(node)
                           if graph.edges[node, a].get("kind") == FUNDED_BY})
        programmes[node[1]] = "; ".join(accounts) or "—"
    return names, programmes


def layout(**_query: str) -> html.Div:
    with read_session() as session:
        day = review_date(session)
        graph = build_graph(session)
        index = MapIndex.of(graph)
        spending = spending_report(session, day, index=index)
        costs = unit_costs(session, day, index=index)
    if spending.empty:
        return dbc.Alert(_("No budget accounts linked to goals yet."), color="secondary")
    year = int(spending["fiscal_year"].iloc[0])
    names, programmes = _programmes(graph)
    table = performance_budget(costs, names, programmes, year)
    totals = {c: float(spending[c].sum()) for c in ("appropriated", "committed", "spent")}
    words = {"appropriated": _("Appropriated"), "committed": _("Committed"), "spent": _("Spent")}
    tiles = dbc.Row([
        dbc.Col(html.Div([html.Div(money(v), className="tile-number"),
                          html.Div(f"{words[k]} · {formats.year(year)}", className="tile-label")],
                         className="status-tile", style={"borderTopColor": "#14213d"}), md=3)
        for k, v in totals.items()
    ] + [dbc.Col(html.Div([
        html.Div(formats.number(int((spending["flag"] != "").sum()), decimals=0),
                 className="tile-number"),
        html.Div(_("Goals flagged"), className="tile-label")],
        className="status-tile", style={"borderTopColor": "#c62828"}), md=3)],
        className="g-3 mb-4")
    return html.Div([
        html.H1(_("Budget and performance"), className="h3 mb-0"),
        html.Div(" · ".join([
            _("Fiscal year {year}").format(year=formats.year(year)),
            _("figures known on {date}").format(date=format_date(day)),
            _n("{n} funded goal", "{n} funded goals", len(spending)).format(
                n=formats.number(len(spending), decimals=0))]),
                 className="text-muted mb-4"),
        tiles,
        section(_("Performance budgeting: cost per unit of output"),
                performance_budget_table(table),
                _("FY{year}: output goals, money spent over output, change in unit cost on "
                  "FY{last}").format(year=year, last=year - 1)),
        section(_("Money against progress"), [
            dcc.Graph(id="budget-money-progress", figure=money_vs_progress_figure(spending),
                      config=graph_config(displaylogo=False, responsive=True)),
            html.H3(_("Flagged goals"), className="h6 mt-3"),
            flagged_table(spending, names),
        ], _("FY{year}: each funded goal, share of its budget spent against its progress").format(
            year=year)),
        html.Details([html.Summary(_("How the flags are worked out"), className="small"),
                      html.Pre(spending_rule(), className="small mt-2")], className="mb-4"),
    ])
