"""Plant known manipulations into a copy of a series, to measure whether the checks catch them.

A test helper, not a product feature. Every function takes a series (values indexed by period
end), never changes it, and returns a ``Planted``: the manipulated copy, where the manipulation
is, and what was done. Randomness comes only from ``seed``: the same call plants the same thing.
Counted series stay counted (whole, non-negative numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from delivery.quality.series import is_count, regular
from delivery.vocabulary import Direction, Frequency

SPIKE = "spike"
SHIFT = "level_shift"
BUNCH = "bunching"
FLATTEN = "flattening"
ROUND = "digit_preference"
RECLASSIFY = "reclassification"
WITHHOLD = "withheld"
MANIPULATIONS = (SPIKE, SHIFT, BUNCH, FLATTEN, ROUND, RECLASSIFY, WITHHOLD)


@dataclass(frozen=True)
class Planted:
    """A manipulated copy: ``series`` (and ``shadow`` for a reclassification), the periods
    touched (first to last), and the parameters used."""

    manipulation: str
    series: pd.Series
    periods: list[date]
    detail: dict[str, Any] = field(default_factory=dict)
    shadow: pd.Series | None = None

    @property
    def start(self) -> date:
        return self.periods[0]

    @property
    def end(self) -> date:
        return self.periods[-1]


def spike(values: pd.Series, *, size: float = 0.6, at: date | None = None,
          seed: int = 0) -> Planted:
    """One period pushed up or down (chosen by ``seed``) by ``size`` of its value."""
    rng = np.random.default_rng(seed)
    x = _copy(values)
    i = _position(x, at, rng, before=24, after=6)
    factor = 1 + size if rng.random() < 0.5 else 1 - size
    x.iloc[i] = x.iloc[i] * factor
    return _planted(SPIKE, values, x, [i], size=size, factor=factor)


def level_shift(values: pd.Series, *, size: float = 0.35, at: date | None = None,
                seed: int = 0) -> Planted:
    """Every period from ``at`` on scaled up or down by ``size``: a change of definition."""
    rng = np.random.default_rng(seed)
    x = _copy(values)
    i = _position(x, at, rng, before=24, after=12)
    factor = 1 + size if rng.random() < 0.5 else 1 - size
    x.iloc[i:] = x.iloc[i:] * factor
    return _planted(SHIFT, values, x, list(range(i, len(x))), size=size, factor=factor)


def bunch(values: pd.Series, planned: pd.Series, direction: Direction, *, periods: int = 36,
          reach: float = 0.10, margin: float = 0.01, seed: int = 0) -> Planted:
    """Over the last ``periods``, figures that missed the plan by up to ``reach`` (a share of
    the planned value) are reported as just making it, up to ``margin`` past it."""
    rng = np.random.default_rng(seed)
    x = _copy(values)
    plan = regular(planned).reindex(x.index)
    sign = 1.0 if Direction(direction) is Direction.UP else -1.0
    gap = sign * (x - plan) / plan.abs()
    window = np.arange(len(x)) >= len(x) - periods
    moved = np.flatnonzero(window & (gap < 0).to_numpy() & (gap >= -reach).to_numpy())
    past = rng.uniform(0, margin, size=moved.size)
    x.iloc[moved] = plan.iloc[moved] * (1 + sign * past)
    if is_count(values):
        x.iloc[moved] = _round_toward(x.iloc[moved], plan.iloc[moved], sign)
    return _planted(BUNCH, values, x, list(moved), reach=reach, margin=margin, moved=moved.size)


def flatten(values: pd.Series, *, periods: int = 18, keep: float = 0.15, at: date | None = None,
            seed: int = 0) -> Planted:
    """``periods`` figures from ``at`` pulled towards their moving average, keeping only
    ``keep`` of their variation: figures smoothed or estimated rather than measured."""
    rng = np.random.default_rng(seed)
    x = _copy(values)
    i = _position(x, at, rng, before=48, after=periods)
    j = min(len(x), i + periods)
    smooth = x.rolling(12, center=True, min_periods=6).mean()
    x.iloc[i:j] = smooth.iloc[i:j] + keep * (x.iloc[i:j] - smooth.iloc[i:j])
    return _planted(FLATTEN, values, x, list(range(i, j)), keep=keep)


def round_figures(values: pd.Series, *, periods: int = 24, share: float = 0.6, base: int = 5,
                  at: date | None = None, seed: int = 0) -> Planted:
    """A ``share`` of the figures over ``periods`` from ``at`` rounded to a multiple of
    ``base``: estimates passed off as counts."""
    rng = np.random.default_rng(seed)
    x = _copy(values)
    i = _position(x, at, rng, before=24, after=periods)
    j = min(len(x), i + periods)
    chosen = np.array([k for k in range(i, j) if rng.random() < share], dtype=int)
    x.iloc[chosen] = (x.iloc[chosen] / base).round() * base
    return _planted(ROUND, values, x, list(range(i, j)), share=share, base=base,
                    rounded=int(chosen.size))


def reclassify(values: pd.Series, shadow: pd.Series, direction: Direction = Direction.DOWN, *,
               share: float = 0.15, at: date | None = None, seed: int = 0) -> Planted:
    """From ``at`` on, ``share`` of the target's cases recorded under the shadow heading
    instead (for an UP target, the shadow's cases recorded as the target's)."""
    rng = np.random.default_rng(seed)
    x, y = _copy(values), _copy(shadow)
    index = x.index.intersection(y.index)
    i = _position(x.loc[index], at, rng, before=24, after=12)
    moved_on = index[i:]
    source, sink = (x, y) if Direction(direction) is not Direction.UP else (y, x)
    moved = (source.loc[moved_on] * share).round() if is_count(values) else (
        source.loc[moved_on] * share)
    source.loc[moved_on] -= moved
    sink.loc[moved_on] += moved
    periods = [ts.date() for ts in moved_on]
    return Planted(RECLASSIFY, x, periods, {"share": share}, shadow=y)


def withhold(values: pd.Series, *, latest: int = 2) -> Planted:
    """The last ``latest`` figures not reported (to be checked as of the original last period
    plus one reporting lag)."""
    x = _copy(values)
    kept = x.iloc[:-latest]
    return Planted(WITHHOLD, kept, [ts.date() for ts in x.index[-latest:]], {"latest": latest})


def _copy(values: pd.Series) -> pd.Series:
    return regular(values, Frequency.MONTHLY).astype(float).copy()


def _position(x: pd.Series, at: date | None, rng: np.random.Generator, *, before: int,
              after: int) -> int:
    """Where to plant: at ``at`` if given, else a seeded draw leaving ``before`` periods of
    history and ``after`` periods to come (or the middle of a short series)."""
    if at is not None:
        return int(x.index.searchsorted(pd.Timestamp(at)))
    low, high = before, len(x) - after
    if high <= low:
        return len(x) // 2
    return int(rng.integers(low, high + 1))


def _planted(kind: str, original: pd.Series, x: pd.Series, positions: list[int],
             **detail: Any) -> Planted:
    if is_count(original):
        x = x.round().clip(lower=0)
    periods = [x.index[k].date() for k in positions]
    return Planted(kind, x.where(regular(original).notna()), periods, detail)


def _round_toward(x: pd.Series, plan: pd.Series, sign: float) -> pd.Series:
    """Whole numbers on the good side of the plan (up for UP goals, down for DOWN goals)."""
    return np.floor(x) if sign < 0 else np.ceil(x)
