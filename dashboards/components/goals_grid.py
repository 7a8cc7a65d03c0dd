"""The goal catalogue's grid on the home page: columns, rows and filter options, built from a
``catalogue_frame`` (pure: no database, no callbacks)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd
from dash import html

from dashboards.components.review import goal_href
from dashboards.theme import STATUS_SHAPES
from delivery.catalogue.export import frequency_label, header
from delivery.i18n import _, formats
from delivery.vocabulary import Frequency, Status

GRID_ROWS = 300  # rows written into the grid per view; the downloads hold every row
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>])")
SORT_CHOICES = ["status", "shortfall", "days_late", "code", "name", "pillar", "objective",
                "owner_code", "frequency", "latest_period_end"]


def markdown_text(text: str) -> str:
    """Text shown as itself inside a markdown cell (no link, emphasis or HTML of its own)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def status_words(status: str) -> str:
    value = Status(status)
    return f"{STATUS_SHAPES[value][1]} {value.label}"


def _value(value: Any, unit: str) -> str:
    if formats.is_missing(value):
        return formats.MISSING
    return formats.number(float(value), unit)


def grid_rows(shown: pd.DataFrame, limit: int = GRID_ROWS) -> list[dict[str, Any]]:
    """One dict per goal (the first ``limit``), values already written in the reader's
    language and formats."""
    rows = []
    statuses = {s.value: status_words(s.value) for s in Status}
    frequencies = {f.value: frequency_label(f.value) for f in Frequency}
    periods: dict[tuple[date, str], str] = {}
    for goal in shown.head(limit).itertuples():
        period = goal.latest_period_end
        if isinstance(period, date) and (period, goal.frequency) not in periods:
            periods[(period, goal.frequency)] = formats.period(period, goal.frequency)
        rows.append({
            "code": goal.code, "name": goal.name, "href": goal_href(goal.code),
            "goal": f"[{markdown_text(goal.name)}]({goal_href(goal.code)})",
            "pillar": goal.pillar, "objective": goal.objective,
            "owner_code": goal.owner_code if isinstance(goal.owner_code, str) else "",
            "pacts": goal.pacts,
            "frequency": frequencies.get(goal.frequency, goal.frequency),
            "unit": goal.unit or "",
            "latest_period": periods.get((period, goal.frequency), formats.MISSING),
            "latest": _value(goal.latest_value, goal.unit),
            "planned": _value(goal.planned, goal.unit),
            "shortfall": (formats.percent(goal.shortfall)
                          if not formats.is_missing(goal.shortfall) else formats.MISSING),
            "status": statuses[goal.status],
            "days_late": (formats.number(goal.days_late, decimals=0)
                          if goal.days_late else ""),
        })
    return rows


def grid_columns() -> list[dict[str, Any]]:
    """The grid's columns; the goal's name links to its page. Sorting is the view's (server)."""
    def column(field: str, name: str, **more: Any) -> dict[str, Any]:
        return {"field": field, "headerName": header(name), "sortable": False, **more}
    right = {"type": "rightAligned"}
    return [
        column("goal", "name", cellRenderer="markdown", minWidth=250, flex=2),
        column("code", "code", width=160, tooltipField="code"),
        column("status", "status", width=140),
        column("latest", "latest_value", width=110, **right),
        column("planned", "planned", width=110, **right),
        column("unit", "unit", width=110),
        column("latest_period", "latest_period_end", width=130),
        column("shortfall", "shortfall", width=110, **right),
        column("days_late", "days_late", width=100, **right),
        column("owner_code", "owner_code", width=120),
        column("pacts", "pacts", width=110),
        column("frequency", "frequency", width=110),
        column("objective", "objective", minWidth=200, flex=1),
        column("pillar", "pillar", width=180),
    ]


def options(frame: pd.DataFrame, code: str, name: str | None = None) -> list[dict[str, str]]:
    """Dropdown options from the frame's own values (so a person sees only what their goals
    touch), in catalogue order, labelled ``CODE · name``."""
    pairs = frame[[code] + ([name] if name else [])].dropna().drop_duplicates(code)
    return [{"label": f"{row[0]} · {row[1]}" if name else str(row[0]), "value": str(row[0])}
            for row in pairs.itertuples(index=False)]


def pact_options(frame: pd.DataFrame) -> list[dict[str, str]]:
    codes = sorted({c for key in frame["pact_key"] for c in key.split("|") if c})
    return [{"label": c, "value": c} for c in codes]


def status_options() -> list[dict[str, str]]:
    return [{"label": status_words(s.value), "value": s.value} for s in Status]


def frequency_options() -> list[dict[str, str]]:
    return [{"label": frequency_label(f.value), "value": f.value} for f in Frequency]


def sort_options() -> list[dict[str, str]]:
    return [{"label": _("Catalogue order"), "value": ""}] + [
        {"label": header(c), "value": c} for c in SORT_CHOICES]


PHONE_ROWS = 60  # a phone lists fewer goals as cards; the grid and the downloads hold the rest


def phone_list(rows: list[dict[str, Any]]) -> html.Div:
    """The grid's rows as stacked cards for a phone (the grid itself is hidden there: 14
    columns do not fit 390 px, and a grid scrolled sideways inside a card is hard to read)."""
    items = [html.Li([
        html.A(row["name"], href=row["href"], className="fw-semibold d-block"),
        html.Div(" · ".join(filter(None, [row["status"], row["code"], row["owner_code"]])),
                 className="small"),
        html.Div(_("Latest {latest} against {planned} planned ({unit}) · shortfall "
                   "{shortfall}").format(latest=row["latest"], planned=row["planned"],
                                          unit=row["unit"] or formats.MISSING,
                                          shortfall=row["shortfall"]),
                 className="small text-muted"),
    ], className="list-group-item") for row in rows[:PHONE_ROWS]]
    more = (html.P(_("The first {shown} goals; narrow the view to see the others.").format(
        shown=formats.number(PHONE_ROWS, decimals=0)), className="small text-muted mt-2")
        if len(rows) > PHONE_ROWS else None)
    return html.Div([html.Ul(items, className="list-group goals-phone-list"), more])
