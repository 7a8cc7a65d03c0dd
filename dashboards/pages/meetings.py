"""Meetings: the review routine at a glance. Upcoming and past review meetings (the governor's
weekly review rotating through the objectives, and each pact's own), filtered by routine; the
routine's health per pact and for the unit, slips highlighted; for analysts, "schedule through".

Access: every signed-in role; a secretariat sees only its pacts' meetings and their health
(``delivery.access.meeting_scope``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards.auth import SIGNED_IN
from dashboards.components.meetings import (
    HEALTH_KEYS,
    MEETING_KEYS,
    SLIP_HELD_SHARE,
    SLIP_ON_TIME_SHARE,
    health_table,
    meetings_table,
)
from dashboards.components.review import parse_as_of, section
from dashboards.components.sortable import SortableTable, register_table, sortable
from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import date_picker, page_title
from delivery.access import (
    AccessDenied,
    Viewer,
    can_run_meetings,
    require,
    visible_pact_ids,
)
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.meeting_queries import GOVERNOR, meeting_frame, split
from delivery.meetings import schedule_meetings
from delivery.models import Pact
from delivery.routine_health import routine_health
from delivery.status import format_date

PATH = "/meetings"
dash.register_page(__name__, path=PATH, title=page_title(N_("Meetings")), name=N_("Meetings"),
                   access=SIGNED_IN, nav_order=2)

ROUTINE, UPCOMING, PAST, HEALTH = "meetings-routine", "meetings-upcoming", "meetings-past", \
    "meetings-health"
THROUGH, SCHEDULE, SCHEDULED = "meetings-through", "meetings-schedule", "meetings-scheduled"
PAST_ROWS = 20


def routine_options(session: Session, viewer: Viewer) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = [{"label": _("Every routine"), "value": "all"}]
    if viewer.sees_everything:
        options.append({"label": _("Governor's weekly review"), "value": GOVERNOR})
    pacts = session.execute(select(Pact.id, Pact.name).where(Pact.id.in_(
        visible_pact_ids(session, viewer))).order_by(Pact.name)).all()
    return options + [{"label": name, "value": pact_id} for pact_id, name in pacts]


def health_frame(session: Session, viewer: Viewer, as_of: date) -> pd.DataFrame:
    """Routine health (``delivery.routine_health.routine_health``) for the unit and the pacts the
    viewer sees; a secretariat gets its pacts' rows only."""

    health = routine_health(session, as_of)
    if viewer.sees_everything:
        return health
    codes = set(session.scalars(select(Pact.code).where(Pact.id.in_(
        visible_pact_ids(session, viewer)))))
    return health[(health["scope"] != "unit") & health["code"].isin(codes)]


def _meetings(session: Session, viewer: Viewer, routine: Any) -> tuple[pd.DataFrame,
                                                                       pd.DataFrame]:
    """(upcoming, the latest ``PAST_ROWS`` past) of the routine, as the viewer sees them."""
    upcoming, past = split(meeting_frame(session, viewer, routine), review_date(session))
    return upcoming, past.head(PAST_ROWS)


def _routine(context: Any) -> Any:
    return context.get("routine") if isinstance(context, dict) else None


def _health(session: Session, viewer: Viewer, context: Any) -> pd.DataFrame:
    day = parse_as_of(context.get("as_of")) if isinstance(context, dict) else None
    return health_frame(session, viewer, day or review_date(session))


UPCOMING_TABLE = register_table(SortableTable(
    "meetings-upcoming", MEETING_KEYS, {"col": "date", "asc": True},  # soonest first
    lambda frame, sort: meetings_table(frame, empty=_("No meeting scheduled ahead."),
                                       sort=sort, table="meetings-upcoming"),
    lambda session, viewer, context: _meetings(session, viewer, _routine(context))[0]))
PAST_TABLE = register_table(SortableTable(
    "meetings-past", MEETING_KEYS, {"col": "date", "asc": False},  # latest first
    lambda frame, sort: meetings_table(frame, empty=_("No meeting yet."), sort=sort,
                                       table="meetings-past"),
    lambda session, viewer, context: _meetings(session, viewer, _routine(context))[1]))
HEALTH_TABLE = register_table(SortableTable(
    "meetings-health", HEALTH_KEYS, {"col": "on_time", "asc": True},  # slipping most first
    lambda frame, sort: health_table(frame, sort=sort, table="meetings-health"), _health))


