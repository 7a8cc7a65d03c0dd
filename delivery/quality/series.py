"""What the data-quality checks share: a series on a regular calendar, its split into trend,
seasonal pattern and residual (robust STL), robust spreads, and two small tail probabilities.

Counted data (non-negative integers) are looked at on a log scale, ``log(1 + x)``, so that a
change means the same at 20 a month as at 2,000 a month; the counting noise a Poisson count
would have there is kept as a floor under every spread, so that small counts are not judged
more precisely than counting allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.tsa.seasonal import STL

from delivery.vocabulary import Frequency

SEASON = {Frequency.WEEKLY: 52, Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4,
          Frequency.YEARLY: 1}
PERIODS = {Frequency.WEEKLY: "W-SUN", Frequency.MONTHLY: "M", Frequency.QUARTERLY: "Q-DEC",
           Frequency.YEARLY: "Y-DEC"}
PERIOD_ENDS = {Frequency.WEEKLY: "W-SUN", Frequency.MONTHLY: "ME", Frequency.QUARTERLY: "QE-DEC",
               Frequency.YEARLY: "YE-DEC"}
MAD_TO_SD = 1.4826  # the MAD of a normal sample times this estimates its standard deviation
# Fewer complete seasons than this and no seasonal pattern is estimated (it would be noise).
MIN_SEASONS = 3
# Robust STL's iterations: statsmodels' defaults are 2 inner and 15 outer; 5 outer ones settle
# the robustness weights of monthly series as well, at a third of the time.
STL_INNER = 2
STL_OUTER = 5


def regular(values: pd.Series, frequency: Frequency = Frequency.MONTHLY) -> pd.Series:
    """The values on every period end from the first figure to the last, NaN where none came.

    Accepts an index of dates, Timestamps or strings; the result is float, sorted, and indexed by
    Timestamps of period ends (so a missing month is a NaN, never a silently closed gap).
    """
    frequency = Frequency(frequency)
    index = values.index
    if isinstance(index, pd.DatetimeIndex) and index.freqstr == PERIOD_ENDS[frequency]:
        # already regular (what this function returns): only trim to the first and last figure
        present = np.flatnonzero(values.notna().to_numpy())
        if present.size == 0:
            return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
        return values.iloc[present[0]:present[-1] + 1].astype(float)
    clean = pd.Series(values, dtype=float).dropna()
    if clean.empty:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    periods = pd.PeriodIndex(pd.to_datetime(clean.index), freq=PERIODS[frequency])
    clean = pd.Series(clean.to_numpy(), index=periods).sort_index()
    clean = clean[~clean.index.duplicated(keep="last")]
    full = pd.period_range(periods.min(), periods.max(), freq=periods.freq)
    return clean.reindex(full).set_axis(_ends(full, frequency))


def _ends(periods: pd.PeriodIndex, frequency: Frequency) -> pd.DatetimeIndex:
    """The last day of each period, as an index that knows its frequency (months by numpy
    arithmetic: pandas' own conversion is slow)."""
    if frequency is Frequency.MONTHLY:
        months = periods.asi8 + 1  # Period ordinals count months from January 1970
        ends = months.astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
        return pd.DatetimeIndex(ends.astype("datetime64[us]"), freq=PERIOD_ENDS[frequency])
    ends = periods.to_timestamp(how="end").normalize()
    return pd.DatetimeIndex(ends, freq=PERIOD_ENDS[frequency])


def is_count(values: pd.Series) -> bool:
    """Whether the figures look counted: all non-negative whole numbers."""
    finite = values.dropna().to_numpy(dtype=float)
    return bool(finite.size) and bool(np.all(finite >= 0) and np.all(finite == np.round(finite)))


def to_scale(values: pd.Series | np.ndarray, positive: bool) -> np.ndarray:
    """The scale the checks compare on: ``log(1 + x)`` for non-negative data, else as is."""
    arr = np.asarray(values, dtype=float)
    return np.log1p(arr) if positive else arr


def from_scale(y: pd.Series | np.ndarray, positive: bool) -> np.ndarray:
    arr = np.asarray(y, dtype=float)
    return np.expm1(arr) if positive else arr


def robust_sd(x: np.ndarray | pd.Series) -> float:
    """The spread of ``x`` from its median absolute deviation (NaN-safe; 0 when flat)."""
    arr = np.asarray(x, dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return float("nan")
    return float(MAD_TO_SD * np.median(np.abs(arr - np.median(arr))))


@dataclass(frozen=True)
class Decomposition:
    """A series split as ``scaled = level + seasonal + residual`` (all on the check scale).

    ``noise`` is the robust spread of the residual; ``floor`` is, per period, the spread a
    Poisson count of the expected size would have on this scale (zeros for non-count data).
    """

    observed: pd.Series
    scaled: pd.Series
    level: pd.Series
    seasonal: pd.Series
    residual: pd.Series
    noise: float
    floor: pd.Series
    count: bool
    positive: bool
    season: int

    @property
    def expected(self) -> pd.Series:
        """What each period would have been on the series' own level and season, in units."""
        values = from_scale(self.level + self.seasonal, self.positive)
        return pd.Series(values, index=self.observed.index)

    @property
    def spread(self) -> pd.Series:
        """The noise to judge each period's residual against: never below counting noise."""
        return np.maximum(self.floor, self.noise)


def decompose(values: pd.Series, frequency: Frequency = Frequency.MONTHLY) -> Decomposition:
    """Split a series into a trend, a seasonal pattern and what is left, by robust STL
    (Cleveland et al. 1990, statsmodels' ``STL(robust=True)``) on the check scale.

    Robust STL downweights the very periods the checks look for (a spike, the months around a
    break), so they stay in the residual instead of bending the trend and the season. Gaps are
    bridged by straight lines for the fit only (their residual stays NaN). With fewer than
    MIN_SEASONS complete seasons no seasonal pattern is estimated (it would be noise) and the
    trend is a centred moving median.
    """
    observed = regular(values, frequency)
    season = SEASON[Frequency(frequency)]
    count = is_count(observed)
    positive = bool(observed.dropna().ge(0).all())
    scaled = pd.Series(to_scale(observed, positive), index=observed.index)
    seasonal = pd.Series(0.0, index=observed.index)
    present = scaled.notna()
    if season > 1 and present.sum() >= MIN_SEASONS * season and len(scaled) > 2 * season:
        filled = scaled.interpolate(limit_direction="both").to_numpy(dtype=float)
        fit = STL(filled, period=season, robust=True).fit(inner_iter=STL_INNER,
                                                          outer_iter=STL_OUTER)
        seasonal = pd.Series(fit.seasonal, index=observed.index)
        level = pd.Series(fit.trend, index=observed.index)
    else:
        level = _moving_median(scaled, season)
    residual = scaled - level - seasonal
    floor = pd.Series(_count_floor(level + seasonal, positive) if count else 0.0,
                      index=observed.index)
    return Decomposition(observed, scaled, level, seasonal, residual, robust_sd(residual),
                         floor, count, positive, season)


def _moving_median(y: pd.Series, season: int) -> pd.Series:
    window = season + 1 if season % 2 == 0 else season + 2
    window = max(window, 5)
    return y.rolling(window, center=True, min_periods=window // 2 + 1).median()


def _count_floor(expected_scaled: pd.Series, positive: bool) -> np.ndarray:
    """Spread of ``log(1 + X)`` for X ~ Poisson(lambda): about sqrt(lambda) / (1 + lambda)."""
    lam = np.maximum(from_scale(expected_scaled, positive), 1.0)
    return np.sqrt(lam) / (1.0 + lam)


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), exactly (n is at most a few hundred here)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    terms = [
        math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p
        + (n - i) * log_q
        for i in range(k, n + 1)
    ]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def chi_square_tail(statistic: float, df: int) -> float:
    """P(chi-square with ``df`` degrees of freedom >= statistic), by the Wilson-Hilferty cube
    root approximation (good to a few per cent of the probability far into the tail)."""
    if statistic <= 0:
        return 1.0
    c = 2.0 / (9.0 * df)
    z = ((statistic / df) ** (1.0 / 3.0) - (1.0 - c)) / math.sqrt(c)
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def normal_tail(z: float) -> float:
    """P(Z >= z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))
