"""Digit patterns: last digits unlikely in counted data (rounding, estimates passed off as
counts). Tail probabilities: binomial for the share ending in 0 or 5, chi-square for the ten last
digits."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from delivery.quality.checks.base import (
    DIGITS,
    Finding,
    Values,
    num,
    observed,
    runs,
    window_sums,
)
from delivery.quality.series import binomial_tail, chi_square_tail
from delivery.status import period_label
from delivery.vocabulary import Frequency

# In every stretch of DIGIT_WINDOW periods: the share ending in 0 or 5 (1 in 5 expected once
# values reach DIGIT_MIN_VALUE_05) and the chi-square of the ten last digits (close to uniform
# once values reach DIGIT_MIN_VALUE_CHI); p below DIGIT_P, a strict bar because every stretch
# of every series is tested.
DIGIT_WINDOW = 24
DIGIT_MIN_VALUE_05 = 10
DIGIT_MIN_VALUE_CHI = 30
DIGIT_MIN_N = 12
DIGIT_P = 1e-5
DIGIT_MIN_SHARE_05 = 0.4


def check_digits(values: Values, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Last digits unlikely in counted data, in any stretch of DIGIT_WINDOW periods: too many
    ending in 0 or 5 (rounding; values of DIGIT_MIN_VALUE_05 or more), or last digits far from
    even (chi-square; values of DIGIT_MIN_VALUE_CHI or more, where the last digit of a count is
    close to uniform). One finding per run of such stretches, about where the first begins.

    First-digit (Benford) tests are deliberately absent: monthly counts of one indicator span
    far less than the orders of magnitude Benford's law needs.
    """
    frequency = Frequency(frequency)
    seen = observed(values, frequency)
    x = seen.to_numpy(dtype=float)
    finite = np.isfinite(x)
    if not finite.any() or np.any(x[finite] < 0) or np.any(x[finite] != np.round(x[finite])):
        return []
    last = np.where(finite, np.nan_to_num(x) % 10, -1).astype(np.int64)
    w = min(DIGIT_WINDOW, len(x))
    use_05 = finite & (x >= DIGIT_MIN_VALUE_05)
    n05 = window_sums(use_05, w)
    k05 = window_sums(use_05 & np.isin(last, (0, 5)), w)
    tally = window_sums((last[:, None] == np.arange(10)) & (finite & (x >= DIGIT_MIN_VALUE_CHI)
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
    for run in runs(fired):
        best = int(run[np.argmin(np.minimum(p05, p_chi)[run])])
        window = {
            "from": seen.index[best].date().isoformat(),
            "to": seen.index[best + w - 1].date().isoformat(),
            "n": int(n05[best]), "ending_0_or_5": int(k05[best]), "p_0_or_5": num(p05[best]),
            "last_digit_counts": tally[best].astype(int).tolist(),
            "chi_square": num(chi2[best]), "p_chi_square": num(p_chi[best]),
            "moved": "the last digits of the figures",
            "score": num(max(min(p05[best], p_chi[best]), 1e-300)),
            "scale": ("one-sided binomial tail probability of this many figures ending in 0 "
                      "or 5" if rounded[best] else "chi-square tail probability of last "
                      "digits this uneven (9 degrees of freedom)"),
        }
        first = seen.index[int(run[0])].date()
        findings.append(Finding(DIGITS, first, _digit_reason(window, bool(rounded[best]),
                                                             frequency), window))
    return findings


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
