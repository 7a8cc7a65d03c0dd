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
    explain,
    format_number,
    goal_status,
    period_label,
)
from delivery.trajectories import planned_value
from delivery.vocabulary import Direction, Frequency, Shape, Status

START, MIDYEAR, END = date(2024, 1, 1), date(2024, 6, 30), date(2025, 1, 1)
AS_OF = date(2024, 7, 10)


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


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "band", "scale", "shortfall_scale"),
    [
        ("up", 0.0, 100.0, None, 100.0, 100.0),
        ("down", 100.0, 70.0, None, 30.0, 30.0),
        ("up", 200.0, 200.0, None, 200.0, 200.0),
        ("down", -50.0, -50.0, None, 50.0, 50.0),
        ("up", 0.0, 0.0, None, 1.0, 1.0),
        ("range", 10.0, 5.0, (4.0, 6.0), 5.0, 2.0),
        ("range", 10.0, 5.0, (5.0, 5.0), 5.0, 5.0),
    ],
    ids=[
        "the_planned_change_going_up",
        "the_planned_change_going_down",
        "a_target_equal_to_the_baseline_uses_the_level",
        "a_negative_level_to_hold_uses_its_size",
        "holding_zero_falls_back_to_one_unit",
        "a_range_goal_is_measured_in_band_widths",
        "a_range_of_zero_width_uses_the_planned_change",
    ],
)
def test_it_measures_shortfalls_against_the_right_yardstick(
    direction, baseline, target, band, scale, shortfall_scale
):
    low, high = band or (None, None)
    goal = spec(direction, baseline, target, target_low=low, target_high=high)
    assert goal.scale == scale
    assert goal.shortfall_scale == shortfall_scale


@pytest.mark.parametrize(
    ("actual", "expected", "reason_part"),
    [
        (194.0, Status.ON_TRACK, "3% of the target level behind"),
        (180.0, Status.SLIPPING, "10% of the target level behind"),
        (150.0, Status.OFF_TRACK, "25% of the target level behind"),
    ],
    ids=["a_small_dip_is_on_track", "a_tenth_below_is_slipping", "a_quarter_below_is_off_track"],
)
def test_a_goal_to_hold_a_level_is_judged_against_that_level(actual, expected, reason_part):
    goal = spec("up", 200.0, 200.0)
    result = status_at_midyear(goal, goal.straight_line(), actual)
    assert result.status is expected
    assert reason_part in result.reason


ORIGINAL = [(date(2024, 1, 1), 0.0), (date(2024, 12, 31), 50.0), (date(2025, 12, 31), 100.0)]
REVISED = [(date(2024, 1, 1), 0.0), (date(2024, 12, 31), 30.0), (date(2025, 12, 31), 100.0)]


@pytest.mark.parametrize(
    ("plan", "expected", "planned"),
    [(ORIGINAL, Status.OFF_TRACK, 50.0), (REVISED, Status.ON_TRACK, 30.0)],
    ids=["against_the_original_promise", "against_the_revised_trajectory"],
)
def test_the_status_depends_on_which_trajectory_is_in_force(plan, expected, planned):
    goal = GoalSpec("up", "monthly", 0.0, date(2024, 1, 1), 100.0, date(2025, 12, 31))
    figures = [Observation(date(2024, 12, 31), 32.0)]
    result = goal_status(goal, plan, Shape.MILESTONES, figures, date(2025, 1, 20))
    assert result.status is expected
    assert result.planned == planned
    assert result.shortfall == pytest.approx((planned - 32.0) / 100.0)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(100.0, Status.ON_TRACK), (90.0, Status.SLIPPING), (80.0, Status.OFF_TRACK)],
    ids=["target_reached", "a_tenth_short", "a_fifth_short"],
)
def test_after_a_deadline_in_the_past_the_target_is_the_plan(actual, expected):
    goal = GoalSpec("up", "monthly", 0.0, date(2023, 1, 1), 100.0, date(2023, 12, 31))
    figures = [Observation(date(2025, 6, 30), actual)]
    result = goal_status(goal, goal.straight_line(), Shape.LINEAR, figures, date(2025, 7, 15))
    assert result.planned == 100.0
    assert result.status is expected


