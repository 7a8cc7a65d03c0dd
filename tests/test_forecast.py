"""The forecast to the deadline: the trend, its 80% range, and whether the target will be met."""

from __future__ import annotations

from datetime import date, timedelta
from math import sqrt

import numpy as np
import pytest

from delivery.forecast import forecast_at_deadline, t_quantile_90
from delivery.status import GoalSpec, Observation


def day(n: int) -> date:
    """The 1st of January 2024 plus ``n`` days."""
    return date(2024, 1, 1) + timedelta(days=n)


def goal(direction="up", target=300.0, target_day=730, band=(None, None), baseline=10.0):
    return GoalSpec(direction, "monthly", baseline, day(0), target, day(target_day),
                    target_low=band[0], target_high=band[1])


def on_a_line(days, start=10.0, per_day=0.5) -> list[Observation]:
    return [Observation(day(d), start + per_day * d) for d in days]


MONTH_ENDS = [30, 59, 90, 120, 151, 181, 212, 243, 273, 304]
IRREGULAR = [2, 19, 74, 182, 183, 303]


@pytest.mark.parametrize(
    "days", [MONTH_ENDS, IRREGULAR], ids=["monthly_periods", "irregular_periods"]
)
def test_figures_on_a_straight_line_extrapolate_exactly_with_no_spread(days):
    forecast = forecast_at_deadline(goal(), on_a_line(days), day(310))
    assert forecast.value == pytest.approx(10.0 + 0.5 * 730)
    assert forecast.low == pytest.approx(forecast.value)
    assert forecast.high == pytest.approx(forecast.value)
    assert forecast.pace_per_year == pytest.approx(0.5 * 365.25)
    assert forecast.points == len(days)
    assert forecast.will_meet is True


def test_the_range_is_the_80_percent_prediction_interval_of_the_least_squares_line():
    noise = [3.0, -2.0, 4.5, -1.0, 0.0, -3.5, 2.0, 1.0, -4.0, 2.5]
    figures = [
        Observation(day(d), 10.0 + 0.5 * d + e) for d, e in zip(MONTH_ENDS, noise, strict=True)
    ]
    forecast = forecast_at_deadline(goal(), figures, day(310))

    x, y = np.array(MONTH_ENDS, dtype=float), np.array([f.value for f in figures])
    slope, intercept = np.polyfit(x, y, 1)
    spread = sqrt(np.sum((y - (intercept + slope * x)) ** 2) / 8)
    half = 1.397 * spread * sqrt(1 + 1 / 10 + (730 - x.mean()) ** 2 / np.sum((x - x.mean()) ** 2))
    assert forecast.value == pytest.approx(intercept + slope * 730)
    assert forecast.low == pytest.approx(intercept + slope * 730 - half)
    assert forecast.high == pytest.approx(intercept + slope * 730 + half)
    assert forecast.low < forecast.value < forecast.high


def test_two_figures_give_a_line_but_no_range():
    forecast = forecast_at_deadline(goal(), on_a_line([30, 60]), day(70))
    assert forecast.value == pytest.approx(375.0)
    assert (forecast.low, forecast.high, forecast.points) == (None, None, 2)
    assert "two figures give no range" in forecast.reason


@pytest.mark.parametrize(
    ("baseline", "figure", "value", "pace"),
    [
        (100.0, Observation(day(100), 150.0), 465.0, 0.5 * 365.25),
        (100.0, Observation(day(100), 80.0), -46.0, -0.2 * 365.25),
        (100.0, Observation(day(100), 100.0), 100.0, 0.0),
    ],
    ids=["rising_since_the_baseline", "falling_since_the_baseline", "flat_since_the_baseline"],
)
def test_one_figure_is_extrapolated_at_its_pace_since_the_baseline(baseline, figure, value, pace):
    forecast = forecast_at_deadline(goal(baseline=baseline), [figure], day(110))
    assert forecast.value == pytest.approx(value)
    assert forecast.pace_per_year == pytest.approx(pace)
    assert (forecast.low, forecast.high, forecast.points) == (None, None, 1)
    assert forecast.reason.startswith("Only one figure: at its pace since the baseline")


@pytest.mark.parametrize(
    "figure_day", [0, -20], ids=["on_the_baseline_date", "before_the_baseline_date"]
)
def test_one_figure_no_later_than_the_baseline_gives_no_forecast(figure_day):
    forecast = forecast_at_deadline(goal(), [Observation(day(figure_day), 50.0)], day(30))
    assert (forecast.value, forecast.will_meet, forecast.points) == (None, None, 1)
    assert "no pace to extrapolate" in forecast.reason


