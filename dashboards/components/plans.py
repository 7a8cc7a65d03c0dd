"""Delivery-plan tables and forms: the board of initiatives, milestones, risks, the goals an
initiative serves, the notes beside physical progress reports, the short list on goal and pact
pages, the forecast move form. The tables
stack into cards on a phone (the review tables' CSS: ``review-table`` with ``data-label``)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards.components.status import status_badge
from dashboards.figures.plans import MILESTONE_STYLE
from dashboards.i18n import date_picker_format, date_picker_week_start
from delivery.i18n import _, _n, formats
from delivery.plans.vocabulary import MilestoneStatus, RiskStatus, Stage
from delivery.status import format_date

MOVE_MILESTONE, MOVE_DATE, MOVE_REASON, MOVE_SAVE, MOVE_RESULT = (
    "initiative-move-milestone", "initiative-move-date", "initiative-move-reason",
    "initiative-move-save", "initiative-move-result")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NaT


def milestone_badge(status: str | None) -> html.Span:
    """The status in words, with its glyph and colour."""
    if not isinstance(status, str) or not status:
        return html.Span(_("No milestones"), className="text-muted")
    colour, _symbol, glyph = MILESTONE_STYLE[status]
    return html.Span([html.Span(glyph, style={"color": colour}, **{"aria-hidden": "true"}),
                      " ", MilestoneStatus(status).label], className="text-nowrap milestone-status",
                     title=MilestoneStatus(status).label)


def _cell(label: str, content: Any, **kw: Any) -> html.Td:
    return html.Td(content, **{"data-label": label}, **kw)


def _slip(days: object) -> str:
    """Days late, or nothing when on time (``0 d`` read as a delay of nothing)."""
    if _missing(days) or not days:
        return ""
    return _("{n} d").format(n=formats.number(float(days), decimals=0))  # type: ignore[arg-type]


def _pct(value: object, *, share: bool = False) -> str:
    if _missing(value):
        return formats.MISSING
    return formats.percent(float(value) if share else float(value) / 100)  # type: ignore[arg-type]


BOARD_ROWS = 200  # a screen, not a listing: past this, filters (or the export) narrow it


def board_table(board: pd.DataFrame, limit: int = BOARD_ROWS) -> html.Div:
    """The initiatives, worst first (the first ``limit``): status, slip, late and due
    milestones, physical against financial progress."""
    if board.empty:
        return html.P(_("No initiatives to show."), className="text-muted plans-empty")
    more = len(board) - limit
    board = board.head(limit)
    head = [_("Initiative"), _("Status"), _("Slip"), _("Milestones"), _("Physical"),
            _("Spent"), _("Secretariat"), _("Stage")]
    rows = []
    for r in board.itertuples():
        counts = " · ".join(filter(None, [
            _n("{n} late", "{n} late", r.late).format(n=r.late) if r.late else "",
            _("{n} at risk").format(n=r.at_risk) if r.at_risk else "",
            _("{n} due").format(n=r.due) if r.due else ""])) or _n(
            "{n} milestone", "{n} milestones", r.milestones).format(n=r.milestones)
        spent: Any = _pct(r.financial_share, share=True)
        if r.money_ahead:
            spent = html.Span([spent, " ", html.Span(_("money ahead of work"),
                                                     className="badge text-bg-warning")])
        rows.append(html.Tr([
            _cell(_("Initiative"), html.Div([
                html.A(r.name, href=f"/initiative/{r.code}", className="fw-semibold"),
                html.Div(r.code + (f" · {r.pact_code}" if not _missing(r.pact_code) else ""),
                         className="small text-muted")])),
            _cell(_("Status"), milestone_badge(r.status)),
            _cell(_("Slip"), _slip(r.slip),
                  className="text-end"),
            _cell(_("Milestones"), counts, className="small"),
            _cell(_("Physical"), _pct(r.physical_pct), className="text-end"),
            _cell(_("Spent"), spent, className="text-end"),
            _cell(_("Secretariat"), r.secretariat_code),
            _cell(_("Stage"), Stage(r.stage).label),
        ], className="plans-row"))
    table = html.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
                       className="table table-sm align-middle review-table plans-table")
    return html.Div([table, html.P(_n(
        "and {n} more initiative, better placed: narrow the list with the filters",
        "and {n} more initiatives, better placed: narrow the list with the filters",
        more).format(n=formats.number(more, decimals=0)), className="small text-muted mb-0")
        if more > 0 else None])


def milestones_table(milestones: pd.DataFrame, revisions: pd.DataFrame) -> html.Div:
    if milestones.empty:
        return html.P(_("No milestones yet."), className="text-muted")
    head = [_("Milestone"), _("Status"), _("Baseline"), _("Forecast"), _("Done"), _("Slip"),
            _("Owner")]
    rows = []
    for r in milestones.itertuples():
        moves = revisions[revisions["milestone_id"] == r.milestone_id] if len(revisions) else (
            revisions)
        history = [html.Li(_("{day}: {forecast} by {who}: {reason}").format(
            day=formats.day(m.changed_at.date()), forecast=formats.day(m.forecast_on),
            who=m.changed_by, reason=m.reason)) for m in moves.iloc[1:].itertuples()]
        name: Any = html.Div([r.name, html.Ul(history, className="small text-muted mb-0")
                              if history else None])
        rows.append(html.Tr([
            _cell(_("Milestone"), name),
            _cell(_("Status"), milestone_badge(r.status)),
            _cell(_("Baseline"), formats.day(r.baseline_on)),
            _cell(_("Forecast"), formats.day(r.forecast_on), className="milestone-forecast"),
            _cell(_("Done"), formats.MISSING if _missing(r.actual_on) else formats.day(
                r.actual_on)),
            _cell(_("Slip"), _slip(r.slip),
                  className="text-end"),
            _cell(_("Owner"), r.owner),
        ], id=f"milestone-{r.milestone_id}"))
    return html.Div(html.Table([html.Thead(html.Tr([html.Th(h) for h in head])),
                                html.Tbody(rows)],
                               className="table table-sm align-middle review-table "
                                         "milestones-table"))


def risks_table(risks: pd.DataFrame) -> html.Div:
    if risks.empty:
        return html.P(_("No risks recorded."), className="text-muted")
    head = [_("Risk"), _("Score"), _("Owner"), _("Mitigation"), _("Review"), _("Status")]
    rows = []
    for r in risks.itertuples():
        review: Any = formats.day(r.review_on) if not _missing(r.review_on) else formats.MISSING
        if r.overdue:
            review = html.Span([review, " ", html.Span(_("review overdue"),
                                                       className="badge text-bg-danger")])
        rows.append(html.Tr([
            _cell(_("Risk"), r.description),
            _cell(_("Score"), _("{score} ({p} × {i})").format(score=r.score, p=r.probability,
                                                             i=r.impact),
                  className="fw-semibold" if r.band == "high" else ""),
            _cell(_("Owner"), r.owner), _cell(_("Mitigation"), r.mitigation, className="small"),
            _cell(_("Review"), review), _cell(_("Status"), RiskStatus(r.status).label),
        ]))
    return html.Div(html.Table([html.Thead(html.Tr([html.Th(h) for h in head])),
                                html.Tbody(rows)],
                               className="table table-sm align-middle review-table"))


def goals_served(goals: pd.DataFrame) -> html.Div:
    if goals.empty:
        return html.P(_("Serves no goal you may see."), className="text-muted")
    return html.Ul([html.Li([status_badge(g.status), " ",
                             html.A(g.name, href=f"/goal/{g.code}"),
                             html.Span(" · " + _("weight {w}").format(
                                 w=formats.number(g.weight, decimals=1)),
                                 className="small text-muted")], className="mb-1")
                    for g in goals.itertuples()], className="list-unstyled mb-0")


def progress_notes(physical: pd.DataFrame) -> html.Div | None:
    """The notes that explain physical progress figures, latest first, each under its date and
    figure: a list under the chart rather than a tooltip, so that a phone shows them whole.
    None when no report in force has a note."""
    noted = physical[physical["note"].map(lambda n: isinstance(n, str) and bool(n))]
    if noted.empty:
        return None
    return html.Div([
        html.H3(_("Notes on the figures"), className="h6 mb-1 mt-2"),
        html.Ul([html.Li([html.Span(f"{format_date(r.on)} · {_pct(r.pct)}",
                                    className="fw-semibold text-nowrap me-2"),
                          html.Span(r.note, className="progress-note")], className="mb-1")
                 for r in noted.sort_values("on", ascending=False).itertuples()],
                className="list-unstyled mb-0 small progress-notes")])


def initiative_list(board: pd.DataFrame) -> html.Div:
    """The short list on goal and pact pages: name, status, slip."""
    if board.empty:
        return html.P(_("No initiatives."), className="text-muted")
    return html.Ul([html.Li([milestone_badge(r.status), " ",
                             html.A(r.name, href=f"/initiative/{r.code}"),
                             html.Span((" · " + _("slip {n} d").format(n=r.slip)
                                        if r.slip else "") + (
                                 " · " + _("money ahead of work") if r.money_ahead else ""),
                                 className="small text-muted")], className="mb-1")
                    for r in board.itertuples()], className="list-unstyled mb-0 initiative-list")


def forecast_form(milestones: pd.DataFrame) -> html.Div:
    """Move a milestone's forecast: which, to when, and why (required)."""
    options = [{"label": r.name, "value": int(r.milestone_id)}
               for r in milestones.itertuples() if _missing(r.actual_on)]
    if not options:
        return html.P(_("Every milestone is done."), className="text-muted")
    return html.Div([
        dbc.Label(_("Milestone"), html_for=MOVE_MILESTONE),
        dcc.Dropdown(id=MOVE_MILESTONE, options=options, value=options[0]["value"],
                     clearable=False, className="mb-2"),
        dbc.Label(_("New forecast date"), html_for=MOVE_DATE, className="d-block"),
        dcc.DatePickerSingle(id=MOVE_DATE, display_format=date_picker_format(),
                             first_day_of_week=date_picker_week_start(),
                             placeholder=_("Forecast"), className="mb-2"),
        dbc.Label(_("Reason (required)"), html_for=MOVE_REASON, className="d-block"),
        dcc.Textarea(id=MOVE_REASON, className="form-control mb-2", style={"height": "4rem"}),
        html.Button(_("Move forecast"), id=MOVE_SAVE, className="btn btn-primary"),
        html.Div(id=MOVE_RESULT, className="mt-2", role="status"),
    ], className="forecast-form")


