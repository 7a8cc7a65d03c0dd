"""The data-quality checks: pure functions from a goal's figures to findings, one module per
family.

Each check takes a pandas Series of values indexed by period end (dates or Timestamps; missing
periods simply absent), or its decomposition, and returns a list of ``Finding``: what kind of
doubt, the period it is about, a sentence an analyst can read, and the evidence (what moved, by
how much, how unusual on what scale, and the expected band; see ``base``). Nothing here touches
the database or the clock: ``as_of`` is passed in.

- ``timeliness``: late, missing (facts, not judgements)
- ``outliers``: robust STL, then a negative-binomial (counts) or normal tail probability
- ``shifts``: ruptures change points, then a line-with-a-step test
- ``bunching``: excess mass just past the plan against a smooth counterfactual
- ``collapse``: variation falling below its own history and counting noise
- ``digits``: last-digit tests for counts
- ``shadow``: a lasting move of share between a target and its shadow (reclassification)

The thresholds are module constants, chosen on the tuning half of the real series
(``delivery.quality.measure.tune``; docs/data-quality.md has the figures).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from delivery.quality.checks.base import (
    BUNCHING,
    DIGITS,
    FACTS,
    KINDS,
    LATE,
    LEVEL_SHIFT,
    MISSING,
    OUTLIER,
    SHADOW,
    VARIANCE_COLLAPSE,
    Finding,
)
from delivery.quality.checks.bunching import BUNCH_WINDOW, check_bunching
from delivery.quality.checks.collapse import COLLAPSE_WINDOW, check_variance_collapse
from delivery.quality.checks.digits import check_digits
from delivery.quality.checks.outliers import check_outliers
from delivery.quality.checks.shadow import check_shadow
from delivery.quality.checks.shifts import SHIFT_MIN_CHANGE, check_level_shift
from delivery.quality.checks.timeliness import check_late, check_missing
from delivery.quality.series import decompose
from delivery.vocabulary import Direction, Frequency

__all__ = [
    "BUNCHING", "BUNCH_WINDOW", "COLLAPSE_WINDOW", "DIGITS", "FACTS", "KINDS", "LATE",
    "LEVEL_SHIFT", "MISSING", "OUTLIER", "SHADOW", "SHIFT_MIN_CHANGE", "VARIANCE_COLLAPSE",
    "Finding", "check_all", "check_bunching", "check_digits", "check_late",
    "check_level_shift", "check_missing", "check_outliers", "check_shadow",
    "check_variance_collapse",
]


def check_all(values: pd.Series, *, as_of: date | None = None,
              frequency: Frequency = Frequency.MONTHLY, lag_days: int | None = None,
              planned: pd.Series | None = None, direction: Direction = Direction.DOWN,
              shadows: Mapping[str, pd.Series] | None = None,
              shadow_peers: Mapping[str, Sequence[tuple[pd.Series, pd.Series]]] | None = None
              ) -> list[Finding]:
    """Every check that applies, in the order of ``KINDS``: late only with ``as_of``,
    bunching only with ``planned`` (the plan per period end), shadow divergence only with
    ``shadows`` (shadow name -> its series; ``shadow_peers``: shadow name -> the same pair
    elsewhere, whose common movement is taken out)."""
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
        findings += check_shadow(d, shadow, direction, frequency, name,
                                 peers=(shadow_peers or {}).get(name, ()))
    return findings
