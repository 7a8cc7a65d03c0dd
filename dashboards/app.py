"""The Dash app factory: importing this module starts nothing."""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, html

from dashboards.account import register_account_routes
from dashboards.account_tokens import register_token_routes
from dashboards.api import register_api
from dashboards.auth import PUBLIC_PATH, init_auth, user_menu
from dashboards.busy import banner, init_busy, on_callback_error
from dashboards.components import sortable
from dashboards.context import EXTENSION, current_viewer
from dashboards.date_locales import PATH as DATE_LOCALES
from dashboards.date_locales import register_date_locales
from dashboards.exports import register_exports
from dashboards.grid_locales import PATH as GRID_LOCALES
from dashboards.grid_locales import register_grid_locales
from dashboards.i18n import init_i18n
from dashboards.opendata import register_open_data
from dashboards.plotly_locales import PATH as PLOTLY_LOCALES
from dashboards.plotly_locales import register_plotly_locales
from delivery.db import open_database
from delivery.i18n import _
from delivery.settings import Settings, load_settings

HERE = Path(__file__).parent


def create_app(settings: Settings | None = None) -> Dash:
    """Build the app for ``settings`` (default: from the environment).

    Refuses a database whose schema is behind (``SchemaOutOfDate`` names the upgrade command).
    """
    settings = settings or load_settings()
    engine, factory = open_database(settings, web=True)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        title="Delivery Tracker",
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        # plotly.js and AG Grid's grid fetched only by a page that draws one (the weekly
        # review draws its sparklines as SVG on the server: it needs neither)
        eager_loading=False,
        on_error=on_callback_error,  # a busy database: a banner, not a broken screen
        # charts', date pickers' and editable grids' month names and marks per language
        external_scripts=[PLOTLY_LOCALES, DATE_LOCALES, GRID_LOCALES],
    )
    app.server.secret_key = settings.resolved_secret_key()
    app.server.extensions[EXTENSION] = {
        "settings": settings, "engine": engine, "session_factory": factory,
    }
    init_i18n(app, settings)  # before the auth guard: its refusals speak the reader's language
    # sign-in, the guard on every route, headers
    init_auth(app, proxies=settings.proxies, max_hours=settings.session_max_hours,
              max_request_mb=settings.max_request_mb)
    register_exports(app.server)
    register_open_data(app.server)
    register_account_routes(app.server)
    register_token_routes(app.server)
    register_api(app.server)
    register_plotly_locales(app.server)
    register_date_locales(app.server)
    register_grid_locales(app.server)
    init_busy(app)
    app.layout = shell  # a function: the navigation bar shows who is signed in
    sortable.register(app)  # the headers that sort the pact pages' and /meetings' tables
    # The phone's menu button opens and closes the navigation (in the browser: no round trip).
    app.clientside_callback("(n, open) => n ? !open : open",
                            Output("navbar-collapse", "is_open"),
                            Input("navbar-toggler", "n_clicks"),
                            State("navbar-collapse", "is_open"))
    return app


def shell() -> html.Div:
    """The frame around every page: a skip link, the navigation bar (folded into a menu button
    below 1200 px) and the page container as the ``<main>`` landmark."""
    brand = html.A(
        [html.Span("Delivery", className="fw-bold"), html.Span(" Tracker")],
        # nobody signed in: the public portal (a citizen's links never lead to sign-in)
        href=PUBLIC_PATH if current_viewer().is_anonymous else "/",
        className="navbar-brand text-white",
    )
    toggler = html.Button(html.Span(className="navbar-toggler-icon"), id="navbar-toggler",
                          className="navbar-toggler", type="button",
                          **{"aria-label": _("Menu"), "aria-controls": "navbar-collapse"})
    nav = dbc.Navbar(
        dbc.Container([brand, toggler,
                       dbc.Collapse(user_menu(), id="navbar-collapse", navbar=True)], fluid=True),
        color="#14213d", dark=True, expand="xl", className="mb-3 d-print-none",
    )
    skip = html.A(_("Skip to content"), href="#main", className="skip-link")
    main = html.Main(dbc.Container([banner(), dash.page_container], fluid=True, className="pb-5"),
                     id="main", tabIndex="-1")
    return html.Div([skip, nav, main])
