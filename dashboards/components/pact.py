"""Pieces of the pact pages, built from plain rows and DataFrames (pure: no database)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboards.components.commitments import commitment_link
from dashboards.components.meetings import slips
from dashboards.components.review import due_tag, value_text
from dashboards.components.sorting import (
    date_key,
    headers,
    number_key,
    rank_key,
    sorted_frame,
    text_key,
)
from dashboards.components.status import status_badge, status_bar, status_counts_line
from delivery.i18n import _, _n, formats
from delivery.palette import STATUS_ORDER
from delivery.status import format_date
from pacts.budget import flag_words


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    is_lead: bool


def money(value: float) -> str:
    """Money compact, one decimal, as budget offices read it: ``R$ 35,0 mi``."""
    return formats.amount(value, compact=True)


def pact_card(code: str, name: str, members: Sequence[Member], counts: Mapping[str, int],
              details: Sequence[object] = ()) -> dbc.Card:
    """One pact on the list of pacts: its name, members and the status of its goals, then
    ``details`` (see ``pact_facts``)."""
    lead = [m.code for m in members if m.is_lead]
    others = [m.code for m in members if not m.is_lead]
    total = sum(counts.values())
    return dbc.Card(dbc.CardBody([
        html.Div([
            html.A(name, href=f"/pact/{quote(code, safe='')}", className="h5 mb-0 pact-link"),
            html.Span(_n("{n} goal", "{n} goals", total).format(
                n=formats.number(total, decimals=0)), className="text-muted small"),
        ], className="d-flex justify-content-between align-items-baseline"),
        html.Div([html.Span(_("Lead") + " ", className="text-muted"), ", ".join(lead) or "—",
                  html.Span(" · " + _("Members") + " ", className="text-muted"),
                  ", ".join(others) or "—"],
                 className="small mb-2"),
        status_bar(counts, height="12px"),
        html.Div(status_counts_line(counts), className="mt-2"),
        *details,
    ]), className="mb-3 pillar-card pact-card h-100")


def pact_facts(spending: pd.DataFrame, health: object | None, next_meeting: object,
               likelihood: object | None) -> html.Div:
    """The lines under a pact on the list: budget execution of its goals' shares, routine
    health (slips in red), its next meeting and its latest likelihood judgement."""
    if spending.empty:
        budget: object = html.Span(_("no budget account linked"), className="text-muted")
    else:
        appropriated = float(spending["appropriated"].sum())
        spent = float(spending["spent"].sum())
        budget = _("{spent} spent of {appropriated} ({share})").format(
            spent=money(spent), appropriated=money(appropriated),
            share=formats.percent(spent / appropriated) if appropriated else formats.MISSING)
    if health is None or not getattr(health, "scheduled", 0):
        routine: object = html.Span(_("no meeting due yet"), className="text-muted")
    else:
        slipped = slips(health)
        routine = html.Span([
            html.Span(_("{held} of {scheduled} meetings held").format(
                held=formats.number(health.held, decimals=0),
                scheduled=formats.number(health.scheduled, decimals=0)),
                className="text-danger fw-semibold" if slipped["held"] else None),
            " · ",
            html.Span(_n("{n} commitment overdue", "{n} commitments overdue",
                         int(health.open_overdue or 0)).format(
                n=formats.number(int(health.open_overdue or 0), decimals=0)),
                className="text-danger fw-semibold" if slipped["overdue"] else None),
        ])
    rows = [(_("Budget"), budget), (_("Routine"), routine), (None, next_meeting)]
    if likelihood is not None:
        rows.append((_("Likelihood"), likelihood))
    return html.Div([
        html.Div([html.Div(label, className="small text-muted") if label else None,
                  html.Div(value, className="small")], className="mb-2")
        for label, value in rows
    ], className="mt-3 pact-facts")


def members_list(members: Sequence[Member]) -> html.Ul:
    return html.Ul([
        html.Li([html.Span(m.code, className="goal-code"), m.name,
                 dbc.Badge(_("lead"), color="dark", className="ms-2") if m.is_lead else None],
                className="mb-1")
        for m in members
    ], className="list-unstyled mb-0 pact-members")


def _target(value: object, when: object, unit: str) -> str:
    text = value_text(value, unit)
    return text if when is None or pd.isna(when) else _("{value} by {date}").format(
        value=text, date=format_date(when))


GOAL_KEYS = {
    "goal": lambda r: text_key(r["name"]),
    "owner": lambda r: text_key(r["owner_code"]),
    "latest": lambda r: number_key(r["latest_value"]),
    "target": lambda r: number_key(r["target_value"]),
    "negotiated": lambda r: number_key(r["negotiated_target_value"]),
    # worst first, then by code so equal statuses keep one order
    "status": lambda r: (rank_key(STATUS_ORDER)(r["status"]), text_key(r["code"]) or ""),
}


def pact_goals_table(goals: pd.DataFrame, *, sort: dict[str, Any] | None = None,
                     table: str | None = None) -> dbc.Table:
    """The pact's goals as given: status, latest and planned values, the goal's own target and
    the target negotiated in the pact (marked when it asks for less). With ``table``, the
    headers sort it (``GOAL_KEYS``)."""
    th = headers(sort, table)
    head = html.Thead(html.Tr([
        th(_("Goal"), "goal"), th(_("Owner"), "owner"), th(_("Latest"), "latest", "text-end"),
        th(_("Goal's target"), "target", "text-end"),
        th(_("Negotiated in the pact"), "negotiated", "text-end"), th(_("Status"), "status"),
    ]))
    rows = []
    for g in goals.itertuples():
        negotiated: list = [_target(g.negotiated_target_value, g.negotiated_target_date, g.unit)]
        if getattr(g, "impossible", ""):
            negotiated.append(html.Div("⚠ " + _("impossible"), title=g.impossible,
                                       className="small text-danger fw-semibold"))
        if g.looser:
            negotiated.append(html.Div(_("asks less: {terms}").format(terms=g.looser),
                                       className="small text-danger"))
        rows.append(html.Tr([
            html.Td([html.A(g.name, href=f"/goal/{quote(g.code, safe='')}"),
                     html.Div(html.Span(g.code, className="goal-code"),
                              className="small")]),
            html.Td(g.owner_code or "—", className="small"),
            html.Td(value_text(g.latest_value, g.unit), className="text-end text-nowrap"),
            html.Td(_target(g.target_value, g.target_date, g.unit), className="text-end"),
            html.Td(negotiated, className="text-end"),
            html.Td(status_badge(g.status)),
        ]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True,
                     className="goal-table pact-goals mb-0")


def target_findings(goals: pd.DataFrame) -> dbc.Alert | None:
    """The validation findings on the pact's negotiated targets: each one that cannot be
    reached (beyond its unit's bounds or the goal's plausible range) or asks less than the
    goal's own promise, naming the goal and the reason. None when there is nothing to say."""
    items = []
    for g in goals.itertuples():
        for kind, terms in ((_("impossible"), getattr(g, "impossible", "")),
                            (_("looser than the goal's own"), g.looser)):
            if terms:
                items.append(html.Li([html.Strong(f"{g.code} · {g.name}"), f" ({kind}): {terms}"]))
    if not items:
        return None
    return dbc.Alert([html.Div(_("Negotiated targets to review"), className="fw-semibold mb-1"),
                      html.Ul(items, className="mb-0")], color="warning",
                     className="pact-target-findings")


