from __future__ import annotations

from datetime import date

import pytest

from delivery.trajectory_versions import TrajectoryConflict, approve, original, propose
from delivery.vocabulary import Shape
from tests.factories import make_goal

LINE = [(date(2020, 1, 31), 100.0), (date(2022, 12, 31), 70.0)]


def test_a_change_based_on_an_old_version_is_refused_and_names_the_other_change(db):
    goal = make_goal(db)
    first = propose(db, goal, Shape.LINEAR, LINE, proposed_by="ana", rationale="original",
                    based_on=None)
    propose(db, goal, Shape.LINEAR, LINE[:1] + [(date(2022, 12, 31), 75.0)], proposed_by="bia",
            rationale="budget cut", based_on=first.version)
    with pytest.raises(TrajectoryConflict, match="bia saved version 2.*budget cut"):
        propose(db, goal, Shape.STEP, LINE, proposed_by="ana", rationale="mine",
                based_on=first.version)


def test_the_original_promise_stays_version_one(db):
    goal = make_goal(db)
    first = propose(db, goal, Shape.LINEAR, LINE, proposed_by="ana", rationale="o", based_on=None)
    approve(db, first, approved_by="gov")
    second = propose(db, goal, Shape.S_CURVE, LINE, proposed_by="ana", rationale="s",
                     based_on=1)
    assert original(db, goal.id).id == first.id and second.version == 2
    assert second.approved_at is None


@pytest.mark.parametrize(
    "milestones", [[], [(date(2021, 1, 1), 1.0), (date(2021, 1, 1), 2.0)]],
    ids=["no-milestones", "two-on-one-date"],
)
def test_it_rejects_an_invalid_trajectory(db, milestones):
    goal = make_goal(db)
    with pytest.raises(ValueError, match=goal.code):
        propose(db, goal, Shape.LINEAR, milestones, proposed_by="a", rationale="", based_on=None)


def test_a_version_replaced_before_its_decision_no_longer_awaits_one(db):
    """A second proposal withdraws the first: the workspace counts one awaiting approval, as
    the trajectory screen lists one (the count once took withdrawn versions too)."""
    from sqlalchemy import func, select

    from delivery.models import Trajectory
    from delivery.trajectory_versions import awaiting_decision, is_open

    goal = make_goal(db)
    first = propose(db, goal, Shape.LINEAR, LINE, proposed_by="ana", rationale="o", based_on=None)
    second = propose(db, goal, Shape.S_CURVE, LINE, proposed_by="bia", rationale="s",
                     based_on=first.version)
    waiting = db.scalars(select(Trajectory.id).where(awaiting_decision(),
                                                    Trajectory.goal_id == goal.id)).all()
    assert waiting == [second.id] and not is_open(first) and is_open(second)
    assert db.scalar(select(func.count(Trajectory.id)).where(
        awaiting_decision(), Trajectory.goal_id == goal.id)) == 1