def tables(routine: Any) -> tuple[Any, Any, str]:
    viewer = current_viewer()
    with read_session() as session:
        upcoming, past = split(meeting_frame(session, viewer, routine), review_date(session))
    earlier = len(past) - PAST_ROWS
    context = {"routine": routine}
    return (sortable(UPCOMING_TABLE, upcoming, context),
            html.Div([sortable(PAST_TABLE, past.head(PAST_ROWS), context),
                      html.Div(_n("and {n} earlier: pick a routine to narrow the list",
                                  "and {n} earlier: pick a routine to narrow the list",
                                  earlier).format(n=formats.number(earlier, decimals=0)),
                               className="small text-muted mt-1") if earlier > 0 else None]),
            " · ".join([
                _n("{n} upcoming", "{n} upcoming", len(upcoming)).format(
                    n=formats.number(len(upcoming), decimals=0)),
                _n("{n} past", "{n} past", len(past)).format(
                    n=formats.number(len(past), decimals=0))]))


def layout(as_of: str | None = None, **_query: str) -> html.Div:
    viewer = current_viewer()
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        options = routine_options(session, viewer)
        health = health_frame(session, viewer, day)
    upcoming, past, counts = tables("all")
    schedule = html.Div([
        html.Label(_("Schedule every routine's meetings through"), htmlFor=THROUGH,
                   className="small text-muted mb-0"),
        date_picker(THROUGH, date=(day + timedelta(weeks=4)).isoformat()),
        dbc.Button(_("Schedule"), id=SCHEDULE, size="sm", color="primary", outline=True),
        html.Span(id=SCHEDULED, className="small"),
    ], className="d-flex align-items-center gap-2 d-print-none") if can_run_meetings(viewer) \
        else None
    return html.Div([
        html.Div([
            html.H1(_("Review meetings"), className="h3 mb-0"),
            html.Div([_("As of {date}").format(date=format_date(day)) + " · ",
                      html.Span(counts, id="meetings-counts")],
                     className="text-muted"),
        ], className="mb-3"),
        html.Div([
            html.Div([html.Label(_("Routine"), htmlFor=ROUTINE, className="small text-muted mb-0"),
                      dcc.Dropdown(id=ROUTINE, options=options, value="all", clearable=False,
                                   searchable=False, style={"width": "20rem"})],
                     className="d-flex align-items-center gap-2"),
            schedule,
        ], className="d-flex flex-wrap justify-content-between gap-3 mb-3"),
        section(_("Upcoming"), html.Div(upcoming, id=UPCOMING),
                note=_("Scheduled meetings, soonest first. Open one to build its agenda and "
                       "take the minutes.")),
        section(_("Routine health"), html.Div(sortable(HEALTH_TABLE, health,
                                                       {"as_of": day.isoformat()}), id=HEALTH),
                note=_("Meetings dated by {date} and commitments due by then. In red: under "
                       "{held} of meetings held, under {on_time} of commitments closed on time, "
                       "or commitments open past their date.").format(
                    date=format_date(day), held=formats.percent(SLIP_HELD_SHARE),
                    on_time=formats.percent(SLIP_ON_TIME_SHARE))),
        section(_("Past meetings"), html.Div(past, id=PAST), note=_("Latest first.")),
    ], className="meetings-page")


@callback(Output(UPCOMING, "children"), Output(PAST, "children"),
          Output("meetings-counts", "children"), Input(ROUTINE, "value"),
          prevent_initial_call=True)
def filter_routine(routine: Any) -> tuple[Any, Any, str]:
    return tables(routine)


@callback(Output(SCHEDULED, "children"), Output(UPCOMING, "children", allow_duplicate=True),
          Output(PAST, "children", allow_duplicate=True),
          Output("meetings-counts", "children", allow_duplicate=True),
          Output(HEALTH, "children"), Input(SCHEDULE, "n_clicks"), State(THROUGH, "date"),
          State(ROUTINE, "value"),
          prevent_initial_call=True)
def schedule(_clicks: Any, through: Any, routine: Any) -> tuple[Any, ...]:

    keep = (dash.no_update,) * 4
    viewer = current_viewer()
    try:
        require(can_run_meetings(viewer), _("Only analysts schedule meetings."))
        day = parse_as_of(through if isinstance(through, str) else None)
        if day is None:
            raise ValueError(_("through: pick a date"))
        with write_session() as session:
            made = schedule_meetings(session, day)
    except (AccessDenied, ValueError) as error:
        return (html.Span(str(error), className="text-danger"), *keep)
    text = (_n("{n} meeting scheduled through {date}.", "{n} meetings scheduled through {date}.",
               len(made)).format(n=len(made), date=format_date(day)) if made else
            _("Already scheduled through {date}.").format(date=format_date(day)))
    with read_session() as session:
        health = health_table(health_frame(session, viewer, review_date(session)))
    return (html.Span(text, className="text-success"), *tables(routine), health)
