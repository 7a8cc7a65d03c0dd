"""The status of every goal as of a date, from the database, in a few queries and one vectorised
grading (``delivery.status.classify``): the same rule as ``goal_status``, for 20,000 goals at once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session, aliased

from delivery.db import query_frame
from delivery.figures import latest_figure_per_goal
from delivery.models import Goal, Objective, Pillar, Secretariat
from delivery.status import (
    GoalSpec,
    Observation,
    classify,
    explain,
    no_figure_reason,
    no_plan_reason,
    shortfall_share,
    yardsticks,
)
from delivery.trajectories import planned_for_many
from delivery.trajectory_versions import in_force_points
from delivery.vocabulary import Frequency, Shape, Status

GOAL_COLUMNS = [
    "goal_id", "code", "name", "indicator", "unit", "direction", "frequency",
    "baseline_value", "baseline_date", "target_value", "target_date", "target_low",
    "target_high", "tolerance", "off_track_tolerance", "reporting_lag_days", "is_public",
    "objective_id", "objective_code", "objective", "pillar_id", "pillar_code", "pillar",
    "pillar_position", "objective_position", "owner_id", "owner_code", "owner",
]


# what a reason is made of: GoalSpec's fields and the grading
EXPLAINED = ["code", "direction", "frequency", "baseline_value", "baseline_date", "target_value",
             "target_date", "target_low", "target_high", "tolerance", "off_track_tolerance",
             "reporting_lag_days", "unit", "latest_value", "latest_period_end", "planned",
             "shortfall", "status"]


NUMBERS = ["baseline_value", "target_value", "target_low", "target_high", "tolerance",
           "off_track_tolerance"]
FEW = 500  # goals read by id rather than the whole table and then kept


def goals_frame(session: Session, goal_ids: Collection[int] | None = None) -> pd.DataFrame:
    """Every goal (of ``goal_ids`` if given) with its objective, pillar and owner, one row
    each."""
    owner = aliased(Secretariat)
    query = (
        select(
            Goal.id, Goal.code, Goal.name, Goal.indicator, Goal.unit,
            # plain text, not an enum object per row: 20,000 goals load in a fraction
            type_coerce(Goal.direction, String), type_coerce(Goal.frequency, String),
            Goal.baseline_value, Goal.baseline_date, Goal.target_value,
            Goal.target_date, Goal.target_low, Goal.target_high, Goal.tolerance,
            Goal.off_track_tolerance, Goal.reporting_lag_days, Goal.is_public,
            Objective.id, Objective.code, Objective.name, Pillar.id, Pillar.code, Pillar.name,
            Pillar.position, Objective.position, owner.id, owner.code, owner.name,
        )
        .join(Objective, Goal.objective_id == Objective.id)
        .join(Pillar, Objective.pillar_id == Pillar.id)
        .outerjoin(owner, Goal.owner_id == owner.id)
        .order_by(Pillar.position, Objective.position, Goal.code)
    )
    if goal_ids is not None:
        query = query.where(Goal.id.in_(list(goal_ids)))
    frame = query_frame(session, query, GOAL_COLUMNS)
    # numbers typed as numbers whatever the rows read: a column with no value in them (a few
    # goals read by id, or none with a range) must not come out as object
    return frame.astype(dict.fromkeys(NUMBERS, float))


def goal_statuses(session: Session, as_of: date, *, with_reasons: bool = True,
                  goal_ids: Collection[int] | None = None) -> pd.DataFrame:
    """One row per goal: ``goals_frame`` plus latest figure, planned value, shortfall, status
    (a ``Status`` value string) and, with ``with_reasons``, the sentence that explains it.

    A goal without a trajectory in force falls back to the straight line from baseline to
    target; a goal with neither cannot be graded and shows as having no recent data, with a
    reason saying what is missing. ``goal_ids`` keeps only those goals (None: every goal).
    """
    # a few goals (a goal's page) read only their own rows of the goals, trajectories and
    # latest figures: the whole portfolio's are seconds at national scale
    few = goal_ids if goal_ids is not None and len(goal_ids) <= FEW else None
    goals = goals_frame(session, few)
    # -- access scoping (issue 5): keep only the goals the caller may show --
    if goal_ids is not None:
        goals = goals[goals["goal_id"].isin(list(goal_ids))].reset_index(drop=True)
    frame = grade_goals(goals, latest_figure_per_goal(session, as_of, goal_ids),
                        in_force_points(session, as_of, few), as_of)
    if with_reasons:
        frame["reason"] = explanations(frame, as_of)
    return frame


def grade_goals(goals: pd.DataFrame, latest: pd.DataFrame, points: pd.DataFrame,
                as_of: date) -> pd.DataFrame:
    """``goals`` (rows of ``goals_frame``) graded on ``as_of``: with their latest figure (rows
    of ``latest_figure_per_goal``, any goal without one has none), the planned value by the
    trajectory ``points`` in force then (``in_force_points``), shortfall and status."""
    latest = latest.rename(columns={"value": "latest_value", "period_end": "latest_period_end"})
    frame = goals.merge(
        latest[["goal_id", "latest_value", "latest_period_end", "is_provisional"]],
        on="goal_id", how="left",
    )
    frame["planned"] = _planned(frame, points)
    _grade(frame, as_of)
    return frame


def explanations(statuses: pd.DataFrame, as_of: date) -> list[str]:
    """The sentence behind each row of a ``goal_statuses`` frame graded on ``as_of``: a
    Python step per goal, so callers explain only the goals they show."""
    return [_explain(row, as_of) for row in statuses[EXPLAINED].itertuples()]


def _planned(frame: pd.DataFrame, points: pd.DataFrame) -> np.ndarray:
    """Each goal's planned value at its latest figure's period end, all goals at once; goals
    without a trajectory in force use the straight line from baseline to target."""
    planless = frame[~frame["goal_id"].isin(points["goal_id"])
                     & frame["baseline_value"].notna() & frame["target_value"].notna()]
    straight = pd.concat([
        planless[["goal_id", "baseline_date", "baseline_value"]].set_axis(
            ["goal_id", "on", "value"], axis=1),
        planless[["goal_id", "target_date", "target_value"]].set_axis(
            ["goal_id", "on", "value"], axis=1),
    ]).assign(shape=Shape.LINEAR.value)
    milestones = pd.concat([points, straight], ignore_index=True)
    position = pd.Series(np.arange(len(frame)), index=frame["goal_id"].to_numpy())
    milestones["group"] = milestones["goal_id"].map(position)
    milestones = milestones.dropna(subset=["group", "on"]).sort_values(
        ["group", "on"], kind="stable")
    shapes = (milestones.drop_duplicates("group").set_index("group")["shape"]
              .reindex(range(len(frame))).to_numpy())
    period_end = pd.to_datetime(frame["latest_period_end"])
    at = np.where(period_end.isna(), -1,
                  _ordinals(period_end.fillna(pd.Timestamp(0))))
    return planned_for_many(milestones["group"].to_numpy(dtype=np.int64),
                            _ordinals(pd.to_datetime(milestones["on"])),
                            milestones["value"].to_numpy(dtype=float), shapes, at)


def _ordinals(stamps: pd.Series) -> np.ndarray:
    """Day ordinals (``date.toordinal``) of a datetime Series."""
    days = stamps.to_numpy().astype("datetime64[D]").astype(np.int64)
    return days + date(1970, 1, 1).toordinal()


def _grade(frame: pd.DataFrame, as_of: date) -> None:
    """Add shortfall and status columns, all goals in one vectorised pass."""
    days = frame["frequency"].map({f.value: f.days for f in Frequency}).to_numpy(dtype=float)
    lag = frame["reporting_lag_days"].astype(float).fillna(pd.Series(days)).to_numpy()
    period_end = pd.to_datetime(frame["latest_period_end"])
    oldest_recent = pd.Timestamp(as_of) - pd.to_timedelta(days + lag, unit="D")
    stale = (period_end.isna() | (period_end < oldest_recent)).to_numpy()
    direction = frame["direction"].astype(str).to_numpy()
    scale, half_band = yardsticks(direction, frame["baseline_value"], frame["target_value"],
                                  frame["target_low"], frame["target_high"])
    actual = frame["latest_value"].astype(float).to_numpy()
    frame["shortfall"] = shortfall_share(direction, actual, frame["planned"], scale, half_band)
    statuses = classify(
        direction, actual, frame["planned"].to_numpy(), scale, half_band,
        frame["tolerance"].to_numpy(dtype=float),
        frame["off_track_tolerance"].to_numpy(dtype=float), stale,
    )
    frame["status"] = [s.value for s in statuses]


def _explain(row, as_of: date) -> str:  # type: ignore[no-untyped-def]
    if not isinstance(row.latest_period_end, date):
        return no_figure_reason(as_of)
    if np.isnan(row.planned):
        return no_plan_reason()
    spec = GoalSpec.from_goal(_GoalView(row))
    latest = Observation(row.latest_period_end, float(row.latest_value))
    stale = row.status == Status.NO_RECENT_DATA.value
    return explain(spec, latest, float(row.planned), float(row.shortfall), stale=stale)


class _GoalView:
    """A frame row seen with the attribute names of a Goal (for ``GoalSpec.from_goal``)."""

    def __init__(self, row) -> None:  # type: ignore[no-untyped-def]
        self._row = row
        self.code = row.code

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        value = getattr(self._row, name)
        return None if _is_missing(value) else value


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))