def budget_summary(spending: pd.DataFrame, fiscal_year: int | None) -> html.Div:
    """Appropriated, committed and spent over the pact's goals (their shares of accounts)."""
    if spending.empty or fiscal_year is None:
        return html.Div(_("No budget account is linked to these goals."), className="text-muted")
    totals = {c: float(spending[c].sum()) for c in ("appropriated", "committed", "spent")}
    execution = totals["spent"] / totals["appropriated"] if totals["appropriated"] else 0.0
    flagged = spending[spending["flag"] != ""]
    figures = [
        html.Div([html.Div(money(totals[c]), className="fs-4 fw-bold"),
                  html.Div(label, className="text-muted small")], className="me-4")
        for c, label in (("appropriated", _("Appropriated")), ("committed", _("Committed")),
                         ("spent", _("Spent")))
    ]
    spent = _("{share} spent").format(share=formats.percent(execution))
    bar = dbc.Progress(value=round(100 * execution), label=spent,
                       color="primary", style={"height": "18px"}, className="my-2")
    notes = [html.Li([html.Span(f.code, className="goal-code"), flag_words(f.flag)],
                     className="small")
             for f in flagged.itertuples()]
    return html.Div([
        html.Div(_("Fiscal year {year}").format(year=formats.year(fiscal_year)),
                 className="small text-muted mb-1"),
        html.Div(figures, className="d-flex flex-wrap"),
        bar,
        html.Ul(notes, className="mb-0 ps-3") if notes else
        html.Div(_("No goal flagged for money against progress."),
                 className="small text-muted"),
    ], className="pact-budget")