@pytest.mark.parametrize(
    ("frequency", "lag", "period_end", "fresh_until"),
    [
        ("weekly", None, date(2024, 3, 3), date(2024, 3, 17)),
        ("monthly", None, date(2024, 1, 31), date(2024, 4, 2)),
        ("quarterly", None, date(2024, 3, 31), date(2024, 10, 1)),
        ("yearly", None, date(2023, 12, 31), date(2026, 1, 1)),
        ("monthly", 10, date(2024, 1, 31), date(2024, 3, 12)),
        ("monthly", 0, date(2024, 1, 31), date(2024, 3, 2)),
    ],
    ids=[
        "weekly_two_weeks",
        "monthly_two_periods",
        "quarterly_two_periods",
        "yearly_two_periods",
        "monthly_with_a_ten_day_lag",
        "monthly_due_the_day_the_period_ends",
    ],
)
def test_a_figure_goes_stale_once_a_period_and_the_lag_have_passed(
    frequency, lag, period_end, fresh_until
):
    goal = GoalSpec("up", frequency, 10.0, date(2020, 1, 1), 10.0, date(2030, 1, 1),
                    reporting_lag_days=lag)
    figures = [Observation(period_end, 10.0)]
    fresh = goal_status(goal, goal.straight_line(), Shape.LINEAR, figures, fresh_until)
    stale_day = fresh_until + timedelta(days=1)
    stale = goal_status(goal, goal.straight_line(), Shape.LINEAR, figures, stale_day)
    assert fresh.status is Status.ON_TRACK
    assert stale.status is Status.NO_RECENT_DATA
    assert stale.latest == figures[0]
    assert stale.reason.startswith("The latest figure is for ")


@pytest.mark.parametrize(
    ("as_of", "expected", "latest_end"),
    [
        (date(2024, 6, 29), Status.NO_RECENT_DATA, None),
        (date(2024, 7, 20), Status.ON_TRACK, date(2024, 6, 30)),
        (date(2024, 8, 10), Status.OFF_TRACK, date(2024, 7, 31)),
    ],
    ids=[
        "before_any_period_ended",
        "a_figure_for_a_period_not_yet_ended_is_ignored",
        "the_latest_period_counts_once_it_has_ended",
    ],
)
def test_only_figures_for_periods_ended_by_the_as_of_date_count(as_of, expected, latest_end):
    figures = [Observation(date(2024, 7, 31), 10.0), Observation(date(2024, 6, 30), 50.0)]
    result = goal_status(UP, UP_PLAN, Shape.LINEAR, figures, as_of)
    assert result.status is expected
    assert (result.latest.period_end if result.latest else None) == latest_end


def test_a_goal_with_no_figures_has_no_recent_data():
    result = goal_status(UP, UP_PLAN, Shape.LINEAR, [], AS_OF)
    assert result == goal_status(UP, UP_PLAN, Shape.LINEAR, (), AS_OF)
    assert (result.status, result.latest, result.planned, result.shortfall) == (
        Status.NO_RECENT_DATA, None, None, None
    )
    assert result.reason == "No figure has been reported for a period ending by 10 Jul 2024."


