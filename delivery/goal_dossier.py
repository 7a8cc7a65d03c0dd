"""Everything one goal's page shows, as known on a date: its status row, figures, the
trajectory in force and the original promise, the forecast, corrected figures, trajectory
versions, data-quality flags and the money behind it (split from ``delivery.review``)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.assessment import goal_statuses
from delivery.db import query_frame
from delivery.figures import figures_as_of, known_by, known_on_or_before
from delivery.forecast import Forecast, forecast_at_deadline
from delivery.models import DataQualityFlag, Figure, Goal, Trajectory
from delivery.quality.flags import flag_history
from delivery.status import GoalSpec, Observation
from delivery.trajectory_versions import in_force, original


@dataclass(frozen=True)
class GoalDossier:
    """Everything one goal's page shows, as known on ``as_of``."""

    goal: Goal
    as_of: date
    status: pd.Series  # the goal's goal_statuses row
    figures: pd.DataFrame  # on, value, provisional, revision, reported_by
    current: pd.DataFrame  # on, value: the trajectory in force
    original: pd.DataFrame  # on, value: version 1, empty if never re-planned
    forecast: Forecast | None
    corrections: pd.DataFrame  # every revision of periods that were corrected
    versions: list[Trajectory]
    flags: list[DataQualityFlag]
    budget: pd.DataFrame


def goal_dossier(session: Session, as_of: date, code: str,
                 visible: Collection[int] | None = None, *,
                 spending: pd.DataFrame | Callable[[pd.DataFrame], pd.DataFrame]
                 ) -> GoalDossier | None:
    """The goal ``code`` for its page; None if there is none or it is not in ``visible``.
    ``spending``: as for ``group_view``, cut here to this goal; or a function giving it from
    the goal's ``goal_statuses`` rows (``strategy_maps.reports.goal_spending``, which reads
    this goal's budget links alone). The rest is read for this goal only, so a goal's page
    costs the same in a national plan as in a small one."""
    goal = session.scalars(select(Goal).where(Goal.code == code)).first()
    if goal is None or (visible is not None and goal.id not in visible):
        return None
    statuses = goal_statuses(session, as_of, goal_ids=[goal.id])
    status = statuses.iloc[0]
    if callable(spending):
        spending = spending(statuses)
    rows = figures_as_of(session, goal.id, as_of)
    figures = pd.DataFrame(
        [(f.period_end, f.value, f.is_provisional, f.revision, f.reported_by) for f in rows
         if f.period_end <= as_of],
        columns=["on", "value", "provisional", "revision", "reported_by"])
    current, first = in_force(session, goal.id, as_of), original(session, goal.id)
    versions = list(session.scalars(select(Trajectory).where(Trajectory.goal_id == goal.id)
                                    .order_by(Trajectory.version)))
    return GoalDossier(
        goal, as_of, status, figures, _points(current),
        _points(first) if first is not None and current is not None and first.id != current.id
        else _points(None),
        _forecast(goal, figures, as_of), _corrections(session, goal.id, as_of), versions,
        [f for f in flag_history(session, goal.id)
         if f.raised_at.replace(tzinfo=None) < known_by(as_of).replace(tzinfo=None)],
        spending[spending["goal_id"] == goal.id].assign(name=goal.name) if not spending.empty
        else spending)


def _points(trajectory: Trajectory | None) -> pd.DataFrame:
    points = trajectory.points if trajectory is not None else []
    return pd.DataFrame([(p.on, p.value) for p in points], columns=["on", "value"])


def _forecast(goal: Goal, figures: pd.DataFrame, as_of: date) -> Forecast | None:
    try:
        spec = GoalSpec.from_goal(goal)
    except ValueError:
        return None
    observations = [Observation(on, float(v)) for on, v in zip(figures["on"], figures["value"],
                                                                 strict=True)]
    return forecast_at_deadline(spec, observations, as_of)


def _corrections(session: Session, goal_id: int, as_of: date) -> pd.DataFrame:
    """Every revision of the goal's periods that were revised, known by ``as_of``."""
    revised = (select(Figure.period_start).where(Figure.goal_id == goal_id, Figure.revision > 1,
                                                  known_on_or_before(as_of)))
    query = (select(Figure.period_end, Figure.revision, Figure.value, Figure.reported_by,
                    Figure.known_on, Figure.note)
             .where(Figure.goal_id == goal_id, Figure.period_start.in_(revised),
                    known_on_or_before(as_of))
             .order_by(Figure.period_end.desc(), Figure.revision))
    return query_frame(session, query, ["period_end", "revision", "value", "reported_by",
                                        "known_on", "note"])
