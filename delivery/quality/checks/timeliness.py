"""Facts about reporting rather than judgements of figures: a figure that is late, a period
inside the history that never got one."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from delivery.quality.checks.base import LATE, MISSING, Finding, Values, count, observed, runs
from delivery.quality.series import PERIODS
from delivery.status import format_date, period_label
from delivery.vocabulary import Frequency


def check_late(values: Values, as_of: date, frequency: Frequency = Frequency.MONTHLY,
               lag_days: int | None = None) -> list[Finding]:
    """The next figure after the latest one, if it is late on ``as_of``: more than the lag
    (``lag_days``, else one reporting period) has passed since its period ended.

    One finding per overdue stretch, about its first period, so the same late figure is the
    same finding every day until it comes. No figures at all: nothing to say here.
    """
    frequency = Frequency(frequency)
    seen = observed(values, frequency)
    if seen.empty:
        return []
    lag = frequency.days if lag_days is None else lag_days
    last = seen.index[-1]
    due = [p for p in _next_periods(last, frequency, as_of) if p + timedelta(days=lag) < as_of]
    if not due:
        return []
    first, due_by = due[0], due[0] + timedelta(days=lag)
    reason = (
        f"No figure for {period_label(first, frequency)} yet: it was due by "
        f"{format_date(due_by)}, {lag} days after the period ended"
        + (f", and {count(len(due), frequency)} are now overdue." if len(due) > 1 else ".")
    )
    evidence = {"last_period": last.date().isoformat(), "due_by": due_by.isoformat(),
                "overdue_periods": [p.isoformat() for p in due], "lag_days": lag}
    return [Finding(LATE, first, reason, evidence)]


def check_missing(values: Values, frequency: Frequency = Frequency.MONTHLY) -> list[Finding]:
    """Gaps inside the history: periods with no figure although earlier and later ones came.
    One finding per gap, about its first period."""
    frequency = Frequency(frequency)
    seen = observed(values, frequency)
    findings = []
    for gap in runs(seen.isna().to_numpy()):
        periods = [ts.date() for ts in seen.index[gap]]
        span = period_label(periods[0], frequency)
        if len(periods) > 1:
            span += f" to {period_label(periods[-1], frequency)}"
        reason = (f"No figure was ever reported for {span} ({count(len(periods), frequency)}), "
                  "although later ones were.")
        findings.append(Finding(MISSING, periods[0], reason,
                                {"missing_periods": [p.isoformat() for p in periods]}))
    return findings


def _next_periods(last: pd.Timestamp, frequency: Frequency, as_of: date) -> list[date]:
    start = pd.Period(last, freq=PERIODS[frequency]) + 1
    end = pd.Period(as_of, freq=PERIODS[frequency])
    if end < start:
        return []
    periods = pd.period_range(start, end, freq=start.freq)
    return [ts.date() for ts in periods.to_timestamp(how="end").normalize()]
