"""The demo's weekly review meetings, the commitments made in them and the unit's judgements
of the likelihood of delivery."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from delivery.demo.strategy import Registry, stamp
from delivery.models import AgendaItem, Commitment, LikelihoodAssessment, Pact, ReviewMeeting
from delivery.vocabulary import AgendaKind, CommitmentState, Likelihood, MeetingState


def add_reviews(session: Session, gov: dict[str, Any], registry: Registry,
                pacts: dict[str, Pact]) -> list[ReviewMeeting]:
    meetings = []
    for spec in gov["reviews"]:
        meeting = ReviewMeeting(
            held_on=spec["held_on"], title=spec["title"],
            attendees=list(spec["attendees"]) if spec.get("held", True) else [],
            notes=spec.get("notes", ""),
            state=MeetingState.HELD if spec.get("held", True) else MeetingState.SCHEDULED,
            invited=list(spec["attendees"]),
            objective_id=registry.objectives[spec["objective"]].id if "objective" in spec
            else None,
            pact_id=pacts[spec["pact"]].id if "pact" in spec else None,
        )
        meeting.agenda_items = [
            AgendaItem(position=position, kind=AgendaKind.TOPIC, title=title,
                       added_by=gov["trajectory"]["proposed_by"])
            for position, title in enumerate(spec["agenda"])]
        meeting.commitments = [_commitment(c, registry) for c in spec.get("commitments", [])]
        meetings.append(meeting)
    session.add_all(meetings)
    return meetings


def _commitment(spec: dict[str, Any], registry: Registry) -> Commitment:
    return Commitment(
        goal_id=registry.goals[spec["goal"]].id, description=spec["description"],
        owner=spec["owner"], owner_secretariat_id=registry.secretariats[spec["secretariat"]].id,
        due_on=spec["due_on"], state=CommitmentState(spec.get("state", "open")),
        closed_on=spec.get("closed_on"),
    )


def add_likelihood(session: Session, gov: dict[str, Any], registry: Registry,
                   pacts: dict[str, Pact]) -> int:
    rater = gov["trajectory"]["proposed_by"]
    assessments = [
        LikelihoodAssessment(
            goal_id=registry.goals[spec["goal"]].id if "goal" in spec else None,
            pact_id=pacts[spec["pact"]].id if "pact" in spec else None,
            rater=rater, assessed_on=spec["assessed_on"], rating=Likelihood(spec["rating"]),
            judgements=dict(spec.get("judgements", {})), reasons=spec["reasons"],
            recorded_at=stamp(spec["assessed_on"], 18),
        )
        for spec in gov["likelihood"]
    ]
    session.add_all(assessments)
    return len(assessments)
