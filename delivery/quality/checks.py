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
from typing import Any

import numpy as np
import pandas as pd

from delivery.quality.series import (
    PERIODS,
    Decomposition,
    binomial_tail,
    chi_square_tail,
    decompose,
    regular,
    robust_sd,
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
OUTLIER_Z = 5.0
OUTLIER_MIN_CHANGE = 0.25

# Level shift: a straight line with a step, fitted over SHIFT_WINDOW periods either side of each
# candidate break (one year, so that the seasons cancel); the step must be SHIFT_T standard
# errors, change the level by SHIFT_MIN_CHANGE, and still hold in the second half of the after
# window. At the end of a series a break is looked for once SHIFT_MIN_AFTER periods are in.
SHIFT_WINDOW = 12
SHIFT_MIN_AFTER = 6
SHIFT_T = 6.0
SHIFT_MIN_CHANGE = 0.25

# Bunching: among the periods within a narrow band of the plan (half the series' noise, between
# 2% and 10% of the planned value), how many are just on the good side against just on the bad
# side; a smooth series puts about as many on each. Fires on BUNCH_MIN_GOOD or more just past,
# BUNCH_RATIO times as many as just missed, and a one-sided binomial p below BUNCH_P.
BUNCH_BAND = (0.02, 0.10)
BUNCH_MIN_GOOD = 6
BUNCH_RATIO = 3.0
BUNCH_P = 1e-3

# Variance collapse: the robust spread of the residuals over COLLAPSE_WINDOW periods falls below
# COLLAPSE_RATIO of its own median over the previous COLLAPSE_HISTORY periods; for counts it
# must also fall below the counting (Poisson) noise, which real counts practically never do,
# and the count must be at least COLLAPSE_MIN_LEVEL a period.
COLLAPSE_WINDOW = 12
COLLAPSE_HISTORY = 36
COLLAPSE_RATIO = 0.35
COLLAPSE_MIN_LEVEL = 10.0

# Digits, for counted data only, on values of at least DIGIT_MIN_VALUE (below that the last
# digit is not even roughly uniform): the share ending in 0 or 5 (1 in 5 expected) and the
# chi-square of the ten last digits, per block of two years and over the whole series.
DIGIT_MIN_VALUE = 30
DIGIT_BLOCK_YEARS = 2
DIGIT_MIN_N = 12
DIGIT_P = 1e-5
DIGIT_MIN_SHARE_05 = 0.4

# Shadow divergence: the last 12 periods against the 12 before (same seasons), for the target
# and its shadow. Fires when the target improved, the shadow moved the other way by at least
# SHADOW_MIN_MOVE, and the gap between the two changes is SHADOW_Z beyond both counting noise
# and the gaps the pair has shown over its own history.
SHADOW_WINDOW = 12
SHADOW_MIN_MOVE = 0.2
SHADOW_Z = 4.0


@dataclass(frozen=True)
class Finding:
    """A reason to doubt a figure or a stretch of figures; ``period_end`` is the period it is
    about (for a stretch, where it starts or was first visible); ``evidence`` is JSON-ready."""

    kind: str
    period_end: date
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)


def check_late(values: pd.Series, as_of: date, frequency: Frequency = Frequency.MONTHLY,
               lag_days: int | None = None) -> list[Finding]:
    """The next figure after the latest one, if it was due (period end + lag) by ``as_of``.

    One finding per overdue stretch, about its first period, so the same late figure is the
    same finding every day until it comes. No figures at all: nothing to say here.
    """
    frequency = Frequency(frequency)
    observed = regular(values, frequency)
    if observed.empty:
        return []
    lag = frequency.days if lag_days is None else lag_days
    last = observed.index[-1]
    due = [p for p in _next_periods(last, frequency, as_of) if p + timedelta(days=lag) <= as_of]
    if not due:
        return []
    first, due_by = due[0], due[0] + timedelta(days=lag)
    reason = (
        f"No figure for {period_label(first, frequency)} yet: it was due by "
        f"{format_date(due_by)}, {lag} days after the period ended"
        + (f", and {len(due)} periods are now overdue." if len(due) > 1 else ".")
    )
    evidence = {"last_period": last.date().isoformat(), "due_by": due_by.isoformat(),
                "overdue_periods": [p.isoformat() for p in due], "lag_days": lag}
    return [Finding(LATE, first, reason, evidence)]


