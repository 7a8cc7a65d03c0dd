"""Sign in: a plain HTML form posted to the server's ``/auth/sign-in`` route (no callback: the
password never travels through Dash's callback machinery), and the signed-out notice."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.auth import PUBLIC, PUBLIC_PATH, safe_next
from dashboards.context import current_viewer
from dashboards.i18n import page_title
from delivery.i18n import N_, _, _n

dash.register_page(__name__, path="/signin", title=page_title(N_("Sign in")), name="Sign in",
                   access=PUBLIC)

USERNAME, PASSWORD, NEXT = "signin-username", "signin-password", "signin-next"


def message(error: str | None, seconds: str | None, signed_out: str | None) -> dbc.Alert | None:
    if error == "wait":
        wait = int(seconds) if seconds and seconds.isdigit() else 60
        text = _n("Too many failed attempts: wait {seconds} second before trying again.",
                  "Too many failed attempts: wait {seconds} seconds before trying again.", wait)
        return dbc.Alert(text.format(seconds=wait), color="warning", id="signin-message")
    if error:
        return dbc.Alert(_("The username or password is not right."), color="danger",
                         id="signin-message")
    if signed_out:
        return dbc.Alert(_("You have signed out."), color="info", id="signin-message")
    return None


def form(next_path: str) -> html.Form:
    def field(label: str, control: dcc.Input) -> html.Div:
        return html.Div([html.Label(label, htmlFor=str(getattr(control, "id", "")),
                                    className="form-label"), control], className="mb-3")

    return html.Form([
        field(_("Username"), dcc.Input(id=USERNAME, name="username", type="text", required=True,
                                    autoComplete="username", className="form-control",
                                    debounce=True)),
        field(_("Password"), dcc.Input(id=PASSWORD, name="password", type="password",
                                    required=True, autoComplete="current-password",
                                    className="form-control", debounce=True)),
        dcc.Input(id=NEXT, name="next", type="hidden", value=next_path),
        html.Button(_("Sign in"), type="submit", className="btn btn-primary w-100",
                    id="signin-submit"),
    ], action="/auth/sign-in", method="POST", id="signin-form")


def layout(next: str | None = None, error: str | None = None, seconds: str | None = None,  # noqa: A002
           signed_out: str | None = None, **_query: str) -> html.Div:
    viewer = current_viewer()
    if not viewer.is_anonymous:
        body: list = [html.P(_("You are signed in as {name}.").format(name=viewer.display_name)),
                      html.A(_("Go to your goals"), href="/", className="btn btn-primary")]
    else:
        body = [message(error, seconds, signed_out), form(safe_next(next) if next else "")]
    return dbc.Row(dbc.Col(dbc.Card(dbc.CardBody([
        html.H1(_("Sign in"), className="h4 mb-3"), *[b for b in body if b is not None],
        html.P([_("Not a user?"), " ", html.A(_("See the public scorecard"), href=PUBLIC_PATH)],
               className="text-muted small mt-3 mb-0"),
    ])), md=6, lg=4), justify="center", className="mt-5")
