"""Likelihood of delivery: the delivery unit's judgement, kept apart from the computed status.
The league table of pacts and objectives (worst first), each subject's latest ratings side by
side (disagreement shown, never averaged), a form for analysts to record a judgement, and the
track record of past judgements against what the figures did next.

Access: the whole-government roles; analysts and admins record judgements.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from sqlalchemy import select

from dashboards.components.likelihood import (
    factor_fields,
    judgements_table,
    league_table,
    legend_note,
    parse_subject,
    rating_options,
    subject_options,
    track_record_lines,
)
from dashboards.components.review import parse_as_of, section
from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import page_title
from delivery.access import AccessDenied, can_assess_likelihood, require
from delivery.clock import review_date
from delivery.i18n import N_, _, _n
from delivery.likelihood import (
    disagreement,
    latest_assessments,
    record_assessment,
    track_record,
    track_record_summary,
)
from delivery.likelihood import league_table as league_frame
from delivery.models import Goal, Pact
from delivery.status import format_date
from delivery.vocabulary import LIKELIHOOD_FACTORS

dash.register_page(__name__, path="/likelihood", title=page_title(N_("Likelihood of delivery")),
                   name=N_("Likelihood"), nav_order=2.5)

AFTER_DAYS = 56
LEAGUE, JUDGEMENTS, TRACK = "likelihood-league", "likelihood-judgements", "likelihood-track"
SUBJECT, RATING, REASONS, SAVE, RESULT = ("likelihood-subject", "likelihood-rating",
                                          "likelihood-reasons", "likelihood-save",
                                          "likelihood-result")
FACTORS = [f"likelihood-factor-{key}" for key in LIKELIHOOD_FACTORS]
AS_OF = "likelihood-as-of"


def blocks(as_of: Any) -> tuple[Any, Any, Any, str]:
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
        latest = latest_assessments(session, day)
        league = league_frame(session, day)
        record = track_record_summary(track_record(session, day, after_days=AFTER_DAYS))
    spread = disagreement(latest)
    split = int((~spread["agreed"]).sum()) if len(spread) else 0
    raters = latest["rater"].nunique()
    counts = _("{judgements} by {raters} on {subjects} · {split} split").format(
        judgements=_n("{n} latest judgement", "{n} latest judgements", len(latest)).format(
            n=len(latest)),
        raters=_n("{n} rater", "{n} raters", raters).format(n=raters),
        subjects=_n("{n} goal or pact", "{n} goals and pacts", len(spread)).format(
            n=len(spread)), split=split)
    return (league_table(league), judgements_table(spread, latest),
            track_record_lines(record, after_days=AFTER_DAYS), counts)


def assessment_form(day_text: str) -> html.Div:
    with read_session() as session:
        goals = session.execute(select(Goal.id, Goal.code, Goal.name).order_by(Goal.code)).all()
        pacts = session.execute(select(Pact.id, Pact.code, Pact.name).order_by(Pact.code)).all()
    return html.Div([
        html.Div(_("Your judgement, as of {day}").format(day=day_text),
                 className="small text-muted mb-2"),
        dcc.Dropdown(id=SUBJECT, options=subject_options(goals, pacts),
                     placeholder=_("Goal or pact"), className="mb-2"),
        dbc.RadioItems(id=RATING, options=rating_options(), inline=True, className="mb-2"),
        dbc.Row(factor_fields(FACTORS), className="g-2 align-items-end"),
        dbc.Textarea(id=REASONS, rows=3, className="mb-2",
                     placeholder=_("Reasons: what the rating rests on (required)")),
        html.Div([dbc.Button(_("Record judgement"), id=SAVE, color="primary", size="sm"),
                  html.Span(id=RESULT, className="small")],
                 className="d-flex align-items-center gap-2"),
    ], className="likelihood-form")


def layout(as_of: str | None = None, **_query: str) -> html.Div:
    with read_session() as session:
        day = parse_as_of(as_of) or review_date(session)
    league, judgements, track, counts = blocks(day.isoformat())
    form = assessment_form(format_date(day)) if can_assess_likelihood(current_viewer()) else None
    return html.Div([
        dcc.Store(id=AS_OF, data=day.isoformat()),
        html.Div([
            html.H1(_("Likelihood of delivery"), className="h3 mb-0"),
            html.Div([_("The delivery unit's judgement as of {date}").format(
                date=format_date(day)) + " · ",
                      html.Span(counts, id="likelihood-counts")], className="text-muted"),
        ], className="mb-3"),
        legend_note(),
        section(_("League table"), html.Div(league, id=LEAGUE),
                note=_("Pacts and objectives, worst first. Each goal counts once, under the most "
                     "pessimistic of its raters' latest ratings; the counts of computed status "
                     "are there for contrast.")),
        dbc.Row([
            dbc.Col(section(_("Track record"), html.Div(track, id=TRACK),
                            note=_("How the judgements fared: the computed status of each "
                                   "rated goal {n} weeks after the rating.").format(
                                n=AFTER_DAYS // 7)), xl=5),
            dbc.Col(section(_("Record a judgement"), form), xl=7) if form else None,
        ]),
        section(_("Judgements"), html.Div(judgements, id=JUDGEMENTS),
                note=_("Each rater's latest rating side by side; where they differ, the split is "
                     "shown, not averaged away. Widest splits first.")),
    ], className="likelihood-page")


@callback(Output(RESULT, "children"), Output(LEAGUE, "children"),
          Output(JUDGEMENTS, "children"), Output(TRACK, "children"),
          Output("likelihood-counts", "children"), Input(SAVE, "n_clicks"),
          State(SUBJECT, "value"), State(RATING, "value"), State(REASONS, "value"),
          *[State(f, "value") for f in FACTORS], State(AS_OF, "data"),
          prevent_initial_call=True)
def save(_clicks: Any, subject: Any, rating: Any, reasons: Any, *rest: Any) -> tuple[Any, ...]:
    *factors, as_of = rest
    viewer = current_viewer()
    keep = (dash.no_update,) * 4
    try:
        require(can_assess_likelihood(viewer), _("Only analysts record judgements."))
        kind, subject_id = parse_subject(subject)
        if not isinstance(rating, str):
            raise ValueError(_("rating: pick one of the four"))
        judgements = {key: value for key, value in zip(LIKELIHOOD_FACTORS, factors, strict=True)
                      if isinstance(value, str) and value}
        # No date from the page: the server dates it (the review date), whatever day the page
        # shows or a forged request sends; ``as_of`` only says which day to show afterwards.
        with write_session() as session:
            dated = record_assessment(
                session, rater=viewer.username, rating=rating,
                reasons=reasons if isinstance(reasons, str) else "", judgements=judgements,
                by=viewer.username, goal_id=subject_id if kind == "goal" else None,
                pact_id=subject_id if kind == "pact" else None).assessed_on
    except (AccessDenied, ValueError) as error:
        return (html.Span(_("Not saved: {error}").format(error=error), className="text-danger"),
                *keep)
    return (html.Span(_("Recorded, dated {day} (the review date).").format(
                          day=format_date(dated)),
                      className="text-success"), *blocks(as_of))