@pytest.mark.parametrize(
    ("goal", "plan", "actual", "reason"),
    [
        (
            GoalSpec("down", "monthly", 7000.0, date(2022, 12, 31), 3466.0, date(2026, 12, 31)),
            [(date(2022, 12, 31), 7000.0), (MIDYEAR, 3700.0), (date(2026, 12, 31), 3466.0)],
            3912.0,
            "The figure for June 2024, 3,912, is 6% of the planned change behind the trajectory"
            " (3,700).",
        ),
        (
            spec("up", frequency="quarterly"),
            UP_PLAN,
            60.0,
            "The figure for Q2 2024, 60, is 10% of the planned change ahead of the trajectory"
            " (50).",
        ),
        (
            spec("up", frequency="weekly"),
            UP_PLAN,
            50.0,
            "The figure for the week ending 30 Jun 2024, 50, is on the trajectory (50).",
        ),
        (
            spec("up"),
            UP_PLAN,
            49.6,
            "The figure for June 2024, 49.6, is less than 1% of the planned change behind the"
            " trajectory (50).",
        ),
        (
            spec("range", 10.0, 5.0, "yearly", target_low=4.0, target_high=6.0),
            RANGE_PLAN,
            7.5,
            "The figure for 2024, 7.5, is inside the band planned for that date (6 to 8).",
        ),
        (
            RANGE,
            RANGE_PLAN,
            8.12,
            "The figure for June 2024, 8.12, is 6% of the band width outside the band planned"
            " for that date (6 to 8).",
        ),
        (
            spec("up", 0.0, 0.0),
            [(START, 0.0)],
            -3.0,
            "The figure for June 2024, -3, is 3 behind the trajectory (0).",
        ),
    ],
    ids=[
        "behind_a_falling_trajectory",
        "ahead_of_plan_by_quarter",
        "on_plan_by_week",
        "behind_by_a_fraction_of_a_percent",
        "inside_the_band",
        "outside_the_band",
        "holding_zero_is_told_in_units",
    ],
)
def test_it_explains_the_status_in_a_sentence(goal, plan, actual, reason):
    assert status_at_midyear(goal, plan, actual).reason == reason


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3912.4, "3,912"),
        (-1234.6, "-1,235"),
        (1_000_000.0, "1,000,000"),
        (12.5, "12.5"),
        (0.153, "0.15"),
        (7.0, "7"),
        (0.1, "0.1"),
    ],
    ids=["thousands", "negative", "millions", "one_decimal", "two_decimals", "whole", "tenth"],
)
def test_it_writes_numbers_as_a_reader_expects(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("frequency", "label"),
    [
        (Frequency.WEEKLY, "the week ending 6 Oct 2024"),
        (Frequency.MONTHLY, "October 2024"),
        (Frequency.QUARTERLY, "Q4 2024"),
        (Frequency.YEARLY, "2024"),
    ],
    ids=["weekly", "monthly", "quarterly", "yearly"],
)
def test_it_names_the_period_as_people_do(frequency, label):
    assert period_label(date(2024, 10, 6), frequency) == label


def test_it_reads_a_goal_row():
    row = SimpleNamespace(
        code="G1", direction="range", frequency="quarterly", baseline_value=10,
        baseline_date=START, target_value=None, target_date=END, target_low=4.0,
        target_high=6.0, tolerance=0.1, off_track_tolerance=0.2, reporting_lag_days=45,
    )
    goal = GoalSpec.from_goal(row)
    assert goal == GoalSpec(
        Direction.RANGE, Frequency.QUARTERLY, 10.0, START, 5.0, END, 4.0, 6.0, 0.1, 0.2, 45
    )
    assert goal.direction is Direction.RANGE and goal.frequency is Frequency.QUARTERLY


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"baseline_value": None}, "G1 has no baseline value"),
        ({"target_value": None, "target_date": None}, "G1 has no target value, target date"),
    ],
    ids=["no_baseline", "no_target"],
)
def test_it_refuses_a_goal_row_without_baseline_or_target(changes, message):
    row = dict(
        code="G1", direction="up", frequency="monthly", baseline_value=1.0, baseline_date=START,
        target_value=2.0, target_date=END, target_low=None, target_high=None, tolerance=0.05,
        off_track_tolerance=0.15, reporting_lag_days=None,
    )
    with pytest.raises(ValueError, match=message):
        GoalSpec.from_goal(SimpleNamespace(**(row | changes)))


@pytest.mark.parametrize(
    "band", [(None, None), (6.0, 4.0)], ids=["no_band", "band_upside_down"]
)
def test_a_range_goal_needs_a_band(band):
    with pytest.raises(ValueError, match="target_low <= target_high"):
        spec("range", 10.0, 5.0, target_low=band[0], target_high=band[1])


