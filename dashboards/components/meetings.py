"""Pieces of the meeting screens, built from plain rows and DataFrames (pure: no database, no
callbacks): the list of meetings, the routine's health, one meeting's agenda, attendance,
decisions and commitments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboards.components.commitments import commitment_link
from dashboards.components.review import goal_href
from dashboards.components.sorting import date_key, headers, number_key, rank_key, text_key
from dashboards.components.status import status_badge
from delivery.i18n import N_, _, formats
from delivery.status import format_date
from delivery.vocabulary import MeetingState

# A routine slips when fewer meetings are held than scheduled or commitments run late; these
# are the thresholds the health table highlights (CitiStat's slide: a third cancelled).
SLIP_HELD_SHARE = 0.8
SLIP_ON_TIME_SHARE = 0.7

STATE_CLASS = {"scheduled": "state-scheduled", "held": "state-held",
               "cancelled": "state-cancelled", "in_progress": "state-in-progress"}
KIND_LABEL = {"goal": N_("Goal"), "flag": N_("Data flag"), "commitment": N_("Commitment"),
              "topic": N_("Topic")}
COMMITMENT_SHOWN = {"overdue": N_("Overdue"), "open": N_("Open"), "done": N_("Done"),
                    "dropped": N_("Dropped")}
AGENDA_UP, AGENDA_DOWN = "meeting-agenda-up", "meeting-agenda-down"
AGENDA_REMOVE = "meeting-agenda-remove"


def meeting_href(meeting_id: int) -> str:
    return f"/meeting/{meeting_id}"


def state_badge(state: str, *, closed: bool = False, in_progress: bool = False) -> html.Span:
    """Scheduled / in progress / held / cancelled, with "minutes closed" for a held meeting
    closed (``in_progress``: started, minutes not closed)."""
    if in_progress and not closed and state != "cancelled":
        return html.Span(_("In progress"), className="meeting-state state-in-progress")
    text = (_("Held · minutes closed") if state == "held" and closed else
            MeetingState(state).label.capitalize() if state in set(MeetingState) else state)
    return html.Span(text, className=f"meeting-state {STATE_CLASS.get(state, '')}")


def kind_badge(kind: str) -> html.Span:
    return html.Span(_(KIND_LABEL[kind]) if kind in KIND_LABEL else kind,
                     className=f"agenda-kind agenda-kind-{kind}")


def _count(value: Any) -> str:
    return formats.MISSING if formats.is_missing(value) else formats.number(int(value),
                                                                            decimals=0)


def _share(value: Any) -> str:
    return formats.percent(value)


def _of(part: Any, whole: Any) -> str:
    return _("{part} of {whole}").format(part=_count(part), whole=_count(whole))


def _days(mean: Any) -> str:
    return formats.number(mean, decimals=1)


MEETING_KEYS = {
    "date": lambda r: date_key(r["held_on"]),
    "title": lambda r: text_key(r["title"]),
    "scope": lambda r: text_key(r.get("scope")),
    "state": lambda r: (0 if r.get("in_progress") else 1,
                        rank_key(list(MeetingState))(r["state"]), bool(r.get("closed"))),
    "items": lambda r: number_key(r["agenda_items"]),
    "made": lambda r: number_key(r["commitments"]),
}


def meetings_table(meetings: pd.DataFrame, *, empty: str, scope: bool = True,
                   sort: dict[str, Any] | None = None, table: str | None = None
                   ) -> html.Div | dbc.Table:
    """Meetings (meeting_id, held_on, title, scope, state, closed, agenda_items, commitments),
    one row each as given, the title linking to the meeting; without the scope column where
    every meeting has the same (``scope=False``, a pact's own page). With ``table``, the
    headers sort it (``MEETING_KEYS``, see ``dashboards.components.sortable``)."""
    if meetings.empty:
        return html.Div(empty, className="text-muted small")
    rows = [html.Tr([
        html.Td(format_date(m.held_on), className="text-nowrap"),
        html.Td(html.A(m.title, href=meeting_href(int(m.meeting_id)), className="meeting-link")),
        html.Td(m.scope, className="small") if scope else None,
        html.Td(state_badge(m.state, closed=bool(m.closed),
                            in_progress=bool(getattr(m, "in_progress", False)))),
        html.Td(_count(m.agenda_items), className="text-end"),
        html.Td(_count(m.commitments), className="text-end"),
    ], className="meeting-row") for m in meetings.itertuples()]
    th = headers(sort, table)
    head = html.Thead(html.Tr([th(_("Date"), "date"), th(_("Meeting"), "title"),
                               th(_("Scope"), "scope") if scope else None,
                               th(_("State"), "state"),
                               th(_("Agenda items"), "items", "text-end"),
                               th(_("Commitments made"), "made", "text-end")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True,
                     className="review-table meetings-table mb-0")


def slips(row: Any) -> dict[str, bool]:
    """Which of a health row's figures show the routine slipping."""
    held = row.held_share
    on_time = row.on_time_share
    return {
        "held": held is not None and not pd.isna(held) and held < SLIP_HELD_SHARE,
        "on_time": on_time is not None and not pd.isna(on_time) and on_time < SLIP_ON_TIME_SHARE,
        "overdue": bool(row.open_overdue and not pd.isna(row.open_overdue)
                        and row.open_overdue > 0),
    }


HEALTH_KEYS = {
    "routine": lambda r: text_key(r["name"]),
    "held_of": lambda r: number_key(r["held"]),
    "cancelled": lambda r: number_key(r["cancelled"]),
    "not_recorded": lambda r: number_key(r["not_recorded"]),
    "held": lambda r: number_key(r["held_share"]),
    "closed": lambda r: number_key(r["closed_on_time"]),
    "on_time": lambda r: number_key(r["on_time_share"]),
    "overdue": lambda r: number_key(r["open_overdue"]),
    "mean": lambda r: number_key(r["mean_days_overdue"]),
}


def health_table(health: pd.DataFrame, *, sort: dict[str, Any] | None = None,
                 table: str | None = None) -> html.Div | dbc.Table:
    """The routine's health, the unit first then each pact as given: meetings held against
    scheduled, commitments closed on time, open ones overdue and their mean days late; slips
    in red. With ``table``, the headers sort the pacts (``HEALTH_KEYS``); the unit's row,
    their total, stays first."""
    if health.empty:
        return html.Div(_("No meetings were due yet."), className="text-muted small")
    health = pd.concat([health[health["scope"] == "unit"], health[health["scope"] != "unit"]])
    rows = []
    for h in health.itertuples():
        slip = slips(h)
        mean = h.mean_days_overdue
        rows.append(html.Tr([
            html.Td(html.B(h.name) if h.scope == "unit" else h.name),
            html.Td(_of(h.held, h.scheduled), className="text-end"),
            html.Td(_count(h.cancelled), className="text-end"),
            html.Td(_count(h.not_recorded), className="text-end"),
            html.Td(_share(h.held_share), className="text-end" + (" slip" if slip["held"]
                                                                    else "")),
            html.Td(_of(h.closed_on_time, h.commitments_due), className="text-end"),
            html.Td(_share(h.on_time_share), className="text-end" + (" slip" if slip["on_time"]
                                                                      else "")),
            html.Td(_count(h.open_overdue), className="text-end" + (" slip" if slip["overdue"]
                                                                     else "")),
            html.Td(_days(mean), className="text-end"),
        ], className="health-row" + (" health-slipping" if any(slip.values()) else "")))
    th = headers(sort, table)
    head = html.Thead(html.Tr([
        th(_("Routine"), "routine"), th(_("Held of scheduled"), "held_of", "text-end"),
        th(_("Cancelled"), "cancelled", "text-end"),
        th(_("Not recorded"), "not_recorded", "text-end",
           _("past their date, neither held nor cancelled")),
        th(_("Held"), "held", "text-end"),
        th(_("Closed on time"), "closed", "text-end",
           _("commitments due so far, closed by their due date")),
        th(_("On time"), "on_time", "text-end"),
        th(_("Open overdue"), "overdue", "text-end"),
        th(_("Mean days overdue"), "mean", "text-end",
           _("over the commitments still open past their due date")),
    ]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="review-table health-table "
                     "mb-0")


def health_figures(row: Any) -> html.Div:
    """One routine's health (a row of ``routine_health``) as four figures, for a pact's page:
    meetings held of scheduled, commitments closed on time, open overdue and their mean days
    late; slips in red as in ``health_table``."""
    slip = slips(row)
    mean = row.mean_days_overdue

    def figure(value: str, label: str, key: str = "", title: str = "") -> html.Div:
        return html.Div([html.Div(value, className="fs-5 fw-bold" + (" slip" if slip.get(key)
                                                                     else "")),
                         html.Div(label, className="small text-muted")],
                        className="health-figure", title=title)
    return html.Div([
        figure(_of(row.held, row.scheduled),
               _("meetings held ({share})").format(share=_share(row.held_share)), "held",
               _("{cancelled} cancelled, {missing} not recorded").format(
                   cancelled=_count(row.cancelled), missing=_count(row.not_recorded))),
        figure(_share(row.on_time_share), _("commitments on time ({part})").format(
            part=_of(row.closed_on_time, row.commitments_due)), "on_time"),
        figure(_count(row.open_overdue), _("open overdue"), "overdue"),
        figure(_days(mean), _("mean days overdue")),
    ], className="health-figures d-flex flex-wrap gap-4")


# -- one meeting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    """One agenda item as shown: what it is, what it points at and why it is there."""

    item_id: int
    kind: str
    title: str
    goal_code: str | None = None
    status: str | None = None
    reason: str = ""


def agenda_list(rows: Sequence[AgendaRow], *, editable: bool) -> html.Div | html.Ol:
    """The agenda in order; with up / down / remove buttons while it may be edited."""
    if not rows:
        hint = (_("Nothing on the agenda yet: build it from what is off track, slipping, "
                  "flagged and due, or add a topic.") if editable else
                _("Nothing on the agenda."))
        return html.Div(hint, className="text-muted small agenda-empty")
    items = []
    last = len(rows) - 1
    for n, row in enumerate(rows):
        title: Any = (html.A(row.title, href=goal_href(row.goal_code)) if row.goal_code
                      else row.title)
        body = html.Div([
            html.Div([kind_badge(row.kind),
                      status_badge(row.status) if row.status else None,
                      html.Span(title, className="agenda-title"),
                      html.Span(row.goal_code, className="goal-code small")
                      if row.goal_code else None],
                     className="d-flex align-items-baseline gap-2 flex-wrap"),
            html.Div(row.reason, className="agenda-reason small text-muted") if row.reason
            else None,
        ], className="flex-grow-1 min-width-0")
        controls = html.Div([
            _icon_button("↑", AGENDA_UP, row.item_id,
                         _("Move “{title}” up").format(title=row.title), n == 0),
            _icon_button("↓", AGENDA_DOWN, row.item_id,
                         _("Move “{title}” down").format(title=row.title), n == last),
            _icon_button("✕", AGENDA_REMOVE, row.item_id,
                         _("Remove “{title}”").format(title=row.title), False),
        ], className="agenda-controls d-flex gap-1 d-print-none") if editable else None
        items.append(html.Li(html.Div([html.Span(f"{n + 1}.", className="agenda-number"),
                                       body, controls],
                                      className="d-flex gap-2 align-items-start"),
                             className="agenda-item"))
    return html.Ol(items, className="agenda-list list-unstyled mb-0")


def _icon_button(text: str, kind: str, item_id: int, label: str, disabled: bool) -> html.Button:
    return html.Button(text, id={"type": kind, "index": item_id}, title=label,
                       **{"aria-label": label}, disabled=disabled,
                       className="btn btn-sm btn-outline-secondary agenda-button")


def decisions_list(decisions: pd.DataFrame) -> html.Div | html.Ul:
    """Decisions (text, recorded_by, item) in the order they were taken."""
    if decisions.empty:
        return html.Div(_("No decision recorded."), className="text-muted small")
    return html.Ul([html.Li([html.Span(d.text),
                             html.Span(f" · {d.item}" if d.item else "",
                                       className="small text-muted")],
                            className="decision") for d in decisions.itertuples()],
                   className="decisions mb-0")


def commitments_made(commitments: pd.DataFrame, *, as_of: date) -> html.Div | dbc.Table:
    """Commitments made in this meeting (description, owner, goal_code, due_on, state; with
    commitment_id, a link to its follow-up; with item, the agenda item it was made on)."""
    if commitments.empty:
        return html.Div(_("No commitment made yet."), className="text-muted small")
    rows = []
    for c in commitments.itertuples():
        late = c.state == "open" and c.due_on < as_of
        state = "overdue" if late else c.state
        item = getattr(c, "item", "")
        ident = getattr(c, "commitment_id", None)
        rows.append(html.Tr([
            html.Td([html.Div(commitment_link(c.description, ident)),
                     html.Div(_("On: {item}").format(item=item),
                              className="small text-muted commitment-item") if item else None,
                     html.Div([c.owner, " · ", html.A(c.goal_code, href=goal_href(c.goal_code),
                                                      className="goal-code")]
                              if isinstance(c.goal_code, str) else c.owner,
                              className="small text-muted")]),
            html.Td(format_date(c.due_on), className="text-nowrap small"),
            html.Td(html.Span(_(COMMITMENT_SHOWN[state]) if state in COMMITMENT_SHOWN else state,
                              className="overdue" if late else
                              "closed-state"), className="small"),
        ], className="commitment-made"))
    head = html.Thead(html.Tr([html.Th(_("Commitment and owner")), html.Th(_("Due")),
                               html.Th(_("State"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="review-table mb-0")


def attendance_options(invited: Sequence[str], attendees: Sequence[str]) -> list[dict[str, str]]:
    """Checklist options: the invited, then anyone else who came, each once."""
    names = list(dict.fromkeys([*invited, *attendees]))
    return [{"label": name, "value": name} for name in names]


def attendance_text(invited: Sequence[str], attendees: Sequence[str]) -> html.Div:
    """Attendance, read-only: who came, and who was invited but did not."""
    absent = [n for n in invited if n not in attendees]
    return html.Div([
        html.Div([html.Span(_("Present:") + " ", className="fw-semibold"),
                  ", ".join(attendees) or _("not recorded")], className="small"),
        html.Div([html.Span(_("Invited, absent:") + " ", className="fw-semibold"),
                  ", ".join(absent)],
                 className="small text-muted") if absent and attendees else None,
    ])


def documents_links(meeting_id: int) -> html.Div:
    """The briefing memo (before) and the follow-up (after), each as PDF and Excel."""
    base = meeting_href(meeting_id)

    def pair(label: str, stem: str) -> html.Div:
        return html.Div([
            html.Span(label, className="me-2"),
            html.A("PDF", href=f"{base}/{stem}.pdf", className="btn btn-sm btn-outline-primary "
                   "me-1", target="_blank", rel="noopener"),
            html.A("Excel", href=f"{base}/{stem}.xlsx", className="btn btn-sm btn-outline-"
                   "primary"),
        ], className="d-flex align-items-center")
    return html.Div([pair(_("Briefing memo"), "briefing"), pair(_("Follow-up"), "followup")],
                    className="d-flex flex-wrap gap-4 meeting-documents")