def commitment_state(state: str, due_on: date, as_of: date) -> str:
    """``overdue`` for an open commitment past its due date, else the state itself."""
    return "overdue" if state == "open" and due_on < as_of else state


SHOWN_ORDER = ["overdue", "open", "done", "dropped"]
COMMITMENT_KEYS = {
    "description": lambda r: text_key(r["description"]),
    "owner": lambda r: text_key(r["owner"]),
    "due": lambda r: date_key(r["due_on"]),
    # overdue, then open, then closed; soonest due first within each
    "state": lambda r: (rank_key(SHOWN_ORDER)(r["shown"]), date_key(r["due_on"])),
}


def with_shown(commitments: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """``commitments`` with what the rows say and sort on as of ``as_of``: ``shown``
    (``overdue`` or the state) and ``days_late`` (negative: days left)."""
    return commitments.assign(
        shown=[commitment_state(s, d, as_of) for s, d in
               zip(commitments["state"], commitments["due_on"], strict=True)],
        days_late=[(as_of - d).days for d in commitments["due_on"]])


def commitments_table(commitments: pd.DataFrame, as_of: date | None, *,
                      empty: str | None = None, sort: dict[str, Any] | None = None,
                      table: str | None = None) -> html.Div | dbc.Table:
    """Commitments of the pact's meetings and goals, each open one against its due date as on
    ``/review`` ("6 days overdue" in red). Overdue then open ones first, by due date; with
    ``table``, in the order given and the headers sort it (``COMMITMENT_KEYS``). Without
    ``as_of``, ``commitments`` come from ``with_shown``."""
    if commitments.empty:
        return html.Div(empty or _("No commitments recorded for this pact."),
                        className="text-muted")
    frame = commitments if as_of is None else with_shown(commitments, as_of)
    if table is None:
        frame = sorted_frame(frame, {"col": "state", "asc": True}, COMMITMENT_KEYS)
    th = headers(sort, table)
    head = html.Thead(html.Tr([th(_("Commitment"), "description"), th(_("Owner"), "owner"),
                               th(_("Due"), "due"), th(_("State"), "state")]))
    rows = [html.Tr([
        html.Td([html.Div(commitment_link(c.description, c.commitment_id)),
                 html.Div(f"{c.meeting} · {format_date(c.held_on)}",
                          className="small text-muted")]),
        html.Td([html.Div(c.owner),
                 html.Div(c.secretariat or "", className="small text-muted")]),
        html.Td(format_date(c.due_on), className="text-nowrap"),
        html.Td(due_tag(c.state, c.days_late), className="text-nowrap"),
    ], className=f"commitment-{c.shown}") for c in frame.itertuples()]
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True,
                     className="goal-table pact-commitments mb-0")


def section(title: str, body: object, note: str = "") -> dbc.Card:
    header = html.Div([html.H2(title, className="h6 mb-0"),
                       html.Span(note, className="small text-muted")],
                      className="d-flex flex-wrap justify-content-between align-items-baseline "
                      "column-gap-3")
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="mb-4 pillar-card")
