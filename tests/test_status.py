"""A goal's computed status: direction, tolerance bands, stale data, revised trajectories."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from types import SimpleNamespace

import numpy as np
import pytest

from delivery.status import (
    GoalSpec,
    Observation,
    classify,
    format_number,
    goal_status,
    period_label,
)
from delivery.trajectories import planned_value
from delivery.vocabulary import Direction, Frequency, Shape, Status

START, MIDYEAR, END = date(2024, 1, 1), date(2024, 6, 30), date(2025, 1, 1)
AS_OF = date(2024, 7, 15)


def spec(direction="up", baseline=0.0, target=100.0, frequency="monthly", **extra) -> GoalSpec:
    return GoalSpec(direction, frequency, baseline, START, target, END, **extra)


UP = spec("up", 0.0, 100.0)
DOWN = spec("down", 100.0, 0.0)
RANGE = spec("range", 10.0, 5.0, target_low=4.0, target_high=6.0)
UP_PLAN = [(START, 0.0), (MIDYEAR, 50.0), (END, 100.0)]
DOWN_PLAN = [(START, 100.0), (MIDYEAR, 50.0), (END, 0.0)]
RANGE_PLAN = [(START, 10.0), (MIDYEAR, 7.0), (END, 5.0)]  # band 6 to 8 at midyear


def status_at_midyear(goal: GoalSpec, plan, actual: float, as_of: date = AS_OF):
    return goal_status(goal, plan, Shape.LINEAR, [Observation(MIDYEAR, actual)], as_of)


@pytest.mark.parametrize(
    ("goal", "plan", "actual", "expected", "shortfall"),
    [
        (UP, UP_PLAN, 50.0, Status.ON_TRACK, 0.0),
        (UP, UP_PLAN, 60.0, Status.ON_TRACK, -0.10),
        (UP, UP_PLAN, 45.0, Status.ON_TRACK, 0.05),
        (UP, UP_PLAN, 44.99, Status.SLIPPING, 0.0501),
        (UP, UP_PLAN, 35.0, Status.SLIPPING, 0.15),
        (UP, UP_PLAN, 34.99, Status.OFF_TRACK, 0.1501),
        (DOWN, DOWN_PLAN, 50.0, Status.ON_TRACK, 0.0),
        (DOWN, DOWN_PLAN, 40.0, Status.ON_TRACK, -0.10),
        (DOWN, DOWN_PLAN, 55.0, Status.ON_TRACK, 0.05),
        (DOWN, DOWN_PLAN, 55.01, Status.SLIPPING, 0.0501),
        (DOWN, DOWN_PLAN, 65.0, Status.SLIPPING, 0.15),
        (DOWN, DOWN_PLAN, 65.01, Status.OFF_TRACK, 0.1501),
        (RANGE, RANGE_PLAN, 7.0, Status.ON_TRACK, 0.0),
        (RANGE, RANGE_PLAN, 8.0, Status.ON_TRACK, 0.0),
        (RANGE, RANGE_PLAN, 6.0, Status.ON_TRACK, 0.0),
        (RANGE, RANGE_PLAN, 8.1, Status.ON_TRACK, 0.05),
        (RANGE, RANGE_PLAN, 8.12, Status.SLIPPING, 0.06),
        (RANGE, RANGE_PLAN, 5.7, Status.SLIPPING, 0.15),
        (RANGE, RANGE_PLAN, 5.6, Status.OFF_TRACK, 0.20),
        (RANGE, RANGE_PLAN, 9.0, Status.OFF_TRACK, 0.5),
    ],
    ids=[
        "up_on_the_plan",
        "up_ahead_of_the_plan",
        "up_exactly_on_the_tolerance",
        "up_just_past_the_tolerance",
        "up_exactly_on_the_off_track_line",
        "up_just_past_the_off_track_line",
        "down_on_the_plan",
        "down_ahead_of_the_plan",
        "down_exactly_on_the_tolerance",
        "down_just_past_the_tolerance",
        "down_exactly_on_the_off_track_line",
        "down_just_past_the_off_track_line",
        "range_on_the_plan",
        "range_on_the_top_of_the_band",
        "range_on_the_bottom_of_the_band",
        "range_above_the_band_by_the_tolerance",
        "range_above_the_band_past_the_tolerance",
        "range_below_the_band_on_the_off_track_line",
        "range_below_the_band_past_the_off_track_line",
        "range_half_a_band_width_above_is_off_track",
    ],
)
def test_it_grades_the_latest_figure_against_the_trajectory(
    goal, plan, actual, expected, shortfall
):
    result = status_at_midyear(goal, plan, actual)
    assert result.status is expected
    assert result.shortfall == pytest.approx(shortfall, abs=1e-9)
    assert result.latest == Observation(MIDYEAR, actual)
