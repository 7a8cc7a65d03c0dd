"""Planned values along each trajectory shape, and the milestones the shape generator proposes."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from delivery.trajectories import generate_milestones, planned_value, planned_values
from delivery.vocabulary import Frequency, Shape


def day(n: int) -> date:
    """The 1st of January 2024 plus ``n`` days: keeps fractions of a span easy to read."""
    return date(2024, 1, 1) + timedelta(days=n)


TWO_POINTS = [(day(0), 0.0), (day(10), 100.0)]
HAND_DRAWN = [(day(0), 0.0), (day(4), 80.0), (day(20), 100.0)]


@pytest.mark.parametrize(
    ("milestones", "shape", "at", "expected"),
    [
        (TWO_POINTS, Shape.LINEAR, day(5), 50.0),
        (TWO_POINTS, Shape.LINEAR, day(2), 20.0),
        (TWO_POINTS, Shape.S_CURVE, day(5), 50.0),
        (TWO_POINTS, Shape.S_CURVE, day(2), 10.4),  # 3(0.2)^2 - 2(0.2)^3 = 0.104
        (TWO_POINTS, Shape.S_CURVE, day(8), 89.6),
        (TWO_POINTS, Shape.STEP, day(5), 0.0),
        (TWO_POINTS, Shape.STEP, day(9), 0.0),
        (TWO_POINTS, Shape.STEP, day(10), 100.0),
        (TWO_POINTS, Shape.MILESTONES, day(5), 50.0),
        (HAND_DRAWN, Shape.MILESTONES, day(2), 40.0),
        (HAND_DRAWN, Shape.MILESTONES, day(4), 80.0),
        (HAND_DRAWN, Shape.MILESTONES, day(12), 90.0),
        (HAND_DRAWN, Shape.LINEAR, day(12), 90.0),
        (HAND_DRAWN, Shape.S_CURVE, day(12), 90.0),
        (HAND_DRAWN, Shape.S_CURVE, day(8), 83.125),  # a quarter of the way: 0.15625 of 20
        (HAND_DRAWN, Shape.STEP, day(3), 0.0),
        (HAND_DRAWN, Shape.STEP, day(4), 80.0),
        (HAND_DRAWN, Shape.STEP, day(19), 80.0),
        (HAND_DRAWN, Shape.STEP, day(20), 100.0),
    ],
    ids=[
        "linear_halfway",
        "linear_a_fifth_of_the_way",
        "s_curve_halfway_is_half",
        "s_curve_starts_slowly",
        "s_curve_finishes_slowly",
        "step_holds_the_baseline_midway",
        "step_holds_the_baseline_the_day_before_the_target",
        "step_takes_the_milestone_value_on_its_date",
        "milestones_halfway",
        "milestones_first_segment",
        "milestones_exactly_on_a_milestone",
        "milestones_second_segment_has_its_own_slope",
        "linear_bends_at_each_milestone",
        "s_curve_is_half_way_midway_through_a_segment",
        "s_curve_restarts_slowly_in_each_segment",
        "step_before_the_second_milestone",
        "step_on_the_second_milestone",
        "step_the_day_before_the_last_milestone",
        "step_on_the_last_milestone",
    ],
)
def test_it_reads_the_planned_value_along_the_shape(milestones, shape, at, expected):
    assert planned_value(milestones, shape, at) == pytest.approx(expected)


@pytest.mark.parametrize("shape", list(Shape), ids=[s.value for s in Shape])
def test_it_holds_the_target_after_the_deadline(shape):
    assert planned_value(HAND_DRAWN, shape, day(400)) == 100.0
    assert planned_value(HAND_DRAWN, shape, day(20)) == 100.0


@pytest.mark.parametrize("shape", list(Shape), ids=[s.value for s in Shape])
def test_it_holds_the_first_value_before_the_first_milestone(shape):
    assert planned_value(HAND_DRAWN, shape, day(-30)) == 0.0
    assert planned_value(HAND_DRAWN, shape, day(0)) == 0.0


@pytest.mark.parametrize("shape", list(Shape), ids=[s.value for s in Shape])
@pytest.mark.parametrize("at", [day(-5), day(0), day(7)], ids=["before", "on", "after"])
def test_a_single_milestone_is_the_plan_everywhere(shape, at):
    assert planned_value([(day(0), 42.0)], shape, at) == 42.0
    assert planned_values([(day(0), 42.0)], shape, [at]).tolist() == [42.0]


@pytest.mark.parametrize("shape", list(Shape), ids=[s.value for s in Shape])
def test_a_target_equal_to_the_baseline_is_a_flat_plan(shape):
    flat = [(day(0), 250.0), (day(90), 250.0)]
    assert planned_values(flat, shape, [day(d) for d in range(-5, 100, 7)]).tolist() == [250.0] * 15


@pytest.mark.parametrize("shape", list(Shape), ids=[s.value for s in Shape])
def test_the_vectorised_values_agree_exactly_with_the_scalar_ones(shape):
    rng = random.Random(20240101 + list(Shape).index(shape))
    for _ in range(100):
        dates = sorted(rng.sample(range(0, 2000), rng.randint(1, 6)))
        milestones = [(day(d), rng.uniform(-1000, 1000)) for d in dates]
        asked = [day(rng.randint(-100, 2100)) for _ in range(8)] + [day(d) for d in dates]
        vector = planned_values(milestones, shape, asked)
        scalar = [planned_value(milestones, shape, at) for at in asked]
        assert vector.tolist() == scalar


@pytest.mark.parametrize(
    "at",
    [
        pd.DatetimeIndex(["2024-01-03", "2024-01-06"]),
        np.array(["2024-01-03", "2024-01-06"], dtype="datetime64[D]"),
        pd.Series([date(2024, 1, 3), date(2024, 1, 6)]),
        (d for d in [date(2024, 1, 3), date(2024, 1, 6)]),
    ],
    ids=["datetime_index", "datetime64_array", "series_of_dates", "generator_of_dates"],
)
def test_it_takes_dates_in_the_forms_pandas_and_numpy_hold_them(at):
    assert planned_values(TWO_POINTS, Shape.LINEAR, at).tolist() == pytest.approx([20.0, 50.0])


@pytest.mark.parametrize(
    ("milestones", "message"),
    [
        ([], "at least one milestone"),
        ([(day(5), 1.0), (day(1), 2.0)], "date order"),
        ([(day(1), 1.0), (day(1), 2.0)], "one per date"),
    ],
    ids=["no_milestones", "out_of_order", "two_on_one_date"],
)
def test_it_rejects_a_trajectory_it_cannot_read(milestones, message):
    with pytest.raises(ValueError, match=message):
        planned_value(milestones, Shape.LINEAR, day(0))


@pytest.mark.parametrize(
    ("frequency", "baseline_date", "target_date", "between"),
    [
        (
            Frequency.MONTHLY,
            date(2024, 1, 15),
            date(2024, 5, 15),
            [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)],
        ),
        (
            Frequency.MONTHLY,
            date(2024, 1, 31),
            date(2024, 4, 30),
            [date(2024, 2, 29), date(2024, 3, 31)],
        ),
        (
            Frequency.QUARTERLY,
            date(2024, 2, 1),
            date(2025, 1, 31),
            [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)],
        ),
        (
            Frequency.YEARLY,
            date(2023, 6, 30),
            date(2026, 6, 30),
            [date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)],
        ),
        (
            Frequency.WEEKLY,
            date(2024, 3, 1),  # a Friday
            date(2024, 3, 20),
            [date(2024, 3, 3), date(2024, 3, 10), date(2024, 3, 17)],
        ),
        (Frequency.MONTHLY, date(2024, 3, 5), date(2024, 3, 25), []),
    ],
    ids=[
        "monthly_month_ends",
        "monthly_baseline_on_a_month_end_is_not_repeated",
        "quarterly_quarter_ends",
        "yearly_year_ends",
        "weekly_sundays",
        "monthly_within_one_month_is_baseline_and_target_only",
    ],
)
def test_it_puts_a_milestone_at_each_period_end_between_baseline_and_target(
    frequency, baseline_date, target_date, between
):
    milestones = generate_milestones(
        Shape.LINEAR, (baseline_date, 10.0), (target_date, 50.0), frequency
    )
    assert [d for d, _ in milestones] == [baseline_date, *between, target_date]
    assert milestones[0] == (baseline_date, 10.0)
    assert milestones[-1] == (target_date, 50.0)


@pytest.mark.parametrize(
    "shape", [Shape.LINEAR, Shape.MILESTONES], ids=["linear", "milestones"]
)
def test_generated_straight_shapes_lie_on_the_line_from_baseline_to_target(shape):
    baseline, target = (date(2024, 1, 1), 100.0), (date(2025, 12, 31), 40.0)
    span = (target[0] - baseline[0]).days
    for d, value in generate_milestones(shape, baseline, target, Frequency.MONTHLY):
        assert value == pytest.approx(100.0 - 60.0 * (d - baseline[0]).days / span)


def test_a_generated_s_curve_follows_one_smoothstep_over_the_whole_span():
    baseline, target = (date(2024, 1, 1), 0.0), (date(2025, 1, 1), 100.0)
    milestones = generate_milestones(Shape.S_CURVE, baseline, target, Frequency.MONTHLY)
    for d, value in milestones:
        t = (d - baseline[0]).days / 366
        assert value == pytest.approx(100.0 * (3 * t**2 - 2 * t**3))
    steps = np.diff([v for _, v in milestones])
    assert steps[0] < steps[5] and steps[-1] < steps[5]


def test_a_generated_step_moves_once_a_year_and_reaches_the_target_on_the_deadline():
    baseline, target = (date(2023, 6, 30), 100.0), (date(2026, 3, 31), 200.0)
    milestones = generate_milestones(Shape.STEP, baseline, target, Frequency.QUARTERLY)
    span = (target[0] - baseline[0]).days
    on_the_line = {
        year: 100.0 + 100.0 * (date(year, 12, 31) - baseline[0]).days / span
        for year in (2023, 2024, 2025)
    }
    for d, value in milestones[1:-1]:
        last_year_end = d.year if (d.month, d.day) == (12, 31) else d.year - 1
        assert value == pytest.approx(on_the_line.get(last_year_end, 100.0))
    assert milestones[-1] == (date(2026, 3, 31), 200.0)
    assert len({v for _, v in milestones}) == 5  # baseline, three year ends, target


def test_a_generated_step_adds_year_ends_that_weeks_lack():
    milestones = generate_milestones(
        Shape.STEP, (date(2024, 12, 20), 0.0), (date(2025, 1, 10), 21.0), Frequency.WEEKLY
    )
    assert [d for d, _ in milestones] == [
        date(2024, 12, 20),
        date(2024, 12, 22),
        date(2024, 12, 29),
        date(2024, 12, 31),
        date(2025, 1, 5),
        date(2025, 1, 10),
    ]
    assert [v for _, v in milestones] == pytest.approx([0.0, 0.0, 0.0, 11.0, 11.0, 21.0])


@pytest.mark.parametrize("shape", list(Shape), ids=[s.value for s in Shape])
def test_a_generated_trajectory_with_the_target_equal_to_the_baseline_is_flat(shape):
    milestones = generate_milestones(
        shape, (date(2024, 1, 1), 7.5), (date(2026, 1, 1), 7.5), Frequency.QUARTERLY
    )
    assert {v for _, v in milestones} == {7.5}


@pytest.mark.parametrize(
    "target_date", [date(2024, 1, 1), date(2023, 12, 31)], ids=["same_day", "day_before"]
)
def test_it_rejects_a_target_date_not_after_the_baseline(target_date):
    with pytest.raises(ValueError, match="target date .* must be after the baseline date"):
        generate_milestones(
            Shape.LINEAR, (date(2024, 1, 1), 0.0), (target_date, 1.0), Frequency.MONTHLY
        )


@pytest.mark.parametrize("shape", list(Shape), ids=[s.value for s in Shape])
def test_generated_milestones_read_back_as_planned_values(shape):
    milestones = generate_milestones(
        shape, (date(2024, 1, 1), 0.0), (date(2026, 6, 30), 90.0), Frequency.MONTHLY
    )
    dates = [d for d, _ in milestones]
    assert planned_values(milestones, shape, dates).tolist() == [v for _, v in milestones]


def test_many_trajectories_at_once_agree_with_one_at_a_time():
    from delivery.trajectories import planned_for_many

    rng = np.random.default_rng(7)
    shapes = list(Shape)
    groups, xs, ys, chosen, at, expected = [], [], [], [], [], []
    for i in range(300):
        count = int(rng.integers(1, 6))
        days = sorted(rng.choice(np.arange(1, 2000), size=count, replace=False))
        values = rng.normal(100, 30, count)
        milestones = [(date(2020, 1, 1) + timedelta(days=int(d)), float(v))
                      for d, v in zip(days, values, strict=True)]
        shape = shapes[i % len(shapes)]
        when = date(2020, 1, 1) + timedelta(days=int(rng.integers(-100, 2200)))
        groups += [i] * count
        xs += [d.toordinal() for d, _ in milestones]
        ys += [v for _, v in milestones]
        chosen.append(shape.value)
        at.append(when.toordinal())
        expected.append(planned_value(milestones, shape, when))
    got = planned_for_many(np.array(groups), np.array(xs), np.array(ys), np.array(chosen),
                           np.array(at))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
