"""Delivery plans in the briefing memo: one brief per initiative on the agenda, that is
serving a goal an agenda item points at (a goal, a flag on it, or a topic the agenda builder
tied to it such as a late milestone), with what the governor should see: its status and slip,
its late milestones, physical against financial progress and its open risks scored 15 or more.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.models import InitiativeGoal
from delivery.plans.board import milestones_frame, plan_board
from delivery.plans.detail import risks_frame
from delivery.plans.rules import HIGH_RISK_SCORE, divergence
from delivery.plans.vocabulary import MilestoneStatus, RiskStatus


@dataclass(frozen=True)
class LateMilestone:
    name: str
    baseline_on: date
    forecast_on: date
    slip: int  # days past its baseline
    owner: str


@dataclass(frozen=True)
class HighRisk:
    description: str
    score: int
    owner: str
    mitigation: str
    review_overdue: bool


@dataclass(frozen=True)
class InitiativeBrief:
    """One initiative as the memo prints it, as known on the pack's date."""

    code: str
    name: str
    secretariat: str  # its code
    responsible: str
    stage: str  # a Stage value
    status: str | None  # the worst milestone's MilestoneStatus value; None: no milestones
    slip: int
    goal_codes: list[str]  # the goals on the agenda it serves
    physical_pct: float | None
    financial_share: float | None  # 0-1
    money_ahead: bool
    late: list[LateMilestone]
    risks: list[HighRisk]

    @property
    def gap(self) -> float | None:
        """Points by which money runs ahead of work (negative: work ahead of money)."""
        return divergence(self.physical_pct, self.financial_share)


def initiative_briefs(session: Session, goal_ids: Collection[int], as_of: date,
                      goal_codes: dict[int, str]) -> list[InitiativeBrief]:
    """The briefs of the initiatives serving ``goal_ids``, worst first (as ``/plans``)."""
    if not goal_ids:
        return []
    serves: dict[int, list[int]] = {}
    for initiative_id, goal_id in session.execute(
            select(InitiativeGoal.initiative_id, InitiativeGoal.goal_id).where(
                InitiativeGoal.goal_id.in_(list(goal_ids))).order_by(
                InitiativeGoal.initiative_id, InitiativeGoal.weight.desc())):
        serves.setdefault(initiative_id, []).append(goal_id)
    if not serves:
        return []
    board = plan_board(session, as_of, initiative_ids=list(serves))
    milestones = milestones_frame(session, as_of, list(serves))
    late = milestones[milestones["status"] == MilestoneStatus.LATE.value].sort_values(
        ["slip", "position"], ascending=[False, True])
    risks = risks_frame(session, as_of, initiative_ids=list(serves), min_score=HIGH_RISK_SCORE)
    risks = risks[risks["status"] == RiskStatus.OPEN.value]
    return [InitiativeBrief(
        code=r.code, name=r.name, secretariat=r.secretariat_code, responsible=r.responsible,
        stage=r.stage, status=None if _missing(r.status) else r.status, slip=int(r.slip),
        goal_codes=[goal_codes[g] for g in serves[r.initiative_id] if g in goal_codes],
        physical_pct=None if _missing(r.physical_pct) else float(r.physical_pct),
        financial_share=None if _missing(r.financial_share) else float(r.financial_share),
        money_ahead=bool(r.money_ahead),
        late=[LateMilestone(m.name, _day(m.baseline_on), _day(m.forecast_on), int(m.slip),
                            m.owner)
              for m in late[late["initiative_id"] == r.initiative_id].itertuples()],
        risks=[HighRisk(k.description, int(k.score), k.owner, k.mitigation, bool(k.overdue))
               for k in risks[risks["initiative_id"] == r.initiative_id].itertuples()],
    ) for r in board.itertuples()]


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))  # type: ignore[arg-type]


def _day(value: object) -> date:
    return value.date() if isinstance(value, pd.Timestamp) else value  # type: ignore[return-value]