def milestones_ahead_table(ahead: pd.DataFrame, limit: int = 25) -> html.Div:
    """The weekly review's list: milestones late or due within 14 days, worst first."""
    if ahead.empty:
        return html.P(_("No milestone late or due in the next 14 days."), className="text-muted")
    head = [_("Milestone"), _("Initiative"), _("Status"), _("Forecast"), _("Slip"),
            _("Secretariat")]
    rows = [html.Tr([
        _cell(_("Milestone"), r.name),
        _cell(_("Initiative"), html.A(r.initiative_name, href=f"/initiative/{r.initiative_code}")),
        _cell(_("Status"), milestone_badge(r.status)),
        _cell(_("Forecast"), formats.day(r.forecast_on)),
        _cell(_("Slip"), _slip(r.slip),
              className="text-end"),
        _cell(_("Secretariat"), r.secretariat_code),
    ]) for r in ahead.head(limit).itertuples()]
    more = (html.P(_n("and {n} more", "and {n} more", len(ahead) - limit).format(
        n=len(ahead) - limit), className="small text-muted mb-0")
        if len(ahead) > limit else None)
    return html.Div([html.Table([html.Thead(html.Tr([html.Th(h) for h in head])),
                                 html.Tbody(rows)],
                                className="table table-sm align-middle review-table "
                                          "review-milestones"), more])
