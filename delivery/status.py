"""A goal's computed status, as of a date, from its figures against its trajectory.

One rule grades any number of goals at once: ``classify`` (the shortfall as a share of the
goal's yardstick, then the tolerance bands). ``goal_status`` grades one goal with the same two
steps and says why in a sentence a governor can read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from delivery.i18n import _, _l, _n, formats
from delivery.trajectories import Milestone, planned_value
from delivery.vocabulary import Direction, Frequency, Shape, Status

# A shortfall exactly on a tolerance boundary counts as inside it, whatever float noise the
# trajectory arithmetic adds.
_BOUNDARY_SLACK = 1e-9

_GRADES = np.array(
    [Status.ON_TRACK, Status.SLIPPING, Status.OFF_TRACK, Status.NO_RECENT_DATA], dtype=object
)


@dataclass(frozen=True)
class GoalSpec:
    """What status and forecast need to know about a goal; RANGE goals carry their band."""

    direction: Direction
    frequency: Frequency
    baseline_value: float
    baseline_date: date
    target_value: float
    target_date: date
    target_low: float | None = None
    target_high: float | None = None
    tolerance: float = 0.05
    off_track_tolerance: float = 0.15
    reporting_lag_days: int | None = None
    unit: str = ""  # for wording only: counts are written without decimals

    def __post_init__(self) -> None:
        # Accept the plain strings the database and CSV files hold.
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "frequency", Frequency(self.frequency))
        low, high = self.target_low, self.target_high
        if self.direction is Direction.RANGE and (low is None or high is None or low > high):
            raise ValueError("a range goal needs target_low <= target_high")

    @classmethod
    def from_goal(cls, goal: Any) -> GoalSpec:
        """The spec of a Goal row (or anything with the same attributes).

        Raises ValueError naming what is missing when the goal has no baseline or target; a
        RANGE goal without a target value gets the midpoint of its band.
        """
        direction = Direction(goal.direction)
        target_value = goal.target_value
        if direction is Direction.RANGE and target_value is None and goal.target_low is not None:
            target_value = (goal.target_low + goal.target_high) / 2
        missing = [
            name
            for name, value in [
                ("baseline value", goal.baseline_value),
                ("baseline date", goal.baseline_date),
                ("target value", target_value),
                ("target date", goal.target_date),
            ]
            if value is None
        ]
        if missing:
            raise ValueError(f"goal {getattr(goal, 'code', '?')} has no {', '.join(missing)}")
        return cls(
            direction=direction,
            frequency=Frequency(goal.frequency),
            baseline_value=float(goal.baseline_value),
            baseline_date=goal.baseline_date,
            target_value=float(target_value),
            target_date=goal.target_date,
            target_low=goal.target_low,
            target_high=goal.target_high,
            tolerance=goal.tolerance,
            off_track_tolerance=goal.off_track_tolerance,
            reporting_lag_days=goal.reporting_lag_days,
            unit=getattr(goal, "unit", "") or "",
        )

    @property
    def scale(self) -> float:
        """The yardstick for shortfalls: the planned change |target - baseline|.

        A goal that promises to hold a level has no planned change, so the level |target| is the
        yardstick; only a goal to hold zero falls back to 1 (shortfalls in the indicator's units).
        """
        change = abs(self.target_value - self.baseline_value)
        if change:
            return change
        return abs(self.target_value) or 1.0

    @property
    def band_width(self) -> float:
        """Width of a RANGE goal's acceptable band; 0 for UP and DOWN goals."""
        if self.direction is not Direction.RANGE:
            return 0.0
        return float(self.target_high) - float(self.target_low)  # type: ignore[arg-type]

    @property
    def half_band(self) -> float:
        """How far either side of the planned value a RANGE goal may be."""
        return self.band_width / 2

    @property
    def shortfall_scale(self) -> float:
        """What shortfalls are a share of: the band width for RANGE goals, else ``scale``."""
        scale, _ = yardsticks(self.direction.value, self.baseline_value, self.target_value,
                              self.target_low, self.target_high)
        return float(scale)

    @property
    def lag_days(self) -> int:
        """Days after a period ends before its figure is late: the goal's own, else one period."""
        if self.reporting_lag_days is None:
            return self.frequency.days
        return self.reporting_lag_days

    def straight_line(self) -> list[Milestone]:
        """The trajectory to use when none is set: baseline to target."""
        return [(self.baseline_date, self.baseline_value), (self.target_date, self.target_value)]

    def recent_since(self, as_of: date) -> date:
        """The oldest period end still counted as recent on ``as_of``.

        A figure is late ``lag_days`` after its period ends, and by then the next period has
        also ended, so a figure goes stale once a period plus the lag have passed.
        """
        return as_of - timedelta(days=self.frequency.days + self.lag_days)


@dataclass(frozen=True)
class Observation:
    """One figure: the value for the period ending on ``period_end``."""

    period_end: date
    value: float


@dataclass(frozen=True)
class StatusResult:
    """A goal's status on ``as_of`` and the numbers behind it.

    ``planned`` is the trajectory at the latest figure's period end; ``shortfall`` is how far
    behind that plan the figure is, as a share of the goal's yardstick (<= 0: at or ahead).
    """

    status: Status
    as_of: date
    latest: Observation | None
    planned: float | None
    shortfall: float | None
    reason: str


def yardsticks(
    direction: Any, baseline: Any, target: Any, low: Any, high: Any
) -> tuple[np.ndarray, np.ndarray]:
    """(shortfall scale, half band) for many goals at once; the rule of ``GoalSpec.scale`` and
    ``GoalSpec.band_width``: the band width for RANGE goals, else the planned change, else the
    target level, else 1."""
    is_range = np.asarray(direction) == Direction.RANGE.value
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    band = np.where(is_range, np.nan_to_num(high - low), 0.0)
    target = np.asarray(target, dtype=float)
    change = np.abs(target - np.asarray(baseline, dtype=float))
    level = np.where(np.abs(target) > 0, np.abs(target), 1.0)
    scale = np.where(band > 0, band, np.where(change > 0, change, level))
    return scale, band / 2


def shortfall_share(
    direction: Any, actual: Any, planned: Any, scale: Any, half_band: Any
) -> np.ndarray:
    """How far behind plan each figure is, as a share of ``scale`` (arrays broadcast).

    UP: planned - actual; DOWN: actual - planned; RANGE: the distance outside the band
    planned +/- half_band (0 inside). Raises ValueError on an unknown direction.
    """
    d = np.asarray(direction)
    actual, planned = np.asarray(actual, dtype=float), np.asarray(planned, dtype=float)
    up, down = d == Direction.UP.value, d == Direction.DOWN.value
    in_range = d == Direction.RANGE.value
    if not np.all(up | down | in_range):
        raise ValueError(f"unknown direction among {sorted(set(d.ravel().tolist()))}")
    outside = np.maximum(np.abs(actual - planned) - np.asarray(half_band, dtype=float), 0.0)
    gap = np.where(in_range, outside, np.where(down, actual - planned, planned - actual))
    return gap / np.asarray(scale, dtype=float)


def classify(
    direction: Any,
    actual: Any,
    planned: Any,
    scale: Any,
    half_band: Any,
    tolerance: Any,
    off_track_tolerance: Any,
    stale: Any,
) -> np.ndarray:
    """The status of each goal, as an object array of ``Status`` (all inputs broadcast).

    NO_RECENT_DATA where ``stale`` or the actual or planned value is NaN; otherwise ON_TRACK up
    to ``tolerance`` of shortfall, SLIPPING up to ``off_track_tolerance``, OFF_TRACK beyond.
    Boundaries count as the better status.
    """
    share = shortfall_share(direction, actual, planned, scale, half_band)
    return _grade(share, tolerance, off_track_tolerance, stale)


def _grade(share: np.ndarray, tolerance: Any, off_track_tolerance: Any, stale: Any) -> np.ndarray:
    """Status from shortfall shares: the half of ``classify`` that ``goal_status`` shares."""
    no_data = np.asarray(stale, dtype=bool) | np.isnan(share)
    on_track = share <= np.asarray(tolerance, dtype=float) + _BOUNDARY_SLACK
    slipping = share <= np.asarray(off_track_tolerance, dtype=float) + _BOUNDARY_SLACK
    grade = np.where(no_data, 3, np.where(on_track, 0, np.where(slipping, 1, 2)))
    # Indexed through a 1-d view so a single goal still gets an array, not a bare Status.
    return _GRADES[np.atleast_1d(grade)].reshape(grade.shape)


def goal_status(
    spec: GoalSpec,
    milestones: Sequence[Milestone],
    shape: Shape,
    figures: Sequence[Observation],
    as_of: date,
) -> StatusResult:
    """The goal's status on ``as_of``, judged on its latest figure for a period ended by then.

    NO_RECENT_DATA when there is no such figure or it is stale (see ``GoalSpec.recent_since``);
    planned and shortfall are still given for a stale figure. One figure per period end.
    """
    known = [f for f in figures if f.period_end <= as_of]
    if not known:
        return StatusResult(Status.NO_RECENT_DATA, as_of, None, None, None,
                            no_figure_reason(as_of))
    latest = max(known, key=lambda f: f.period_end)
    planned = planned_value(milestones, shape, latest.period_end)
    stale = latest.period_end < spec.recent_since(as_of)
    share = shortfall_share(
        spec.direction.value, latest.value, planned, spec.shortfall_scale, spec.half_band
    )
    status = _grade(share, spec.tolerance, spec.off_track_tolerance, stale).item()
    shortfall = float(share)
    reason = explain(spec, latest, planned, shortfall, stale=stale)
    return StatusResult(status, as_of, latest, planned, shortfall, reason)


def explain(
    spec: GoalSpec, latest: Observation, planned: float, shortfall: float, *, stale: bool = False
) -> str:
    """The sentence behind a graded figure, e.g. "The figure for October 2024, 3,912, is 6% of
    the planned change behind the trajectory (3,700)."; for a stale figure, that it is stale."""
    return _stale_reason(spec, latest) if stale else _reason(spec, latest, planned, shortfall)


def no_figure_reason(as_of: date) -> str:
    """Why a goal without any figure has no recent data."""
    return _("No figure has been reported for a period ending by {date}.").format(
        date=format_date(as_of))


def no_plan_reason() -> str:
    """Why a goal without baseline and target cannot be graded."""
    return _("No baseline and target are set, so there is no trajectory to judge against.")


def format_number(x: float) -> str:
    """A figure as a reader of the current locale wants it: thousands separated, at most two
    decimals, none when the number is large or whole (``formats.number`` without a unit)."""
    return formats.number(x)


def format_date(d: date) -> str:
    """A date in the current locale: ``6 Oct 2024``, ``06/10/2024``."""
    return formats.day(d)


def period_label(period_end: date, frequency: Frequency) -> str:
    """The period a figure is for, as a sentence names it: October 2024, Q4 2024, 2024."""
    return formats.period(period_end, frequency, long=True)


def _for_period(period_end: date, frequency: Frequency) -> str:
    """``for October 2024``: the period with the preposition each language puts before it (the
    Portuguese and Spanish ones change with the period: de outubro, do 4º trimestre)."""
    label = period_label(period_end, frequency)
    if frequency is Frequency.MONTHLY:
        return _("for {month}").format(month=label)
    if frequency is Frequency.QUARTERLY:
        return _("for {quarter}").format(quarter=label)
    if frequency is Frequency.YEARLY:
        return _("for {year}").format(year=label)
    return _("for the week ending {date}").format(date=format_date(period_end))


FREQUENCY_ADJECTIVES = {
    Frequency.WEEKLY: _l("weekly"), Frequency.MONTHLY: _l("monthly"),
    Frequency.QUARTERLY: _l("quarterly"), Frequency.YEARLY: _l("yearly"),
}


def _share_words(share: float, spec: GoalSpec) -> str:
    """``6% of the planned change``; the plain amount when the yardstick is one unit."""
    if not (spec.band_width or spec.target_value != spec.baseline_value or spec.target_value):
        return format_number(abs(share))
    percent = formats.percent(abs(share))
    if round(abs(share), 2) == 0:
        percent = _("less than {percent}").format(percent=formats.percent(0.01))
    if spec.band_width:
        return _("{percent} of the band width").format(percent=percent)
    if spec.target_value != spec.baseline_value:
        return _("{percent} of the planned change").format(percent=percent)
    return _("{percent} of the target level").format(percent=percent)


def _reason(spec: GoalSpec, latest: Observation, planned: float, share: float) -> str:
    words = {"for_period": _for_period(latest.period_end, spec.frequency),
             "value": formats.number(latest.value, spec.unit),
             "planned": formats.number(planned, spec.unit)}
    if share > 0 or (spec.direction is not Direction.RANGE and share < 0):
        words["share"] = _share_words(share, spec)
    if spec.direction is Direction.RANGE:
        words["low"] = formats.number(planned - spec.half_band, spec.unit)
        words["high"] = formats.number(planned + spec.half_band, spec.unit)
        if share <= 0:
            return _("The figure {for_period}, {value}, is inside the band planned for that date "
                     "({low} to {high}).").format(**words)
        return _("The figure {for_period}, {value}, is {share} outside the band planned for "
                 "that date ({low} to {high}).").format(**words)
    if share == 0:
        return _("The figure {for_period}, {value}, is on the trajectory ({planned}).").format(
            **words)
    if share > 0:
        return _("The figure {for_period}, {value}, is {share} behind the trajectory "
                 "({planned}).").format(**words)
    return _("The figure {for_period}, {value}, is {share} ahead of the trajectory "
             "({planned}).").format(**words)


def _stale_reason(spec: GoalSpec, latest: Observation) -> str:
    days = spec.frequency.days + spec.lag_days
    return _n("The latest figure is {for_period}; a {frequency} figure counts as recent for "
              "{days} day after its period ends.",
              "The latest figure is {for_period}; a {frequency} figure counts as recent for "
              "{days} days after its period ends.", days).format(
        for_period=_for_period(latest.period_end, spec.frequency),
        frequency=FREQUENCY_ADJECTIVES[spec.frequency], days=days)