def random_case(rng: random.Random) -> tuple:
    direction = rng.choice(list(Direction))
    baseline, target = rng.uniform(0, 1000), rng.choice([rng.uniform(0, 1000), None])
    target = baseline if target is None else target
    low = min(target, rng.uniform(0, 1000)) if direction is Direction.RANGE else None
    high = 2 * target - low if low is not None else None
    tolerance = rng.choice([0.0, 0.05, 0.1])
    goal = GoalSpec(direction, rng.choice(list(Frequency)), baseline, START, target, END,
                    low, high, tolerance, tolerance + rng.choice([0.0, 0.1]),
                    rng.choice([None, 0, 30]))
    shape = rng.choice(list(Shape))
    period_end = START + timedelta(days=rng.randint(-30, 500))
    actual = rng.uniform(-200, 1200)
    as_of = period_end + timedelta(days=rng.randint(0, 800))
    return goal, shape, Observation(period_end, actual), as_of


def test_the_batch_rule_agrees_with_one_goal_at_a_time():
    rng = random.Random(7)
    cases = [random_case(rng) for _ in range(400)]
    one_by_one = [
        goal_status(goal, goal.straight_line(), shape, [figure], as_of).status
        for goal, shape, figure, as_of in cases
    ]
    columns = list(zip(*[
        (
            goal.direction,
            figure.value,
            planned_value(goal.straight_line(), shape, figure.period_end),
            goal.shortfall_scale,
            goal.half_band,
            goal.tolerance,
            goal.off_track_tolerance,
            figure.period_end < goal.recent_since(as_of),
        )
        for goal, shape, figure, as_of in cases
    ], strict=True))
    batch = classify(*(np.array(column) for column in columns))
    assert batch.tolist() == one_by_one
    assert set(one_by_one) == set(Status)  # the random cases reach every status


@pytest.mark.parametrize(
    ("actual", "planned", "stale", "expected"),
    [
        (np.nan, 50.0, False, Status.NO_RECENT_DATA),
        (50.0, np.nan, False, Status.NO_RECENT_DATA),
        (50.0, 50.0, True, Status.NO_RECENT_DATA),
        (50.0, 50.0, False, Status.ON_TRACK),
    ],
    ids=["no_actual", "no_plan", "stale", "fresh_and_on_plan"],
)
def test_classify_treats_missing_values_as_no_recent_data(actual, planned, stale, expected):
    result = classify("up", actual, planned, 100.0, 0.0, 0.05, 0.15, stale)
    assert result.shape == ()
    assert result.item() is expected


def test_classify_refuses_an_unknown_direction():
    with pytest.raises(ValueError, match="unknown direction"):
        classify(np.array(["up", "sideways"]), 1.0, 1.0, 1.0, 0.0, 0.05, 0.15, False)


def test_it_classifies_twenty_thousand_goals_at_once():
    rng = np.random.default_rng(11)
    n = 20_000
    direction = rng.choice(np.array([d.value for d in Direction]), n)
    started = time.perf_counter()
    result = classify(
        direction,
        rng.normal(100, 20, n),
        np.full(n, 100.0),
        rng.uniform(10, 100, n),
        np.where(direction == "range", 5.0, 0.0),
        np.full(n, 0.05),
        np.full(n, 0.15),
        rng.random(n) < 0.1,
    )
    elapsed = time.perf_counter() - started
    assert result.shape == (n,)
    assert set(result.tolist()) == set(Status)
    # Vectorised, not a loop per goal (milliseconds; bench/ measures speed): only a guard
    # against a per-goal Python loop, loose enough for a busy CI machine.
    assert elapsed < 5


@pytest.mark.parametrize(
    ("stale", "reason"),
    [
        (False, "The figure for June 2024, 40, is 10% of the planned change behind the trajectory"
                " (50)."),
        (True, "The latest figure is for June 2024; a monthly figure counts as recent for 62 days"
               " after its period ends."),
    ],
    ids=["a_recent_figure", "a_stale_figure"],
)
def test_the_batch_path_explains_a_figure_as_goal_status_does(stale, reason):
    assert explain(UP, Observation(MIDYEAR, 40.0), 50.0, 0.1, stale=stale) == reason
