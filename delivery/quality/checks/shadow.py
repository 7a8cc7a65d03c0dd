"""Reclassification: a significant, lasting move of share between a target and its shadow (an
indicator that should move with it), the way cases recorded under the other heading move it:
homicides recorded as bodily harm followed by death, robberies recorded as thefts.

The series judged is the log-odds of the target's share of the pair each period,
``log((target + 0.5) / (shadow + 0.5))``; its steps are found as level shifts are
(``shifts.find_steps``: ruptures change points that pass a line-with-a-step test), with the
binomial counting noise of the share as a floor. A step counts when it moves share the way the
target's goal gains from (away from a DOWN target, towards an UP one), the heading that gave
cases lost them and the other gained at least SHADOW_MIN_ABSORBED of that (what reclassifying
does; a real fall in the target alone lowers the pair's total instead), and at least
SHADOW_MIN_MOVE of the giving heading's cases moved.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from delivery.i18n import _, formats
from delivery.quality.checks.base import (
    SHADOW,
    Finding,
    Values,
    band,
    decomposed,
    is_counted,
    num,
    observed,
    probability,
)
from delivery.quality.checks.shifts import SHIFT_WINDOW, SHIFT_WINDOW_MAX, T_SCALE, find_steps
from delivery.quality.series import Decomposition
from delivery.status import format_number, period_label
from delivery.vocabulary import Direction, Frequency

SHADOW_PENALTY = 8.0
SHADOW_T = 3.0
SHADOW_MIN_MOVE = 0.05
SHADOW_MIN_ABSORBED = 0.15


def check_shadow(values: Values, shadow: Values, direction: Direction,
                 frequency: Frequency = Frequency.MONTHLY, shadow_name: str = "its shadow"
                 ) -> list[Finding]:
    """One finding per lasting move of share towards the goal's good side, about the period
    from which it shows; see the module docstring."""
    frequency, direction = Frequency(frequency), Direction(direction)
    if direction is Direction.RANGE:
        return []
    x, y = observed(values, frequency), observed(shadow, frequency)
    if x.empty or y.empty:
        return []
    index = x.index.intersection(y.index)
    x, y = x.reindex(index), y.reindex(index)
    if len(index) < 2 * SHIFT_WINDOW or (x < 0).any() or (y < 0).any():
        return []
    odds = np.log((x + 0.5) / (y + 0.5)).to_numpy(dtype=float)
    floor = float(np.nanmedian(np.sqrt(1 / (x + 0.5) + 1 / (y + 0.5)))) if (
        is_counted(x) and is_counted(y)) else 0.0
    up = direction is Direction.UP
    source, sink = (y, x) if up else (x, y)
    w = SHIFT_WINDOW
    findings = []
    for s in find_steps(odds, floor, penalty=SHADOW_PENALTY, t_min=SHADOW_T):
        if (s.step > 0) is not up:
            continue
        i = s.at
        before, after = slice(max(0, i - w), i), slice(i, i + w)
        given_before = float(np.nanmedian(source.iloc[before]))
        lost = given_before - float(np.nanmedian(source.iloc[after]))
        gained = float(np.nanmedian(sink.iloc[after]) - np.nanmedian(sink.iloc[before]))
        if lost <= 0 or gained < SHADOW_MIN_ABSORBED * lost:
            continue
        moved = min(lost, gained) / given_before if given_before > 0 else 0.0
        if moved < SHADOW_MIN_MOVE:
            continue
        findings.append(_finding(values, x, y, i, s, moved, frequency, shadow_name, up))
    return findings


def _finding(values: Values, x: pd.Series, y: pd.Series, i: int, s, moved: float,
             frequency: Frequency, shadow_name: str, up: bool) -> Finding:
    w = SHIFT_WINDOW
    ts = x.index[i]
    before, after = slice(max(0, i - w), i), slice(i, i + w)
    tb, ta = float(np.nanmedian(x.iloc[before])), float(np.nanmedian(x.iloc[after]))
    sb, sa = float(np.nanmedian(y.iloc[before])), float(np.nanmedian(y.iloc[after]))
    share_b, share_a = tb / (tb + sb) if tb + sb else 0.0, ta / (ta + sa) if ta + sa else 0.0
    this = _("this indicator")
    source, sink = (shadow_name, this) if up else (this, shadow_name)
    reason = _(
        "From {period} this indicator's share of it and {shadow} together moved from "
        "{share_before} to {share_after} and stayed there (typically {after} a period against "
        "{before}, while {shadow} went from {shadow_before} to {shadow_after}): about {moved} "
        "of the cases of {source} now appear under {sink}, a move of {t} standard errors. "
        "Cases recorded under the other heading would look like this."
    ).format(period=period_label(ts.date(), frequency), shadow=shadow_name,
             share_before=formats.percent(share_b), share_after=formats.percent(share_a),
             after=format_number(ta), before=format_number(tb),
             shadow_before=format_number(sb), shadow_after=format_number(sa),
             moved=formats.percent(moved), source=source, sink=sink,
             t=format_number(round(abs(s.t), 1)))
    d = decomposed(values, frequency)
    position = int(d.observed.index.get_loc(ts)) if ts in d.observed.index else None
    evidence = {
        "moved": f"share of cases from {source} to {sink}", "shadow": shadow_name,
        "change": num(moved if up else -moved), "share_before": num(share_b),
        "share_after": num(share_a), "target_before": num(tb), "target_after": num(ta),
        "shadow_before": num(sb), "shadow_after": num(sa), "t": num(s.t),
        "score": probability(s.p),
        "scale": T_SCALE.format(w=SHIFT_WINDOW_MAX) + ", on the log-odds of the target's "
        "share of the pair",
        "band": band(d, position) if isinstance(d, Decomposition) and position is not None
        and np.isfinite(d.noise) else None,
    }
    return Finding(SHADOW, ts.date(), reason, evidence)
