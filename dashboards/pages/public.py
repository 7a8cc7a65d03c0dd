"""The public portal's landing page (no sign-in): the pillars and their public goals, each with
its status, latest figure and its period, target (a range as a range) and trend in plain
words, a link to the goal's own page and to the open data. Goals are named, never coded."""

from __future__ import annotations

import dash
from dash import html

from dashboards.auth import PUBLIC
from dashboards.components.public import DATA_PATH, pillar_sections
from dashboards.components.status import status_counts_line
from dashboards.context import read_session
from dashboards.i18n import page_title
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.public import public_goals
from delivery.status import format_date

dash.register_page(__name__, path="/public", title=page_title(N_("Public scorecard")),
                   name=N_("Public scorecard"), access=PUBLIC)


def layout(**_query: str) -> html.Div:
    # The public sees the goals marked public, whoever is signed in.
    with read_session() as session:
        day = review_date(session)
        frame = public_goals(session, day)
    intro = html.P([
        _n("{n} public goal", "{n} public goals", len(frame)).format(
            n=formats.number(len(frame), decimals=0)),
        " · ", _("status as of {date}").format(date=format_date(day)), " · ",
        html.A(_("Open data"), href=DATA_PATH, id="public-open-data"),
    ], className="text-muted mb-2")
    if frame.empty:
        return html.Div([html.H1(_("Public scorecard"), className="h3"), intro,
                         html.P(_("No goal has been made public yet."))],
                        className="public-portal")
    return html.Div([
        html.H1(_("Public scorecard"), className="h3 mb-1"),
        html.P(_("The government's public promises: for each, where it stands against its "
                 "planned path, and whether it is getting closer."), className="mb-1"),
        intro,
        status_counts_line(frame["status"].value_counts().to_dict()),
        html.Div(pillar_sections(frame), className="mt-3"),
    ], className="public-portal")
