"""Synthetic progress figures: the trajectory in force, a shortfall that grows towards the one
the goal's performance calls for at the review date, and noise; reported some days after each
period ends, some provisionally and consolidated later, a few revised with a note.

The history is loaded as a unit moving its history in would load it: each report stored now,
known on the day it arrived (``known_on``), in the order the reports arrived.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from delivery.demo.spec import GoalPlan, reporter, rng_for
from delivery.demo.strategy import Registry
from delivery.figures import FIGURE_COLUMNS, RecordCounts, audit_backfill, record_figures
from delivery.status import GoalSpec
from delivery.trajectories import Milestone, planned_values
from delivery.vocabulary import Direction, Frequency, Shape

_PERIOD_ENDS = {Frequency.WEEKLY: "W-SUN", Frequency.MONTHLY: "ME",
                Frequency.QUARTERLY: "QE-DEC", Frequency.YEARLY: "YE-DEC"}
REPORT_COLUMNS = [*FIGURE_COLUMNS, "known_on", "reported_by", "source", "note"]


def periods(frequency: Frequency, after: date, until: date) -> list[tuple[date, date]]:
    """(start, end) of every reporting period that starts after ``after`` and ends by ``until``."""
    ends = [d.date() for d in pd.date_range(after + timedelta(days=1), until,
                                            freq=_PERIOD_ENDS[frequency])]
    return [(_period_start(frequency, end), end) for end in ends]


def _period_start(frequency: Frequency, end: date) -> date:
    if frequency is Frequency.WEEKLY:
        return end - timedelta(days=6)
    months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}[frequency]
    return date(end.year, end.month - months + 1, 1)


def final_shortfall(plan: GoalPlan, rng: np.random.Generator) -> float:
    """The shortfall (a share of the goal's yardstick) of the last figure, by performance."""
    tol, off = plan.tolerance
    if plan.performance == "on_track" and plan.band:
        return float(rng.uniform(-0.45, 0.0))  # inside the band, up to near its middle
    if plan.performance == "on_track":
        return float(rng.uniform(-0.8, 0.3)) * tol
    if plan.performance == "slipping":
        return tol + float(rng.uniform(0.25, 0.75)) * (off - tol)
    if plan.performance == "off_track":
        return off * float(rng.uniform(1.4, 3.0))
    return float(rng.uniform(-0.5, 1.5)) * off  # late: whatever it was when reports stopped


def values_for(plan: GoalPlan, planned: np.ndarray, shortfall: np.ndarray) -> np.ndarray:
    """Actual values that are ``shortfall`` behind ``planned`` (the inverse of the status rule)."""
    spec = spec_of(plan)
    scale = spec.shortfall_scale
    if plan.direction is Direction.UP:
        return planned - shortfall * scale
    if plan.direction is Direction.DOWN:
        return planned + shortfall * scale
    # A range goal misses on its baseline's side; a negative shortfall is inside the band
    # (-0.5: in its middle).
    side = 1.0 if plan.baseline >= plan.target else -1.0
    return planned + side * (spec.half_band + shortfall * scale)


def spec_of(plan: GoalPlan) -> GoalSpec:
    low, high = plan.band if plan.band else (None, None)
    return GoalSpec(plan.direction, plan.frequency, plan.baseline, plan.baseline_date,
                    plan.target, plan.target_date, low, high, *plan.tolerance)


def goal_series(gov: dict[str, Any], plan: GoalPlan, shape: Shape,
                milestones: list[Milestone]) -> pd.DataFrame:
    """The goal's true values per period (period_start, period_end, value, lag)."""
    rng = rng_for(gov["seed"], f"figures:{plan.code}")
    lag = _lag(gov, plan)
    spans = [p for p in periods(plan.frequency, plan.baseline_date, gov["figures_until"])
             if p[1] + timedelta(days=lag) < gov["review_date"]]
    if plan.performance == "late":
        spans = spans[: -_late_by(plan.frequency, rng)]
    ends = [end for _, end in spans]
    if not ends:
        return pd.DataFrame(columns=["period_start", "period_end", "value", "lag"])
    ramp = np.linspace(0.0, 1.0, len(ends)) ** 0.8 if len(ends) > 1 else np.ones(1)
    noise = rng.normal(0.0, 0.0 if plan.cumulative else gov["noise"], len(ends))
    noise[-1] = 0.0
    start = -0.5 if plan.band else 0.0  # a range goal starts in the middle of its band
    shortfall = start + (final_shortfall(plan, rng) - start) * ramp + noise
    values = values_for(plan, planned_values(milestones, shape, ends), shortfall)
    if plan.cumulative:
        values = np.maximum.accumulate(values)
    values = np.round(np.clip(values, *plan.clip), plan.decimals)
    return pd.DataFrame({"period_start": [s for s, _ in spans], "period_end": ends,
                         "value": values, "lag": lag})


def _lag(gov: dict[str, Any], plan: GoalPlan) -> int:
    """Yearly figures (surveys, registers) are published some months after the year ends."""
    rules = gov["reporting"]
    return rules["yearly_lag_days" if plan.frequency is Frequency.YEARLY else "lag_days"]


def _late_by(frequency: Frequency, rng: np.random.Generator) -> int:
    """How many of the latest periods a late goal has not reported."""
    if frequency is Frequency.YEARLY:
        return 1
    if frequency is Frequency.QUARTERLY:
        return int(rng.integers(2, 4))
    return int(rng.integers(3, 7))


def reports(gov: dict[str, Any], plan: GoalPlan, goal_id: int,
            series: pd.DataFrame) -> list[dict[str, Any]]:
    """Every report of the goal's figures: the first, and for a goal reported provisionally
    the consolidated figure that comes with the next period's return."""
    rng = rng_for(gov["seed"], f"reports:{plan.code}")
    rules, review = gov["provisional"], gov["review_date"]
    rows = []
    for row in series.itertuples(index=False):
        first = row.period_end + timedelta(days=row.lag)
        consolidated = _next_period_end(plan.frequency, row.period_end) + timedelta(days=row.lag)
        early = row.value
        if plan.provisional and consolidated < review and rng.random() < rules["changed_share"]:
            change = rng.uniform(-rules["consolidation_change"], rules["consolidation_change"])
            early = round(row.value * (1 + change), plan.decimals)
        rows.append(_report(gov, goal_id, row, early, first, plan.provisional))
        if plan.provisional and consolidated < review:
            rows.append(_report(gov, goal_id, row, row.value, consolidated, False))
    return rows


def _next_period_end(frequency: Frequency, end: date) -> date:
    if frequency is Frequency.WEEKLY:
        return end + timedelta(days=7)
    months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}[frequency]
    return (pd.Timestamp(end) + pd.offsets.MonthEnd(months)).date()


