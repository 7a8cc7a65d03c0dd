"""The pure rules of delivery plans, each with the date passed in.

- A milestone's status as of a date (``milestone_status``) and its slip in days (``slip_days``);
  an initiative's, from its milestones (``initiative_status``, ``initiative_slip``).
- Physical against financial progress: the share of the budget spent against the reported
  physical completion, and whether money runs ahead of work (``divergence``).
- Risks: the score (probability x impact), its band, the heat map, overdue reviews.

``milestone_statuses`` applies the milestone rule to whole columns at once (numpy), for the
screens that list thousands of milestones; tests check that it agrees with the scalar rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from delivery.plans.vocabulary import MilestoneStatus, RiskStatus

DUE_WINDOW_DAYS = 14  # a milestone whose forecast falls within this many days is due
DIVERGENCE_POINTS = 20.0  # money ahead of work by more than this many points is flagged
HIGH_RISK_SCORE = 15  # risks scored this or more go on meeting agendas


def milestone_status(baseline: date, forecast: date, actual: date | None, as_of: date, *,
                     tolerance_days: int = 0) -> MilestoneStatus:
    """The milestone's status as of ``as_of`` (an actual date after it is not known yet).

    Done on time or late against the baseline; not done: late once the forecast or the
    baseline has passed, at risk when the forecast runs past the baseline by more than the
    tolerance, due when the forecast falls within ``DUE_WINDOW_DAYS``, otherwise not due.
    """
    if actual is not None and actual <= as_of:
        return MilestoneStatus.DONE_ON_TIME if actual <= baseline else MilestoneStatus.DONE_LATE
    if as_of > forecast or as_of > baseline:
        return MilestoneStatus.LATE
    if (forecast - baseline).days > tolerance_days:
        return MilestoneStatus.AT_RISK
    if (forecast - as_of).days <= DUE_WINDOW_DAYS:
        return MilestoneStatus.DUE
    return MilestoneStatus.NOT_DUE


def slip_days(baseline: date, forecast: date, actual: date | None, as_of: date) -> int:
    """Days the milestone is (or will be) done after its baseline; negative when ahead.

    Done: actual minus baseline. Not done: the forecast, or today once the forecast has
    passed (it cannot be done earlier than that), minus the baseline.
    """
    if actual is not None and actual <= as_of:
        return (actual - baseline).days
    return (max(forecast, as_of) - baseline).days


def initiative_status(statuses: Iterable[MilestoneStatus]) -> MilestoneStatus | None:
    """The worst of the milestones' statuses (None for an initiative without milestones)."""
    return max(statuses, key=lambda s: s.severity, default=None)


def initiative_slip(slips: Iterable[tuple[int, bool]]) -> int:
    """The initiative's slip from (slip, done) of its milestones: the most slipped of those
    still to be done (once all are done, the worst there was), never below zero."""
    slips = list(slips)
    open_ = [s for s, done in slips if not done]
    return max([0, *(open_ if open_ else [s for s, _done in slips])])


_BY_SEVERITY = list(MilestoneStatus)


def milestone_statuses(baseline: np.ndarray, forecast: np.ndarray, actual: np.ndarray,
                       tolerance: np.ndarray, as_of: date) -> tuple[np.ndarray, np.ndarray]:
    """``milestone_status`` and ``slip_days`` for columns of dates (datetime64[D]; NaT for no
    actual date) and tolerances in days: (status severities, slips in days)."""
    today = np.datetime64(as_of, "D")
    done = ~np.isnat(actual) & (actual <= today)
    late = ~done & ((today > forecast) | (today > baseline))
    at_risk = ~done & ~late & ((forecast - baseline).astype(int) > tolerance)
    due = ~done & ~late & ~at_risk & ((forecast - today).astype(int) <= DUE_WINDOW_DAYS)
    on_time = done & (actual <= baseline)
    order = {s: s.severity for s in MilestoneStatus}
    severity = np.select(
        [on_time, done, late, at_risk, due],
        [order[MilestoneStatus.DONE_ON_TIME], order[MilestoneStatus.DONE_LATE],
         order[MilestoneStatus.LATE], order[MilestoneStatus.AT_RISK], order[MilestoneStatus.DUE]],
        default=order[MilestoneStatus.NOT_DUE])
    finish = np.where(done, actual, np.maximum(forecast, today))
    return severity, (finish - baseline).astype(int)


def status_of(severity: int) -> MilestoneStatus:
    return _BY_SEVERITY[int(severity)]


# Physical against financial progress


def spent_share(amounts: Sequence[tuple[float, float, float]]) -> float | None:
    """The share (0-1) of the budget spent, from (appropriated, spent, share of the account)
    of each linked account; None when nothing is appropriated."""
    budget = sum(a * s for a, _spent, s in amounts)
    if budget <= 0:
        return None
    return sum(sp * s for _a, sp, s in amounts) / budget


def divergence(physical_pct: float | None, financial_share: float | None) -> float | None:
    """Points by which money runs ahead of work (financial % minus physical %); None when
    either side is unknown."""
    if physical_pct is None or financial_share is None:
        return None
    return financial_share * 100 - physical_pct


def money_ahead_of_work(physical_pct: float | None, financial_share: float | None) -> bool:
    """Whether the share spent runs ahead of the physical completion by more than
    ``DIVERGENCE_POINTS``."""
    gap = divergence(physical_pct, financial_share)
    return gap is not None and gap > DIVERGENCE_POINTS


def physical_as_of(reports: Iterable[tuple[date, float]], as_of: date) -> float | None:
    """The physical completion last reported on or before ``as_of``."""
    known = [(on, pct) for on, pct in reports if on <= as_of]
    return max(known)[1] if known else None


# Risks


def risk_score(probability: int, impact: int) -> int:
    """Probability times impact, each 1-5: 1 to 25."""
    if not (1 <= probability <= 5 and 1 <= impact <= 5):
        raise ValueError("probability and impact are 1 to 5")
    return probability * impact


def risk_band(score: int) -> str:
    """high (15 or more: on the agenda), medium (8-14) or low."""
    return "high" if score >= HIGH_RISK_SCORE else "medium" if score >= 8 else "low"


def heat_map(risks: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Counts of risks by (probability, impact): ``grid[p - 1][i - 1]``."""
    grid = [[0] * 5 for _ in range(5)]
    for probability, impact in risks:
        grid[probability - 1][impact - 1] += 1
    return grid


def review_overdue(status: RiskStatus, review_on: date | None, as_of: date) -> bool:
    """An open risk whose review date has passed."""
    return status == RiskStatus.OPEN and review_on is not None and review_on < as_of
