"""Outliers: a period far from what the series' own trend and season lead one to expect.

The expectation comes from robust STL (``delivery.quality.series.decompose``). How unusual a
figure is, is a two-sided tail probability: for counts, under a negative binomial with that
expected mean and the series' own over-dispersion (so 9 against an expected 4 is judged as a
count, not as a 125% jump); for other figures, under a normal with the residuals' robust spread.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from delivery.i18n import _, formats
from delivery.quality.checks.base import (
    OUTLIER,
    Finding,
    Values,
    band,
    decomposed,
    num,
    probability,
)
from delivery.quality.checks.shifts import check_level_shift
from delivery.quality.series import Decomposition
from delivery.status import format_number, period_label
from delivery.vocabulary import Frequency

# A figure is an outlier when its two-sided tail probability is below OUTLIER_P (every period of
# every series is tested, hence a strict bar; chosen on the tuning half of the real series, see
# docs/data-quality.md; 1e-15 keeps the share of real series flagged by any check near 20%)
# and it is at least OUTLIER_MIN_CHANGE away from the expected value.
OUTLIER_P = 1e-15
OUTLIER_MIN_CHANGE = 0.35
# An outlier is one or two odd periods: a run of OUTLIER_MAX_RUN + 1 or more periods off the
# same way (each with p below OUTLIER_RUN_P) is a change of level, left to the level-shift check
# (robust STL's smooth trend lags a break, so the months after one all look odd).
OUTLIER_MAX_RUN = 1
OUTLIER_RUN_P = 1e-3
# The share of residuals whose spread sets the noise (see tail_noise).
OUTLIER_TAIL = 0.9
# Periods this close to a level shift are not outliers (the trend lags a break either side).
OUTLIER_NEAR_BREAK = 2

NB_SCALE = ("two-sided tail probability of a count this far from the expected one, under a "
            "negative binomial with the series' own over-dispersion")
NORMAL_SCALE = ("two-sided tail probability of a figure this far from the expected one, "
                "under a normal with the residuals' robust spread")


def outlier_p(d: Decomposition) -> pd.Series:
    """Per period, the two-sided tail probability of the figure given its expected value."""
    expected = d.expected.to_numpy(dtype=float)
    x = d.observed.to_numpy(dtype=float)
    noise = tail_noise(d)
    if d.count:
        mu = np.maximum(expected, 0.5)
        # over-dispersion: the residual variance on the log scale beyond what Poisson counting
        # gives (about 1 / mu there), as 1/k of a negative binomial (variance mu + mu^2 / k)
        extra = max(noise ** 2 - float(np.nanmedian(1.0 / (1.0 + mu))), 1e-6)
        k = 1.0 / extra
        with np.errstate(invalid="ignore"):
            upper = stats.nbinom.sf(x - 1, k, k / (k + mu))
            lower = stats.nbinom.cdf(x, k, k / (k + mu))
        p = np.minimum(1.0, 2 * np.minimum(upper, lower))
    else:
        z = d.residual.to_numpy(dtype=float) / np.maximum(
            np.maximum(d.floor.to_numpy(dtype=float), noise), 1e-12)
        p = 2 * stats.norm.sf(np.abs(z))
    return pd.Series(np.where(np.isfinite(x), p, np.nan), index=d.observed.index)


def tail_noise(d: Decomposition) -> float:
    """The residuals' spread as their tail shows it: the larger of the robust (MAD) spread and
    the OUTLIER_TAIL quantile of the absolute residuals over the normal's. A messy series (real
    crime counts often are) is judged against its own usual excursions, a clean one against its
    clean noise."""
    resid = np.abs(d.residual.to_numpy(dtype=float))
    resid = resid[np.isfinite(resid)]
    if resid.size == 0:
        return d.noise
    return max(d.noise, float(np.quantile(resid, OUTLIER_TAIL)) / float(
        stats.norm.ppf(0.5 + OUTLIER_TAIL / 2)))


def check_outliers(values: Values, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Periods far from what the series' own trend and season lead one to expect; see
    OUTLIER_P and OUTLIER_MIN_CHANGE. A December that is always high is not odd."""
    frequency = Frequency(frequency)
    d = decomposed(values, frequency)
    if not np.isfinite(d.noise):
        return []
    p = outlier_p(d)
    expected = d.expected
    change = d.observed / expected.where(expected.abs() > 0) - 1
    hits = (p <= OUTLIER_P) & (change.abs() >= OUTLIER_MIN_CHANGE) & _isolated(p, change)
    positions = [int(i) for i in np.flatnonzero(hits.fillna(False).to_numpy())]
    if positions:  # a period next to a break is the break, seen through a lagging trend
        breaks = [f.period_end for f in check_level_shift(d, frequency)]
        index = d.observed.index
        positions = [i for i in positions if not any(
            abs((index[i].date() - at).days) <= OUTLIER_NEAR_BREAK * 31 for at in breaks)]
    findings = []
    for i in positions:
        ts = d.observed.index[i]
        value, exp, chg = d.observed.iloc[i], expected.iloc[i], change.iloc[i]
        same = _same_season(d, ts)
        words = {"period": period_label(ts.date(), frequency), "value": format_number(value),
                 "share": formats.percent(abs(chg)), "expected": format_number(exp),
                 "one_in": _one_in(p.iloc[i])}
        template = (_("The figure for {period}, {value}, is {share} above what the series' own "
                      "trend and season lead one to expect (about {expected}); a figure this "
                      "far off would turn up by chance about once in {one_in} periods")
                    if chg > 0 else
                    _("The figure for {period}, {value}, is {share} below what the series' own "
                      "trend and season lead one to expect (about {expected}); a figure this "
                      "far off would turn up by chance about once in {one_in} periods"))
        reason = template.format(**words)
        if same:
            low, high = min(same.values()), max(same.values())
            reason += _("; the same period in other years ranged from {low} to {high}").format(
                low=format_number(low), high=format_number(high))
        evidence = {"moved": "this period's figure", "value": num(value),
                    "expected": num(exp), "change": num(chg), "score": probability(p.iloc[i]),
                    "scale": NB_SCALE if d.count else NORMAL_SCALE,
                    "same_season_other_years": same, "band": band(d, int(i))}
        findings.append(Finding(OUTLIER, ts.date(), reason + ".", evidence))
    return findings


def _isolated(p: pd.Series, change: pd.Series) -> pd.Series:
    """Whether each period is outside any run of more than OUTLIER_MAX_RUN periods that are
    all odd (p below OUTLIER_RUN_P) in the same direction."""
    odd = (p <= OUTLIER_RUN_P).to_numpy() & np.isfinite(change.to_numpy())
    sign = np.sign(change.fillna(0).to_numpy())
    ok = np.ones(len(odd), dtype=bool)
    start = 0
    for k in range(1, len(odd) + 1):
        if k == len(odd) or not odd[k] or not odd[start] or sign[k] != sign[start]:
            if odd[start] and k - start > OUTLIER_MAX_RUN:
                ok[start:k] = False
            start = k
    return pd.Series(ok, index=p.index)


def _one_in(p: float) -> str:
    return _("a million or more") if p < 1e-6 else format_number(round(1 / max(p, 1e-12)))


def _same_season(d: Decomposition, ts: pd.Timestamp) -> dict[str, float]:
    if d.season <= 1:
        return {}
    position = d.observed.index.get_loc(ts)
    values = d.observed.to_numpy(dtype=float)
    same = [k for k in range(position % d.season, len(values), d.season)
            if k != position and np.isfinite(values[k])]
    return {str(d.observed.index[k].date()): float(values[k]) for k in same}
