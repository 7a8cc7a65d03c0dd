"""``/account``: one's own reminder settings (the e-mail address they go to, and daily,
weekly or no digest), posted as a plain form to ``dashboards.account``; a link to one's
sessions."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.account import MAIL_PAGE, PAGE
from dashboards.auth import SIGNED_IN
from dashboards.context import current_viewer, read_session
from dashboards.i18n import page_title
from delivery.i18n import N_, _
from delivery.models import User
from delivery.vocabulary import Digest

dash.register_page(__name__, path=MAIL_PAGE, title=page_title(N_("Your account")),
                   name=N_("Your account"), access=SIGNED_IN)

ERRORS = {"email": N_("Not saved: that is not an e-mail address like name@example.org."),
          "digest": N_("Not saved: choose daily, weekly or none.")}


def mail_form(email: str, digest: str) -> html.Form:
    return html.Form([
        html.Label(_("E-mail address for reminders"), htmlFor="account-email",
                   className="form-label"),
        dcc.Input(type="email", name="email", id="account-email", value=email,
                  className="form-control mb-3", maxLength=254, autoComplete="email"),
        html.Label(_("Reminders by e-mail"), htmlFor="account-digest", className="form-label"),
        dbc.Select(id="account-digest", name="digest", value=digest, className="mb-3",
                   options=[{"label": d.label, "value": d.value} for d in Digest]),
        html.Button(_("Save"), type="submit", className="btn btn-primary", id="account-save"),
    ], action=f"{MAIL_PAGE}/mail", method="POST", style={"maxWidth": "32rem"})


def layout(saved: str | None = None, error: str | None = None, **_query: str) -> html.Div:
    viewer = current_viewer()
    with read_session() as session:
        user = session.get(User, viewer.user_id) if viewer.user_id else None
        email, digest = (user.email or "", user.digest) if user else ("", "daily")
    notice = None
    if error in ERRORS:
        notice = dbc.Alert(_(ERRORS[error]), color="warning", id="account-notice")
    elif saved:
        notice = dbc.Alert(_("Saved."), color="success", id="account-notice")
    return html.Div([
        html.H1(_("Your account"), className="h3"),
        notice,
        html.P(_("Reminders of figures due, commitments and proposals come to this address; "
                 "everything also shows on your My work page."), className="text-muted"),
        mail_form(email, digest),
        html.P(html.A(_("Your sessions"), href=PAGE), className="mt-4"),
    ])
