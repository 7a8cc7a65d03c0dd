"""What every check shares: the ``Finding`` it returns, the kinds, the evidence conventions and
small helpers over a series or its decomposition.

Evidence conventions (every statistical check follows them, so a person can judge a flag and the
goal page can draw it): ``moved`` says what moved, ``change`` by how much (a share of the level
before), ``score`` how unusual with ``scale`` saying what the score is (a tail probability, or a
statistic and what it is compared with), and ``band`` the expected values with a low and high
edge around the flagged stretch (see ``band``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from delivery.quality.series import Decomposition, decompose, regular
from delivery.vocabulary import Frequency

LATE = "late"
MISSING = "missing"
OUTLIER = "outlier"
LEVEL_SHIFT = "level_shift"
BUNCHING = "bunching"
VARIANCE_COLLAPSE = "variance_collapse"
DIGITS = "digit_pattern"
SHADOW = "shadow_divergence"
KINDS = (LATE, MISSING, OUTLIER, LEVEL_SHIFT, BUNCHING, VARIANCE_COLLAPSE, DIGITS, SHADOW)
# The kinds that state a fact (a figure did not come) rather than judge figures that did.
FACTS = (LATE, MISSING)

# The expected band drawn with a flag: this many robust standard deviations either side of the
# expected value (about 99% of a normal), over BAND_BEFORE periods before the flagged one and
# BAND_AFTER after it.
BAND_Z = 2.58
BAND_BEFORE = 24
BAND_AFTER = 12

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


def decomposed(values: Values, frequency: Frequency) -> Decomposition:
    return values if isinstance(values, Decomposition) else decompose(values, frequency)


def observed(values: Values, frequency: Frequency) -> pd.Series:
    return values.observed if isinstance(values, Decomposition) else regular(values, frequency)


def band(d: Decomposition, at: int, *, before: int = BAND_BEFORE,
         after: int = BAND_AFTER) -> dict[str, list]:
    """The expected value per period around position ``at``, with the edges BAND_Z robust
    standard deviations either side (on the check scale, so asymmetric for counts), as lists
    ready for a chart: periods (ISO dates), expected, low, high."""
    lo, hi = max(0, at - before), min(len(d.observed), at + after + 1)
    center = (d.level.to_numpy(dtype=float) + d.seasonal.to_numpy(dtype=float))[lo:hi]
    spread = d.spread.to_numpy(dtype=float)[lo:hi] if isinstance(d.spread, pd.Series) else (
        np.full(hi - lo, float(d.spread)))
    edges = [_from_scale(center + k * BAND_Z * spread, d.positive) for k in (0, -1, 1)]
    periods = d.observed.index[lo:hi]
    return {"periods": [str(ts.date()) for ts in periods],
            "expected": [num(v) for v in edges[0]], "low": [num(v) for v in edges[1]],
            "high": [num(v) for v in edges[2]]}


def _from_scale(y: np.ndarray, positive: bool) -> np.ndarray:
    return np.maximum(np.expm1(y), 0.0) if positive else y


def runs(mask: np.ndarray) -> list[np.ndarray]:
    """The index runs where ``mask`` is true."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    return np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)


def window_sums(flags: np.ndarray, w: int) -> np.ndarray:
    """Sums over every window of ``w`` consecutive rows (one row per window start)."""
    totals = np.cumsum(np.concatenate([np.zeros((1, *flags.shape[1:])), flags]), axis=0)
    return totals[w:] - totals[:-w]


def count(n: int, frequency: Frequency) -> str:
    """``12 months``, ``1 quarter``."""
    return f"{n} {season_word(frequency)}{'s' if n != 1 else ''}"


def season_word(frequency: Frequency) -> str:
    return {Frequency.WEEKLY: "week", Frequency.MONTHLY: "month",
            Frequency.QUARTERLY: "quarter", Frequency.YEARLY: "year"}[frequency]


def relative(step: float, positive: bool, before: float) -> float:
    """A step on the check scale as a share of the level before it."""
    if positive:
        return float(np.expm1(step))
    return float(step / abs(before)) if before else float("inf")


def is_counted(series: pd.Series) -> bool:
    finite = series.dropna()
    return bool((finite >= 0).all() and (finite == finite.round()).all())


def num(x: Any) -> float | None:
    """A JSON-ready float: NaN and infinities become None."""
    value = float(x)
    return float(f"{value:.6g}") if np.isfinite(value) else None


def probability(p: float) -> float:
    """A tail probability for evidence: never exactly 0 (floats underflow far in the tail)."""
    return float(f"{max(float(p), 1e-300):.3g}")
