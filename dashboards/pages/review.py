"""Weekly review: the governor's screen. Every pillar at a glance, the objective in focus this
week, the goals most off track, the commitments due since the last meeting and what changed."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import MATCH, Input, Output, callback, ctx, html

from dashboards.components.plans import milestones_ahead_table
from dashboards.components.review import (
    DONE_BUTTON,
    DONE_RESULT,
    attention_table,
    changes_block,
    commitments_table,
    focus_card,
    parse_as_of,
    pillar_glance,
    section,
    uncommitted_table,
)
from dashboards.context import current_viewer, read_session, write_session
from delivery.access import AccessDenied
from delivery.clock import review_date
from delivery.edits import update_commitment
from delivery.i18n import N_, _, _n, formats
from delivery.meeting_queries import commitments_frame
from delivery.plans.board import milestones_ahead
from delivery.review import weekly_review
from delivery.routine_health import goals_without_commitment
from delivery.status import format_date
from delivery.vocabulary import CommitmentState

# access: the whole-government roles (admin, analyst, governor): the review is theirs
dash.register_page(__name__, path="/review", title="Weekly review · Delivery Tracker",
                   name=N_("Weekly review"), nav_order=1)


def layout(as_of: str | None = None, **_query: str) -> html.Div:
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        review = weekly_review(session, day)
        uncommitted = goals_without_commitment(session, review.statuses, day)
        ahead = milestones_ahead(session, day)
        focus_commitments = None
        if review.focus is not None:
            ids = review.statuses.loc[review.statuses["objective_id"] == review.focus.id,
                                      "goal_id"].tolist()
            focus_commitments = overdue_days(commitments_frame(
                session, current_viewer(), goal_ids=ids, open_only=True), day)
    can_close = current_viewer().is_editor  # as delivery.access.can_update_commitment
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
            html.Div(section(_("Objective in focus this week"),
                             focus_card(review, focus_commitments, can_close=can_close)),
                     className="review-col"),
            html.Div(section(_("Most off track"), attention_table(review.worst),
                             note=_("Off track before slipping, then by the share of the "
                                    "planned change not achieved.")), className="review-col"),
        ], className="review-two"),
        html.Div([
            html.Div(section(_("Commitments due or overdue"),
                             commitments_table(review.commitments, can_close=can_close),
                             note=closed),
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


def overdue_days(commitments: pd.DataFrame, day: Any) -> pd.DataFrame:
    """``commitments`` with ``days_overdue`` as the review counts it (open ones only)."""
    late = (pd.Timestamp(day) - pd.to_datetime(commitments["due_on"])).dt.days
    return commitments.assign(days_overdue=late.where(
        commitments["state"] == CommitmentState.OPEN.value))


@callback(Output({"type": DONE_RESULT, "index": MATCH, "in": MATCH}, "children"),
          Input({"type": DONE_BUTTON, "index": MATCH, "in": MATCH}, "n_clicks"),
          prevent_initial_call=True)
def mark_done(clicks: Any) -> Any:
    """Close the commitment as done, stamped on the review date, by the person who clicked;
    the domain checks again that they may (``delivery.edits.update_commitment``)."""
    if not clicks:
        return dash.no_update
    commitment_id = ctx.triggered_id["index"] if isinstance(ctx.triggered_id, dict) else None
    try:
        with write_session() as session:
            update_commitment(session, current_viewer(), commitment_id, CommitmentState.DONE)
    except (AccessDenied, ValueError) as error:
        return html.Span(str(error), className="text-danger small")
    return html.Span("✓ " + _("marked done"), className="text-success small")
