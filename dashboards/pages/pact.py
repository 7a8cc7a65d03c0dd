"""Pacts: ``/pacts`` lists the pacts a person may see, ``/pact/<code>`` shows one: its goals and
negotiated targets, member secretariats, budget execution, its review meetings and routine
health, its likelihood of delivery, and commitments.

Access: every signed-in role. A secretariat sees only the pacts it is a member of
(``delivery.access.pact_scope``); a pact it may not see is answered like one that does not exist.
The pact's likelihood judgements show to those ``can_see_pact_likelihood`` allows.
"""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboards.auth import SIGNED_IN
from dashboards.components.likelihood import rating_chip
from dashboards.components.meetings import MEETING_KEYS, meetings_table
from dashboards.components.overview import status_tiles
from dashboards.components.pact import (
    COMMITMENT_KEYS,
    GOAL_KEYS,
    Member,
    budget_summary,
    commitments_table,
    members_list,
    pact_card,
    pact_facts,
    pact_goals_table,
    section,
    target_findings,
    with_shown,
)
from dashboards.components.pact_routine import (
    LAST_MEETINGS,
    next_meeting,
    pact_likelihood,
    review_meetings,
)
from dashboards.components.plans import initiative_list
from dashboards.components.sortable import SortableTable, register_table, sortable
from dashboards.context import current_viewer, read_session
from dashboards.i18n import page_title
from delivery.access import (
    Viewer,
    can_see_pact_likelihood,
    goal_filter,
    pact_scope,
)
from delivery.assessment import goal_statuses
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.likelihood import disagreement, latest_assessments
from delivery.meeting_queries import commitments_frame, meeting_frame, next_meeting_due, split
from delivery.models import Pact
from delivery.plans.access import visible_initiative_ids
from delivery.plans.board import initiatives_of
from delivery.plausibility.rules import rules_for
from delivery.routine_health import routine_health
from delivery.status import format_date
from pacts.targets import impossible_terms, looser_terms
from strategy_maps.reports import spending_report

dash.register_page(__name__, path="/pacts", title=page_title(N_("Pacts")), name=N_("Pacts"),
                   access=SIGNED_IN, nav_order=3)


def visible_pacts(session: Session, viewer: Viewer) -> list[Pact]:
    return list(session.scalars(select(Pact).where(pact_scope(viewer)).order_by(Pact.code)))


def members_of(session: Session, pact: Pact) -> list[Member]:
    rows = sorted(((m.secretariat.code, m.secretariat.name, m.is_lead) for m in pact.members),
                  key=lambda r: (not r[2], r[0]))
    return [Member(*r) for r in rows]


def pact_goals(session: Session, pact: Pact, viewer: Viewer, as_of: date) -> pd.DataFrame:
    """The pact's goals the viewer sees, with status and negotiated targets."""
    ids = {pg.goal_id for pg in pact.goals}
    allowed = goal_filter(session, viewer)
    frame = goal_statuses(session, as_of, with_reasons=False,
                          goal_ids=ids if allowed is None else ids & allowed)
    terms = pd.DataFrame([(pg.goal_id, pg.negotiated_target_value, pg.negotiated_target_date)
                          for pg in pact.goals],
                         columns=["goal_id", "negotiated_target_value", "negotiated_target_date"])
    frame = frame.merge(terms, on="goal_id", how="left")
    frame["looser"] = ["; ".join(looser_terms(
        g.direction, _num(g.target_value), g.target_date, _num(g.negotiated_target_value),
        _day(g.negotiated_target_date), own_low=_num(g.target_low), own_high=_num(g.target_high)))
        for g in frame.itertuples()]
    rules = rules_for(session, frame["goal_id"].tolist())
    frame["impossible"] = ["; ".join(impossible_terms(rules[g.goal_id],
                                                      _num(g.negotiated_target_value)))
                           for g in frame.itertuples()]
    return frame


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else value  # type: ignore[return-value]


def pact_commitments(session: Session, pact: Pact, viewer: Viewer) -> pd.DataFrame:
    return commitments_frame(session, viewer, pact_id=pact.id,
                             goal_ids=[pg.goal_id for pg in pact.goals])


