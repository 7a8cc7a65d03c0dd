"""``/account/sessions``: where one is signed in (device, address, last seen; this browser
marked), with "sign out" per session and "sign out everywhere"; administrators can also end
all of someone's sessions, and choose who heads each secretariat (overdue figures escalate to
the head). The buttons are plain forms posted to ``dashboards.account``."""

from __future__ import annotations

from datetime import UTC, datetime

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards.account import PAGE
from dashboards.auth import ROLE_NAMES, SIGNED_IN
from dashboards.components.account import WIDE_ONLY
from dashboards.context import current_session_id, current_viewer, lifetime, read_session
from dashboards.i18n import page_title
from delivery.i18n import N_, _, formats
from delivery.models import UserSession
from delivery.signin.sessions import device, live_session_counts, live_sessions
from delivery.users import list_users, secretariat_people
from delivery.vocabulary import Role

dash.register_page(__name__, path=PAGE, title=page_title(N_("Your sessions")),
                   name=N_("Your sessions"), access=SIGNED_IN)


def post_button(label: str, action: str, field: str = "", value: int | None = None,
                style: str = "btn-outline-secondary",
                more: dict[str, str] | None = None) -> html.Form:
    hidden = [dcc.Input(type="hidden", name=field, value=str(value))] if field else []
    hidden += [dcc.Input(type="hidden", name=k, value=v) for k, v in (more or {}).items()]
    return html.Form([*hidden, html.Button(label, type="submit",
                                           className=f"btn btn-sm text-nowrap {style}")],
                     action=f"{PAGE}/{action}", method="POST", className="m-0")


def session_row(row: UserSession, this_one: bool) -> html.Tr:
    name = [device(row.user_agent)]
    if this_one:
        name += [" ", dbc.Badge(_("this browser"), color="primary", className="ms-1")]
    return html.Tr([
        html.Td(name), html.Td(row.address or _("unknown"), className="text-nowrap"),
        html.Td(formats.moment(row.created_at), className=f"text-nowrap {WIDE_ONLY}"),
        html.Td(formats.moment(row.last_seen_at)),
        html.Td(post_button(_("Sign out"), "end", "session", row.id), className="text-end"),
    ], className="table-active" if this_one else "")


def sessions_table(rows: list[UserSession], this_id: int | None) -> html.Div:
    head = html.Thead(html.Tr([html.Th(_("Device")), html.Th(_("Address")),
                               html.Th(_("Signed in ({zone})").format(zone=formats.time_zone()),
                                       className=WIDE_ONLY),
                               html.Th(_("Last seen ({zone})").format(zone=formats.time_zone())),
                               html.Th("")]))
    body = html.Tbody([session_row(r, r.id == this_id) for r in rows])
    return html.Div(dbc.Table([head, body], size="sm", hover=True, className="align-middle"),
                    className="table-responsive")


def admin_card(counts: dict[int, int], people: list) -> dbc.Card:  # type: ignore[type-arg]
    rows = [html.Tr([html.Td(u.username), html.Td(_(ROLE_NAMES[u.role])),
                     html.Td(str(counts[u.id]), className="text-end"),
                     html.Td(post_button(_("End all"), "end-user", "user", u.id,
                                         "btn-outline-danger"), className="text-end")])
            for u, _code in people if counts.get(u.id)]
    table = dbc.Table([html.Thead(html.Tr([html.Th(_("User")), html.Th(_("Role")),
                                           html.Th(_("Open sessions"), className="text-end"),
                                           html.Th("")])), html.Tbody(rows)],
                      size="sm", className="align-middle mb-0")
    return dbc.Card(dbc.CardBody([
        html.H2(_("Everyone's open sessions"), className="h6"),
        html.P(_("End all of a person's sessions at once, e.g. after a lost laptop."),
               className="text-muted small"),
        html.Div(table, className="table-responsive") if rows else
        html.P(_("Nobody is signed in."), className="mb-0"),
    ]), className="mt-4", id="account-admin")


def heads_card(people: list) -> dbc.Card:  # type: ignore[type-arg]
    """Who heads each secretariat: figures overdue a week or more are escalated by e-mail to
    the head; one button per person makes them head or not."""
    rows = []
    for user, code in people:
        head = bool(user.is_secretariat_head)
        state = (dbc.Badge(_("Head"), color="primary") if head
                 else html.Span(_("Not head"), className="text-muted small text-nowrap"))
        button = post_button(_("Not head") if head else _("Make head"), "head", "user", user.id,
                             "btn-outline-secondary", {"head": "0" if head else "1"})
        rows.append(html.Tr([
            html.Td([html.Div(user.display_name or user.username),
                     html.Div(f"{code} · {user.username}", className="small text-muted")]),
            html.Td(state), html.Td(button, className="text-end")],
            **{"data-user": user.username, "data-head": "yes" if head else "no"}))
    table = dbc.Table([html.Thead(html.Tr([html.Th(_("Person")), html.Th(_("Head?")),
                                           html.Th("")])), html.Tbody(rows)],
                      size="sm", className="align-middle mb-0")
    return dbc.Card(dbc.CardBody([
        html.H2(_("Heads of secretariats"), className="h6"),
        html.P(_("Figures overdue a week or more are escalated by e-mail to the head of the "
                 "secretariat that reports them (and to the unit's analysts)."),
               className="text-muted small"),
        html.Div(table, className="table-responsive") if rows else
        html.P(_("No secretariat has a user yet."), className="mb-0"),
    ]), className="mt-4", id="account-heads")


def layout(ended: str | None = None, error: str | None = None, head: str | None = None,
           **_query: str) -> html.Div:
    viewer, now = current_viewer(), datetime.now(UTC)
    with read_session() as db:
        rows = live_sessions(db, viewer.user_id or 0, now, lifetime())
        admin = viewer.role == Role.ADMIN
        counts = live_session_counts(db, now, lifetime()) if admin else {}
        people = list_users(db) if admin else []
        this_id = current_session_id()
        table = sessions_table(rows, this_id)
        card = admin_card(counts, people) if admin else None
        heads = heads_card(secretariat_people(db)) if admin else None
    idle, most = lifetime().idle.total_seconds() / 60, lifetime().most.total_seconds() / 3600
    notice = (dbc.Alert(_("Session ended."), color="info") if ended else
              dbc.Alert(_("Not saved: only an active secretariat user can head a "
                          "secretariat."), color="warning") if error == "head" else
              dbc.Alert(_("That was not a session of yours."), color="warning") if error
              else dbc.Alert(_("Saved."), color="success") if head == "saved" else None)
    return html.Div([
        html.H1(_("Your sessions"), className="h4"),
        html.P(_("Where you are signed in. A session ends after {idle} minutes unused or "
                 "{most} hours after signing in.").format(idle=formats.number(idle),
                                                         most=formats.number(most)),
               className="text-muted"),
        html.P(html.A(_("Your API tokens"), href="/account/tokens")),
        notice, table,
        post_button(_("Sign out everywhere"), "end-all", style="btn-danger"),
        card, heads,
    ], id="account-sessions", style={"maxWidth": "60rem"})
