"""The review routine on a pact's page, from the meeting and likelihood screens' own pieces
(pure: no database): the pact's meetings and routine health, and its likelihood of delivery."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from dash import html

from dashboards.components.likelihood import agreement_text, legend_note, rater_judgements
from dashboards.components.meetings import health_figures, meeting_href, meetings_table
from delivery.i18n import _, _n
from delivery.status import format_date

LAST_MEETINGS = 4


def next_meeting(upcoming: pd.DataFrame, due_on: date | None = None) -> html.Div:
    """The soonest of ``upcoming`` (a ``meeting_frame``): date, link, agenda size; without one,
    the day the pact's series meets next (``due_on``), not yet scheduled."""
    label = html.Div(_("Next meeting"), className="small text-muted")
    if upcoming.empty:
        return html.Div([label, html.Div(
            [html.Span(format_date(due_on), className="fw-bold me-2"),
             _("due, not scheduled yet")] if due_on else
            _("No meeting scheduled ahead."), className="small")], className="pact-next-meeting")
    m = upcoming.iloc[0]
    items = int(m["agenda_items"])
    return html.Div([
        label,
        html.Div([html.Span(format_date(m["held_on"]), className="fw-bold me-2"),
                  html.A(m["title"], href=meeting_href(int(m["meeting_id"])),
                         className="meeting-link")]),
        html.Div(_n("{n} agenda item", "{n} agenda items", items).format(n=items) if items else
                 _("agenda not built yet"), className="small text-muted"),
    ], className="pact-next-meeting")


def review_meetings(upcoming: pd.DataFrame, past: pd.DataFrame, health: Any | None,
                    due_on: date | None = None, last: Any = None) -> html.Div:
    """The routine's health (a ``routine_health`` row, or None), the next meeting (see
    ``next_meeting``) and the last ones (latest first; ``last``, when given, is that table
    already drawn, a sortable one), each linking to its meeting."""
    return html.Div([
        health_figures(health) if health is not None else
        html.Div(_("No meetings were due yet."), className="text-muted small"),
        html.Hr(className="my-3"),
        next_meeting(upcoming, due_on),
        html.Div(_("Last meetings"), className="small text-muted mt-3"),
        last if last is not None else
        meetings_table(past.head(LAST_MEETINGS), empty=_("No meeting yet."), scope=False),
    ], className="pact-routine")


def pact_likelihood(latest: pd.DataFrame, raters: int, spread: int) -> html.Div:
    """Each rater's latest judgement of the pact side by side (never averaged), how far apart
    they are, and the note that these are judgements, not computed status."""
    if latest.empty:
        return html.Div([html.Div(_("Nobody has rated this pact yet."),
                                  className="text-muted small mb-3"), legend_note()])
    return html.Div([
        html.Div(agreement_text(raters, spread), className="small mb-2 pact-agreement"),
        rater_judgements(latest),
        html.Div(legend_note(), className="mt-3"),
    ], className="pact-likelihood")
