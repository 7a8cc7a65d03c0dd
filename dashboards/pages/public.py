"""The public scorecard: the goals marked public, with their status, for anyone (no sign-in)."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboards.auth import PUBLIC
from dashboards.components.status import status_badge
from dashboards.context import read_session
from delivery.access import ANONYMOUS, visible_goal_ids
from delivery.assessment import goal_statuses
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.status import format_date

dash.register_page(__name__, path="/public", title="Public scorecard · Delivery Tracker",
                   name=N_("Public scorecard"), access=PUBLIC)


def _value(value: float, unit: str) -> str:
    return "—" if pd.isna(value) else f"{formats.number(float(value), unit)} {unit}".strip()


def scorecard(frame: pd.DataFrame) -> html.Table:
    """One row per public goal: what was promised, where it stands, its status."""
    head = html.Thead(html.Tr([html.Th(t) for t in
                               (_("Goal"), _("Pillar"), _("Latest"), _("Target"),
                                _("Status"))]))
    rows = [
        html.Tr([
            html.Td([html.Span(r.code, className="goal-code"), r.name]),
            html.Td(r.pillar),
            html.Td(_value(r.latest_value, r.unit)),
            html.Td([_value(r.target_value, r.unit),
                     html.Span(" " + _("by {date}").format(date=format_date(r.target_date))
                               if r.target_date else "",
                               className="text-muted")]),
            html.Td(status_badge(r.status)),
        ])
        for r in frame.itertuples()
    ]
    return html.Table([head, html.Tbody(rows)], className="table goal-table public-scorecard")


def layout(**_query: str) -> html.Div:
    # The public sees what anonymous visitors see, whoever is signed in.
    with read_session() as session:
        day = review_date(session)
        frame = goal_statuses(session, day, goal_ids=visible_goal_ids(session, ANONYMOUS))
    return html.Div([
        html.H1(_("Public scorecard"), className="h3 mb-0"),
        html.P(_n("{n} public goal", "{n} public goals", len(frame)).format(n=len(frame))
               + " · " + _("status as of {date}").format(date=format_date(day)),
               className="text-muted"),
        scorecard(frame) if len(frame) else html.P(_("No goal has been made public yet.")),
    ])
