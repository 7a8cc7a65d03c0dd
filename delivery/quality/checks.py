"""The data-quality checks: pure functions from a goal's figures to findings.

Each check takes a pandas Series of values indexed by period end (dates or Timestamps; missing
periods simply absent) and returns a list of ``Finding``: what kind of doubt, the period it is
about, a sentence an analyst can read, and the numbers behind it (JSON-ready). Nothing here
touches the database or the clock: ``as_of`` is passed in.

The thresholds are module constants, chosen on the real SINESP and ISP-RJ monthly series so that
untouched series are rarely flagged (bench/quality_on_real_series.py measures that, and what is
caught when manipulations are planted; docs/data-quality.md has the figures).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from delivery.quality.series import (
    MAD_TO_SD,
    PERIODS,
    Decomposition,
    binomial_tail,
    chi_square_tail,
    decompose,
    regular,
)
from delivery.status import format_date, format_number, period_label
from delivery.vocabulary import Direction, Frequency

LATE = "late"
MISSING = "missing"
OUTLIER = "outlier"
LEVEL_SHIFT = "level_shift"
BUNCHING = "bunching"
VARIANCE_COLLAPSE = "variance_collapse"
DIGITS = "digit_pattern"
SHADOW = "shadow_divergence"
KINDS = (LATE, MISSING, OUTLIER, LEVEL_SHIFT, BUNCHING, VARIANCE_COLLAPSE, DIGITS, SHADOW)

# Outlier: the period's distance from its own level and season, in robust standard deviations
# of the series' residuals (never less than counting noise), and as a share of the expected value.
OUTLIER_Z = 6.0
OUTLIER_MIN_CHANGE = 0.35

# Level shift: a straight line with a step, fitted over SHIFT_WINDOW periods either side of each
# candidate break (one year, so that the seasons cancel); the step must be SHIFT_T standard
# errors, change the level by SHIFT_MIN_CHANGE, and still hold in the second half of the after
# window. At the end of a series a break is looked for once SHIFT_MIN_AFTER periods are in.
SHIFT_WINDOW = 12
SHIFT_MIN_AFTER = 6
SHIFT_T = 6.0
SHIFT_MIN_CHANGE = 0.25

# Bunching: in any BUNCH_WINDOW periods, among the figures within a narrow band of the plan
# (the series' own noise, kept between 2% and 10% of the planned value), how many are just on
# the good side against just on the bad side; a smooth series puts about as many on each. Fires
# on BUNCH_MIN_GOOD or more just past, BUNCH_RATIO times as many as just missed, and a one-sided
# binomial p below BUNCH_P. For counts, only periods where the band spans BUNCH_MIN_UNITS whole
# numbers on each side are judged (a plan of 3.1 a month would make every 3 "just made it").
BUNCH_WINDOW = 36
BUNCH_MIN_UNITS = 3
BUNCH_BAND_NOISE = 1.0
BUNCH_BAND = (0.02, 0.10)
BUNCH_MIN_GOOD = 6
BUNCH_RATIO = 3.0
BUNCH_P = 1e-3

# Variance collapse: the spread of period-on-period changes over COLLAPSE_WINDOW periods falls
# below COLLAPSE_RATIO of its own median over the previous COLLAPSE_HISTORY windows; for counts
# it must also fall below the counting (Poisson) noise, which real counts practically never do,
# and the count must be at least COLLAPSE_MIN_LEVEL a period.
COLLAPSE_WINDOW = 12
COLLAPSE_HISTORY = 36
COLLAPSE_RATIO = 0.35
COLLAPSE_MIN_LEVEL = 10.0

# Digits, for counted data only, in every stretch of DIGIT_WINDOW periods: the share ending in
# 0 or 5 (1 in 5 expected once values reach DIGIT_MIN_VALUE_05) and the chi-square of the ten
# last digits (close to uniform once values reach DIGIT_MIN_VALUE_CHI); p below DIGIT_P, a
# strict bar because every stretch of every series is tested.
DIGIT_WINDOW = 24
DIGIT_MIN_VALUE_05 = 10
DIGIT_MIN_VALUE_CHI = 30
DIGIT_MIN_N = 12
DIGIT_P = 1e-5
DIGIT_MIN_SHARE_05 = 0.4

# Shadow divergence: the last 12 periods against the 12 before (same seasons), for the target
# and its shadow. Fires when the target improved, the shadow moved the other way by at least
# SHADOW_MIN_MOVE, and the gap between the two changes is SHADOW_Z beyond both counting noise
# and the gaps the pair has shown in the rest of its history (at least SHADOW_MIN_HISTORY
# windows that do not overlap this one).
SHADOW_WINDOW = 12
SHADOW_MIN_MOVE = 0.2
SHADOW_MIN_HISTORY = 12
SHADOW_Z = 5.0


# A series of figures by period end, or its decomposition (which check_all computes once and
# hands to every check, so that no check splits the same series again).
Values: TypeAlias = pd.Series | Decomposition


@dataclass(frozen=True)
class Finding:
    """A reason to doubt a figure or a stretch of figures; ``period_end`` is the period it is
    about (for a stretch, where it starts or was first visible); ``evidence`` is JSON-ready."""

    kind: str
    period_end: date
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)


def check_late(values: Values, as_of: date, frequency: Frequency = Frequency.MONTHLY,
               lag_days: int | None = None) -> list[Finding]:
    """The next figure after the latest one, if it is late on ``as_of``: more than the lag
    (``lag_days``, else one reporting period) has passed since its period ended.

    One finding per overdue stretch, about its first period, so the same late figure is the
    same finding every day until it comes. No figures at all: nothing to say here.
    """
    frequency = Frequency(frequency)
    observed = _observed(values, frequency)
    if observed.empty:
        return []
    lag = frequency.days if lag_days is None else lag_days
    last = observed.index[-1]
    due = [p for p in _next_periods(last, frequency, as_of) if p + timedelta(days=lag) < as_of]
    if not due:
        return []
    first, due_by = due[0], due[0] + timedelta(days=lag)
    reason = (
        f"No figure for {period_label(first, frequency)} yet: it was due by "
        f"{format_date(due_by)}, {lag} days after the period ended"
        + (f", and {_count(len(due), frequency)} are now overdue." if len(due) > 1 else ".")
    )
    evidence = {"last_period": last.date().isoformat(), "due_by": due_by.isoformat(),
                "overdue_periods": [p.isoformat() for p in due], "lag_days": lag}
    return [Finding(LATE, first, reason, evidence)]


def check_missing(values: Values, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Gaps inside the history: periods with no figure although earlier and later ones came.
    One finding per gap, about its first period."""
    frequency = Frequency(frequency)
    observed = _observed(values, frequency)
    findings = []
    for gap in _runs(observed.isna().to_numpy()):
        periods = [ts.date() for ts in observed.index[gap]]
        span = period_label(periods[0], frequency)
        if len(periods) > 1:
            span += f" to {period_label(periods[-1], frequency)}"
        reason = (f"No figure was ever reported for {span} ({_count(len(periods), frequency)}), "
                  "although later ones were.")
        findings.append(Finding(MISSING, periods[0], reason,
                                {"missing_periods": [p.isoformat() for p in periods]}))
    return findings


