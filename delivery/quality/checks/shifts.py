"""Level shifts: abrupt, lasting breaks, as a change in how an indicator is counted makes.

Two steps, each from the field:

1. **Where**: change points found by binary segmentation (``ruptures.Binseg``, least-squares
   cost) on the series with its STL season removed and single odd periods capped; a split is
   kept when it lowers the squared-error cost by more than the penalty SHIFT_PENALTY x noise
   variance x log(n) (a BIC-like penalty; SHIFT_PENALTY chosen on the tuning half of the real
   series).
2. **Whether**: at each change point, a straight line with a step is fitted between its
   neighbouring change points (at most SHIFT_WINDOW_MAX periods either side), so a gradual
   trend goes into the line, not the step; the step must be SHIFT_T standard errors, move the
   level (median of SHIFT_WINDOW periods either side) by SHIFT_MIN_CHANGE, and still hold
   (half of it) in the second half of the periods after.

``find_steps`` is the same engine on any series (the shadow check runs it on the log-odds of a
target's share of a pair).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import ruptures as rpt
from scipy import stats

from delivery.i18n import _, formats
from delivery.quality.checks.base import (
    LEVEL_SHIFT,
    Finding,
    Values,
    band,
    decomposed,
    num,
    probability,
    relative,
)
from delivery.quality.series import MAD_TO_SD
from delivery.status import format_number, period_label
from delivery.vocabulary import Frequency

SHIFT_PENALTY = 16.0
SHIFT_WINDOW = 12
# The line with a step is fitted between the neighbouring change points, at most this many
# periods either side (longer windows see a step more surely; trends bend over longer spans).
SHIFT_WINDOW_MAX = 36
SHIFT_AR = True
SHIFT_MIN_AFTER = 6
SHIFT_T = 8.0
SHIFT_MIN_CHANGE = 0.2
# At most this many change points per 100 periods are looked at (binary segmentation stops
# earlier when the penalty says so).
SHIFT_MAX_PER_100 = 6

T_SCALE = ("two-sided tail probability of a step this large (Student t of the step in a line "
           "with a step fitted between the neighbouring change points, up to {w} periods "
           "either side)")


@dataclass(frozen=True)
class Step:
    """A kept change point: position, the step between the medians either side (on the series'
    scale), its t statistic and two-sided p."""

    at: int
    step: float
    t: float
    p: float


def find_steps(y: np.ndarray, floor: float = 0.0, *, penalty: float | None = None,
               t_min: float | None = None) -> list[Step]:
    """Lasting steps in ``y`` (NaN allowed): ruptures change points that pass the local
    line-with-a-step test. ``floor`` is a lower bound on the noise (counting noise)."""
    penalty = SHIFT_PENALTY if penalty is None else penalty
    t_min = SHIFT_T if t_min is None else t_min
    finite = np.isfinite(y)
    n, w = len(y), SHIFT_WINDOW
    if finite.sum() < w + SHIFT_MIN_AFTER:
        return []
    filled = np.interp(np.arange(n), np.flatnonzero(finite), y[finite])
    sigma = max(MAD_TO_SD * float(np.median(np.abs(np.diff(filled) - np.median(
        np.diff(filled))))) / math.sqrt(2), floor, 1e-9)
    algo = rpt.Binseg(custom_cost=_SumsL2(), min_size=SHIFT_MIN_AFTER, jump=1).fit(filled)
    most = max(1, n * SHIFT_MAX_PER_100 // 100)
    try:
        breaks = algo.predict(pen=penalty * sigma ** 2 * math.log(n))[:-1][:most]
    except rpt.exceptions.BadSegmentationParameters:
        return []
    y = np.where(finite, y, np.nan)
    bounds = [0, *sorted(breaks), n]
    found: list[Step] = []
    for k, b in enumerate(bounds[1:-1], start=1):
        left = max(bounds[k - 1], b - SHIFT_WINDOW_MAX)
        right = min(bounds[k + 1], b + SHIFT_WINDOW_MAX)
        tested = [fit for i in range(b - 2, b + 3) if left + SHIFT_MIN_AFTER <= i
                  and i + SHIFT_MIN_AFTER <= right and (fit := step_fit(y, left, i, right))]
        if not tested:
            continue
        i, step, t, dof = max(tested, key=lambda fit: abs(fit[2]))
        if abs(t) < t_min:
            continue
        before, after = y[max(left, i - w):i], y[i:min(right, i + w)]
        step = float(np.nanmedian(after) - np.nanmedian(before))
        if np.sign(step) != np.sign(t):
            continue
        late = after[len(after) // 2:]
        if np.isfinite(late).sum() >= 3:
            held = np.nanmedian(late) - np.nanmedian(before)
            if np.sign(held) != np.sign(step) or abs(held) < abs(step) / 2:
                continue
        found.append(Step(i, step, float(t), float(2 * stats.t.sf(abs(t), dof))))
    return found


def step_fit(y: np.ndarray, left: int, at: int, right: int
              ) -> tuple[int, float, float, int] | None:
    """A line with a step at ``at``, fitted by least squares over [left, right): (at, step,
    its t statistic, degrees of freedom), or None when too few figures."""
    k = np.arange(left, right)
    ok = np.isfinite(y[left:right])
    if ok[: at - left].sum() < SHIFT_MIN_AFTER or ok[at - left:].sum() < SHIFT_MIN_AFTER:
        return None
    design = np.column_stack([np.ones(ok.sum()), k[ok] - at, (k[ok] >= at).astype(float)])
    coef, *_ = np.linalg.lstsq(design, y[left:right][ok], rcond=None)
    dof = int(ok.sum()) - 3
    resid = y[left:right][ok] - design @ coef
    sigma = max(float(np.sqrt(resid @ resid / dof)), 1e-9)
    if SHIFT_AR:
        # residuals that follow one another (a wandering series) carry less information than
        # their number: shrink t by the AR(1) factor sqrt((1 - rho) / (1 + rho))
        rho = float(np.clip(np.corrcoef(resid[:-1], resid[1:])[0, 1], 0.0, 0.9)) if len(
            resid) > 3 and resid.std() > 0 else 0.0
        sigma *= math.sqrt((1 + rho) / (1 - rho))
    try:
        se = sigma * math.sqrt(np.linalg.inv(design.T @ design)[2, 2])
    except np.linalg.LinAlgError:
        return None
    return at, float(coef[2]), float(coef[2] / se), dof


class _SumsL2(rpt.base.BaseCost):
    """ruptures' least-squares cost (``CostL2``), from running sums: the same numbers in
    constant time per segment, which keeps the checks fast enough to run after every write."""

    model = "l2_sums"
    min_size = 2

    def fit(self, signal: np.ndarray) -> _SumsL2:
        y = np.asarray(signal, dtype=float).ravel()
        self.signal = y.reshape(-1, 1)
        self.first = np.concatenate([[0.0], np.cumsum(y)])
        self.second = np.concatenate([[0.0], np.cumsum(y * y)])
        return self

    def error(self, start: int, end: int) -> float:
        if end - start < self.min_size:
            raise rpt.exceptions.NotEnoughPoints
        total = self.first[end] - self.first[start]
        return float(self.second[end] - self.second[start] - total * total / (end - start))


def check_level_shift(values: Values,
                      frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Abrupt, lasting breaks in level; see the module docstring and the SHIFT_* constants."""
    frequency = Frequency(frequency)
    d = decomposed(values, frequency)
    if not np.isfinite(d.noise):
        return []
    limit = 4.0 * d.spread
    adjusted = (d.level + d.residual.clip(-limit, limit)).to_numpy(dtype=float)
    floor = float(np.nanmedian(d.floor)) if d.count else 0.0
    findings = []
    w = SHIFT_WINDOW
    for s in find_steps(adjusted, floor):
        i = s.at
        before = d.observed.iloc[max(0, i - w):i]
        after = d.observed.iloc[i:i + w]
        old, new = float(np.nanmedian(before)), float(np.nanmedian(after))
        change = relative(s.step, d.positive, old)
        if abs(change) < SHIFT_MIN_CHANGE:
            continue
        ts = d.observed.index[i]
        words = {"period": period_label(ts.date(), frequency),
                 "share": formats.percent(abs(change)), "new": format_number(new),
                 "old": format_number(old), "t": format_number(round(abs(s.t), 1))}
        reason = (_("From {period} the figures sit about {share} higher than before (typically "
                    "{new} a period, against {old}) and have stayed there; a step this large "
                    "is {t} standard errors, and a change this abrupt often means the "
                    "indicator started being counted differently.") if change > 0 else
                  _("From {period} the figures sit about {share} lower than before (typically "
                    "{new} a period, against {old}) and have stayed there; a step this large "
                    "is {t} standard errors, and a change this abrupt often means the "
                    "indicator started being counted differently.")).format(**words)
        evidence = {"moved": "the level of the series", "before_level": num(old),
                    "after_level": num(new), "change": num(change), "t": num(s.t),
                    "score": probability(s.p), "scale": T_SCALE.format(w=SHIFT_WINDOW_MAX),
                    "before_from": before.index[0].date().isoformat(),
                    "after_to": after.index[-1].date().isoformat(), "band": band(d, i)}
        findings.append(Finding(LEVEL_SHIFT, ts.date(), reason, evidence))
    return findings