def _report(gov: dict[str, Any], goal_id: int, row: Any, value: float, day: date,
            provisional: bool) -> dict[str, Any]:
    return {"goal_id": goal_id, "period_start": row.period_start, "period_end": row.period_end,
            "value": float(value), "is_provisional": provisional, "known_on": day,
            "reported_by": gov["reporting"]["reported_by"], "source": gov["reporting"]["source"],
            "note": ""}


def revisions(gov: dict[str, Any], plans: dict[str, GoalPlan], registry: Registry,
              series: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """The corrections listed in the demo file, each a later revision with its note."""
    rows = []
    for fix in gov["revisions"]:
        plan, frame = plans[fix["goal"]], series[fix["goal"]]
        row = next((r for r in frame.itertuples(index=False)
                    if r.period_end == fix["period_end"]), None)
        day = fix["period_end"] + timedelta(days=fix["after_days"])
        if row is None or day >= gov["review_date"]:
            raise ValueError(f"revision of {plan.code} for {fix['period_end']}: no such figure, "
                             "or the correction would come after the review date")
        value = round(row.value * fix["factor"], plan.decimals)
        rows.append({**_report(gov, registry.goals[plan.code].id, row, value, day, False),
                     "reported_by": reporter(plan.owner), "note": " ".join(fix["note"].split()),
                     "source": f"Correction by the {plan.owner} results centre"})
    return rows


def record_reports(session: Session, rows: list[dict[str, Any]]) -> RecordCounts:
    """Record the reports in the order they arrived, one batch per arrival day and reporter,
    each known on its day; one audit entry lists the whole backfill."""
    frame = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    counts = RecordCounts()
    keys = ["known_on", "reported_by", "source", "note"]
    for (day, by, source, note), batch in frame.groupby(keys, sort=True):
        counts += record_figures(session, batch[FIGURE_COLUMNS], reported_by=by, source=source,
                                 known_on=day, note=note)
    audit_backfill(session, counts, actor=session.info.get("actor", "demo"),
                   file="data/demo/government.yaml")
    return counts


def add_figures(session: Session, gov: dict[str, Any], registry: Registry,
                plans: list[GoalPlan],
                in_force: dict[str, tuple[Shape, list[Milestone]]]) -> RecordCounts:
    series = {p.code: goal_series(gov, p, *in_force[p.code]) for p in plans}
    rows = [r for p in plans for r in reports(gov, p, registry.goals[p.code].id, series[p.code])]
    rows += revisions(gov, {p.code: p for p in plans}, registry, series)
    return record_reports(session, rows)
