"""The budget page's tables and chart (pure: DataFrames in, components and figures out).

The performance-budgeting table follows the police example of the seeds (project, goal, unit,
performance goal, price, unit price, change): one row per output goal for one fiscal year.
"""

from __future__ import annotations

from collections.abc import Mapping

import dash_bootstrap_components as dbc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboards.components.status import status_badge
from dashboards.theme import STATUS_COLOURS, STATUS_ORDER
from delivery.i18n import _, formats
from delivery.status import format_number
from pacts.budget import flag_words

HEAD_STYLE = {"fontSize": "0.75rem", "textTransform": "uppercase", "color": "#57606a",
              "fontWeight": 600}
PB_COLUMNS = ["programme", "goal", "code", "unit", "output", "budget", "unit_cost", "change",
              "complete"]


def performance_budget(costs: pd.DataFrame, names: Mapping[int, str],
                       programmes: Mapping[int, str], fiscal_year: int) -> pd.DataFrame:
    """Rows of the performance-budgeting table for ``fiscal_year`` from ``unit_costs`` rows:
    programme (the accounts funding the goal), goal, unit, output (the performance goal),
    budget (money spent), unit cost and its change on the year before (None when either year
    is incomplete)."""
    year = costs[costs["fiscal_year"] == fiscal_year]
    frame = pd.DataFrame({
        "programme": [programmes.get(g, "—") for g in year["goal_id"]],
        "goal": [names.get(g, c) for g, c in zip(year["goal_id"], year["code"], strict=True)],
        "code": year["code"].to_numpy(), "unit": year["unit"].to_numpy(),
        "output": year["output"].to_numpy(dtype=float),
        "budget": year["spent"].to_numpy(dtype=float),
        "unit_cost": year["cost_per_unit"].to_numpy(dtype=float),
        "change": year["cost_change"].to_numpy(dtype=float),
        "complete": year["complete"].to_numpy(dtype=bool),
    }, columns=PB_COLUMNS)
    return frame.sort_values(["programme", "code"]).reset_index(drop=True)


def _money(value: float) -> str:
    return formats.amount(value)  # in full: a table whose rows add up to its total


def _change(value: float, complete: bool) -> html.Span:
    if not complete:
        return html.Span(_("partial year"), className="text-muted small")
    if value is None or np.isnan(value):
        return html.Span("—", className="text-muted")
    colour = "#c62828" if value > 0.05 else "#1a7f37" if value < -0.05 else "#57606a"
    return html.Span(formats.change(value, as_percent=True, decimals=1),
                     style={"color": colour}, className="fw-semibold",
                     title=_("Change in cost per unit on the year before"))


def _head(*titles: str, right_from: int) -> html.Thead:
    return html.Thead(html.Tr([
        html.Th(t, style=HEAD_STYLE, className="text-end text-nowrap" if i >= right_from else "")
        for i, t in enumerate(titles)]))


def performance_budget_table(frame: pd.DataFrame) -> dbc.Table:
    head = _head(_("Programme"), _("Goal"), _("Unit"), _("Performance goal"), _("Budget"),
                 _("Unit cost"), _("Change on last year"), right_from=3)
    rows = [html.Tr([
        html.Td(r.programme, className="small"),
        html.Td([r.goal, html.Span(r.code, className="goal-code small ms-2")]),
        html.Td(r.unit, className="small text-nowrap"),
        html.Td(format_number(r.output), className="text-end text-nowrap"),
        html.Td(_money(r.budget), className="text-end text-nowrap"),
        html.Td(format_number(round(r.unit_cost, 2)), className="text-end text-nowrap"),
        html.Td(_change(r.change, r.complete), className="text-end text-nowrap"),
    ]) for r in frame.itertuples()]
    total = html.Tr([html.Td("Total", colSpan=4, className="fw-bold"),
                     html.Td(_money(frame["budget"].sum()), className="text-end fw-bold"),
                     html.Td(colSpan=2)])
    return dbc.Table([head, html.Tbody([*rows, total])], size="sm", hover=True,
                     className="budget-table mb-0")


def money_vs_progress_figure(spending: pd.DataFrame) -> go.Figure:
    """Each funded goal: share of its budget spent (x) against physical progress (y: change
    achieved over change planned), one colour per status."""
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = spending[spending["status"] == status.value]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["execution"], y=part["physical_progress"].clip(-1, 3), mode="markers",
            name=status.label, text=part["code"],
            marker={"color": STATUS_COLOURS[status], "size": 9, "opacity": 0.85,
                    "line": {"width": 1, "color": "#fff"}},
            hovertemplate="%{text}<br>" + _("spent {x} of budget").format(x="%{x:.0%}") + "<br>"
                          + _("progress {y} of plan").format(y="%{y:.0%}") + "<extra></extra>"))
    fig.add_hline(y=1, line_dash="dot", line_color="#9aa7bd")
    fig.update_layout(
        template="plotly_white", height=420, margin={"l": 60, "r": 20, "t": 10, "b": 50},
        xaxis={"title": _("Share of the budget spent"), "tickformat": ".0%"},
        yaxis={"title": _("Physical progress (of the change planned)"), "tickformat": ".0%"},
        separators=formats.separators(),
        legend={"orientation": "h", "y": 1.08, "x": 0},
    )
    return fig


def flagged_table(spending: pd.DataFrame, names: Mapping[int, str]) -> html.Div | dbc.Table:
    """Goals flagged by the spending rule, off track with the money spent first."""
    flagged = spending[spending["flag"] != ""].sort_values(["flag", "code"])
    if flagged.empty:
        return html.Div(_("No goal is flagged."), className="text-muted")
    head = _head(_("Goal"), _("Flag"), _("Status"), _("Spent"), _("Pace"), right_from=3)
    rows = [html.Tr([
        html.Td([names.get(r.goal_id, r.code),
                 html.Span(r.code, className="goal-code small ms-2")]),
        html.Td(flag_words(r.flag), className="small text-nowrap"),
        html.Td(status_badge(r.status)),
        html.Td(formats.percent(r.execution), className="text-end"),
        html.Td(formats.percent(r.pace), className="text-end"),
    ]) for r in flagged.itertuples()]
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True,
                     className="flagged-table mb-0")