def check_outliers(values: Values, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Periods far from what the series' own level and season lead one to expect.

    The expectation is the moving median level plus the month's usual seasonal distance (so a
    December that is always high is not odd); see ``OUTLIER_Z`` and ``OUTLIER_MIN_CHANGE``.
    """
    frequency = Frequency(frequency)
    d = _decomposed(values, frequency)
    z = d.residual / d.spread
    expected = d.expected
    change = d.observed / expected.where(expected.abs() > 0) - 1
    hits = (z.abs() >= OUTLIER_Z) & (change.abs() >= OUTLIER_MIN_CHANGE)
    findings = []
    for ts in d.observed.index[hits.fillna(False).to_numpy()]:
        value, exp, chg = d.observed[ts], expected[ts], change[ts]
        same = _same_season(d, ts)
        reason = (
            f"The figure for {period_label(ts.date(), frequency)}, {format_number(value)}, is "
            f"{abs(chg):.0%} {'above' if chg > 0 else 'below'} what the series' own level and "
            f"season lead one to expect (about {format_number(exp)})"
        )
        if same:
            low, high = min(same.values()), max(same.values())
            reason += (f"; the same {_season_word(frequency)} in other years ranged from "
                       f"{format_number(low)} to {format_number(high)}")
        evidence = {"value": _num(value), "expected": _num(exp), "change": _num(chg),
                    "z": _num(z[ts]), "same_season_other_years": same}
        findings.append(Finding(OUTLIER, ts.date(), reason + ".", evidence))
    return findings


def check_level_shift(values: Values,
                      frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Abrupt, lasting breaks in level, as a change in how the indicator is counted would make.

    A gradual trend is absorbed by the fitted line, a single odd period by winsorising, and a
    dip that recovers by the persistence rule; see the SHIFT_* constants.
    """
    frequency = Frequency(frequency)
    d = _decomposed(values, frequency)
    limit = 4.0 * d.spread
    adjusted = (d.level + d.residual.clip(-limit, limit)).to_numpy(dtype=float)
    stats = _step_statistics(adjusted)
    findings = []
    for i, step in _peaks(stats, d):
        t = stats[i, 1]
        before = d.observed.iloc[max(0, i - SHIFT_WINDOW):i]
        after = d.observed.iloc[i:i + SHIFT_WINDOW]
        ts = d.observed.index[i]
        old, new = float(np.nanmedian(before)), float(np.nanmedian(after))
        change = _relative(step, d.positive, old)
        reason = (
            f"From {period_label(ts.date(), frequency)} the figures sit about {abs(change):.0%} "
            f"{'higher' if change > 0 else 'lower'} than before (typically "
            f"{format_number(new)} a {_season_word(frequency)}, against {format_number(old)}) "
            "and have stayed there; "
            "a change this abrupt often means the indicator started being counted differently."
        )
        evidence = {"before_level": _num(old), "after_level": _num(new), "change": _num(change),
                    "t": _num(t), "before_from": before.index[0].date().isoformat(),
                    "after_to": after.index[-1].date().isoformat()}
        findings.append(Finding(LEVEL_SHIFT, ts.date(), reason, evidence))
    return findings


