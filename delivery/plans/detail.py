"""One initiative as its page shows it: milestones with status and forecast history, the
physical and financial curves, risks, and the goals it serves with their status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.assessment import goal_statuses
from delivery.db import query_frame
from delivery.models import (
    BudgetAccount,
    Initiative,
    InitiativeAccount,
    InitiativeGoal,
    Milestone,
    MilestoneRevision,
    ProgressReport,
    Risk,
)
from delivery.plans.board import milestones_frame
from delivery.plans.rules import (
    heat_map,
    physical_as_of,
    review_overdue,
    risk_band,
    risk_score,
    spent_share,
)
from delivery.plans.vocabulary import RiskStatus


@dataclass
class InitiativeView:
    initiative: Initiative
    milestones: pd.DataFrame  # milestones_frame rows, in position order
    revisions: pd.DataFrame  # milestone_id, forecast_on, reason, changed_by, changed_at
    physical: pd.DataFrame  # on, pct, note (of the report in force for that date, or None)
    financial: pd.DataFrame  # on, share
    risks: pd.DataFrame  # id, description, probability, impact, score, band, owner, ...
    goals: pd.DataFrame  # goal_statuses rows plus weight
    physical_now: float | None
    financial_now: float | None


def initiative_view(session: Session, initiative: Initiative, as_of: date,
                    goal_ids: set[int] | None = None) -> InitiativeView:
    """Everything the initiative's page shows, as of ``as_of``; ``goal_ids``: the goals the
    viewer may see (None: all)."""
    milestones = milestones_frame(session, as_of, [initiative.id])
    if not milestones.empty:
        milestones = milestones.sort_values(["position", "baseline_on"]).reset_index(drop=True)
    revisions = query_frame(session, select(
        MilestoneRevision.milestone_id, MilestoneRevision.forecast_on, MilestoneRevision.reason,
        MilestoneRevision.changed_by, MilestoneRevision.changed_at).join(
        Milestone, Milestone.id == MilestoneRevision.milestone_id).where(
        Milestone.initiative_id == initiative.id).order_by(MilestoneRevision.id))
    in_force = {r.on: r for r in session.scalars(  # the latest report of each date counts
        select(ProgressReport).where(ProgressReport.initiative_id == initiative.id).order_by(
            ProgressReport.on, ProgressReport.id))}
    reports = [(on, r.physical_pct) for on, r in in_force.items()]
    shown = [r for on, r in in_force.items() if on <= as_of]
    physical = pd.DataFrame({  # object notes: None stays None (pandas would infer text, NaN)
        "on": pd.Series([r.on for r in shown], dtype=object),
        "pct": pd.Series([r.physical_pct for r in shown], dtype=float),
        "note": pd.Series([r.note for r in shown], dtype=object)})
    financial = financial_curve(session, initiative.id, as_of)
    served = {link.goal_id: link.weight for link in session.scalars(
        select(InitiativeGoal).where(InitiativeGoal.initiative_id == initiative.id))}
    visible = set(served) if goal_ids is None else set(served) & goal_ids
    goals = goal_statuses(session, as_of, with_reasons=False, goal_ids=visible) if visible else (
        pd.DataFrame(columns=["goal_id", "code", "name", "status"]))
    goals = goals.assign(weight=goals["goal_id"].map(served))
    return InitiativeView(initiative, milestones, revisions, physical, financial,
                          risks_frame(session, as_of, initiative_ids=[initiative.id]), goals,
                          physical_as_of(reports, as_of),
                          float(financial["share"].iloc[-1]) if len(financial) else None)


def financial_curve(session: Session, initiative_id: int, as_of: date) -> pd.DataFrame:
    """The share of the whole budget (every linked fiscal year) spent by the end of each fiscal
    year up to ``as_of`` (the current year's point on ``as_of``)."""
    rows = session.execute(select(BudgetAccount.fiscal_year, BudgetAccount.appropriated,
                                  BudgetAccount.spent, InitiativeAccount.share).join(
        InitiativeAccount, InitiativeAccount.account_id == BudgetAccount.id).where(
        InitiativeAccount.initiative_id == initiative_id)).all()
    total = spent_share([(float(a), 0.0, s) for _y, a, _sp, s in rows])
    if total is None:
        return pd.DataFrame(columns=["on", "share"])
    budget = sum(float(a) * s for _y, a, _sp, s in rows)
    points = []
    for year in sorted({y for y, *_rest in rows if date(y, 1, 1) <= as_of}):
        spent = sum(float(sp) * s for y, _a, sp, s in rows if y <= year)
        points.append((min(date(year, 12, 31), as_of), spent / budget))
    return pd.DataFrame(points, columns=["on", "share"])


def risks_frame(session: Session, as_of: date, *, initiative_ids: list[int] | None = None,
                min_score: int = 0) -> pd.DataFrame:
    """Risks with their score, band and whether their review is overdue, highest first."""
    query = select(Risk.id, Risk.initiative_id, Risk.goal_id, Risk.description,
                   Risk.probability, Risk.impact, Risk.owner, Risk.mitigation, Risk.review_on,
                   Risk.status)
    if initiative_ids is not None:
        query = query.where(Risk.initiative_id.in_(initiative_ids))
    rows = []
    for r in session.execute(query):
        score = risk_score(r.probability, r.impact)
        status = RiskStatus(r.status)
        rows.append({**r._asdict(), "status": status.value, "score": score,
                     "band": risk_band(score),
                     "overdue": review_overdue(status, r.review_on, as_of)})
    frame = pd.DataFrame(rows, columns=[
        "id", "initiative_id", "goal_id", "description", "probability", "impact", "owner",
        "mitigation", "review_on", "status", "score", "band", "overdue"])
    frame = frame[frame["score"] >= min_score]
    return frame.sort_values(["score", "id"], ascending=[False, True]).reset_index(drop=True)


def open_heat_map(risks: pd.DataFrame) -> list[list[int]]:
    """The heat map of the open risks among ``risks``."""
    open_ = risks[risks["status"] == RiskStatus.OPEN.value]
    return heat_map(zip(open_["probability"], open_["impact"], strict=True))
