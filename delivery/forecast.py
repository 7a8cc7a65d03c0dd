"""Forecast to the deadline: where the recent trend of a goal's figures leads, with a range."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from math import sqrt

import numpy as np

from delivery.i18n import _, formats
from delivery.status import GoalSpec, Observation, format_date, format_number, period_label
from delivery.vocabulary import Direction

DAYS_PER_YEAR = 365.25

# The 0.90 quantile of Student's t for 1 to 30 degrees of freedom, from the printed tables:
# scipy is not a dependency, and these few numbers are all an 80% interval needs.
_T90 = (
    3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372,
    1.363, 1.356, 1.350, 1.345, 1.341, 1.337, 1.333, 1.330, 1.328, 1.325,
    1.323, 1.321, 1.319, 1.318, 1.316, 1.315, 1.314, 1.313, 1.311, 1.310,
)  # fmt: skip
_Z90 = 1.2815515655446004  # the 0.90 quantile of the standard normal


@dataclass(frozen=True)
class Forecast:
    """The value expected at the deadline, its 80% range, and whether it meets the target.

    ``value`` is None when there is nothing to extrapolate from; ``low``/``high`` are None when
    the figures cannot give a range (fewer than three, or a deadline already past).
    ``points`` is the number of figures used.
    """

    value: float | None
    low: float | None
    high: float | None
    will_meet: bool | None
    pace_per_year: float | None
    points: int
    reason: str


def t_quantile_90(df: int) -> float:
    """The 0.90 quantile of Student's t with ``df`` degrees of freedom (the half-width factor
    of an 80% two-sided interval): the printed table up to 30, then the Cornish-Fisher
    expansion around the normal quantile, within 0.001 of the exact value."""
    if df < 1:
        raise ValueError("Student's t needs at least one degree of freedom")
    if df <= len(_T90):
        return _T90[df - 1]
    z = _Z90
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def meets_target(spec: GoalSpec, value: float) -> bool:
    """Whether ``value`` delivers the promise: UP at or above the target, DOWN at or below it,
    RANGE inside [target_low, target_high]."""
    if spec.direction is Direction.UP:
        return value >= spec.target_value
    if spec.direction is Direction.DOWN:
        return value <= spec.target_value
    return spec.target_low <= value <= spec.target_high  # type: ignore[operator]


def forecast_at_deadline(
    spec: GoalSpec, figures: Sequence[Observation], as_of: date, window_days: int = 730
) -> Forecast:
    """Where the goal will be on its target date, judged on ``as_of``.

    Uses the figures for periods ended by ``as_of`` and at most ``window_days`` before it: a
    least-squares line against real dates with an 80% prediction range (three figures or more);
    one figure is extrapolated at its pace since the baseline, with no range. Once the deadline
    has passed the forecast is the latest figure, in or out of the window.
    """
    known = sorted((f for f in figures if f.period_end <= as_of), key=lambda f: f.period_end)
    if not known:
        return _nothing(_("No figure has been reported for a period ending by {date}.").format(
            date=format_date(as_of)))
    if spec.target_date <= as_of:
        return _deadline_passed(spec, known[-1])
    since = as_of - timedelta(days=window_days)
    recent = [f for f in known if f.period_end >= since]
    if not recent:
        return _nothing(_("No figure for a period ending since {date}.").format(
            date=format_date(since)))
    if len({f.period_end for f in recent}) == 1:
        return _pace_since_baseline(spec, recent[-1])
    return _trend(spec, recent)


def _trend(spec: GoalSpec, recent: list[Observation]) -> Forecast:
    """Ordinary least squares through the figures, extrapolated to the target date."""
    n = len(recent)
    x = np.array([f.period_end.toordinal() for f in recent], dtype=float)
    y = np.array([f.value for f in recent], dtype=float)
    # Centring on the mean date keeps the sums small and the slope and mean independent.
    xc = x - x.mean()
    sxx = float(xc @ xc)
    slope = float(xc @ (y - y.mean())) / sxx
    x0 = spec.target_date.toordinal() - x.mean()
    value = float(y.mean() + slope * x0)
    low = high = None
    if n > 2:
        residuals = y - (y.mean() + slope * xc)
        spread = sqrt(float(residuals @ residuals) / (n - 2))
        half = t_quantile_90(n - 2) * spread * sqrt(1 + 1 / n + x0 * x0 / sxx)
        low, high = value - half, value + half
    pace = slope * DAYS_PER_YEAR
    band = (
        _("80% range {low} to {high}").format(low=_number(low, spec), high=_number(high, spec))
        if low is not None and high is not None
        else _("two figures give no range")
    )
    reason = _("On the trend of {n} figures since {since} ({pace}), the value on {deadline} "
               "would be {value} ({band}): {verdict}.").format(
        n=n, since=format_date(recent[0].period_end), pace=_pace(pace),
        deadline=format_date(spec.target_date), value=_number(value, spec), band=band,
        verdict=_verdict(spec, value, future=True))
    return Forecast(value, low, high, meets_target(spec, value), pace, n, reason)


def _pace_since_baseline(spec: GoalSpec, only: Observation) -> Forecast:
    """One figure: the straight line from the baseline through it, with no range."""
    days = only.period_end.toordinal() - spec.baseline_date.toordinal()
    if days <= 0:
        return _nothing(
            _("The only figure is for a period ending on or before the baseline date, so there "
              "is no pace to extrapolate."),
            points=1,
        )
    slope = (only.value - spec.baseline_value) / days
    value = only.value + slope * (spec.target_date.toordinal() - only.period_end.toordinal())
    pace = slope * DAYS_PER_YEAR
    reason = _("Only one figure: at its pace since the baseline ({pace}), the value on "
               "{deadline} would be {value}: {verdict}.").format(
        pace=_pace(pace), deadline=format_date(spec.target_date), value=_number(value, spec),
        verdict=_verdict(spec, value, future=True))
    return Forecast(value, None, None, meets_target(spec, value), pace, 1, reason)


def _deadline_passed(spec: GoalSpec, latest: Observation) -> Forecast:
    reason = _("The deadline ({deadline}) has passed; the latest figure, for {period}, is "
               "{value}: {verdict}.").format(
        deadline=format_date(spec.target_date),
        period=period_label(latest.period_end, spec.frequency),
        value=_number(latest.value, spec), verdict=_verdict(spec, latest.value, future=False))
    value = float(latest.value)
    return Forecast(value, None, None, meets_target(spec, value), None, 1, reason)


def _nothing(reason: str, points: int = 0) -> Forecast:
    return Forecast(None, None, None, None, None, points, reason)


def _pace(per_year: float) -> str:
    sign = "+" if per_year >= 0 else "−"
    return _("{change} a year").format(change=sign + format_number(abs(per_year)))


def _verdict(spec: GoalSpec, value: float, *, future: bool) -> str:
    """``the target 4,500 would be missed`` (``future``) or ``... was missed``, or for a range
    goal its band; whole sentences, so that each language words them its own way."""
    met = meets_target(spec, value)
    if spec.direction is Direction.RANGE:
        words = {(True, True): _("the band {low} to {high} would be met"),
                 (True, False): _("the band {low} to {high} would be missed"),
                 (False, True): _("the band {low} to {high} was met"),
                 (False, False): _("the band {low} to {high} was missed")}[(future, met)]
        return words.format(low=_number(spec.target_low, spec),  # type: ignore[arg-type]
                            high=_number(spec.target_high, spec))  # type: ignore[arg-type]
    words = {(True, True): _("the target {target} would be met"),
             (True, False): _("the target {target} would be missed"),
             (False, True): _("the target {target} was met"),
             (False, False): _("the target {target} was missed")}[(future, met)]
    return words.format(target=_number(spec.target_value, spec))


def _number(value: float, spec: GoalSpec) -> str:
    """A value of the goal's in the precision its unit deserves (counts without decimals)."""
    return formats.number(value, spec.unit)
