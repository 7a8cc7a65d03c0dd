"""The pieces of ``/inbox``, built from ``delivery.inbox`` items (no app needed to test them)."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from delivery.i18n import _, _n, formats
from delivery.inbox import InboxItem
from delivery.inbox.text import kind_name, title, when

KIND_ICONS = {"figure": "▦", "commitment": "✓", "proposal": "⇄", "flags": "⚑", "milestone": "◆",
              "risk": "⚠"}


def item_row(item: InboxItem) -> html.Li:
    """One line: what it is (in words and a sign, not colour alone), when, a link to do it."""
    late = item.is_overdue
    badge = html.Span([html.Span(KIND_ICONS.get(item.kind, "•"), **{"aria-hidden": "true"}),
                       " ", kind_name(item)], className="badge text-bg-light border me-2")
    # the words say "overdue" (not the colour alone)
    tone = "text-danger fw-semibold" if late else "text-muted"
    due = html.Span(when(item), className=f"small {tone}")
    code = html.Span(item.goal_code, className="small text-muted ms-2") if item.goal_code \
        else None
    body = [html.Div([badge, code], className="d-flex align-items-center flex-wrap"),
            html.Div(title(item), className="fw-semibold inbox-title"), due]
    inner = (html.A(body, href=item.href, className="text-reset text-decoration-none d-block")
             if item.href else html.Div(body))
    return html.Li(inner, className=f"list-group-item list-group-item-action inbox-item"
                                    f"{' inbox-overdue' if late else ''}",
                   **{"data-kind": item.kind, "data-thing": item.thing})


def summary_line(items: Sequence[InboxItem]) -> str:
    """``5 things waiting · 2 overdue``; ``Nothing waiting`` (a message of its own: in
    Portuguese the plural's "one" form also covers 0, "0 item aguardando")."""
    overdue = sum(i.is_overdue for i in items)
    if not items:
        return _("Nothing waiting")
    parts = [_n("{n} thing waiting", "{n} things waiting", len(items)).format(
        n=formats.number(len(items), decimals=0))]
    if overdue:
        parts.append(_n("{n} overdue", "{n} overdue", overdue).format(
            n=formats.number(overdue, decimals=0)))
    return " · ".join(parts)


def inbox_list(items: Sequence[InboxItem]) -> html.Div:
    """The items by date, most overdue first; a plain sentence when nothing waits."""
    if not items:
        return html.Div(_("Nothing is waiting for you. Done things leave this list."),
                        className="alert alert-success", id="inbox-empty")
    return html.Div(html.Ul([item_row(i) for i in items], className="list-group"),
                    id="inbox-list")


def mail_note(email: str | None, digest: str, has_server: bool) -> dbc.Alert | html.P:
    """Where this person's reminders go (or why they do not), with the account page's link."""
    link = html.A(_("Change on your account page"), href="/account")
    if not email or digest == "none":
        text = _("Reminders show here only: you have no e-mail reminders.")
    elif not has_server:
        text = _("Reminders show here only: no mail server is set up yet.")
    elif digest == "weekly":
        text = _("Reminders also come by e-mail to {email}, on Mondays.").format(email=email)
    else:
        text = _("Reminders also come by e-mail to {email}, every day.").format(email=email)
    return html.P([text, " ", link], className="small text-muted mt-3", id="inbox-mail")
