"""Bunching: figures landing just on the good side of the plan more often than a smooth
distribution of figures would put there, measured as excess mass (Saez 2010; Chetty et al.
2011, as used on tax kinks and on targets met "just").

For each period the counterfactual is a smooth distribution of where the figure could have
landed: a normal around what the series' own trend and season lead one to expect (robust STL),
with the series' own spread (never below counting noise), on whole numbers for counts. Within a
region around the plan, from BUNCH_BELOW short of it to BUNCH_JUST past it, that distribution
says what share of the figures in the region should be just past (in the first BUNCH_JUST); the
mass is conserved (steering moves figures within the region, it does not create them), so the
test is how many of the region's figures are just past against that share: a one-sided
binomial tail with the average share (conservative when the shares differ). Judged in every
stretch of BUNCH_WINDOW periods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from delivery.i18n import _, formats
from delivery.quality.checks.base import (
    BUNCHING,
    Finding,
    Values,
    band,
    decomposed,
    num,
    probability,
    runs,
    window_sums,
)
from delivery.quality.series import regular
from delivery.status import format_number, period_label
from delivery.vocabulary import Direction, Frequency

BUNCH_WINDOW = 36
BUNCH_JUST = 0.04
BUNCH_BELOW = 0.10
BUNCH_MIN_PAST = 3
BUNCH_P = 0.03

SCALE = ("one-sided binomial tail probability of this many figures just past the plan, given "
         "how many landed near it and the share a smooth distribution would put just past")


def check_bunching(values: Values, planned: pd.Series, direction: Direction,
                   frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Excess mass just on the good side of the plan (trajectory milestones or the target), in
    any stretch of BUNCH_WINDOW periods; ``planned`` is the plan per period end. One finding per
    run of such stretches, about the first figure just past in the strongest of them.

    RANGE goals are not checked (their good side is a band, not a line).
    """
    frequency, direction = Frequency(frequency), Direction(direction)
    if direction is Direction.RANGE:
        return []
    d = decomposed(values, frequency)
    if not np.isfinite(d.noise):
        return []  # too short to know how the figures vary
    plan = regular(planned, frequency).reindex(d.observed.index).to_numpy(dtype=float)
    sign = 1.0 if direction is Direction.UP else -1.0
    x = d.observed.to_numpy(dtype=float)
    mean = d.expected.to_numpy(dtype=float)
    spread = d.spread.to_numpy(dtype=float)
    # the spread in units: from the log scale for positive data, never below counting noise
    # for counts (a rate or a share has no counting noise: a Poisson floor there would make
    # figures that hug the plan, as smooth series do, look bunched)
    sd = np.abs(mean) * np.expm1(spread) if d.positive else spread
    if d.count:
        sd = np.maximum(sd, np.sqrt(np.abs(mean)))
    ok = np.isfinite(x) & np.isfinite(plan) & (np.abs(plan) > 0) & np.isfinite(mean)
    u, target, mu = sign * x, sign * plan, sign * mean
    width = np.abs(plan)
    low, past_end = target - BUNCH_BELOW * width, target + BUNCH_JUST * width
    with np.errstate(invalid="ignore", divide="ignore"):
        region_mass = _mass(low, past_end, mu, sd, d.count)
        just_mass = _mass(target, past_end, mu, sd, d.count)
        q = np.where(region_mass > 1e-12, just_mass / region_mass, np.nan)
    in_region = ok & (u >= low) & (u < past_end) & np.isfinite(q)
    if d.count:
        u_int = np.round(u)
        in_region &= (u_int >= np.ceil(low)) & (u_int < np.ceil(past_end))
    just = in_region & (u >= target)
    w = min(BUNCH_WINDOW, len(x))
    if w < 12:
        return []
    k = window_sums(in_region.astype(float), w)
    s = window_sums(just.astype(float), w)
    e = window_sums(np.where(in_region, q, 0.0), w)
    share = np.where(k > 0, e / np.maximum(k, 1), 1.0)
    p = np.where((s >= BUNCH_MIN_PAST) & (s > e),
                 stats.binom.sf(s - 1, k, np.clip(share, 1e-9, 1.0)), 1.0)
    findings = []
    for run in runs(p <= BUNCH_P):
        best = int(run[np.argmin(p[run])])
        window = slice(best, best + w)
        positions = np.flatnonzero(just[window]) + best
        first = int(positions[0])
        index = d.observed.index
        n_just, expected_just, n_region = int(s[best]), float(e[best]), int(k[best])
        reason = _(
            "In the {periods} periods from {start}, {n_just} of the {n_region} figures that "
            "landed near the plan (from {below} short of it to {just} past it) were just past "
            "it, where figures that vary as these do would put about {expected} there; excess "
            "mass like this is what figures steered to just make it leave."
        ).format(periods=w, start=period_label(index[best].date(), frequency), n_just=n_just,
                 n_region=n_region, below=formats.percent(BUNCH_BELOW),
                 just=formats.percent(BUNCH_JUST),
                 expected=format_number(round(expected_just, 1)))
        evidence = {
            "moved": "figures near the plan, to just past it", "just_past": n_just,
            "expected_just_past": num(expected_just), "near_plan": n_region,
            "change": num(n_just / max(expected_just, 1e-9) - 1),
            "score": probability(p[best]), "scale": SCALE,
            "just_past_zone": num(BUNCH_JUST), "region_below": num(BUNCH_BELOW),
            "window_from": index[best].date().isoformat(),
            "window_to": index[min(best + w, len(index)) - 1].date().isoformat(),
            "periods_just_past": [index[i].date().isoformat() for i in positions],
            "band": band(d, best, before=0, after=w - 1),
        }
        findings.append(Finding(BUNCHING, index[first].date(), reason, evidence))
    return findings


def _mass(a: np.ndarray, c: np.ndarray, mu: np.ndarray, sd: np.ndarray,
          counted: bool) -> np.ndarray:
    """Probability that a figure from N(mu, sd) lands in [a, c): on whole numbers for counts
    (the integers ceil(a) .. ceil(c) - 1, with a continuity correction)."""
    if counted:
        a, c = np.ceil(a) - 0.5, np.ceil(c) - 0.5
    return stats.norm.cdf((c - mu) / sd) - stats.norm.cdf((a - mu) / sd)
