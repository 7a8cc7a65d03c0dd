"""Parts of a goal's page beyond its chart (pure: no database, no callbacks): every figure as a
table with its download, the goal's likelihood judgements, its open commitments and the money
behind it told as one story."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboards.components.likelihood import legend_note, rater_judgements
from dashboards.components.pact import commitments_table, money
from dashboards.components.review import fact, value_text
from dashboards.components.sorting import sort_header
from dashboards.components.status import status_badge
from delivery.i18n import _, formats
from delivery.status import format_date
from pacts.budget import flag_words


def unit_header(label: str, unit: str) -> str:
    """A column header with the goal's unit: ``Value (%)``."""
    return _("{label} ({unit})").format(label=label, unit=unit) if unit else label


def figures_download(code: str, as_of: date) -> str:
    """The goal's figures, every revision known on ``as_of``, as the figures CSV."""
    return "/export/figures.csv?" + urlencode({"goal": code, "as_of": as_of.isoformat(),
                                                "all_revisions": "1"})


FIGURES_SORT = "goal-figures-sort"
FIGURES_DEFAULT_SORT = {"col": "period", "asc": False}  # newest period first
FIGURES_SORT_COLUMNS = {"period": ["period_end", "revision"], "value": ["value"],
                        "known_on": ["known_on"], "who": ["reported_by"]}


def figures_table(figures: pd.DataFrame, unit: str, frequency: str,
                  sort: dict[str, Any] | None = None) -> html.Div:
    """Every figure known (rows of ``delivery.exports.figures_frame`` with every revision),
    newest period first unless ``sort`` says otherwise (a click on the period, value, known on
    or who header), each revision on its own line: period, value, revision, provisional,
    known on, note, who reported it; revisions since corrected greyed."""
    if figures.empty:
        return html.Div(_("No figure has been reported for this goal."),
                        className="text-muted small")
    sort = sort if isinstance(sort, dict) and sort.get("col") in FIGURES_SORT_COLUMNS \
        else FIGURES_DEFAULT_SORT
    columns = FIGURES_SORT_COLUMNS[sort["col"]]
    frame = figures.assign(superseded=figures["revision"] < figures.groupby(
        "period_end")["revision"].transform("max"))
    frame = frame.sort_values(columns, ascending=bool(sort.get("asc", True)), kind="stable",
                              na_position="last")

    def th(label: str, key: str, class_name: str = "") -> html.Th:
        return sort_header(label, key, sort, FIGURES_SORT, class_name=class_name)
    head = html.Thead(html.Tr([
        th(_("Period"), "period"), th(unit_header(_("Value"), unit), "value", "text-end"),
        html.Th(_("Revision")), html.Th(_("Provisional")), th(_("Known on"), "known_on"),
        html.Th(_("Note")), th(_("Who"), "who"),
    ]))
    rows = [html.Tr([
        html.Td(formats.period(f.period_end, frequency), className="text-nowrap"),
        html.Td(value_text(f.value, unit, with_unit=False, up_to=4), className="text-end"),
        html.Td(f"r{f.revision}"),
        html.Td(_("provisional") if f.is_provisional else "—", className="small"),
        html.Td(format_date(f.known_on) if isinstance(f.known_on, date) else "—",
                className="small text-nowrap"),
        html.Td(f.note or "—", className="small"),
        # an account name reads whole ("delivery-unit" does not break at its hyphen)
        html.Td(f.reported_by or "—", className="small text-nowrap"),
    ], className="figure-superseded text-muted" if f.superseded else None)
        for f in frame.itertuples()]
    return html.Div(dbc.Table([head, html.Tbody(rows)], size="sm", hover=True,
                              className="review-table mb-0 goal-figures"),
                    className="goal-figures-scroll", tabIndex="0", role="region",
                    **{"aria-label": _("Figures")})


def goal_likelihood(latest: pd.DataFrame) -> html.Div:
    """Each rater's latest judgement of the goal, side by side (never averaged)."""
    if latest.empty:
        return html.Div([html.Div(_("Nobody has rated this goal yet."),
                                  className="text-muted small mb-3"), legend_note()])
    return html.Div([rater_judgements(latest), html.Div(legend_note(), className="mt-3")])


def goal_commitments(commitments: pd.DataFrame, as_of: date) -> html.Div | dbc.Table:
    return commitments_table(commitments, as_of,
                             empty=_("No open commitment on this goal."))


def goal_budget_block(budget: pd.DataFrame, unit: str) -> html.Div:
    """The money behind one goal, told once: appropriated, spent and the share executed
    against the share of the year gone by; where the figure stands against the plan; and one
    sentence that puts the two together (the budget flag when there is one)."""
    if budget.empty:
        return html.Div(_("No budget account is linked to this goal."),
                        className="text-muted small")
    b = budget.iloc[0]
    appropriated, spent = float(b["appropriated"]), float(b["spent"])
    execution = float(b["execution"]) if appropriated else float("nan")
    pace = float(b["pace"])
    elapsed = execution / pace if pace and not pd.isna(pace) and pace > 0 else float("nan")
    progress = b["physical_progress"]
    facts = html.Div([
        fact(_("Fiscal year"), formats.year(int(b["fiscal_year"]))),
        fact(_("Appropriated"), money(appropriated)),
        fact(_("Spent"), money(spent)),
        fact(_("Executed"), formats.percent(execution)),
        fact(_("Of the year gone by"), formats.percent(elapsed)),
        fact(_("Status"), status_badge(b["status"]) if isinstance(b["status"], str) else "—"),
    ], className="d-flex flex-wrap gap-4 mb-2")
    return html.Div([facts, html.P(budget_sentence(execution, elapsed, progress, b["flag"]),
                                   className="small mb-0 goal-budget-sentence")])


def budget_sentence(execution: float, elapsed: float, progress: object, flag: str) -> str:
    """Spending and physical progress in one sentence, with the flag's words when flagged."""
    spent = formats.percent(execution)
    if progress is None or pd.isna(progress):
        moved = _("progress against the plan cannot be measured (no figure yet, or a range "
                  "goal)")
    elif float(progress) < 0:
        moved = _("the figure has moved away from the target instead of towards it "
                  "({share} of the change planned by now)").format(
            share=formats.percent(float(progress)))
    else:
        moved = _("the figure has covered {share} of the change planned by now").format(
            share=formats.percent(float(progress)))
    sentence = _("{spent} of the money is spent with {elapsed} of the year gone by; {moved}.")
    sentence = sentence.format(spent=spent, elapsed=formats.percent(elapsed), moved=moved)
    if flag:
        sentence += " " + _("Flagged: {flag}.").format(flag=flag_words(flag))
    return sentence