def check_bunching(values: Values, planned: pd.Series, direction: Direction,
                   frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Figures landing just on the good side of the plan (trajectory milestones or the target)
    far more often than just on the bad side, in any stretch of BUNCH_WINDOW periods.
    ``planned`` is the plan per period end. One finding per run of such stretches, about the
    first figure that just made it in the first of them.

    RANGE goals are not checked (their good side is a band, not a line).
    """
    frequency, direction = Frequency(frequency), Direction(direction)
    if direction is Direction.RANGE:
        return []
    d = _decomposed(values, frequency)
    if not np.isfinite(d.spread).any():
        return []  # too short to know how the figures vary
    plan = regular(planned, frequency).reindex(d.observed.index)
    sign = 1.0 if direction is Direction.UP else -1.0
    gap = sign * (d.observed - plan) / plan.abs().where(plan.abs() > 0)
    band = float(np.clip(BUNCH_BAND_NOISE * np.nanmedian(d.spread), *BUNCH_BAND))
    if d.count:  # whole numbers are lumpy: each side of the band must hold a few of them
        gap = gap.where(band * plan.abs() >= BUNCH_MIN_UNITS)
    made = ((gap >= 0) & (gap < band)).to_numpy()
    missed = ((gap < 0) & (gap >= -band)).to_numpy()
    w = BUNCH_WINDOW
    tests = [_bunch_window(made[i:i + w], missed[i:i + w])
             for i in range(max(1, len(gap) - w + 1))]
    findings = []
    for run in _runs(np.array([t is not None for t in tests])):
        i = int(run[0])
        best = min((t for k in run if (t := tests[int(k)]) is not None), key=lambda t: t[2])
        hits = gap.iloc[i:i + w]
        just_made = hits[made[i:i + w]]
        just_missed = hits[missed[i:i + w]]
        n_made, n_missed, p = best
        reason = (
            f"{n_made} figures in {_count(w, frequency)} landed within {band:.0%} on the good "
            f"side of the plan, but only {n_missed} within {band:.0%} on the bad side; figures "
            "that vary as these do would fall about as often on either side, unless they are "
            "being steered to just make it."
        )
        evidence = {"band": _num(band), "just_made": n_made, "just_missed": n_missed,
                    "p": _num(p), "window_from": hits.index[0].date().isoformat(),
                    "periods_just_made": [ts.date().isoformat() for ts in just_made.index],
                    "periods_just_missed": [ts.date().isoformat() for ts in just_missed.index]}
        findings.append(Finding(BUNCHING, just_made.index[0].date(), reason, evidence))
    return findings


def check_variance_collapse(values: Values,
                            frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Stretches where the figures suddenly vary far less from one period to the next than
    they used to (and, for counts, less than counting alone makes them vary): figures smoothed,
    copied forward or estimated. One finding per stretch, about the period where it first shows.

    The spread is the root mean square of period-on-period changes on the check scale (each
    capped at three times the typical change, so one jump does not hide a flat year), over
    COLLAPSE_WINDOW periods, against its median over the COLLAPSE_HISTORY windows before.
    """
    frequency = Frequency(frequency)
    d = _decomposed(values, frequency)
    change = d.scaled.diff()
    typical = MAD_TO_SD * float(np.nanmedian(change.abs())) if change.notna().any() else 0.0
    capped = change.clip(-3 * typical, 3 * typical)
    w = COLLAPSE_WINDOW
    spread = np.sqrt((capped**2).rolling(w, min_periods=w - 2).mean() / 2)
    usual = spread.shift(w).rolling(COLLAPSE_HISTORY, min_periods=COLLAPSE_HISTORY * 2 // 3
                                    ).median()
    low = spread < COLLAPSE_RATIO * usual
    if d.count:
        level = d.expected.rolling(w, min_periods=1).median()
        low &= (spread < d.floor) & (level >= COLLAPSE_MIN_LEVEL)
    findings = []
    for run in _runs(low.fillna(False).to_numpy()):
        i = int(run[0])
        ts, start = d.observed.index[i], d.observed.index[max(0, i - w + 1)]
        ratio = spread.iloc[i] / usual.iloc[i]
        reason = (
            f"In the {_count(w, frequency)} to {period_label(ts.date(), frequency)} the figures "
            f"moved {1 - ratio:.0%} less from one {_season_word(frequency)} to the next than "
            "they used to"
            + (", and less than counting alone would make them move" if d.count else "")
            + "; figures that are smoothed, copied forward or estimated look like this."
        )
        evidence = {"window_from": start.date().isoformat(), "spread": _num(spread.iloc[i]),
                    "usual_spread": _num(usual.iloc[i]), "ratio": _num(ratio),
                    "counting_noise": _num(d.floor.iloc[i]) if d.count else None,
                    "periods": len(run)}
        findings.append(Finding(VARIANCE_COLLAPSE, ts.date(), reason, evidence))
    return findings


def check_digits(values: Values, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Last digits unlikely in counted data, in any stretch of DIGIT_WINDOW periods: too many
    ending in 0 or 5 (rounding; values of DIGIT_MIN_VALUE_05 or more), or last digits far from
    even (chi-square; values of DIGIT_MIN_VALUE_CHI or more, where the last digit of a count is
    close to uniform). One finding per run of such stretches, about where the first begins.

    First-digit (Benford) tests are deliberately absent: monthly counts of one indicator span
    far less than the orders of magnitude Benford's law needs.
    """
    frequency = Frequency(frequency)
    observed = _observed(values, frequency)
    x = observed.to_numpy(dtype=float)
    finite = np.isfinite(x)
    if not finite.any() or np.any(x[finite] < 0) or np.any(x[finite] != np.round(x[finite])):
        return []
    last = np.where(finite, np.nan_to_num(x) % 10, -1).astype(np.int64)
    w = min(DIGIT_WINDOW, len(x))
    use_05 = finite & (x >= DIGIT_MIN_VALUE_05)
    n05 = _window_sums(use_05, w)
    k05 = _window_sums(use_05 & np.isin(last, (0, 5)), w)
    tally = _window_sums((last[:, None] == np.arange(10)) & (finite & (x >= DIGIT_MIN_VALUE_CHI)
                                                             )[:, None], w)
    n_chi = tally.sum(axis=1)
    expected = np.maximum(n_chi, 1)[:, None] / 10
    chi2 = np.where(n_chi >= DIGIT_MIN_N, ((tally - expected) ** 2 / expected).sum(axis=1), 0.0)
    p_chi = np.array([chi_square_tail(c, 9) for c in chi2])
    p05 = np.ones(len(n05))
    maybe = (n05 >= DIGIT_MIN_N) & (k05 >= DIGIT_MIN_SHARE_05 * n05)
    p05[maybe] = [binomial_tail(int(k), int(n), 0.2) for k, n in zip(k05[maybe], n05[maybe],
                                                                       strict=True)]
    rounded = p05 <= DIGIT_P
    fired = rounded | (p_chi <= DIGIT_P)
    findings = []
    for run in _runs(fired):
        best = int(run[np.argmin(np.minimum(p05, p_chi)[run])])
        window = {
            "from": observed.index[best].date().isoformat(),
            "to": observed.index[best + w - 1].date().isoformat(),
            "n": int(n05[best]), "ending_0_or_5": int(k05[best]), "p_0_or_5": _num(p05[best]),
            "last_digit_counts": tally[best].astype(int).tolist(),
            "chi_square": _num(chi2[best]), "p_chi_square": _num(p_chi[best]),
        }
        first = observed.index[int(run[0])].date()
        findings.append(Finding(DIGITS, first, _digit_reason(window, bool(rounded[best]),
                                                             frequency), window))
    return findings


def _window_sums(flags: np.ndarray, w: int) -> np.ndarray:
    """Sums over every window of ``w`` consecutive rows (one row per window start)."""
    totals = np.cumsum(np.concatenate([np.zeros((1, *flags.shape[1:])), flags]), axis=0)
    return totals[w:] - totals[:-w]


def _digit_reason(window: dict[str, Any], rounded: bool, frequency: Frequency) -> str:
    span = (f"{period_label(date.fromisoformat(window['from']), frequency)} to "
            f"{period_label(date.fromisoformat(window['to']), frequency)}")
    if rounded:
        return (f"From {span}, {window['ending_0_or_5']} of {window['n']} figures end in 0 or "
                "5, where about 1 in 5 would in counted data: the figures look rounded or "
                "estimated rather than counted.")
    tally = window["last_digit_counts"]
    common = int(np.argmax(tally))
    return (f"From {span}, the last digits of the {sum(tally)} figures are far from evenly "
            f"spread ({tally[common]} end in {common}, where about {sum(tally) / 10:.0f} "
            "would); counted data rarely prefer a digit like this.")

def check_shadow(values: Values, shadow: Values, direction: Direction,
                 frequency: Frequency = Frequency.MONTHLY, shadow_name: str = "its shadow"
                 ) -> list[Finding]:
    """The targeted indicator improving while a paired indicator that should move with it
    moves the other way, more than counting noise and the pair's own history allow: the
    signature of cases reclassified out of the target (e.g. homicides recorded as bodily
    harm followed by death, robberies recorded as thefts). One finding per episode, about the
    first 12-period window in which it shows."""
    frequency, direction = Frequency(frequency), Direction(direction)
    if direction is Direction.RANGE:
        return []
    x, y = _observed(values, frequency), _observed(shadow, frequency)
    if x.empty or y.empty:
        return []
    index = x.index.union(y.index)
    x, y = x.reindex(index), y.reindex(index)
    both = x.notna() & y.notna()
    w = SHADOW_WINDOW
    n = both.astype(float).rolling(w, min_periods=1).sum()
    per_window = w / n.where(n >= w - 2)
    sx = x.where(both).rolling(w, min_periods=w - 2).sum() * per_window
    sy = y.where(both).rolling(w, min_periods=w - 2).sum() * per_window
    sign = 1.0 if direction is Direction.DOWN else -1.0
    dx = np.log((sx + 0.5) / (sx.shift(w) + 0.5))
    dy = np.log((sy + 0.5) / (sy.shift(w) + 0.5))
    gap = sign * (dy - dx)
    noise = np.sqrt(sum(1.0 / (s + 0.5) for s in (sx, sx.shift(w), sy, sy.shift(w))))
    z_count = gap / noise if _counts(x) and _counts(y) else gap * np.inf
    z_hist = _against_history(gap, 2 * w)
    fires = ((sign * dx < 0) & (sign * dy >= np.log1p(SHADOW_MIN_MOVE))
             & (z_count >= SHADOW_Z) & (z_hist >= SHADOW_Z))
    findings = []
    for run in _runs(fires.fillna(False).to_numpy()):
        i = int(run[0])
        ts = index[i]
        tx, ty = float(np.expm1(dx.iloc[i])), float(np.expm1(dy.iloc[i]))
        label = period_label(ts.date(), frequency)
        reason = (
            f"Over the {_count(w, frequency)} to {label} the figure "
            f"{'fell' if tx < 0 else 'rose'} {abs(tx):.0%} ({format_number(sx.iloc[i])}, from "
            f"{format_number(sx.iloc[i - w])}) while {shadow_name}, which should move with it, "
            f"{'rose' if ty > 0 else 'fell'} {abs(ty):.0%} ({format_number(sy.iloc[i])}, from "
            f"{format_number(sy.iloc[i - w])}); the two have not parted like this before. "
            "Cases recorded under the other heading would look like this."
        )
        evidence = {
            "shadow": shadow_name, "window_to": ts.date().isoformat(),
            "target_before": _num(sx.iloc[i - w]), "target_after": _num(sx.iloc[i]),
            "shadow_before": _num(sy.iloc[i - w]), "shadow_after": _num(sy.iloc[i]),
            "target_change": _num(tx), "shadow_change": _num(ty),
            "z_counting": _num(min(z_count.iloc[i], 1e6)), "z_history": _num(z_hist.iloc[i]),
            "periods": len(run),
        }
        findings.append(Finding(SHADOW, ts.date(), reason, evidence))
    return findings


def check_all(values: pd.Series, *, as_of: date | None = None,
              frequency: Frequency = Frequency.MONTHLY, lag_days: int | None = None,
              planned: pd.Series | None = None, direction: Direction = Direction.DOWN,
              shadows: Mapping[str, pd.Series] | None = None) -> list[Finding]:
    """Every check that applies, in the order of ``KINDS``: late only with ``as_of``,
    bunching only with ``planned`` (the plan per period end), shadow divergence only with
    ``shadows`` (shadow name -> its series)."""
    findings: list[Finding] = []
    if as_of is not None:
        findings += check_late(values, as_of, frequency, lag_days)
    if values.dropna().empty:
        return findings
    d = decompose(values, frequency)
    findings += check_missing(d, frequency)
    findings += check_outliers(d, frequency)
    findings += check_level_shift(d, frequency)
    if planned is not None and not planned.dropna().empty:
        findings += check_bunching(d, planned, direction, frequency)
    findings += check_variance_collapse(d, frequency)
    findings += check_digits(d, frequency)
    for name, shadow in (shadows or {}).items():
        findings += check_shadow(d, shadow, direction, frequency, name)
    return findings


def _against_history(stat: pd.Series, apart: int) -> pd.Series:
    """Each value's robust z against the values at least ``apart`` periods away from it (so
    an episode is not judged against itself); NaN with fewer than SHADOW_MIN_HISTORY of them."""
    values = stat.to_numpy(dtype=float)
    positions = np.arange(len(values))
    others = (np.abs(positions[:, None] - positions[None, :]) >= apart) & np.isfinite(values)
    enough = others.sum(axis=1) >= SHADOW_MIN_HISTORY
    others[~enough] = np.isfinite(values)  # placeholder rows, never used, keep nanmedian quiet
    if not np.isfinite(values).any():
        return pd.Series(np.nan, index=stat.index)
    grid = np.where(others, values[None, :], np.nan)
    center = np.nanmedian(grid, axis=1)
    spread = MAD_TO_SD * np.nanmedian(np.abs(grid - center[:, None]), axis=1)
    z = (values - center) / np.maximum(spread, 1e-9)
    return pd.Series(np.where(enough & np.isfinite(values), z, np.nan), index=stat.index)

def _decomposed(values: Values, frequency: Frequency) -> Decomposition:
    return values if isinstance(values, Decomposition) else decompose(values, frequency)


def _observed(values: Values, frequency: Frequency) -> pd.Series:
    return values.observed if isinstance(values, Decomposition) else regular(values, frequency)


def _step_statistics(adjusted: np.ndarray) -> np.ndarray:
    """Per candidate break i: (step on the check scale, its t statistic), NaN where untestable.

    The model over [i - w, i + w) is a + b * (k - i) + c * [k >= i], by least squares, solved
    for every i at once from the windows' sums.
    """
    n, w = len(adjusted), SHIFT_WINDOW
    out = np.full((n, 2), np.nan)
    if n < w + SHIFT_MIN_AFTER:
        return out
    padded = np.concatenate([np.full(w, np.nan), adjusted, np.full(w, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * w)[:n]  # row i: [i-w, i+w)
    ok = np.isfinite(windows)
    y = np.where(ok, windows, 0.0)
    m = ok.astype(float)
    j = np.arange(-w, w, dtype=float)
    a = (j >= 0).astype(float)
    xtx = np.empty((n, 3, 3))
    s, sj, sa = m.sum(1), m @ j, m @ a
    sjj, saj = m @ (j * j), m @ (j * a)
    xtx[:, 0] = np.column_stack([s, sj, sa])
    xtx[:, 1] = np.column_stack([sj, sjj, saj])
    xtx[:, 2] = np.column_stack([sa, saj, sa])
    xty = np.column_stack([y.sum(1), y @ j, y @ a])
    before, after = (m * (1 - a)).sum(1), sa
    room = np.minimum(SHIFT_MIN_AFTER, np.minimum(w, n - np.arange(n)))
    usable = (np.arange(n) >= w) & (np.arange(n) <= n - SHIFT_MIN_AFTER)
    usable &= (before >= w * 3 // 4) & (after >= room) & (s - 3 >= 3)
    usable &= np.abs(np.linalg.det(xtx)) > 1e-9
    if not usable.any():
        return out
    inv = np.linalg.inv(xtx[usable])
    coef = np.einsum("nij,nj->ni", inv, xty[usable])
    rss = (y[usable] ** 2).sum(1) - np.einsum("ni,ni->n", coef, xty[usable])
    sigma = np.sqrt(np.maximum(rss, 0) / (s[usable] - 3))
    se = np.maximum(sigma, 1e-9) * np.sqrt(inv[:, 2, 2])
    out[usable, 0] = coef[:, 2]
    out[usable, 1] = coef[:, 2] / se
    return out


def _peaks(stats: np.ndarray, d: Decomposition) -> list[tuple[int, float]]:
    """Break points with the step between the medians either side (on the check scale):
    where the fitted step is significant, the median step big, and the second half of the
    after window still holds at least half of it; the strongest per run."""
    t = np.nan_to_num(stats[:, 1])
    y = (d.level + d.residual).to_numpy(dtype=float)
    w = SHIFT_WINDOW
    candidates = []
    for i in (int(k) for k in np.flatnonzero(np.abs(t) >= SHIFT_T)):
        before, after = y[max(0, i - w):i], y[i:i + w]
        step = np.nanmedian(after) - np.nanmedian(before)
        old = np.nanmedian(d.observed.iloc[max(0, i - w):i])
        if np.sign(step) != np.sign(t[i]) or abs(_relative(step, d.positive, old)) < (
                SHIFT_MIN_CHANGE):
            continue
        late = after[w // 2:]
        if np.isfinite(late).sum() >= 3:
            held = np.nanmedian(late) - np.nanmedian(before)
            if np.sign(held) != np.sign(step) or abs(held) < abs(step) / 2:
                continue
        candidates.append((i, float(step)))
    peaks: list[tuple[int, float]] = []
    for i, step in candidates:
        if peaks and i - peaks[-1][0] <= w:
            if abs(t[i]) > abs(t[peaks[-1][0]]):
                peaks[-1] = (i, step)
            continue
        peaks.append((i, step))
    return peaks


def _bunch_window(made: np.ndarray, missed: np.ndarray) -> tuple[int, int, float] | None:
    n_made, n_missed = int(made.sum()), int(missed.sum())
    if n_made < BUNCH_MIN_GOOD or n_made < BUNCH_RATIO * max(n_missed, 1):
        return None
    p = binomial_tail(n_made, n_made + n_missed, 0.5)
    return (n_made, n_missed, p) if p <= BUNCH_P else None


def _next_periods(last: pd.Timestamp, frequency: Frequency, as_of: date) -> list[date]:
    start = pd.Period(last, freq=PERIODS[frequency]) + 1
    end = pd.Period(as_of, freq=PERIODS[frequency])
    if end < start:
        return []
    periods = pd.period_range(start, end, freq=start.freq)
    return [ts.date() for ts in periods.to_timestamp(how="end").normalize()]


def _runs(mask: np.ndarray) -> list[np.ndarray]:
    """The index runs where ``mask`` is true."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    return np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)


def _same_season(d: Decomposition, ts: pd.Timestamp) -> dict[str, float]:
    if d.season <= 1:
        return {}
    position = d.observed.index.get_loc(ts) % d.season
    same = d.observed.iloc[position::d.season].drop(ts).dropna()
    return {str(k.date()): float(v) for k, v in same.items()}


def _count(n: int, frequency: Frequency) -> str:
    """``12 months``, ``1 quarter``."""
    return f"{n} {_season_word(frequency)}{'s' if n != 1 else ''}"


def _season_word(frequency: Frequency) -> str:
    return {Frequency.WEEKLY: "week", Frequency.MONTHLY: "month",
            Frequency.QUARTERLY: "quarter", Frequency.YEARLY: "year"}[frequency]


def _relative(step: float, positive: bool, before: float) -> float:
    """A step on the check scale as a share of the level before it."""
    if positive:
        return float(np.expm1(step))
    return float(step / abs(before)) if before else float("inf")


def _counts(series: pd.Series) -> bool:
    finite = series.dropna()
    return bool((finite >= 0).all() and (finite == finite.round()).all())


def _num(x: Any) -> float | None:
    """A JSON-ready float: NaN and infinities become None."""
    value = float(x)
    return float(f"{value:.6g}") if np.isfinite(value) else None
