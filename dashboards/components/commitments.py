"""Pieces of a commitment's follow-up, built from plain rows (pure: no database, no callbacks):
its history (notes with evidence, requests for a new date and their answers, corrections), and
the urgency marker the lists show."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from delivery.i18n import N_, _, _n, formats
from delivery.status import format_date
from delivery.vocabulary import CommitmentUpdateKind

FIELD_LABEL = {"description": N_("What"), "owner": N_("Owner"), "due_on": N_("Due"),
               "goal_id": N_("Goal"), "agenda_item_id": N_("Agenda item")}


def commitment_href(commitment_id: int) -> str:
    return f"/commitment/{commitment_id}"


def urgency(state: str, due_on: date, as_of: date) -> tuple[int, str, str]:
    """(sort key: most urgent first, text, class) for a commitment: overdue by most days first,
    then due soonest, then closed."""
    if state != "open":
        return 10**6, "", ""
    late = (as_of - due_on).days
    if late > 0:
        return -late, _n("{n} day overdue", "{n} days overdue", late).format(n=late), "overdue"
    if late == 0:
        return 0, _("due today"), "due-soon"
    soon = "due-soon" if -late <= 7 else ""
    return -late, _n("due in {n} day", "due in {n} days", -late).format(n=-late), soon


def _value(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field == "due_on" and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _evidence(row: Any) -> list[Any]:
    parts: list[Any] = []
    if row.evidence_url:
        parts.append(html.Div([_("Evidence:") + " ", html.A(
            row.evidence_url, href=row.evidence_url, target="_blank",
            rel="noopener noreferrer nofollow", className="evidence-link text-break")],
            className="small"))
    if row.evidence_text:
        parts.append(html.Div([_("Evidence:") + " ", row.evidence_text],
                              className="small evidence-text text-break"))
    return parts


def _what(row: Any) -> list[Any]:
    kind = CommitmentUpdateKind(row.kind)
    if kind is CommitmentUpdateKind.NOTE:
        return [html.Div(row.text, className="text-break") if row.text else None,
                *_evidence(row)]
    if kind is CommitmentUpdateKind.DATE_REQUEST:
        return [html.Div(_("New date asked: {new} instead of {old}").format(
                    new=format_date(row.requested_due_on), old=format_date(row.previous_due_on))),
                html.Div(_("Why: {reason}").format(reason=row.text),
                         className="small text-break")]
    if kind is CommitmentUpdateKind.DATE_ANSWER:
        head = (_("Accepted: due {date}").format(date=format_date(row.requested_due_on))
                if row.accepted else _("Refused: due date stays {date}").format(
                    date=format_date(row.previous_due_on)))
        return [html.Div(head, className="fw-semibold " + (
                    "text-success" if row.accepted else "text-danger")),
                html.Div(row.text, className="small text-break") if row.text else None]
    changes = row.changes if isinstance(row.changes, dict) else {}
    return [html.Ul([html.Li(_("{field}: {before} → {after}").format(
        field=_(FIELD_LABEL.get(field, field)), before=_value(field, pair[0]),
        after=_value(field, pair[1]))) for field, pair in changes.items()
        if field in FIELD_LABEL and isinstance(pair, list) and len(pair) == 2],
        className="mb-0 small")]


def history_table(history: pd.DataFrame, attached: Mapping[int, Any] | None = None
                  ) -> html.Div | dbc.Table:
    """The follow-up, oldest first: when (in the site's time zone), who, what kind, what;
    ``attached``: what to show under a row's "what" by its update id (a note's files)."""
    attached = attached or {}
    if history.empty:
        return html.Div(_("No progress note or request yet."),
                        className="text-muted small commitment-history-empty")
    rows = [html.Tr([
        html.Td(formats.moment(r.recorded_at), className="small text-nowrap"),
        html.Td(r.recorded_by, className="small"),
        html.Td(CommitmentUpdateKind(r.kind).label.capitalize(), className="small"),
        html.Td([*_what(r), attached.get(r.update_id)]),
    ], className=f"commitment-update update-{r.kind}") for r in history.itertuples()]
    head = html.Thead(html.Tr([html.Th(_("When")), html.Th(_("Who")), html.Th(_("Kind")),
                               html.Th(_("What"))]))
    return html.Div(dbc.Table([head, html.Tbody(rows)], size="sm",
                              className="review-table commitment-history mb-0"),
                    className="table-responsive")
