"""Initiatives as the API reads them: the plan board's rows (``delivery.plans.board``) and one
initiative's page (``delivery.plans.detail``) as plain JSON-ready dicts, scoped exactly as the
screens scope them (``delivery.plans.access``): a secretariat's token reads its own
initiatives, those serving goals it sees and those of its pacts; of the goals an initiative
serves, only those the person sees are named."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.access import Viewer, goal_filter, goal_scope
from delivery.api.queries import Page, paged, plain
from delivery.models import Goal, Initiative, InitiativeGoal
from delivery.plans.access import initiative_scope, visible_initiative_ids
from delivery.plans.board import BoardFilters, plan_board
from delivery.plans.detail import initiative_view

SUMMARY_FIELDS = {"code": "code", "name": "name", "stage": "stage",
                  "secretariat": "secretariat_code", "pact": "pact_code",
                  "responsible": "responsible", "starts_on": "starts_on", "ends_on": "ends_on",
                  "status": "status", "slip_days": "slip", "milestone_count": "milestones",
                  "late": "late", "at_risk": "at_risk", "due": "due",
                  "physical_pct": "physical_pct", "financial_share": "financial_share",
                  "money_ahead": "money_ahead"}
MILESTONE_FIELDS = {"id": "milestone_id", "name": "name", "position": "position",
                    "baseline_on": "baseline_on", "forecast_on": "forecast_on",
                    "actual_on": "actual_on", "owner": "owner", "status": "status",
                    "slip_days": "slip"}
RISK_FIELDS = ["id", "description", "probability", "impact", "score", "band", "owner",
               "mitigation", "review_on", "status"]


def _goals_seen(session: Session, viewer: Viewer, initiative_ids: list[int]
                ) -> dict[int, list[str]]:
    """Per initiative, the codes of the goals it serves that ``viewer`` sees."""
    found: dict[int, list[str]] = defaultdict(list)
    if not initiative_ids:
        return found
    for initiative_id, code in session.execute(
            select(InitiativeGoal.initiative_id, Goal.code)
            .join(Goal, Goal.id == InitiativeGoal.goal_id)
            .where(InitiativeGoal.initiative_id.in_(initiative_ids), goal_scope(viewer))
            .order_by(Goal.code)):
        found[initiative_id].append(code)
    return found


def _summary(row: pd.Series, goals: list[str], as_of: date) -> dict[str, Any]:
    out = {key: plain(row[column]) for key, column in SUMMARY_FIELDS.items()}
    out["money_ahead"] = bool(out["money_ahead"])
    return {**out, "goals": goals, "as_of": as_of.isoformat()}


def initiatives(session: Session, viewer: Viewer, as_of: date, page: Page, *,
                secretariat: str | None = None, pact: str | None = None,
                stage: str | None = None, late_only: bool = False) -> dict[str, Any]:
    """The initiatives ``viewer`` sees as the plan board lists them on ``as_of`` (worst first:
    status from the worst milestone, slip, late / at-risk / due counts, physical and
    financial progress)."""
    board = plan_board(session, as_of, initiative_ids=visible_initiative_ids(session, viewer),
                       filters=BoardFilters(secretariat=secretariat, pact=pact, stage=stage,
                                            late_only=late_only))
    total = len(board)
    board = board.iloc[page.offset:page.offset + page.size]
    goals = _goals_seen(session, viewer, [int(i) for i in board["initiative_id"]])
    items = [_summary(row, goals.get(int(row["initiative_id"]), []), as_of)
             for _i, row in board.iterrows()]
    return paged(items, total, page)


def initiative(session: Session, viewer: Viewer, code: str, as_of: date
               ) -> dict[str, Any] | None:
    """One initiative ``viewer`` sees, with its milestones (status and slip as of ``as_of``,
    the forecast known then), physical progress reported up to it, risks and the goals it
    serves; None when there is no such initiative for them."""
    found = session.scalar(select(Initiative).where(Initiative.code == code,
                                                    initiative_scope(viewer)))
    if found is None:
        return None
    board = plan_board(session, as_of, initiative_ids=[found.id])
    view = initiative_view(session, found, as_of, goal_filter(session, viewer))
    summary = _summary(board.iloc[0], [], as_of)
    milestones = [{k: plain(m[c]) for k, c in MILESTONE_FIELDS.items()}
                  for _i, m in view.milestones.iterrows()]
    progress = [{"on": plain(p["on"]), "physical_pct": float(p["pct"]),
                 "note": p["note"] if isinstance(p["note"], str) else None}
                for _i, p in view.physical.iterrows()]
    risks = [{**{k: plain(r[k]) for k in RISK_FIELDS}, "review_overdue": bool(r["overdue"])}
             for _i, r in view.risks.iterrows()]
    goals = [{"code": g["code"], "name": g["name"], "status": plain(g["status"]),
              "weight": float(g["weight"])}
             for _i, g in view.goals.sort_values("code").iterrows()] if len(view.goals) else []
    return {**summary, "description": found.description,
            "tolerance_days": found.tolerance_days, "cancel_reason": found.cancel_reason,
            "milestones": milestones, "progress": progress, "risks": risks, "goals": goals}
