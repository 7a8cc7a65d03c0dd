"""``/inbox``: my work, what is waiting for the signed-in person as of the review date (or
``?as_of=``), each line linking to where it is done. The landing page after sign-in for
secretariats and analysts."""

from __future__ import annotations

import dash
from dash import html

from dashboards.auth import SIGNED_IN
from dashboards.components.inbox import inbox_list, mail_note, summary_line
from dashboards.components.review import parse_as_of
from dashboards.context import EXTENSION, current_viewer, read_session
from dashboards.i18n import page_title
from delivery.clock import review_date
from delivery.i18n import N_, _
from delivery.inbox import inbox
from delivery.models import User
from delivery.status import format_date

dash.register_page(__name__, path="/inbox", title=page_title(N_("My work")),
                   name=N_("My work"), access=SIGNED_IN, nav_order=-1)


def layout(as_of: str | None = None, **_query: str) -> html.Div:
    from flask import current_app

    viewer = current_viewer()
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        items = inbox(session, viewer, day)
        user = session.get(User, viewer.user_id) if viewer.user_id else None
        email, digest = (user.email, user.digest) if user else (None, "none")
    settings = current_app.extensions[EXTENSION]["settings"]
    return html.Div([
        html.H1(_("My work"), className="h3 mb-0"),
        html.Div(" · ".join([_("As of {date}").format(date=format_date(day)),
                             summary_line(items)]),
                 className="text-muted mb-3", id="inbox-summary"),
        inbox_list(items),
        mail_note(email, digest, bool(settings.smtp_host)),
    ], className="inbox-page")