def check_missing(values: pd.Series, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Gaps inside the history: periods with no figure although earlier and later ones came.
    One finding per gap, about its first period."""
    frequency = Frequency(frequency)
    observed = regular(values, frequency)
    findings = []
    for gap in _runs(observed.isna().to_numpy()):
        periods = [ts.date() for ts in observed.index[gap]]
        span = period_label(periods[0], frequency)
        if len(periods) > 1:
            span += f" to {period_label(periods[-1], frequency)}"
        reason = (f"No figure was ever reported for {span} ({len(periods)} "
                  f"period{'s' if len(periods) > 1 else ''}), although later periods were.")
        findings.append(Finding(MISSING, periods[0], reason,
                                {"missing_periods": [p.isoformat() for p in periods]}))
    return findings


def check_outliers(values: pd.Series, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Periods far from what the series' own level and season lead one to expect.

    The expectation is the moving median level plus the month's usual seasonal distance (so a
    December that is always high is not odd); see ``OUTLIER_Z`` and ``OUTLIER_MIN_CHANGE``.
    """
    frequency = Frequency(frequency)
    d = decompose(values, frequency)
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
            reason += (f"; the same {_season_word(frequency)} in other years ranged from "
                       f"{format_number(min(same.values()))} to {format_number(max(same.values()))}")
        evidence = {"value": _num(value), "expected": _num(exp), "change": _num(chg),
                    "z": _num(z[ts]), "same_season_other_years": same}
        findings.append(Finding(OUTLIER, ts.date(), reason + ".", evidence))
    return findings


def check_level_shift(values: pd.Series,
                      frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Abrupt, lasting breaks in level, as a change in how the indicator is counted would make.

    A gradual trend is absorbed by the fitted line, a single odd period by winsorising, and a
    dip that recovers by the persistence rule; see the SHIFT_* constants.
    """
    frequency = Frequency(frequency)
    d = decompose(values, frequency)
    limit = 4.0 * d.spread
    adjusted = (d.level + d.residual.clip(-limit, limit)).to_numpy(dtype=float)
    stats = _step_statistics(adjusted)
    findings = []
    for i in _peaks(stats, d):
        step, t = stats[i]
        before = d.observed.iloc[max(0, i - SHIFT_WINDOW):i]
        after = d.observed.iloc[i:i + SHIFT_WINDOW]
        ts = d.observed.index[i]
        old, new = float(np.nanmedian(before)), float(np.nanmedian(after))
        change = _relative(step, d.positive, old)
        reason = (
            f"From {period_label(ts.date(), frequency)} the figures sit about {abs(change):.0%} "
            f"{'higher' if change > 0 else 'lower'} than before (typically "
            f"{format_number(new)} a period, against {format_number(old)}) and have stayed there; "
            "a change this abrupt often means the indicator started being counted differently."
        )
        evidence = {"before_level": _num(old), "after_level": _num(new), "change": _num(change),
                    "t": _num(t), "before_from": before.index[0].date().isoformat(),
                    "after_to": after.index[-1].date().isoformat()}
        findings.append(Finding(LEVEL_SHIFT, ts.date(), reason, evidence))
    return findings


def check_bunching(values: pd.Series, planned: pd.Series, direction: Direction,
                   frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Figures landing just on the good side of the plan (trajectory milestones or the target)
    far more often than just on the bad side. ``planned`` is the plan per period end.

    RANGE goals are not checked (their good side is a band, not a line).
    """
    frequency, direction = Frequency(frequency), Direction(direction)
    if direction is Direction.RANGE:
        return []
    d = decompose(values, frequency)
    plan = regular(planned, frequency).reindex(d.observed.index)
    sign = 1.0 if direction is Direction.UP else -1.0
    gap = sign * (d.observed - plan) / plan.abs().where(plan.abs() > 0)
    band = float(np.clip(0.5 * np.nanmedian(d.spread), *BUNCH_BAND))
    just_made = gap[(gap >= 0) & (gap < band)]
    just_missed = gap[(gap < 0) & (gap >= -band)]
    made, missed = len(just_made), len(just_missed)
    p = binomial_tail(made, made + missed, 0.5)
    if made < BUNCH_MIN_GOOD or made < BUNCH_RATIO * max(missed, 1) or p > BUNCH_P:
        return []
    first = just_made.index[0].date()
    reason = (
        f"{made} figures landed within {band:.0%} on the good side of the plan, but only "
        f"{missed} within {band:.0%} on the bad side; figures that vary as these do would "
        "fall about as often on either side, unless they are being steered to just make it."
    )
    evidence = {"band": _num(band), "just_made": made, "just_missed": missed, "p": _num(p),
                "periods_just_made": [ts.date().isoformat() for ts in just_made.index],
                "periods_just_missed": [ts.date().isoformat() for ts in just_missed.index]}
    return [Finding(BUNCHING, first, reason, evidence)]


def check_variance_collapse(values: pd.Series,
                            frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Stretches where the figures suddenly vary far less than they used to (and, for counts,
    less than counting alone makes them vary): figures smoothed, copied or made up.
    One finding per stretch, about the period where it first shows."""
    frequency = Frequency(frequency)
    d = decompose(values, frequency)
    spread = (d.residual.abs().rolling(COLLAPSE_WINDOW, min_periods=COLLAPSE_WINDOW - 2)
              .median() * 1.4826)
    usual = spread.shift(COLLAPSE_WINDOW).rolling(
        COLLAPSE_HISTORY, min_periods=COLLAPSE_HISTORY * 2 // 3).median()
    low = spread < COLLAPSE_RATIO * usual
    if d.count:
        level = d.expected.rolling(COLLAPSE_WINDOW, min_periods=1).median()
        low &= (spread < d.floor) & (level >= COLLAPSE_MIN_LEVEL)
    findings = []
    for run in _runs(low.fillna(False).to_numpy()):
        i = int(run[0])
        ts, start = d.observed.index[i], d.observed.index[max(0, i - COLLAPSE_WINDOW + 1)]
        ratio = spread.iloc[i] / usual.iloc[i]
        reason = (
            f"In the {COLLAPSE_WINDOW} periods to {period_label(ts.date(), frequency)} the "
            f"figures varied {1 - ratio:.0%} less than they used to"
            + (", and less than counting alone would make them vary" if d.count else "")
            + "; figures that are smoothed, copied forward or estimated look like this."
        )
        evidence = {"window_from": start.date().isoformat(), "spread": _num(spread.iloc[i]),
                    "usual_spread": _num(usual.iloc[i]), "ratio": _num(ratio),
                    "counting_noise": _num(d.floor.iloc[i]) if d.count else None,
                    "periods": len(run)}
        findings.append(Finding(VARIANCE_COLLAPSE, ts.date(), reason, evidence))
    return findings


def check_digits(values: pd.Series, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Last digits unlikely in counted data: too many ending in 0 or 5 (rounding), or last
    digits far from even (chi-square). Tested per block of two years (calendar-aligned, so a
    block is the same block on every run) and over the whole series when no block fires.

    First-digit (Benford) tests are deliberately absent: monthly counts of one indicator span
    far less than the orders of magnitude Benford's law needs.
    """
    frequency = Frequency(frequency)
    observed = regular(values, frequency).dropna()
    if observed.empty or not (observed == observed.round()).all() or (observed < 0).any():
        return []
    block = observed.index.year // DIGIT_BLOCK_YEARS
    findings = [f for _, part in observed.groupby(block) if (f := _digit_test(part, frequency))]
    if not findings and (whole := _digit_test(observed, frequency)):
        findings.append(whole)
    return findings


def check_shadow(values: pd.Series, shadow: pd.Series, direction: Direction,
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
    x, y = regular(values, frequency), regular(shadow, frequency)
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
    history = gap.dropna()
    z_hist = (gap - history.median()) / max(robust_sd(history), 1e-9)
    fires = ((sign * dx < 0) & (sign * dy >= np.log1p(SHADOW_MIN_MOVE))
             & (z_count >= SHADOW_Z) & (z_hist >= SHADOW_Z))
    findings = []
    for run in _runs(fires.fillna(False).to_numpy()):
        i = int(run[0])
        ts = index[i]
        tx, ty = float(np.expm1(dx.iloc[i])), float(np.expm1(dy.iloc[i]))
        label = period_label(ts.date(), frequency)
        reason = (
            f"Over the {w} periods to {label} the figure "
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
    """Every check that applies: late (with ``as_of``), bunching (with ``planned``) and shadow
    divergence (with ``shadows``: name -> series) only when given what they need."""
    findings: list[Finding] = []
    if as_of is not None:
        findings += check_late(values, as_of, frequency, lag_days)
    if values.dropna().empty:
        return findings
    findings += check_missing(values, frequency)
    findings += check_outliers(values, frequency)
    findings += check_level_shift(values, frequency)
    findings += check_variance_collapse(values, frequency)
    findings += check_digits(values, frequency)
    if planned is not None and not planned.dropna().empty:
        findings += check_bunching(values, planned, direction, frequency)
    for name, shadow in (shadows or {}).items():
        findings += check_shadow(values, shadow, direction, frequency, name)
    return findings


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


def _peaks(stats: np.ndarray, d: Decomposition) -> list[int]:
    """Break points: where the step is big, significant and lasting, the strongest per run."""
    step, t = stats[:, 0], stats[:, 1]
    y = (d.level + d.residual).to_numpy(dtype=float)
    candidates = []
    for i in np.flatnonzero(np.abs(np.nan_to_num(t)) >= SHIFT_T):
        before = np.nanmedian(d.observed.iloc[max(0, i - SHIFT_WINDOW):i])
        if abs(_relative(step[i], d.positive, before)) < SHIFT_MIN_CHANGE:
            continue
        late_after = y[i + SHIFT_WINDOW // 2:i + SHIFT_WINDOW]
        early = y[max(0, i - SHIFT_WINDOW):i]
        if np.isfinite(late_after).sum() >= 3:
            held = np.nanmedian(late_after) - np.nanmedian(early)
            if np.sign(held) != np.sign(step[i]) or abs(held) < abs(step[i]) / 2:
                continue
        candidates.append(i)
    peaks: list[int] = []
    for i in candidates:
        if peaks and i - peaks[-1] <= SHIFT_WINDOW:
            if abs(t[i]) > abs(t[peaks[-1]]):
                peaks[-1] = i
            continue
        peaks.append(i)
    return peaks


def _digit_test(part: pd.Series, frequency: Frequency) -> Finding | None:
    counted = part[part >= DIGIT_MIN_VALUE].astype(np.int64)
    n = len(counted)
    if n < DIGIT_MIN_N:
        return None
    last = counted.to_numpy() % 10
    k05 = int(np.isin(last, (0, 5)).sum())
    p05 = binomial_tail(k05, n, 0.2)
    tally = np.bincount(last, minlength=10)
    chi2 = float(((tally - n / 10) ** 2 / (n / 10)).sum())
    p_chi = chi_square_tail(chi2, 9)
    rounded = p05 <= DIGIT_P and k05 / n >= DIGIT_MIN_SHARE_05
    if not rounded and p_chi > DIGIT_P:
        return None
    first, last_ts = counted.index[0].date(), counted.index[-1].date()
    span = f"{period_label(first, frequency)} to {period_label(last_ts, frequency)}"
    if rounded:
        reason = (f"From {span}, {k05} of {n} figures end in 0 or 5, where about 1 in 5 would "
                  "in counted data: the figures look rounded or estimated rather than counted.")
    else:
        common = int(np.argmax(tally))
        reason = (f"From {span}, the last digits of the {n} figures are far from evenly spread "
                  f"({int(tally[common])} end in {common}, where about {n / 10:.0f} would); "
                  "counted data rarely prefer a digit like this.")
    evidence = {"from": first.isoformat(), "to": last_ts.isoformat(), "n": n,
                "ending_0_or_5": k05, "p_0_or_5": _num(p05), "last_digit_counts": tally.tolist(),
                "chi_square": _num(chi2), "p_chi_square": _num(p_chi)}
    return Finding(DIGITS, first, reason, evidence)


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
    return {str(k.date()): _num(v) for k, v in same.items()}


def _season_word(frequency: Frequency) -> str:
    return {Frequency.WEEKLY: "week", Frequency.MONTHLY: "month",
            Frequency.QUARTERLY: "quarter"}.get(frequency, "period")


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
    return round(value, 6) if np.isfinite(value) else None
