"""Variance collapse: figures that suddenly vary far less from one period to the next than
they used to (and, for counts, less than counting alone makes them vary): smoothed, copied
forward or estimated rather than measured."""

from __future__ import annotations

import numpy as np
from scipy import stats

from delivery.i18n import _, formats
from delivery.quality.checks.base import (
    VARIANCE_COLLAPSE,
    Finding,
    Values,
    band,
    decomposed,
    num,
    probability,
    runs,
)
from delivery.quality.series import MAD_TO_SD
from delivery.status import period_label
from delivery.vocabulary import Frequency

# The spread of period-on-period changes over COLLAPSE_WINDOW periods falls below
# COLLAPSE_RATIO of its own median over the previous COLLAPSE_HISTORY windows; for counts it
# must also fall below the counting (Poisson) noise, which real counts practically never do,
# and the count must be at least COLLAPSE_MIN_LEVEL a period.
COLLAPSE_WINDOW = 12
COLLAPSE_HISTORY = 36
COLLAPSE_RATIO = 0.35
COLLAPSE_MIN_LEVEL = 10.0

SCALE = ("lower-tail chi-square probability of changes this small, against {what} "
         "({dof} degrees of freedom)")


def check_variance_collapse(values: Values,
                            frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """One finding per stretch of collapsed variation, about the period where it first shows.

    The spread is the root mean square of period-on-period changes on the check scale (each
    capped at three times the typical change, so one jump does not hide a flat year), over
    COLLAPSE_WINDOW periods, against its median over the COLLAPSE_HISTORY windows before.
    """
    frequency = Frequency(frequency)
    d = decomposed(values, frequency)
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
    for run in runs(low.fillna(False).to_numpy()):
        i = int(run[0])
        ts, start = d.observed.index[i], d.observed.index[max(0, i - w + 1)]
        ratio = spread.iloc[i] / usual.iloc[i]
        # how unlikely changes this small are: against counting noise for counts (real
        # counts vary more, so this is conservative), else against the series' usual spread
        yardstick = d.floor.iloc[i] if d.count else usual.iloc[i]
        p = stats.chi2.cdf((w - 1) * (spread.iloc[i] / yardstick) ** 2, w - 1)
        what = "counting (Poisson) noise" if d.count else "the series' usual spread"
        words = {"periods": w, "period": period_label(ts.date(), frequency),
                 "share": formats.percent(1 - ratio)}
        reason = (_("In the {periods} periods to {period} the figures moved {share} less from "
                    "one period to the next than they used to, and less than counting alone "
                    "would make them move; figures that are smoothed, copied forward or "
                    "estimated look like this.") if d.count else
                  _("In the {periods} periods to {period} the figures moved {share} less from "
                    "one period to the next than they used to; figures that are smoothed, "
                    "copied forward or estimated look like this.")).format(**words)
        evidence = {"moved": "the period-on-period variation", "change": num(ratio - 1),
                    "score": probability(p), "scale": SCALE.format(what=what, dof=w - 1),
                    "window_from": start.date().isoformat(), "spread": num(spread.iloc[i]),
                    "usual_spread": num(usual.iloc[i]), "ratio": num(ratio),
                    "counting_noise": num(d.floor.iloc[i]) if d.count else None,
                    "periods": len(run), "band": band(d, i, before=BAND_CONTEXT, after=0)}
        findings.append(Finding(VARIANCE_COLLAPSE, ts.date(), reason, evidence))
    return findings


BAND_CONTEXT = 36  # the collapsed window and two years before it
