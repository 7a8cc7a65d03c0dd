"""Data-quality flags in the database: raising them from the checks, and resolving them.

A flag is raised once per goal, kind and period (and shadow, for a shadow divergence): running
the checks again raises nothing new. A break shared by many related goals at once
(``delivery.quality.pooling``) is raised as one ``shared_break`` event, a flag with the same
evidence on each goal it touched (listing them all); their own outlier and level-shift findings
there are not raised. A flag is resolved (confirmed or dismissed, with who, when
and why) and never deleted, so dismissed flags stay in the history; a dismissed flag is not
raised again unless the figure it was about has since been revised (new evidence).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.clock import stamp_now
from delivery.figures import figures_as_of
from delivery.models import DataQualityFlag, Figure, Goal, utcnow
from delivery.quality.checks import (
    SHADOW,
    Finding,
    check_all,
    check_level_shift,
    check_outliers,
    check_shadow,
)
from delivery.quality.pooling import (
    POOLED_KINDS,
    SHARED_BREAK,
    families,
    fold,
    shared_events,
)
from delivery.quality.shadows import ShadowPairs, load_shadows
from delivery.trajectories import planned_values
from delivery.trajectory_versions import in_force
from delivery.vocabulary import Direction, FlagState, Frequency, Shape

RESOLVED = (FlagState.CONFIRMED, FlagState.DISMISSED)


def run_checks(session: Session, goal_ids: Iterable[int] | None = None, *, as_of: date,
               actor: str, since: date | None = None,
               shadows: ShadowPairs | None = None) -> list[DataQualityFlag]:
    """Run every check on each goal's figures as the unit knew them on ``as_of`` and raise a
    flag for each finding not flagged before; returns the flags raised now (flushed).

    ``goal_ids`` None means every goal. With ``since``, only findings about periods ending on
    or after it are raised (after a pull: the periods it brought). Shadow pairs come from
    data/quality/shadows.yaml unless given.
    """
    pairs = load_shadows() if shadows is None else shadows
    query = select(Goal).order_by(Goal.id)
    if goal_ids is not None:
        query = query.where(Goal.id.in_(list(goal_ids)))
    goals = list(session.scalars(query))
    existing = _existing(session, [g.id for g in goals])
    shared = _Related(session, as_of)
    raised = []
    for goal in goals:
        figures = [f for f in figures_as_of(session, goal.id, as_of) if f.period_end <= as_of]
        if not figures:
            continue
        by_period = {f.period_end: f for f in figures}
        for finding in shared.pool(goal, _findings(session, goal, figures, as_of, pairs, shared)):
            if finding.kind == SHARED_BREAK:
                if since is None or finding.period_end >= since:
                    raised += shared.raise_once(goal, finding, as_of, actor)
                continue
            if since is not None and finding.period_end < since:
                continue
            figure = by_period.get(finding.period_end)
            key = _key(goal.id, finding.kind, finding.period_end, finding.evidence)
            if _already_flagged(existing.get(key, []), figure):
                continue
            flag = _flag(goal, finding, figure, as_of, actor)
            existing.setdefault(key, []).append(flag)
            raised.append(flag)
    with _acting_as(session, actor):
        session.add_all(raised)
        session.flush()
    return raised


def resolve_flag(session: Session, flag_id: int, *, state: FlagState | str, by: str,
                 note: str = "", at: datetime | None = None) -> DataQualityFlag:
    """Confirm or dismiss a flag, keeping the row: who, when and why are recorded on it.

    Raises ValueError for an unknown flag, a state other than confirmed or dismissed, a
    dismissal without a note, or a flag that is already resolved (its resolution stands).
    """
    flag = session.get(DataQualityFlag, flag_id)
    if flag is None:
        raise ValueError(f"there is no data-quality flag {flag_id}")
    state = FlagState(state)
    if state not in RESOLVED:
        raise ValueError("a flag is resolved as confirmed or dismissed")
    if state is FlagState.DISMISSED and not note.strip():
        raise ValueError("dismissing a flag needs a note saying why the figure is sound")
    if flag.state is not FlagState.OPEN:
        raise ValueError(
            f"flag {flag_id} was already {flag.state.value} by {flag.resolved_by} on "
            f"{flag.resolved_at:%d %b %Y}; its resolution stands"
        )
    at = at or stamp_now(session)  # before the changes: reading the clock may flush
    flag.state, flag.resolved_by = state, by
    flag.resolved_at, flag.resolution_note = at, note.strip()
    with _acting_as(session, by):
        session.flush()
    return flag


def flag_history(session: Session, goal_id: int) -> list[DataQualityFlag]:
    """Every flag ever raised on a goal, open, confirmed and dismissed, oldest first."""
    query = (select(DataQualityFlag).where(DataQualityFlag.goal_id == goal_id)
             .order_by(DataQualityFlag.raised_at, DataQualityFlag.id))
    return list(session.scalars(query))


def _findings(session: Session, goal: Goal, figures: list[Figure], as_of: date,
              pairs: ShadowPairs, related: _Related) -> list[Finding]:
    values = _series(figures)
    frequency, direction = Frequency(goal.frequency), Direction(goal.direction)
    findings = check_all(values, as_of=as_of, frequency=frequency,
                         lag_days=goal.reporting_lag_days, direction=direction,
                         planned=_plan(session, goal, values.index, as_of))
    for code in pairs.shadows_of(goal.code):
        shadow = session.scalar(select(Goal).where(Goal.code == code))
        if shadow is None:
            continue
        shadow_figures = [f for f in figures_as_of(session, shadow.id, as_of)
                          if f.period_end <= as_of]
        peers = related.pair_peers(pairs, goal.code, code)
        for finding in check_shadow(values, _series(shadow_figures), direction, frequency,
                                    shadow_name=shadow.name, peers=peers):
            finding.evidence["shadow_code"] = code
            findings.append(finding)
    return findings


class _Related:
    """Pooling in one run of the checks: the related goals' breaks (found once per goal and
    kept for the run), and the shared-break flags already raised on any goal."""

    def __init__(self, session: Session, as_of: date):
        self.session, self.as_of = session, as_of
        self.codes: dict[str, int] | None = None
        self.breaks: dict[str, list[Finding]] = {}
        self.values: dict[str, pd.Series] = {}
        self.raised: list[DataQualityFlag] | None = None

    def pool(self, goal: Goal, findings: list[Finding]) -> list[Finding]:
        """``findings`` with the breaks shared by many related goals folded into one
        shared-break finding per event (only when the goal has a break: otherwise no
        related goal is read)."""
        if not any(f.kind in POOLED_KINDS for f in findings):
            return findings
        if self.codes is None:
            self.codes = dict(self.session.execute(select(Goal.code, Goal.id)).all())
        related = {code: members for code, members in families(self.codes).items()
                   if goal.code in members}
        found = {goal.code: findings}
        for members in related.values():
            for code in members:
                if code not in found:
                    found[code] = self._breaks(code)
        events = [e for e in shared_events(found) if goal.code in e.members]
        return fold(goal.code, findings, events) + [e.as_finding() for e in events]

    def raise_once(self, goal: Goal, finding: Finding, as_of: date,
                   actor: str) -> list[DataQualityFlag]:
        """A flag for a shared break on every goal it touched (``goal``, whose run found it,
        and each member it lists), so that each of their pages shows it; none on a goal that
        already has one for the same family and period (from this run or an earlier one)."""
        if self.raised is None:
            self.raised = list(self.session.scalars(
                select(DataQualityFlag).where(DataQualityFlag.kind == SHARED_BREAK)))
        family, period = finding.evidence["family"], finding.period_end.isoformat()
        ids = self.codes or {}
        touched = dict.fromkeys([goal.id, *(ids[code] for code in finding.evidence["series"]
                                            if code in ids)])
        flagged = {flag.goal_id for flag in self.raised
                   if (flag.evidence.get("period_end"), flag.evidence.get("family"))
                   == (period, family)}
        new = []
        for goal_id in touched:
            if goal_id in flagged:
                continue
            member = goal if goal_id == goal.id else self.session.get(Goal, goal_id)
            assert member is not None  # its id was read in this run
            new.append(_flag(member, finding, None, as_of, actor))
        self.raised += new
        return new

    def pair_peers(self, pairs: ShadowPairs, code: str, shadow_code: str
                   ) -> list[tuple[pd.Series, pd.Series]]:
        """The same target-and-shadow pair elsewhere (every other state's), as the unit knew
        their figures on ``as_of``, for the shadow check to take out what they share; each
        goal's figures are read once per run."""
        if self.codes is None:
            self.codes = dict(self.session.execute(select(Goal.code, Goal.id)).all())
        return [(self._values(a), self._values(b))
                for a, b in pairs.peers_of(code, shadow_code, self.codes)]

    def _values(self, code: str) -> pd.Series:
        if code not in self.values:
            figures = [f for f in figures_as_of(self.session, (self.codes or {})[code],
                                                self.as_of) if f.period_end <= self.as_of]
            self.values[code] = _series(figures)
        return self.values[code]

    def _breaks(self, code: str) -> list[Finding]:
        if code not in self.breaks:
            goal_id = (self.codes or {})[code]
            figures = [f for f in figures_as_of(self.session, goal_id, self.as_of)
                       if f.period_end <= self.as_of]
            goal = self.session.get(Goal, goal_id)
            assert goal is not None  # its id was read in this run
            values, frequency = _series(figures), Frequency(goal.frequency)
            self.breaks[code] = (check_outliers(values, frequency)
                                 + check_level_shift(values, frequency)) if figures else []
        return self.breaks[code]


def _plan(session: Session, goal: Goal, index: pd.Index, as_of: date) -> pd.Series | None:
    """The plan per period: the trajectory in force on ``as_of``, else the straight line from
    baseline to target, from the first milestone on; None when there is neither."""
    trajectory = in_force(session, goal.id, as_of)
    if trajectory is not None and trajectory.points:
        shape = Shape(trajectory.shape)
        milestones = [(p.on, p.value) for p in trajectory.points]
    elif (goal.baseline_date is not None and goal.baseline_value is not None
          and goal.target_date is not None and goal.target_value is not None):
        shape = Shape.LINEAR
        milestones = [(goal.baseline_date, goal.baseline_value),
                      (goal.target_date, goal.target_value)]
    else:
        return None
    planned = pd.Series(planned_values(milestones, shape, index.to_numpy()), index=index)
    return planned[index >= pd.Timestamp(milestones[0][0])]


def _series(figures: list[Figure]) -> pd.Series:
    return pd.Series([f.value for f in figures],
                     index=pd.DatetimeIndex([pd.Timestamp(f.period_end) for f in figures]),
                     dtype=float)


def _existing(session: Session, goal_ids: list[int]) -> dict[tuple, list[DataQualityFlag]]:
    found: dict[tuple, list[DataQualityFlag]] = {}
    if not goal_ids:
        return found
    query = select(DataQualityFlag).where(DataQualityFlag.goal_id.in_(goal_ids))
    for flag in session.scalars(query):
        period = flag.evidence.get("period_end")
        if period:
            key = _key(flag.goal_id, flag.kind, date.fromisoformat(period), flag.evidence)
            found.setdefault(key, []).append(flag)
    return found


def _key(goal_id: int, kind: str, period_end: date, evidence: dict[str, Any]) -> tuple:
    subject = evidence.get("shadow_code", "") if kind == SHADOW else ""
    return (goal_id, kind, period_end, subject)


def _already_flagged(flags: list[DataQualityFlag], figure: Figure | None) -> bool:
    """Open or confirmed: yes. Dismissed: yes, unless the figure has been revised since."""
    for flag in flags:
        if flag.state is not FlagState.DISMISSED:
            return True
        if figure is None or flag.figure_id == figure.id:
            return True
    return False


def _flag(goal: Goal, finding: Finding, figure: Figure | None, as_of: date,
          actor: str) -> DataQualityFlag:
    evidence = {
        **finding.evidence,
        "period_end": finding.period_end.isoformat(),
        "as_of": as_of.isoformat(),
        "raised_by": actor,
        "figure_value": figure.value if figure is not None else None,
        "figure_revision": figure.revision if figure is not None else None,
    }
    return DataQualityFlag(goal_id=goal.id, figure_id=figure.id if figure is not None else None,
                           kind=finding.kind, reason=finding.reason, evidence=evidence,
                           raised_at=utcnow(), state=FlagState.OPEN)


@contextmanager
def _acting_as(session: Session, actor: str) -> Iterator[None]:
    """Record ``actor`` in the audit trail for what is flushed inside, then put back whoever
    the session was acting for."""
    before = session.info.get("actor")
    session.info["actor"] = actor
    try:
        yield
    finally:
        if before is None:
            session.info.pop("actor", None)
        else:
            session.info["actor"] = before
