"""The home page's body, built from the goal-status frame (pure: no database, no callbacks)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboards.components.status import status_badge, status_bar, status_counts_line
from dashboards.theme import STATUS_COLOURS, STATUS_ORDER
from delivery.i18n import _, _n, formats


def status_tiles(frame: pd.DataFrame) -> dbc.Row:
    """One tile per status with the number of goals in it."""
    counts = frame["status"].value_counts()
    tiles = [
        dbc.Col(
            html.Div(
                [
                    html.Div(formats.number(int(counts.get(s.value, 0)), decimals=0),
                             className="tile-number"),
                    html.Div(s.label, className="tile-label"),
                ],
                className="status-tile",
                style={"borderTopColor": STATUS_COLOURS[s]},
            ),
            xs=6, md=3,
        )
        for s in STATUS_ORDER
    ]
    return dbc.Row(tiles, className="g-3 mb-4")


def _value(value: float, unit: str) -> str:
    if formats.is_missing(value):
        return formats.MISSING
    return formats.with_unit(float(value), unit, longest=12)


def goal_rows(goals: pd.DataFrame) -> list[html.Tr]:
    rows = []
    for goal in goals.itertuples():
        rows.append(html.Tr([
            html.Td([
                html.Div(goal.name),
                html.Div([html.Span(goal.code, className="goal-code"), goal.reason],
                         className="small text-muted"),
            ]),
            html.Td(goal.owner_code or "—", className="small"),
            html.Td(_value(goal.latest_value, goal.unit), className="text-end text-nowrap"),
            html.Td(_value(goal.planned, goal.unit), className="text-end text-nowrap"),
            html.Td(status_badge(goal.status)),
        ]))
    return rows


def goals_table(goals: pd.DataFrame) -> dbc.Table:
    head = html.Thead(html.Tr([
        html.Th(_("Goal")), html.Th(_("Owner")),
        html.Th(_("Latest"), className="text-end"), html.Th(_("Planned"), className="text-end"),
        html.Th(_("Status")),
    ]))
    return dbc.Table([head, html.Tbody(goal_rows(goals))], size="sm", hover=True,
                     className="goal-table mb-3")


def objective_section(objective: str, goals: pd.DataFrame) -> html.Div:
    counts = goals["status"].value_counts().to_dict()
    return html.Div([
        html.Div([
            html.H3(objective, className="h6 mb-1"),
            status_counts_line(counts),
        ], className="d-flex justify-content-between align-items-baseline flex-wrap"),
        goals_table(goals),
    ], className="objective-section")


def pillar_card(pillar: str, goals: pd.DataFrame) -> dbc.Card:
    counts = goals["status"].value_counts().to_dict()
    sections = [
        objective_section(objective, group)
        for objective, group in goals.groupby("objective", sort=False)
    ]
    header = dbc.CardHeader([
        html.Div([
            html.H2(pillar, className="h5 mb-0"),
            html.Span(_n("{n} goal", "{n} goals", len(goals)).format(
                n=formats.number(len(goals), decimals=0)), className="text-muted small"),
        ], className="d-flex justify-content-between align-items-baseline"),
        status_bar(counts),
    ])
    return dbc.Card([header, dbc.CardBody(sections)], className="mb-4 pillar-card")


def overview(frame: pd.DataFrame) -> list:
    """Tiles, then a card per pillar (in strategy-map order) with its objectives and goals."""
    if frame.empty:
        return [dbc.Alert(_("No goals yet. Import a goal catalogue or load the demo "
                            "({command}).").format(command="`delivery demo load`"),
                          color="secondary")]
    cards = [pillar_card(p, g) for p, g in frame.groupby("pillar", sort=False)]
    return [status_tiles(frame), *cards]
