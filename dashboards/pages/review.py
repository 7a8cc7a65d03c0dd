"""Weekly review: the governor's screen. Every pillar at a glance, the objective in focus this
week, the goals most off track, the commitments due since the last meeting and what changed."""

from __future__ import annotations

import dash
from dash import html

from dashboards.components.plans import milestones_ahead_table
from dashboards.components.review import (
    attention_table,
    changes_block,
    commitments_table,
    focus_card,
    parse_as_of,
    pillar_glance,
    section,
    uncommitted_table,
)
from dashboards.context import read_session
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.meetings import goals_without_commitment
from delivery.plans.board import milestones_ahead
from delivery.review import weekly_review
from delivery.status import format_date

# access: the whole-government roles (admin, analyst, governor): the review is theirs
dash.register_page(__name__, path="/review", title="Weekly review · Delivery Tracker",
                   name=N_("Weekly review"), nav_order=1)


def layout(as_of: str | None = None, **_query: str) -> html.Div:
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        review = weekly_review(session, day)
        uncommitted = goals_without_commitment(session, review.statuses, day)
        ahead = milestones_ahead(session, day)
    meeting = review.last_meeting
    closed = (_("Open commitments due by next week, and those closed since the last meeting "
                "({meeting}, {date}).").format(meeting=meeting.title,
                                                date=format_date(meeting.held_on))
              if meeting else _("Open commitments due by next week, and those closed."))
    n = len(review.statuses)
    header = html.Div([
        html.H1(_("Weekly review"), className="h3 mb-0"),
        html.Div(_n("Week of {date} · {n} goal · status, trajectories and commitments as known "
                    "that day",
                    "Week of {date} · {n} goals · status, trajectories and commitments as known "
                    "that day", n).format(date=format_date(day), n=formats.number(n, decimals=0)),
                 className="text-muted"),
    ], className="mb-3")
    return html.Div([
        header,
        section(_("Pillars at a glance"), pillar_glance(review.statuses, review.progress),
                note=_("Goals by status; the line is the mean progress of each pillar's goals "
                       "toward their targets ({zero} at the baseline, {full} at the target) "
                       "against the share their trajectories planned (dashed), over twelve "
                       "months.").format(zero=formats.percent(0), full=formats.percent(1))),
        html.Div([
            html.Div(section(_("Objective in focus this week"), focus_card(review)),
                     className="review-col"),
            html.Div(section(_("Most off track"), attention_table(review.worst),
                             note=_("Off track before slipping, then by the share of the "
                                    "planned change not achieved.")), className="review-col"),
        ], className="review-two"),
        html.Div([
            html.Div(section(_("Commitments due or overdue"),
                             commitments_table(review.commitments), note=closed),
                     className="review-col"),
            html.Div(section(_("Off track with no open commitment"),
                             uncommitted_table(uncommitted),
                             note=_("Goals off track that no open commitment covers: nobody has "
                                    "promised anything on them yet.")), className="review-col"),
        ], className="review-two"),
        section(_("Milestones late or due in the next 14 days"), milestones_ahead_table(ahead),
                note=_n("{n} milestone of the delivery plans", "{n} milestones of the delivery "
                        "plans", len(ahead)).format(n=len(ahead))),
        section(_("What changed since last week"), changes_block(review),
                note=_("Statuses now against a week ago; figures recorded in the week.")),
    ], className="review-page")
