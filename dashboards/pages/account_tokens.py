"""``/account/tokens``: one's personal API tokens (name, made, expires, last used, state),
a form to make one (its secret shown once, here) and a button to revoke each. The buttons
are plain forms posted to ``dashboards.account_tokens``."""

from __future__ import annotations

from datetime import UTC, datetime

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, clientside_callback, dcc, html
from flask import session

from dashboards.account_tokens import ERROR, NEW_SECRET, PAGE
from dashboards.auth import SIGNED_IN
from dashboards.components.account import WIDE_ONLY, moment
from dashboards.context import current_viewer, read_session
from dashboards.i18n import date_picker, page_title
from delivery.api.tokens import list_tokens, state
from delivery.i18n import N_, _
from delivery.models import ApiToken

dash.register_page(__name__, path=PAGE, title=page_title(N_("API tokens")),
                   name=N_("API tokens"), access=SIGNED_IN)

STATES = {"active": N_("active"), "expired": N_("expired"), "revoked": N_("revoked")}


def token_row(token: ApiToken, now: datetime) -> html.Tr:
    status = state(token, now)
    button = html.Form([dcc.Input(type="hidden", name="token", value=str(token.id)),
                        html.Button(_("Revoke"), type="submit",
                                    className="btn btn-sm btn-outline-danger text-nowrap",
                                    **{"aria-label": _("Revoke {name}").format(
                                        name=token.name)})],
                       action=f"{PAGE}/revoke", method="POST", className="m-0") \
        if status == "active" else ""
    return html.Tr([
        html.Td([html.Div(token.name), html.Code(f"{token.prefix}…", className="small")]),
        html.Td(moment(token.created_at), className=f"text-nowrap {WIDE_ONLY}"),
        html.Td(moment(token.expires_at) if token.expires_at else _("never"),
                className=WIDE_ONLY),
        html.Td(moment(token.last_used_at) if token.last_used_at else _("never")),
        html.Td(dbc.Badge(_(STATES[status]), color="success" if status == "active"
                          else "secondary")),
        html.Td(button, className="text-end"),
    ])


def tokens_table(tokens: list[ApiToken], now: datetime) -> html.Div | html.P:
    if not tokens:
        return html.P(_("You have no API tokens."), className="text-muted")
    head = html.Thead(html.Tr([html.Th(_("Name")), html.Th(_("Made (UTC)"), className=WIDE_ONLY),
                               html.Th(_("Expires (UTC)"), className=WIDE_ONLY),
                               html.Th(_("Last used (UTC)")), html.Th(_("State")),
                               html.Th("")]))
    return html.Div(dbc.Table([head, html.Tbody([token_row(t, now) for t in tokens])],
                              size="sm", className="align-middle"),
                    className="table-responsive")


EXPIRES, EXPIRES_POSTED = "token-expires", "token-expires-posted"

# The picker's ISO date into the posted field, in the browser (no round trip).
clientside_callback("day => day || ''", Output(EXPIRES_POSTED, "value"), Input(EXPIRES, "date"))


def create_form() -> html.Form:
    return html.Form([
        html.H2(_("Make a token"), className="h6"),
        html.Div([
            html.Div([html.Label(_("Name"), htmlFor="token-name", className="form-label"),
                      dcc.Input(id="token-name", name="name", type="text", required=True,
                                maxLength=80, className="form-control",
                                placeholder=_("e.g. statistics system"))],
                     className="col-12 col-md-6"),
            html.Div([html.Label(_("Last day it works (optional)"), htmlFor=EXPIRES,
                                 className="form-label d-block"),
                      # the picker writes the day as the reader does; the form posts it as
                      # YYYY-MM-DD in the hidden field the callback below fills
                      date_picker(EXPIRES, placeholder=_("never expires"), clearable=True),
                      html.Div(dcc.Input(id=EXPIRES_POSTED, name="expires",
                                         type="hidden"),  # type: ignore[arg-type]
                               hidden=True)],
                     className="col-12 col-md-3"),
            html.Div(html.Button(_("Make token"), type="submit", className="btn btn-primary"),
                     className="col-12 col-md-3 d-flex align-items-end"),
        ], className="row g-2"),
    ], action=f"{PAGE}/create", method="POST", className="mb-4", id="token-create")


def new_secret_notice(secret: str) -> dbc.Alert:
    return dbc.Alert([
        html.Strong(_("Your new token. Copy it now: it is not shown again.")),
        html.Pre(secret, className="mt-2 mb-0 user-select-all", id="new-token",
                 style={"whiteSpace": "pre-wrap", "wordBreak": "break-all"}),
    ], color="success")


def layout(revoked: str | None = None, **_query: str) -> html.Div:
    viewer, now = current_viewer(), datetime.now(UTC)
    secret, error = session.pop(NEW_SECRET, None), session.pop(ERROR, None)
    with read_session() as db:
        tokens = [t for t, _user in list_tokens(db, viewer.user_id or 0)]
        table = tokens_table(tokens, now)
    notice = (new_secret_notice(secret) if secret else
              dbc.Alert(error, color="warning") if error else
              dbc.Alert(_("Token revoked."), color="info") if revoked else None)
    return html.Div([
        html.H1(_("API tokens"), className="h4"),
        html.P([_("A token lets another system use the REST API as you: it reads and "
                  "changes what you may, no more. Send it as "),
                html.Code("Authorization: Bearer …"), ". ",
                html.A(_("API documentation"), href="/api/v1/docs"), " · ",
                html.A(_("Your sessions"), href="/account/sessions")],
               className="text-muted"),
        notice, create_form(), table,
    ], id="account-tokens", style={"maxWidth": "60rem"})
