"""The public portal's open data (``/public/data``, no sign-in): every dataset as CSV and JSON,
and the data dictionary (also as CSV and JSON)."""

from __future__ import annotations

import dash
from dash import html

from dashboards.auth import PUBLIC, PUBLIC_PATH
from dashboards.components.public import dictionary_table, download_links
from dashboards.context import read_session
from dashboards.i18n import page_title
from delivery.clock import review_date
from delivery.i18n import N_, _
from delivery.public import DICTIONARY
from delivery.status import format_date

dash.register_page(__name__, path="/public/data", title=page_title(N_("Open data")),
                   name=N_("Open data"), access=PUBLIC)

TITLES = {"goals": N_("Public goals"), "figures": N_("Figures of the public goals"),
          "trajectories": N_("Planned paths of the public goals")}


def layout(**_query: str) -> html.Div:
    with read_session() as session:
        day = review_date(session)
    sections = [html.Section([
        html.Div([html.H2(_(TITLES[name]), className="h5 mb-0 me-3"), download_links(name)],
                 className="d-flex flex-wrap align-items-center gap-2 mb-2"),
        html.Div(dictionary_table(columns), className="table-scroll"),
    ], className="mb-4", id=f"dataset-{name}") for name, columns in DICTIONARY.items()]
    return html.Div([
        html.Nav(html.A(_("Public scorecard"), href=PUBLIC_PATH), className="small crumbs"),
        html.H1(_("Open data"), className="h3"),
        html.P(_("Everything shown on the public scorecard, free to download and reuse: the "
                 "goals with their status as of {date}, their figures and their planned "
                 "paths. Goals are identified by the word in their address.")
               .format(date=format_date(day))),
        html.P([_("Data dictionary") + " ", download_links("dictionary")]),
        *sections,
    ], className="public-data")
