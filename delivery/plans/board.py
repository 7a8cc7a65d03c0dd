"""Every initiative's standing as of a date, from the database in a few queries and one
vectorised grading of its milestones (``delivery.plans.rules.milestone_statuses``).

A milestone's forecast is the one known on the date: a forecast moved later is not seen
earlier. An actual date after the date is not known yet either.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from delivery.bulk import collector_paused
from delivery.db import query_frame
from delivery.models import (
    BudgetAccount,
    Goal,
    Initiative,
    InitiativeAccount,
    InitiativeGoal,
    Milestone,
    MilestoneRevision,
    Objective,
    Pact,
    PactGoal,
    Pillar,
    ProgressReport,
    Secretariat,
)
from delivery.plans.rules import milestone_statuses, money_ahead_of_work, status_of
from delivery.plans.vocabulary import MilestoneStatus, Stage

MILESTONE_COLUMNS = ["milestone_id", "initiative_id", "name", "position", "baseline_on",
                     "forecast_on", "actual_on", "owner", "tolerance_days"]
INITIATIVE_COLUMNS = ["initiative_id", "code", "name", "stage", "tolerance_days",
                      "secretariat_id", "secretariat_code", "secretariat_name", "pact_id",
                      "pact_code", "pact_name", "responsible", "starts_on", "ends_on"]


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def milestones_frame(session: Session, as_of: date,
                     initiative_ids: Collection[int] | None = None) -> pd.DataFrame:
    """One row per milestone with its forecast as known on ``as_of``, ``severity``,
    ``status`` (a ``MilestoneStatus`` value) and ``slip`` in days."""
    query = select(Milestone.id, Milestone.initiative_id, Milestone.name, Milestone.position,
                   Milestone.baseline_on, Milestone.forecast_on, Milestone.actual_on,
                   Milestone.owner, Initiative.tolerance_days).join(
        Initiative, Initiative.id == Milestone.initiative_id).where(
        Initiative.stage != Stage.CANCELLED.value)
    if initiative_ids is not None:
        query = query.where(Milestone.initiative_id.in_(list(initiative_ids)))
    frame = query_frame(session, query, MILESTONE_COLUMNS)
    if frame.empty:
        return frame.assign(severity=[], status=[], slip=[])
    _forecasts_known_on(session, frame, as_of)
    severity, slip = milestone_statuses(
        _days(frame["baseline_on"]), _days(frame["forecast_on"]), _days(frame["actual_on"]),
        frame["tolerance_days"].to_numpy(), as_of)
    frame["severity"] = severity
    frame["status"] = _STATUS_BY_SEVERITY[severity]
    frame["slip"] = slip
    return frame


_STATUS_BY_SEVERITY = np.array([s.value for s in MilestoneStatus], dtype=object)


def milestone_grades(session: Session, as_of: date,
                     initiative_ids: Collection[int] | None = None) -> pd.DataFrame:
    """``milestones_frame`` cut to what the board counts: initiative_id, severity, status,
    slip. Faster at scale: dates are read as the database's own text or date values and parsed
    once per column (SQLAlchemy's per-value date parsing cost more than the query), and names
    and owners are not read."""
    query = select(Milestone.id, Milestone.initiative_id,
                   *(type_coerce(c, String) for c in (Milestone.baseline_on,
                                                      Milestone.forecast_on,
                                                      Milestone.actual_on)),
                   Initiative.tolerance_days).join(
        Initiative, Initiative.id == Milestone.initiative_id).where(
        Initiative.stage != Stage.CANCELLED.value)
    if initiative_ids is not None:
        query = query.where(Milestone.initiative_id.in_(list(initiative_ids)))
    rows = session.connection().execute(query).fetchall()
    if not rows:
        return pd.DataFrame({"milestone_id": [], "initiative_id": [], "severity": [],
                             "status": pd.Series([], dtype=object), "slip": []}).astype(
            {"milestone_id": "int64", "initiative_id": "int64", "severity": "int64",
             "slip": "int64"})
    ids, initiatives, baseline, forecast, actual, tolerance = zip(*rows, strict=True)
    baseline_d, forecast_d, actual_d = (_column_days(v) for v in (baseline, forecast, actual))
    _known_forecasts(session, np.asarray(ids), baseline_d, forecast_d, as_of)
    severity, slip = milestone_statuses(baseline_d, forecast_d, actual_d,
                                        np.asarray(tolerance, dtype=int), as_of)
    return pd.DataFrame({"milestone_id": ids, "initiative_id": initiatives,
                         "severity": severity, "status": _STATUS_BY_SEVERITY[severity],
                         "slip": slip})


def _column_days(values: tuple[object, ...]) -> np.ndarray:
    return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601").to_numpy().astype(
        "datetime64[D]")


def _known_forecasts(session: Session, ids: np.ndarray, baseline: np.ndarray,
                     forecast: np.ndarray, as_of: date) -> None:
    """``_forecasts_known_on`` for columns: forecasts moved after ``as_of`` replaced (in
    place) by the one in force on it, or the baseline."""
    bound = _end_of(as_of)
    moved = set(session.scalars(select(MilestoneRevision.milestone_id).where(
        MilestoneRevision.changed_at >= bound).distinct()))
    rows = np.flatnonzero(np.isin(ids, list(moved))) if moved else np.array([], dtype=int)
    if not len(rows):
        return
    in_force: dict[int, date] = {}
    for milestone_id, day in session.execute(
            select(MilestoneRevision.milestone_id, MilestoneRevision.forecast_on).where(
                MilestoneRevision.milestone_id.in_([int(i) for i in ids[rows]]),
                MilestoneRevision.changed_at < bound).order_by(MilestoneRevision.id)):
        in_force[milestone_id] = day
    for row in rows:
        day = in_force.get(int(ids[row]))
        forecast[row] = baseline[row] if day is None else np.datetime64(day, "D")


def _days(column: pd.Series) -> np.ndarray:
    return pd.to_datetime(column).to_numpy().astype("datetime64[D]")


def _forecasts_known_on(session: Session, frame: pd.DataFrame, as_of: date) -> None:
    """Replace forecasts moved after ``as_of`` by the one in force on it (the baseline when
    none was)."""
    bound = _end_of(as_of)
    moved = set(session.scalars(select(MilestoneRevision.milestone_id).where(
        MilestoneRevision.changed_at >= bound).distinct()))
    moved &= set(frame["milestone_id"])
    if not moved:
        return
    in_force: dict[int, date] = {}
    for milestone_id, forecast in session.execute(
            select(MilestoneRevision.milestone_id, MilestoneRevision.forecast_on).where(
                MilestoneRevision.milestone_id.in_(list(moved)),
                MilestoneRevision.changed_at < bound).order_by(MilestoneRevision.id)):
        in_force[milestone_id] = forecast
    rows = frame["milestone_id"].isin(moved)
    frame.loc[rows, "forecast_on"] = [
        in_force.get(m, b) for m, b in zip(frame.loc[rows, "milestone_id"],
                                           frame.loc[rows, "baseline_on"], strict=True)]


def initiatives_frame(session: Session,
                      initiative_ids: Collection[int] | None = None) -> pd.DataFrame:
    sec, pact = aliased(Secretariat), aliased(Pact)
    query = select(
        Initiative.id, Initiative.code, Initiative.name, type_coerce(Initiative.stage, String),
        Initiative.tolerance_days, sec.id, sec.code, sec.name, pact.id, pact.code, pact.name,
        Initiative.responsible, Initiative.starts_on, Initiative.ends_on,
    ).join(sec, sec.id == Initiative.secretariat_id).outerjoin(
        pact, pact.id == Initiative.pact_id).order_by(Initiative.code)
    if initiative_ids is not None:
        query = query.where(Initiative.id.in_(list(initiative_ids)))
    return query_frame(session, query, INITIATIVE_COLUMNS)


def physical_progress(session: Session, as_of: date,
                      initiative_ids: Collection[int] | None = None) -> pd.Series:
    """The physical completion (%) last reported on or before ``as_of``, per initiative (of
    two reports for the same date, the later recorded)."""
    query = select(ProgressReport.initiative_id, ProgressReport.on, ProgressReport.physical_pct,
                   ProgressReport.id).where(ProgressReport.on <= as_of)
    if initiative_ids is not None:
        query = query.where(ProgressReport.initiative_id.in_(list(initiative_ids)))
    reports = query_frame(session, query, ["initiative_id", "on", "pct", "id"])
    if reports.empty:
        return pd.Series(dtype=float)
    last = reports.sort_values(["on", "id"]).groupby("initiative_id").tail(1)
    return last.set_index("initiative_id")["pct"].astype(float)


def financial_progress(session: Session,
                       initiative_ids: Collection[int] | None = None) -> pd.Series:
    """The share of each initiative's budget spent (0-1), over its linked accounts weighted by
    each link's share; initiatives with nothing appropriated are left out."""
    query = select(InitiativeAccount.initiative_id,
                   func.sum(BudgetAccount.appropriated * InitiativeAccount.share),
                   func.sum(BudgetAccount.spent * InitiativeAccount.share)).join(
        BudgetAccount, BudgetAccount.id == InitiativeAccount.account_id).group_by(
        InitiativeAccount.initiative_id)
    if initiative_ids is not None:
        query = query.where(InitiativeAccount.initiative_id.in_(list(initiative_ids)))
    money = query_frame(session, query, ["initiative_id", "budget", "spent"])
    money = money[money["budget"].astype(float) > 0]
    return (money["spent"].astype(float) / money["budget"].astype(float)).set_axis(
        money["initiative_id"])


def pillars_served(session: Session) -> pd.DataFrame:
    """(initiative_id, pillar_code, goal_id) for every goal an initiative serves."""
    query = select(InitiativeGoal.initiative_id, Pillar.code, InitiativeGoal.goal_id).join(
        Goal, Goal.id == InitiativeGoal.goal_id).join(
        Objective, Objective.id == Goal.objective_id).join(Pillar, Pillar.id == Objective.pillar_id)
    return query_frame(session, query, ["initiative_id", "pillar_code", "goal_id"])


@dataclass(frozen=True)
class BoardFilters:
    pillar: str | None = None
    secretariat: str | None = None
    pact: str | None = None
    stage: str | None = None
    late_only: bool = False


def plan_board(session: Session, as_of: date, *, initiative_ids: Collection[int] | None = None,
               filters: BoardFilters = BoardFilters()) -> pd.DataFrame:
    """One row per initiative, worst first: its status (the worst milestone's), slip in days,
    counts of late, at-risk and due milestones, physical and financial progress and whether
    money runs ahead of work. ``initiative_ids``: the viewer's scope (None: all)."""
    # Tens of thousands of rows become objects at once: in a web process full of long-lived
    # objects the cycle collector would walk them all several times over (nothing here
    # makes a cycle).
    with collector_paused():
        return _plan_board(session, as_of, initiative_ids, filters)


def _plan_board(session: Session, as_of: date, initiative_ids: Collection[int] | None,
                filters: BoardFilters) -> pd.DataFrame:
    board = initiatives_frame(session, initiative_ids)
    total = len(board)
    board = _filtered(session, board, filters)
    narrowed = initiative_ids is not None or len(board) < total
    ids = board["initiative_id"].tolist() if narrowed else None
    milestones = milestone_grades(session, as_of, ids)
    done = milestones["status"].isin([MilestoneStatus.DONE_ON_TIME.value,
                                      MilestoneStatus.DONE_LATE.value])
    status = milestones["status"]
    milestones = milestones.assign(
        open_slip=milestones["slip"].where(~done),
        late=(status == MilestoneStatus.LATE.value).astype(int),
        at_risk=(status == MilestoneStatus.AT_RISK.value).astype(int),
        due=(status == MilestoneStatus.DUE.value).astype(int))
    counts = milestones.groupby("initiative_id").agg(
        severity=("severity", "max"), slip=("slip", "max"), open_slip=("open_slip", "max"),
        milestones=("milestone_id", "size"), late=("late", "sum"), at_risk=("at_risk", "sum"),
        due=("due", "sum"))
    board = board.join(counts, on="initiative_id")
    board["milestones"] = board["milestones"].fillna(0).astype(int)
    for column in ("late", "at_risk", "due"):
        board[column] = board[column].fillna(0).astype(int)
    # the slip of what is still to be done; once all is done, the worst there was
    board["slip"] = board["open_slip"].fillna(board["slip"]).fillna(0).clip(lower=0).astype(int)
    board = board.drop(columns="open_slip")
    board["severity"] = board["severity"].fillna(-1).astype(int)
    board["status"] = pd.Series([status_of(s).value if s >= 0 else None
                                 for s in board["severity"]], index=board.index, dtype=object)
    board["physical_pct"] = board["initiative_id"].map(physical_progress(session, as_of, ids))
    board["financial_share"] = board["initiative_id"].map(financial_progress(session, ids))
    board["money_ahead"] = [money_ahead_of_work(None if pd.isna(p) else p,
                                                None if pd.isna(f) else f)
                            for p, f in zip(board["physical_pct"], board["financial_share"],
                                            strict=True)]
    if filters.late_only:
        board = board[board["late"] > 0]
    board["_cancelled"] = board["stage"] == Stage.CANCELLED.value
    board = board.sort_values(["_cancelled", "severity", "slip", "code"],
                              ascending=[True, False, False, True])
    return board.drop(columns="_cancelled").reset_index(drop=True)


def _filtered(session: Session, board: pd.DataFrame, filters: BoardFilters) -> pd.DataFrame:
    if filters.secretariat:
        board = board[board["secretariat_code"] == filters.secretariat]
    if filters.pact:
        board = board[board["pact_code"] == filters.pact]
    if filters.stage:
        board = board[board["stage"] == filters.stage]
    if filters.pillar:
        served = pillars_served(session)
        ids = set(served.loc[served["pillar_code"] == filters.pillar, "initiative_id"])
        board = board[board["initiative_id"].isin(ids)]
    return board


def milestones_ahead(session: Session, as_of: date, *, days: int = 14,
                     initiative_ids: Collection[int] | None = None) -> pd.DataFrame:
    """Milestones late, or not done and forecast within ``days``: the weekly review's list,
    latest slip first, with their initiative's code, name and secretariat."""
    with collector_paused():  # as plan_board
        milestones = milestones_frame(session, as_of, initiative_ids)
    if milestones.empty:
        return milestones
    horizon = as_of + timedelta(days=days)
    open_ = milestones["status"].isin([MilestoneStatus.LATE.value, MilestoneStatus.AT_RISK.value,
                                       MilestoneStatus.DUE.value, MilestoneStatus.NOT_DUE.value])
    soon = pd.to_datetime(milestones["forecast_on"]).dt.date <= horizon
    late = milestones["status"] == MilestoneStatus.LATE.value
    chosen = milestones[open_ & (soon | late)]
    initiatives = initiatives_frame(session, chosen["initiative_id"].unique().tolist())
    chosen = chosen.merge(initiatives[["initiative_id", "code", "secretariat_code"]].rename(
        columns={"code": "initiative_code"}), on="initiative_id")
    chosen = chosen.merge(initiatives[["initiative_id", "name"]].rename(
        columns={"name": "initiative_name"}), on="initiative_id")
    return chosen.sort_values(["severity", "slip", "forecast_on"],
                              ascending=[False, False, True]).reset_index(drop=True)


def initiatives_of(session: Session, as_of: date, *, goal_id: int | None = None,
                   pact_id: int | None = None,
                   visible: Collection[int] | None = None) -> pd.DataFrame:
    """The board rows of the initiatives serving a goal, or belonging to a pact (or serving
    one of its goals), among ``visible`` (None: all)."""
    if goal_id is not None:
        ids = set(session.scalars(select(InitiativeGoal.initiative_id).where(
            InitiativeGoal.goal_id == goal_id)))
    else:
        served = select(InitiativeGoal.initiative_id).join(
            PactGoal, PactGoal.goal_id == InitiativeGoal.goal_id).where(
            PactGoal.pact_id == pact_id)
        ids = set(session.scalars(select(Initiative.id).where(
            (Initiative.pact_id == pact_id) | Initiative.id.in_(served))))
    if visible is not None:
        ids &= set(visible)
    return plan_board(session, as_of, initiative_ids=ids)