def routine_card(session: Session, pact: Pact, viewer: Viewer, as_of: date) -> dbc.Card:
    """The pact's review meetings: routine health, the next meeting and the last ones."""
    upcoming, past = split(meeting_frame(session, viewer, pact.id), as_of)
    health = routine_health(session, as_of)
    row = next(health[health["code"] == pact.code].itertuples(), None)
    due = None if len(upcoming) else next_meeting_due(session, pact.id, as_of)
    last = sortable(LAST, past.head(LAST_MEETINGS), {"pact": pact.code})
    return section(_("Review meetings"), review_meetings(upcoming, past, row, due, last),
                   _("the pact's own meetings · health as of {date}").format(
                       date=format_date(as_of)))


def likelihood_card(session: Session, pact: Pact, as_of: date) -> dbc.Card:
    """Each rater's latest judgement of the pact itself, side by side."""
    latest = latest_assessments(session, as_of)
    mine = latest[(latest["subject"] == "pact") & (latest["subject_id"] == pact.id)]
    spread = disagreement(mine)
    raters, steps = ((int(spread["raters"].iloc[0]), int(spread["spread"].iloc[0]))
                     if len(spread) else (0, 0))
    return section(_("Likelihood of delivery"), pact_likelihood(mine, raters, steps),
                   _("each rater's latest judgement, never averaged"))


def latest_judgement(latest: pd.DataFrame, pact_id: int) -> object | None:
    """The pact's most recent likelihood judgement (a chip: rater, rating, date), or a note
    that nobody rated it."""
    mine = latest[(latest["subject"] == "pact") & (latest["subject_id"] == pact_id)]
    if mine.empty:
        return html.Span(_("not rated yet"), className="text-muted")
    last = mine.sort_values("assessed_on", kind="stable").iloc[-1]
    return html.Span([rating_chip(last["rating"], rater=last["rater"]), " ",
                      format_date(last["assessed_on"])])


def layout(**_query: str) -> html.Div:
    viewer = current_viewer()
    with read_session() as session:
        day = review_date(session)
        spending = spending_report(session, day)
        health = routine_health(session, day)
        latest = latest_assessments(session, day)
        meetings = meeting_frame(session, viewer)
        cards = []
        for pact in visible_pacts(session, viewer):
            goals = pact_goals(session, pact, viewer, day)
            upcoming, _past = split(meetings[meetings["pact_id"] == pact.id], day)
            due = None if len(upcoming) else next_meeting_due(session, pact.id, day)
            row = next(health[health["code"] == pact.code].itertuples(), None)
            funded = (spending[spending["goal_id"].isin(goals["goal_id"])]
                      if not spending.empty else spending)
            rated = (latest_judgement(latest, pact.id)
                     if can_see_pact_likelihood(session, viewer, pact.id) else None)
            facts = pact_facts(funded, row, next_meeting(upcoming, due), rated)
            cards.append(dbc.Col(pact_card(pact.code, pact.name, members_of(session, pact),
                                           goals["status"].value_counts().to_dict(), [facts]),
                                 md=6, xl=4))
    body = (dbc.Row(cards, className="g-3") if cards else
            dbc.Alert(_("You are not a member of any pact."), color="secondary"))
    return html.Div([
        html.H1(_("Performance pacts"), className="h3 mb-0"),
        html.Div(_("Status as of {date}").format(date=format_date(day)) + " · " +
                 _n("{n} pact", "{n} pacts", len(cards)).format(n=len(cards)),
                 className="text-muted mb-4"),
        body,
    ])


