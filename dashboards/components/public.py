"""The public portal's parts: a goal's card, its facts, its chart data, the figures table and
the data dictionary. Builders only (no callbacks): the pages and tests import them."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboards.components.status import status_badge, status_counts_line
from dashboards.figures.trajectory import GoalChart
from delivery.i18n import _, formats
from delivery.public.portal import PublicGoal, slugify, trend_text
from delivery.status import format_date

PUBLIC_GOAL_PATH = "/public/goal/"
DATA_PATH = "/public/data"


def goal_href(slug: str) -> str:
    return PUBLIC_GOAL_PATH + slug


def pillar_anchor(pillar: str) -> str:
    return "pillar-" + slugify(pillar)


def amount(value: Any, unit: str) -> str:
    """A value with its unit, always (the public may not know what a goal counts)."""
    if formats.is_missing(value):
        return "—"
    return formats.with_unit(float(value), unit)


def target_text(row: pd.Series) -> str:
    """``70 cases by 31/12/2023``; a range goal as its range: ``between 90 and 95 %``."""
    unit, when = row["unit"], row["target_date"]
    low, high = row.get("target_low"), row.get("target_high")
    if not formats.is_missing(low) and not formats.is_missing(high):
        what = _("between {low} and {high}").format(
            low=formats.number(float(low), unit), high=amount(high, unit))
    elif not formats.is_missing(row.get("target_value")):
        what = amount(row["target_value"], unit)
    else:
        return "—"
    return (_("{value} by {date}").format(value=what, date=format_date(when))
            if isinstance(when, date) else what)


def latest_text(row: pd.Series) -> str:
    """``290 cases (December 2022)``, or that there is no figure yet."""
    if formats.is_missing(row.get("latest_value")):
        return _("no figure yet")
    text = amount(row["latest_value"], row["unit"])
    if row.get("latest_period"):
        text += f" ({row['latest_period']})"
    if row.get("is_provisional") is True:
        text += " · " + _("provisional")
    return text


def trend_line(row: pd.Series) -> html.Span:
    arrows = {"improving": "↗", "worsening": "↘", "steady": "→"}
    return html.Span([html.Span(arrows.get(row["trend"], "·") + " ", **{"aria-hidden": "true"}),
                      _("Trend: {trend}").format(trend=trend_text(row["trend"]))],
                     className="public-trend")


def goal_card(row: pd.Series) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.Div(status_badge(row["status"]), className="mb-2"),
        html.H3(html.A(row["name"], href=goal_href(row["slug"]), className="stretched-link"),
                className="h6 mb-2"),
        html.Div([html.Span(_("Latest") + ": ", className="text-muted"), latest_text(row)],
                 className="small"),
        html.Div([html.Span(_("Target") + ": ", className="text-muted"), target_text(row)],
                 className="small"),
        html.Div(trend_line(row), className="small mt-1"),
    ]), className="h-100 shadow-sm border-0 public-goal-card")


def pillar_sections(frame: pd.DataFrame) -> list[html.Section]:
    """One section per pillar with public goals, in the map's order, each goal a card."""
    sections = []
    for pillar, goals in frame.groupby("pillar", sort=False):
        counts = goals["status"].value_counts().to_dict()
        sections.append(html.Section([
            html.H2(pillar, className="h5 mb-1", id=pillar_anchor(str(pillar))),
            status_counts_line(counts),
            dbc.Row([dbc.Col(goal_card(r), xs=12, md=6, xl=4)
                     for _i, r in goals.iterrows()], className="g-3 mt-1"),
        ], className="mb-4 public-pillar"))
    return sections


def fact(label: str, value: Any) -> html.Div:
    return html.Div([html.Div(label, className="small text-muted"), html.Div(value)],
                    className="public-fact")


def goal_facts(row: pd.Series) -> html.Div:
    baseline = (_("{value} ({date})").format(value=amount(row["baseline_value"], row["unit"]),
                                            date=format_date(row["baseline_date"]))
                if isinstance(row.get("baseline_date"), date) else "—")
    return html.Div([
        fact(_("Status"), status_badge(row["status"])),
        fact(_("Latest figure"), latest_text(row)),
        fact(_("Target"), target_text(row)),
        fact(_("Baseline"), baseline),
        fact(_("Trend"), trend_text(row["trend"])),
        fact(_("Responsible"), row["owner"] or "—"),
    ], className="d-flex flex-wrap gap-4 mb-3 public-facts")


def chart_data(goal: PublicGoal) -> GoalChart:
    """The chart of a public goal: its figures against the trajectory in force and the target
    (a range as a shaded band), no forecast and no internal flags."""
    row = goal.row
    def number(key: str) -> float | None:
        value = row.get(key)
        return None if formats.is_missing(value) else float(value)
    return GoalChart(unit=row["unit"], status=row["status"], figures=goal.figures,
                     current=goal.trajectory, original=goal.trajectory.iloc[0:0],
                     target_date=row["target_date"], target_value=number("target_value"),
                     target_low=number("target_low"), target_high=number("target_high"))


def figures_table(goal: PublicGoal, *, last: int = 12) -> Any:
    """The latest ``last`` figures, newest first."""
    figures = goal.figures.tail(last).iloc[::-1]
    if figures.empty:
        return html.P(_("No figure has been published yet."), className="text-muted")
    frequency = goal.row["frequency"]
    head = html.Thead(html.Tr([html.Th(_("Period")), html.Th(_("Value"), className="text-end"),
                               html.Th("")]))
    body = html.Tbody([html.Tr([
        html.Td(formats.period(r.on, frequency)),
        html.Td(amount(r.value, goal.row["unit"]), className="text-end"),
        html.Td(_("provisional") if r.provisional else "", className="small text-muted"),
    ]) for r in figures.itertuples()])
    return dbc.Table([head, body], size="sm", className="public-figures mb-1")


def dictionary_table(columns: list[tuple[str, str, str]]) -> dbc.Table:
    head = html.Thead(html.Tr([html.Th(_("Column")), html.Th(_("Type")),
                               html.Th(_("Meaning"))]))
    body = html.Tbody([html.Tr([html.Td(html.Code(name)), html.Td(kind, className="small"),
                                html.Td(_(meaning))]) for name, kind, meaning in columns])
    return dbc.Table([head, body], size="sm", className="public-dictionary")


def download_links(dataset: str, *, goal: str | None = None) -> html.Span:
    query = f"?goal={goal}" if goal else ""
    return html.Span([
        html.A("CSV", href=f"{DATA_PATH}/{dataset}.csv{query}", className="btn btn-sm "
               "btn-outline-primary me-2", download=""),
        html.A("JSON", href=f"{DATA_PATH}/{dataset}.json{query}", className="btn btn-sm "
               "btn-outline-primary", download=""),
    ], className="text-nowrap")
