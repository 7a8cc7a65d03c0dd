"""The page for an address that is no page (Dash shows a module named ``not_found_404`` there;
its own is "404 - Page not found", in English whatever the reader's language)."""

from __future__ import annotations

import dash
from dash import html

from dashboards.auth import SIGNED_IN
from dashboards.i18n import page_title
from delivery.i18n import N_, _

dash.register_page(__name__, path="/404", title=page_title(N_("Page not found")),
                   name=N_("Page not found"), access=SIGNED_IN)


def layout(**_query: str) -> html.Div:
    return html.Div([
        html.H1(_("Page not found"), className="h3"),
        html.P(_("There is no page at this address. The goals page lists everything you can "
                 "open.")),
        html.A(_("Go to the goals"), href="/"),
    ])