def pact_layout(code: str | None = None, **_query: str) -> html.Div:
    viewer = current_viewer()
    with read_session() as session:
        day = review_date(session)
        pact = session.scalar(select(Pact).where(Pact.code == code, pact_scope(viewer)))
        if pact is None:
            return html.Div([html.H1(_("Pact not found"), className="h3"),
                             html.P(_("There is no pact with code {code}.").format(code=code),
                                    className="pact-missing"),
                             html.A(_("All pacts"), href="/pacts")])
        goals = pact_goals(session, pact, viewer, day)
        members = members_of(session, pact)
        commitments = pact_commitments(session, pact, viewer)
        spending = spending_report(session, day)
        routine = routine_card(session, pact, viewer, day)
        likelihood = (likelihood_card(session, pact, day)
                      if can_see_pact_likelihood(session, viewer, pact.id) else None)
        initiatives = initiatives_of(session, day, pact_id=pact.id,
                                     visible=visible_initiative_ids(session, viewer))
    year = int(spending["fiscal_year"].iloc[0]) if not spending.empty else None
    mine = spending[spending["goal_id"].isin(goals["goal_id"])] if year else spending
    looser = int((goals["looser"] != "").sum())
    span = (_("{start} to {end}").format(start=format_date(pact.starts_on),
                                         end=format_date(pact.ends_on))
            if pact.starts_on and pact.ends_on else
            format_date(pact.starts_on or pact.ends_on) if pact.starts_on or pact.ends_on else "")
    header = html.Div([
        html.A("← " + _("All pacts"), href="/pacts", className="small d-print-none"),
        html.H1(pact.name, className="h3 mb-0"),
        html.Div(" · ".join(filter(None, [pact.code, span, _("status as of {date}").format(
            date=format_date(day))])),
                 className="text-muted"),
        html.P(pact.description, className="mt-2 mb-0", style={"maxWidth": "70rem"})
        if pact.description else None,
    ], className="mb-4")
    goals_note = _n("{n} goal", "{n} goals", len(goals)).format(n=len(goals)) + (
        " · " + _n("{n} negotiated looser than the goal's own",
                   "{n} negotiated looser than the goals' own", looser).format(n=looser)
        if looser else "")
    side = [section(_("Member secretariats"), members_list(members)),
            section(_("Budget execution"), budget_summary(mine, year),
                    _("the goals' shares of their accounts")),
            likelihood]
    return html.Div([
        header,
        status_tiles(goals),
        target_findings(goals),
        dbc.Row([dbc.Col(part, lg=6, xl=4) for part in side if part is not None],
                 className="g-3 pact-summary"),
        section(_("Goals and negotiated targets"),
                sortable(GOALS, goals, {"pact": pact.code}), goals_note),
        section(_("Initiatives"), initiative_list(initiatives),
                _n("{n} initiative", "{n} initiatives", len(initiatives)).format(
                    n=len(initiatives))) if len(initiatives) else None,
        dbc.Row([dbc.Col(routine, xl=6),
                 dbc.Col(section(_("Commitments"), sortable(
                     COMMITMENTS, with_shown(commitments, day), {"pact": pact.code}),
                                 _n("{n} made in this pact's meetings or on its goals",
                                    "{n} made in this pact's meetings or on its goals",
                                    len(commitments)).format(
                                     n=formats.number(len(commitments), decimals=0))), xl=6)]),
    ], className="pact-page")


# -- the tables whose headers sort them (dashboards.components.sortable) ---------------------


def _pact(session: Session, viewer: Viewer, context: object) -> Pact | None:
    """The pact a header's click names, if the viewer may see it (as the page checks)."""
    code = context.get("pact") if isinstance(context, dict) else None
    if not isinstance(code, str) or len(code) > 100:
        return None
    return session.scalar(select(Pact).where(Pact.code == code, pact_scope(viewer)))


def _goals(session: Session, viewer: Viewer, context: object) -> pd.DataFrame:
    pact = _pact(session, viewer, context)
    return pd.DataFrame() if pact is None else pact_goals(session, pact, viewer,
                                                          review_date(session))


def _commitments(session: Session, viewer: Viewer, context: object) -> pd.DataFrame:
    pact = _pact(session, viewer, context)
    return pd.DataFrame() if pact is None else with_shown(
        pact_commitments(session, pact, viewer), review_date(session))


def _last_meetings(session: Session, viewer: Viewer, context: object) -> pd.DataFrame:
    pact = _pact(session, viewer, context)
    if pact is None:
        return pd.DataFrame()
    return split(meeting_frame(session, viewer, pact.id), review_date(session))[1].head(
        LAST_MEETINGS)


GOALS = register_table(SortableTable(
    "pact-goals", GOAL_KEYS, {"col": "status", "asc": True},  # worst status first
    lambda frame, sort: pact_goals_table(frame, sort=sort, table="pact-goals"), _goals))
COMMITMENTS = register_table(SortableTable(
    "pact-commitments", COMMITMENT_KEYS, {"col": "state", "asc": True},  # overdue first
    lambda frame, sort: commitments_table(frame, None, sort=sort, table="pact-commitments"),
    _commitments))
LAST = register_table(SortableTable(
    "pact-meetings", MEETING_KEYS, {"col": "date", "asc": False},  # latest first
    lambda frame, sort: meetings_table(frame, empty=_("No meeting yet."), scope=False,
                                       sort=sort, table="pact-meetings"), _last_meetings))


dash.register_page(f"{__name__}.detail", path_template="/pact/<code>",
                   title=page_title(N_("Pact")), name=N_("Pact"), access=SIGNED_IN,
                   layout=pact_layout)