@pytest.mark.parametrize(
    ("figures", "reason"),
    [
        ([], "No figure has been reported for a period ending by 30 Jan 2024."),
        ([Observation(day(40), 5.0)], "No figure has been reported for a period ending by 30 Jan"),
        (
            [Observation(day(-800), 5.0)],
            "No figure for a period ending since 30 Jan 2022.",
        ),
    ],
    ids=["no_figures", "only_a_figure_for_a_later_period", "only_figures_outside_the_window"],
)
def test_without_usable_figures_there_is_no_forecast(figures, reason):
    forecast = forecast_at_deadline(goal(), figures, day(29))
    assert (forecast.value, forecast.low, forecast.high, forecast.will_meet) == (None,) * 4
    assert (forecast.pace_per_year, forecast.points) == (None, 0)
    assert forecast.reason.startswith(reason)


def test_only_the_figures_of_the_window_shape_the_trend():
    old_and_off_trend = [Observation(day(d), 999.0) for d in (-700, -650, -600)]
    recent = on_a_line(MONTH_ENDS)
    forecast = forecast_at_deadline(goal(), old_and_off_trend + recent, day(310), window_days=365)
    assert forecast.points == len(MONTH_ENDS)
    assert forecast.value == pytest.approx(375.0)


@pytest.mark.parametrize(
    ("direction", "target", "band", "latest", "will_meet"),
    [
        ("up", 100.0, (None, None), 104.0, True),
        ("up", 100.0, (None, None), 96.0, False),
        ("down", 100.0, (None, None), 96.0, True),
        ("down", 100.0, (None, None), 104.0, False),
        ("range", 100.0, (95.0, 105.0), 104.0, True),
        ("range", 100.0, (95.0, 105.0), 94.0, False),
    ],
    ids=["up_met", "up_missed", "down_met", "down_missed", "range_inside", "range_below"],
)
def test_after_the_deadline_the_latest_figure_is_the_forecast(
    direction, target, band, latest, will_meet
):
    spec = goal(direction, target, target_day=180, band=band)
    figures = [Observation(day(150), 50.0), Observation(day(240), latest), Observation(day(210), 1)]
    forecast = forecast_at_deadline(spec, figures, day(250), window_days=30)
    assert forecast.value == latest
    assert forecast.will_meet is will_meet
    assert (forecast.low, forecast.high, forecast.pace_per_year) == (None, None, None)
    assert forecast.reason.startswith("The deadline (29 Jun 2024) has passed; the latest figure")


@pytest.mark.parametrize(
    ("direction", "target", "band", "will_meet"),
    [
        ("up", 370.0, (None, None), True),
        ("up", 380.0, (None, None), False),
        ("down", 380.0, (None, None), True),
        ("down", 370.0, (None, None), False),
        ("range", 375.0, (370.0, 380.0), True),
        ("range", 385.0, (380.0, 390.0), False),
        ("range", 365.0, (360.0, 370.0), False),
    ],
    ids=[
        "up_above_the_target",
        "up_below_the_target",
        "down_below_the_target",
        "down_above_the_target",
        "range_inside_the_band",
        "range_below_the_band",
        "range_above_the_band",
    ],
)
def test_it_judges_the_forecast_by_the_direction_of_the_goal(direction, target, band, will_meet):
    spec = goal(direction, target, band=band)
    forecast = forecast_at_deadline(spec, on_a_line(MONTH_ENDS), day(310))
    assert forecast.value == pytest.approx(375.0)
    assert forecast.will_meet is will_meet


def test_it_explains_the_forecast_in_a_sentence():
    forecast = forecast_at_deadline(goal(target=400.0), on_a_line(MONTH_ENDS), day(310))
    assert forecast.reason == (
        "On the trend of 10 figures since 31 Jan 2024 (+183 a year), the value on 31 Dec 2025"
        " would be 375 (80% range 375 to 375): the target 400 would be missed."
    )


@pytest.mark.parametrize(
    ("df", "quantile", "within"),
    [
        (1, 3.078, 0.0),
        (2, 1.886, 0.0),
        (10, 1.372, 0.0),
        (30, 1.310, 0.0),
        (31, 1.309, 0.001),
        (60, 1.296, 0.001),
        (120, 1.289, 0.001),
        (100_000, 1.2816, 0.0001),
    ],
    ids=["df_1", "df_2", "df_10", "df_30", "df_31", "df_60", "df_120", "towards_the_normal"],
)
def test_it_knows_the_t_quantile_for_an_80_percent_interval(df, quantile, within):
    assert t_quantile_90(df) == pytest.approx(quantile, abs=within)


def test_it_refuses_a_t_quantile_without_degrees_of_freedom():
    with pytest.raises(ValueError, match="at least one degree of freedom"):
        t_quantile_90(0)
