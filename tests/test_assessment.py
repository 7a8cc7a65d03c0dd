from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pytest

from delivery.assessment import goal_statuses
from delivery.figures import figures_as_of, record_figure
from delivery.status import GoalSpec, Observation, goal_status
from delivery.trajectory_versions import all_in_force, approve, in_force, propose
from delivery.vocabulary import Direction, Frequency, Shape, Status
from tests.factories import make_goal

AS_OF = date(2021, 7, 15)


def month(m: int) -> tuple[date, date]:
    start = date(2021, m, 1)
    end = date(2021, m + 1, 1).toordinal() - 1 if m < 12 else date(2021, 12, 31).toordinal()
    return start, date.fromordinal(end)


def stamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def with_trajectory(db, goal, shape=Shape.LINEAR, milestones=None, approved=date(2020, 12, 1)):
    milestones = milestones or [(goal.baseline_date, goal.baseline_value),
                                (goal.target_date, goal.target_value)]
    t = propose(db, goal, shape, milestones, proposed_by="analyst", rationale="original",
                based_on=None, at=stamp(approved))
    approve(db, t, approved_by="governor", at=stamp(approved))
    return t


@pytest.mark.parametrize(
    ("direction", "last_value", "expected"),
    [
        (Direction.DOWN, 77.0, Status.ON_TRACK),
        (Direction.DOWN, 82.0, Status.SLIPPING),
        (Direction.DOWN, 90.0, Status.OFF_TRACK),
        (Direction.UP, 125.0, Status.ON_TRACK),
        (Direction.UP, 110.0, Status.OFF_TRACK),
    ],
    ids=["down-on-plan", "down-a-little-behind", "down-far-behind", "up-ahead", "up-behind"],
)
def test_bulk_statuses_agree_with_the_single_goal_rule(db, direction, last_value, expected):
    # Baseline 100 on 31 Dec 2020, target 40 on 31 Dec 2021 (or 160 when up is good): the plan
    # for May is 75.2 (124.8); on track within 3 of it, slipping within 9.
    target = 40.0 if direction is Direction.DOWN else 160.0
    goal = make_goal(db, direction=direction, baseline_value=100.0,
                     baseline_date=date(2020, 12, 31), target_value=target,
                     target_date=date(2021, 12, 31))
    trajectory = with_trajectory(db, goal)
    record_figure(db, goal, *month(5), last_value, reported_by="a", recorded_at=stamp(AS_OF))

    row = goal_statuses(db, AS_OF).set_index("goal_id").loc[goal.id]
    single = goal_status(GoalSpec.from_goal(goal), trajectory.milestones(), trajectory.shape,
                         [Observation(month(5)[1], last_value)], AS_OF)
    assert row.status == single.status.value == expected.value
    assert row.planned == pytest.approx(single.planned)
    assert row.reason == single.reason


def test_a_goal_without_figures_or_with_old_figures_has_no_recent_data(db):
    silent = make_goal(db)
    late = make_goal(db, frequency=Frequency.MONTHLY)
    record_figure(db, late, *month(3), 90.0, reported_by="a", recorded_at=stamp(date(2021, 4, 5)))

    frame = goal_statuses(db, AS_OF).set_index("goal_id")
    assert frame.loc[silent.id, "status"] == Status.NO_RECENT_DATA.value
    assert frame.loc[late.id, "status"] == Status.NO_RECENT_DATA.value
    assert "March 2021" in frame.loc[late.id, "reason"]


def test_a_renegotiated_trajectory_changes_the_status_from_its_approval_on(db):
    goal = make_goal(db, direction=Direction.DOWN, baseline_value=100.0,
                     baseline_date=date(2020, 12, 31), target_value=40.0,
                     target_date=date(2021, 12, 31))
    original = with_trajectory(db, goal)
    record_figure(db, goal, *month(6), 90.0, reported_by="a", recorded_at=stamp(date(2021, 7, 2)))
    easier_line = [(date(2020, 12, 31), 100.0), (date(2021, 12, 31), 80.0)]
    easier = propose(db, goal, Shape.LINEAR, easier_line,
                     proposed_by="analyst", rationale="pandemic", based_on=original.version,
                     at=stamp(date(2021, 7, 10)))
    approve(db, easier, approved_by="governor", at=stamp(date(2021, 7, 12)))

    before = goal_statuses(db, date(2021, 7, 11)).set_index("goal_id").loc[goal.id, "status"]
    after = goal_statuses(db, date(2021, 7, 13)).set_index("goal_id").loc[goal.id, "status"]
    assert (before, after) == (Status.OFF_TRACK.value, Status.ON_TRACK.value)
    assert in_force(db, goal.id, date(2021, 7, 11)).version == 1
    assert all_in_force(db, date(2021, 7, 13))[goal.id][1][-1] == (date(2021, 12, 31), 80.0)
    assert [f.value for f in figures_as_of(db, goal.id, AS_OF)] == [90.0]


def test_a_range_goal_inside_its_band_is_on_track(db):
    goal = make_goal(db, direction=Direction.RANGE, baseline_value=6.0,
                     baseline_date=date(2020, 12, 31), target_value=3.0, target_low=2.0,
                     target_high=4.0, target_date=date(2021, 12, 31))
    with_trajectory(db, goal)
    record_figure(db, goal, *month(6), 5.0, reported_by="a", recorded_at=stamp(AS_OF))
    row = goal_statuses(db, AS_OF).set_index("goal_id").loc[goal.id]
    # Planned at 30 June is about 4.51; the band is +/-1 around it.
    assert row.status == Status.ON_TRACK.value and not np.isnan(row.planned)
