"""Reclassification: a significant, lasting move of share between a target and its shadow (an
indicator that should move with it), the way cases recorded under the other heading move it:
homicides recorded as bodily harm followed by death, robberies recorded as thefts.

The series judged is the log-odds of the target's share of the pair each period, ``log((target +
0.5) / (shadow + 0.5))``, less what the same pair moved in other places (the median, period by
period, of the log-odds of the same two headings in every other state, each less its own median,
when SHADOW_MIN_PEERS of them report: a national change of counting rules or a nationwide drift
from one heading to the other is not this place's move); its steps are found as level shifts are
(``shifts.find_steps``: ruptures change points that pass a line-with-a-step test), with the
binomial counting noise of the share as a floor. A step counts when it moves share the way the
target's goal gains from (away from a DOWN target, towards an UP one) and cases moved: what the
giving heading lost and the other gained are each read from a line with a step fitted to that
heading's own figures (so a trend, or a fall in both, is not taken for a move), the cases moved
are the two weighted by their precision (a heading much larger than what moved hides the move in
its noise, the other then tells it), neither heading may fall short of SHADOW_MIN_ABSORBED of
them by more than SHADOW_ABSORBED_Z standard errors (reclassifying takes from one and gives to
the other; a real fall in the target alone leaves its shadow as it was), and at least
SHADOW_MIN_MOVE of the giving heading's cases moved.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from delivery.i18n import _, _n, formats
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
from delivery.quality.checks.shifts import (
    SHIFT_WINDOW,
    SHIFT_WINDOW_MAX,
    T_SCALE,
    Step,
    find_steps,
    step_fit,
)
from delivery.quality.series import Decomposition
from delivery.status import format_number, period_label
from delivery.vocabulary import Direction, Frequency

SHADOW_PENALTY = 8.0
SHADOW_T = 3.5
SHADOW_MIN_MOVE = 0.05
SHADOW_MIN_ABSORBED = 0.15
# The other heading's gain may fall short of SHADOW_MIN_ABSORBED by this many standard errors.
SHADOW_ABSORBED_Z = 1.0
# The common movement of share of the same pair elsewhere is taken out with this many peers.
SHADOW_MIN_PEERS = 3
SHADOW_PEERS = True


def check_shadow(values: Values, shadow: Values, direction: Direction,
                 frequency: Frequency = Frequency.MONTHLY, shadow_name: str = "its shadow",
                 peers: Sequence[tuple[pd.Series, pd.Series]] = ()) -> list[Finding]:
    """One finding per lasting move of share towards the goal's good side, about the period
    from which it shows; see the module docstring. ``peers`` are the same pair elsewhere (the
    same two headings in the other states), whose common movement of share is taken out."""
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
    common = peer_common(index, peers, frequency) if SHADOW_PEERS else None
    if common is not None:
        odds = odds - np.nan_to_num(common, nan=0.0)
    floor = float(np.nanmedian(np.sqrt(1 / (x + 0.5) + 1 / (y + 0.5)))) if (
        is_counted(x) and is_counted(y)) else 0.0
    up = direction is Direction.UP
    source, sink = (y, x) if up else (x, y)
    w = SHIFT_WINDOW
    findings = []
    for s in steps_of_share(odds, floor, x, y, common, up):
        if (s.step > 0) is not up:
            continue
        i = s.at
        given_before = float(np.nanmedian(source.iloc[max(0, i - w):i]))
        lost, gained = _moved(source, sink, i)
        if lost is None or gained is None or given_before <= 0:
            continue
        # the cases moved: what one heading lost and the other gained, weighted by how
        # precisely each is known (a large heading hides a small move in its noise)
        weights = 1 / max(lost[1], 1e-9) ** 2, 1 / max(gained[1], 1e-9) ** 2
        cases = (weights[0] * lost[0] + weights[1] * gained[0]) / sum(weights)
        # both sides took part: neither is clearly short of SHADOW_MIN_ABSORBED of that (a
        # real fall of one heading alone moves the share too, but leaves the other as it was)
        if cases <= 0 or any(side[0] + SHADOW_ABSORBED_Z * side[1] < SHADOW_MIN_ABSORBED
                             * cases for side in (lost, gained)):
            continue
        moved = cases / given_before
        if moved < SHADOW_MIN_MOVE:
            continue
        findings.append(_finding(values, x, y, i, s, min(moved, 1.0), frequency, shadow_name,
                                 up, 0 if common is None else _reporting(peers)))
    return findings


def steps_of_share(odds: np.ndarray, floor: float, x: pd.Series, y: pd.Series,
                   common: np.ndarray | None, up: bool) -> list[Step]:
    """The moves of share to judge: ruptures change points on ``odds`` (the log-odds less what
    the peers moved in common) that pass the line-with-a-step test. One function so that
    bench/shadow_variants.py can put other tests in its place and measure them (a
    quasi-binomial scan of the counts, issue 17's fourth pass: not better, see
    docs/data-quality.md); ``x``, ``y`` (the two headings), ``common`` and ``up`` are what
    those tests need."""
    return find_steps(odds, floor, penalty=SHADOW_PENALTY, t_min=SHADOW_T)


def peer_common(index: pd.DatetimeIndex, peers: Sequence[tuple[pd.Series, pd.Series]],
                frequency: Frequency) -> np.ndarray | None:
    """The movement of share the pair's peers have in common: per period, the median over the
    peers of their log-odds less each peer's own median (None with fewer than SHADOW_MIN_PEERS
    peers reporting)."""
    columns = []
    for target, other in peers:
        a = observed(target, frequency).reindex(index).to_numpy(dtype=float)
        b = observed(other, frequency).reindex(index).to_numpy(dtype=float)
        with np.errstate(all="ignore"):
            if (a < 0).any() or (b < 0).any():
                continue
            odds = np.log((a + 0.5) / (b + 0.5))
        odds[~np.isfinite(odds)] = np.nan
        if np.isfinite(odds).sum() >= 2 * SHIFT_WINDOW:
            columns.append(odds - np.nanmedian(odds))
    if len(columns) < SHADOW_MIN_PEERS:
        return None
    stacked = np.vstack(columns)
    enough = np.isfinite(stacked).sum(axis=0) >= SHADOW_MIN_PEERS
    common = np.full(len(index), np.nan)
    common[enough] = np.nanmedian(stacked[:, enough], axis=0)
    return common


def _moved(source: pd.Series, sink: pd.Series, i: int
           ) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """What the giving heading lost and the other gained at ``i``, each as (step, standard
    error) of a line with a step fitted to its own figures up to SHIFT_WINDOW_MAX periods
    either side (so that a trend, or a season's slope, is not taken for a move of cases)."""
    out = []
    for series, sign in ((source, -1.0), (sink, 1.0)):
        y = series.to_numpy(dtype=float)
        fit = step_fit(y, max(0, i - SHIFT_WINDOW_MAX), i, min(len(y), i + SHIFT_WINDOW_MAX))
        if fit is None:
            out.append(None)
            continue
        _, step, t, _ = fit
        out.append((sign * step, abs(step / t) if t else float("inf")))
    return out[0], out[1]


def _reporting(peers: Sequence[tuple[Values, Values]]) -> int:
    return sum(1 for a, b in peers if len(a) and len(b))


def _finding(values: Values, x: pd.Series, y: pd.Series, i: int, s: Step, moved: float,
             frequency: Frequency, shadow_name: str, up: bool, peers: int = 0) -> Finding:
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
    if peers:
        reason += " " + _n(
            "The same two headings in {n} other place did not move this way at that time "
            "(what they moved in common was taken out first).",
            "The same two headings in {n} other places did not move this way at that time "
            "(what they moved in common was taken out first).", peers).format(
            n=formats.number(peers))
    d = decomposed(values, frequency)
    position = int(d.observed.index.get_loc(ts)) if ts in d.observed.index else None
    evidence = {
        "moved": f"share of cases from {source} to {sink}", "shadow": shadow_name,
        "change": num(moved if up else -moved), "share_before": num(share_b),
        "share_after": num(share_a), "target_before": num(tb), "target_after": num(ta),
        "shadow_before": num(sb), "shadow_after": num(sa), "t": num(s.t),
        "score": probability(s.p), "peers": peers,
        "scale": T_SCALE.format(w=SHIFT_WINDOW_MAX) + ", on the log-odds of the target's "
        "share of the pair" + (f", less the median movement of the same pair in {peers} other "
                               "places" if peers else ""),
        "band": band(d, position) if isinstance(d, Decomposition) and position is not None
        and np.isfinite(d.noise) else None,
    }
    return Finding(SHADOW, ts.date(), reason, evidence)
