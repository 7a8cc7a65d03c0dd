"""After a pull: the data-quality checks on what it wrote, and late flags on the source's goals.

The checks are ``delivery.quality.flags.run_checks`` on the goals whose figures the run wrote,
from the earliest period it wrote (older findings were looked at by earlier runs).

Lateness is ``delivery.quality.checks.check_late`` (the next period's figure was due by its
end plus the goal's reporting lag, or one reporting period), raised as a data-quality flag of
kind ``late`` once per overdue period, with the same key as ``run_checks`` (goal, kind and
``evidence.period_end``), so neither raises a flag the other has raised. It runs after every
run, failed ones too: a source that is down is exactly when goals go late.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery.models import DataQualityFlag, Figure, Goal
from delivery.quality.checks import LATE, check_late
from delivery.quality.flags import run_checks


def flag_late_goals(session: Session, goal_ids: list[int], *, as_of: date, now: datetime,
                    source: str = "") -> int:
    """Raise a ``late`` flag for each goal whose next figure is overdue on ``as_of``; returns
    how many were raised (an overdue period already flagged, in any state, is not again)."""
    if not goal_ids:
        return 0
    flagged = {(goal_id, (evidence or {}).get("period_end")) for goal_id, evidence in
               session.execute(select(DataQualityFlag.goal_id, DataQualityFlag.evidence).where(
                   DataQualityFlag.kind == LATE, DataQualityFlag.goal_id.in_(goal_ids)))}
    last = dict(session.execute(select(Figure.goal_id, func.max(Figure.period_end)).where(
        Figure.goal_id.in_(goal_ids)).group_by(Figure.goal_id)).all())
    raised = 0
    for goal in session.scalars(select(Goal).where(Goal.id.in_(last)).order_by(Goal.id)):
        lag = goal.reporting_lag_days
        if last[goal.id] + timedelta(days=goal.frequency.days if lag is None else lag) > as_of:
            continue  # the next period ends later still, so its figure cannot be due yet
        latest = pd.Series([1.0], index=pd.to_datetime([last[goal.id]]))  # all check_late reads
        for finding in check_late(latest, as_of, goal.frequency, goal.reporting_lag_days):
            period = finding.period_end.isoformat()
            if (goal.id, period) in flagged:
                continue
            evidence = {**finding.evidence, "period_end": period, "source": source}
            session.add(DataQualityFlag(goal_id=goal.id, kind=LATE, reason=finding.reason,
                                        evidence=evidence, raised_at=now))
            raised += 1
    session.flush()
    return raised


def after_pull(session: Session, goal_ids: list[int], *, written: Mapping[int, date],
               as_of: date, now: datetime, actor: str, source: str = "") -> int:
    """The checks that follow every run of a source; returns how many flags were raised.

    ``written`` maps each goal the run wrote figures for to the earliest period end written;
    ``goal_ids`` are all the goals the source feeds (checked for lateness).
    """
    raised = 0
    if written:
        raised += len(run_checks(session, sorted(written), as_of=as_of, actor=actor,
                                 since=min(written.values())))
    return raised + flag_late_goals(session, goal_ids, as_of=as_of, now=now, source=source)
