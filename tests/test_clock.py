"""One clock for everything saved: while the review date is pinned (the demo), whatever a
screen saves is stamped on that day, so routine health, the weekly review and the pact page
count it on the same day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from delivery.access import Viewer
from delivery.clock import pin_review_date, review_date, stamp_now
from delivery.comments import add_comment
from delivery.edits import report_figure, save_trajectory, update_commitment
from delivery.likelihood import record_assessment
from delivery.meetings import add_topic, close_meeting, record_decision
from delivery.models import Commitment, DataQualityFlag, Figure, ReviewMeeting, User
from delivery.proposals import approve_trajectory
from delivery.review import commitments_due
from delivery.routine_health import open_commitments, routine_health
from delivery.vocabulary import CommitmentState, Shape
from delivery.workspace import resolve_flag_as
from tests.personas import build_government, fast_password_hashing  # noqa: F401

PINNED = date(2023, 2, 10)  # after the Pact for Life commitment fell due (2023-02-01)


@pytest.fixture
def gov(db):
    world = build_government(db)
    pin_review_date(db, PINNED)
    return world


def person(session, gov, persona):
    return Viewer.of(session.get(User, gov.users[persona]))


def test_the_stamp_is_the_pinned_day_at_the_clock_s_time_and_the_clock_s_when_unpinned(db):
    now = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    assert stamp_now(db, now) == now and review_date(db, date(2026, 5, 4)) == date(2026, 5, 4)
    pin_review_date(db, PINNED)
    assert stamp_now(db, now) == datetime(2023, 2, 10, 9, 30, tzinfo=UTC)
    assert review_date(db, date(2026, 5, 4)) == PINNED


def test_a_commitment_closed_on_report_is_closed_on_the_pinned_day_everywhere(db, gov):
    commitment_id = gov.commitments["sds"]
    update_commitment(db, person(db, gov, "secretariat"), commitment_id, "done")  # as /report
    closed = db.get(Commitment, commitment_id)
    assert (closed.state, closed.closed_on, closed.closed_by) == (
        CommitmentState.DONE, PINNED, "sonia")
    day = review_date(db)
    health = routine_health(db, day).set_index("code")  # the routine pages and /pact's card
    assert health.loc["PPV", ["commitments_due", "closed_late", "open_overdue"]].tolist() == [
        1, 1, 0]
    followed = commitments_due(db, day, since=date(2023, 1, 9))  # /review
    row = followed[followed["commitment_id"] == commitment_id].iloc[0]
    assert (row["state"], row["closed_on"]) == ("done", PINNED)
    assert commitment_id not in set(open_commitments(db, day)["commitment_id"])
    before = commitments_due(db, date(2023, 2, 9), since=date(2023, 1, 9))  # the day before
    earlier = before[before["commitment_id"] == commitment_id].iloc[0]
    assert earlier["state"] == "open" and earlier["days_overdue"] == 8


def _comment(db, gov):
    return add_comment(db, person(db, gov, "analyst"), gov.goals["homicides"], "Due.").created_at


def _proposal(db, gov):
    return save_trajectory(db, person(db, gov, "analyst"), gov.goals["homicides"], Shape.LINEAR,
                           [(date(2022, 1, 31), 100.0), (date(2023, 12, 31), 65.0)],
                           rationale="New data", based_on=1).created_at


def _approval(db, gov):
    proposal = save_trajectory(db, person(db, gov, "analyst"), gov.goals["prison"],
                               Shape.LINEAR, [(date(2022, 1, 31), 100.0),
                                              (date(2023, 12, 31), 65.0)],
                               rationale="New data", based_on=1)
    return approve_trajectory(db, person(db, gov, "admin"), proposal.id).approved_at


def _judgement(db, gov):
    judged = record_assessment(db, rater="ana", rating="red", reasons="late",
                               goal_id=gov.goals["homicides"])
    assert judged.assessed_on == PINNED
    return judged.recorded_at


def _meeting(db):
    return db.scalars(select(ReviewMeeting).order_by(ReviewMeeting.id)).first()


def _decision(db, gov):
    return record_decision(db, _meeting(db), "Patrols start Monday", by="ana").recorded_at


def _topic(db, gov):
    return add_topic(db, _meeting(db), "Prison places", by="ana").added_at


def _minutes_closed(db, gov):
    meeting = _meeting(db)
    close_meeting(db, meeting, by="ana")
    return meeting.closed_at


def _figure(db, gov):
    report_figure(db, person(db, gov, "secretariat"), gov.goals["homicides"],
                  date(2023, 1, 1), date(2023, 1, 31), 88.0)
    figure = db.scalars(select(Figure).order_by(Figure.id.desc())).first()
    return figure.known_on  # known that day; recorded_at stays the real moment, for the audit


def _flag_resolved(db, gov):
    flag = DataQualityFlag(goal_id=gov.goals["homicides"], kind="jump", reason="a jump",
                           evidence={})
    db.add(flag)
    db.flush()
    return resolve_flag_as(db, person(db, gov, "analyst"), flag.id, "confirmed", "").resolved_at


WRITES = [_comment, _proposal, _approval, _judgement, _decision, _topic, _minutes_closed,
          _figure, _flag_resolved]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__.strip("_") for w in WRITES])
def test_whatever_a_screen_saves_is_stamped_on_the_pinned_day(db, gov, write):
    stamped = write(db, gov)
    assert (stamped.date() if isinstance(stamped, datetime) else stamped) == PINNED
