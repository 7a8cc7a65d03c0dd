"""The demo's review routine: the meeting series, the meetings they scheduled up to the review
date (held, cancelled, or the governor's meeting of the review date still to come) with their
agendas, attendance, decisions and commitments, and the unit's likelihood-of-delivery judgements
in three rounds by three raters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.assessment import goal_statuses
from delivery.demo.spec import reporter, template
from delivery.demo.strategy import Registry, stamp
from delivery.meetings import build_agenda, schedule_meetings
from delivery.models import (
    AgendaItem,
    Commitment,
    Decision,
    LikelihoodAssessment,
    MeetingSeries,
    Pact,
    ReviewMeeting,
)
from delivery.vocabulary import (
    AgendaKind,
    CommitmentState,
    Likelihood,
    MeetingKind,
    MeetingState,
)

ACTOR = "demo"  # the audit trail's actor for everything the demo writes
CLERK = "ana"  # the analyst who keeps the minutes


def add_reviews(session: Session, gov: dict[str, Any], registry: Registry,
                pacts: dict[str, Pact]) -> list[ReviewMeeting]:
    """Every meeting up to the review date, by date."""
    series = _add_series(session, gov, pacts)
    specs = {(s["series"], s["held_on"]): s for s in gov["reviews"]}
    for spec in specs.values():
        if "title" in spec:  # put on another objective than the rotation's, or moved
            session.add(_placed_meeting(spec, series[spec["series"]], registry, pacts))
    session.flush()
    schedule_meetings(session, gov["review_date"])
    meetings = list(session.scalars(select(ReviewMeeting).order_by(ReviewMeeting.held_on,
                                                                   ReviewMeeting.id)))
    key = {s.id: k for k, s in series.items()}
    cuts: dict[date, pd.DataFrame] = {}
    for meeting in meetings:
        series_key = key[meeting.series_id] if meeting.series_id else ""
        spec = specs.get((series_key, meeting.held_on), {})
        # Each Friday the unit builds the next week's agendas from what it knows that day.
        cut = _friday_before(meeting.held_on)
        if cut not in cuts:
            cuts[cut] = goal_statuses(session, cut)
        _minutes(session, meeting, spec, registry, gov, cut, cuts[cut])
    return meetings


def _friday_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 4) % 7 or 7)


def _add_series(session: Session, gov: dict[str, Any],
                pacts: dict[str, Pact]) -> dict[str, MeetingSeries]:
    series = {
        spec["key"]: MeetingSeries(
            title=spec["title"], kind=MeetingKind(spec["kind"]),
            pact_id=pacts[spec["pact"]].id if "pact" in spec else None,
            weekday=spec["weekday"], every_weeks=spec["every_weeks"],
            starts_on=spec["starts_on"], invited=list(spec["invited"]))
        for spec in gov["meeting_series"]}
    session.add_all(series.values())
    session.flush()
    return series


def _placed_meeting(spec: dict[str, Any], series: MeetingSeries, registry: Registry,
                    pacts: dict[str, Pact]) -> ReviewMeeting:
    return ReviewMeeting(
        series_id=series.id, held_on=spec["held_on"], title=spec["title"],
        objective_id=registry.objectives[spec["objective"]].id if "objective" in spec else None,
        pact_id=pacts[spec["pact"]].id if "pact" in spec else None,
        invited=list(spec.get("attendees", series.invited)), state=MeetingState.SCHEDULED)


def _minutes(session: Session, meeting: ReviewMeeting, spec: dict[str, Any],
             registry: Registry, gov: dict[str, Any], built_on: date,
             statuses: pd.DataFrame) -> None:
    """What happened at (or before) the meeting, in the order it happened."""
    review_date = gov["review_date"]
    state = spec.get("state", "held" if meeting.held_on < review_date else "scheduled")
    if state == "cancelled":
        meeting.state, meeting.cancelled_reason = MeetingState.CANCELLED, spec["reason"]
        return
    for position, title in enumerate(spec.get("agenda", [])):
        meeting.agenda_items.append(AgendaItem(
            position=position, kind=AgendaKind.TOPIC, title=title, added_by=CLERK,
            added_at=stamp(meeting.held_on - timedelta(days=3), 10)))
    session.flush()
    for item in build_agenda(session, meeting, built_on, by=ACTOR, statuses=statuses):
        if item.added_by != CLERK:
            item.added_at = stamp(built_on, 17)
    session.info["actor"] = ACTOR
    if state == "scheduled":
        return
    absent = set(spec.get("absent", []))
    meeting.state = MeetingState.HELD
    meeting.attendees = [p for p in spec.get("attendees", meeting.invited) if p not in absent]
    meeting.notes = spec.get("notes", "")
    meeting.decisions = [Decision(text=" ".join(text.split()), recorded_by=CLERK,
                                  recorded_at=stamp(meeting.held_on, 11))
                         for text in spec.get("decisions", [])]
    meeting.commitments = [_commitment(c, registry) for c in spec.get("commitments", [])]
    if not spec.get("minutes_open"):
        meeting.closed_at, meeting.closed_by = stamp(_next_working_day(meeting.held_on), 16), CLERK


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _commitment(spec: dict[str, Any], registry: Registry) -> Commitment:
    closed_on = spec.get("closed_on")
    state = CommitmentState(spec.get("state", "done" if closed_on else "open"))
    return Commitment(
        goal_id=registry.goals[spec["goal"]].id, description=spec["description"],
        owner=spec["owner"], owner_secretariat_id=registry.secretariats[spec["secretariat"]].id,
        due_on=spec["due_on"], state=state, closed_on=closed_on,
        closed_by=reporter(spec["secretariat"]) if closed_on else None,
        closing_note=" ".join(spec.get("note", "").split()),
    )


def add_likelihood(session: Session, gov: dict[str, Any], registry: Registry,
                   pacts: dict[str, Pact]) -> int:
    raters = {key: template(gov, name) for key, name in gov["likelihood_raters"].items()}
    assessments = [
        LikelihoodAssessment(
            goal_id=registry.goals[spec["goal"]].id if "goal" in spec else None,
            pact_id=pacts[spec["pact"]].id if "pact" in spec else None,
            rater=raters[spec["rater"]], assessed_on=spec["assessed_on"],
            rating=Likelihood(spec["rating"]),
            judgements=dict(spec.get("judgements", {})), reasons=" ".join(spec["reasons"].split()),
            recorded_at=stamp(spec["assessed_on"], 18),
        )
        for spec in gov["likelihood"]
    ]
    session.add_all(assessments)
    return len(assessments)
