"""Home: every pillar, objective and goal with its computed status as of the review date."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboards.auth import SIGNED_IN
from dashboards.components.overview import overview
from dashboards.components.review import parse_as_of
from dashboards.context import current_viewer, read_session
from dashboards.i18n import date_picker_format
from delivery.access import goal_filter
from delivery.assessment import goal_statuses
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.status import format_date

# access: every signed-in role; the goals shown are the viewer's (issue 5 scoping)
dash.register_page(__name__, path="/", title="Goals · Delivery Tracker", name=N_("Goals"),
                   access=SIGNED_IN, nav_order=0)

AS_OF_PICKER = "home-as-of"
LOCATION = "home-location"


def layout(as_of: str | None = None, **_query: str) -> html.Div:
    with read_session() as session:
        default_day = review_date(session)
        day = parse_as_of(as_of) or default_day
        frame = goal_statuses(session, day, goal_ids=goal_filter(session, current_viewer()))
    objectives, pillars = frame["objective"].nunique(), frame["pillar"].nunique()
    header = html.Div([
        html.Div([
            html.H1(_("Priority goals"), className="h3 mb-0"),
            html.Div(" · ".join([
                _("Status as of {date}").format(date=format_date(day)),
                counted(len(frame), _n("{n} goal", "{n} goals", len(frame))),
                counted(objectives, _n("{n} objective", "{n} objectives", objectives)),
                counted(pillars, _n("{n} pillar", "{n} pillars", pillars)),
            ]), className="text-muted"),
        ]),
        html.Div([
            html.Label(_("As of"), htmlFor=AS_OF_PICKER, className="me-2 small text-muted"),
            dcc.DatePickerSingle(id=AS_OF_PICKER, date=day.isoformat(),
                                 display_format=date_picker_format()),
        ], className="d-flex align-items-center d-print-none"),
    ], className="d-flex justify-content-between align-items-end mb-4 flex-wrap gap-2")
    return html.Div([dcc.Location(id=LOCATION, refresh=True), header, *overview(frame)])


def counted(n: int, words: str) -> str:
    """``words`` (a plural form with ``{n}``) with ``n`` in the locale's digits."""
    return words.format(n=formats.number(n, decimals=0))


@callback(Output(LOCATION, "search"), Input(AS_OF_PICKER, "date"), prevent_initial_call=True)
def go_to_date(picked: str | None) -> str:
    return f"?as_of={picked[:10]}" if picked else ""
