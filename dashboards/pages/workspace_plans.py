"""Delivery plans in the workspace (``/workspace/plans``, analysts and admins): record a
milestone's done date, report an initiative's physical progress, rescore a risk, for every
initiative. Forecast moves are on each initiative's page. The forms and their callbacks are
``dashboards.components.plan_updates`` (shared with ``/report``)."""

from __future__ import annotations

import dash
from dash import html

from dashboards.components import plan_updates
from dashboards.components.workspace import screen_header
from dashboards.context import current_viewer, read_session
from dashboards.i18n import page_title
from delivery.clock import review_date
from delivery.i18n import N_, _
from delivery.plans.choices import plan_choices
from delivery.vocabulary import Role

PATH = "/workspace/plans"
PREFIX = "wspl"
dash.register_page(__name__, path=PATH, title=page_title(N_("Delivery plans")),
                   name=N_("Delivery plans"), access=(Role.ADMIN, Role.ANALYST))
plan_updates.register(PREFIX, __name__)


def layout(**_query: str) -> html.Div:
    with read_session() as session:
        choices = plan_choices(session, current_viewer())
        today = review_date(session)
    return html.Div([
        screen_header(N_("Delivery plans"),
                      N_("Done dates, physical progress and risks of every initiative."), PATH),
        html.P([_("To move a forecast date, open the initiative from "),
                html.A(_("the plans"), href="/plans"), "."], className="small"),
        plan_updates.plan_update_forms(PREFIX, choices, today),
    ])
