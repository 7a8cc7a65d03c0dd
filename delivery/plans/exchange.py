"""Delivery plans out to a workbook (one sheet per kind) that the shipped mappings
(``data/mappings/plans_*.yaml``) read back in: export, then import, changes nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from delivery.exports import spreadsheet_safe
from delivery.models import BudgetAccount, Goal, Initiative, ProgressReport, Risk

SHEETS = ("initiatives", "milestones", "risks", "progress")


def _day(value: object) -> str:
    return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]


def plan_frames(session: Session) -> dict[str, pd.DataFrame]:
    """The delivery plans as four tables, in the columns the shipped mappings read."""
    initiatives = session.scalars(select(Initiative).options(
        selectinload(Initiative.goals), selectinload(Initiative.accounts),
        selectinload(Initiative.milestones), selectinload(Initiative.pact),
        selectinload(Initiative.secretariat)).order_by(Initiative.code)).all()
    goal_codes = dict(session.execute(select(Goal.id, Goal.code)).all())
    accounts = {i: f"{c}/{y}" for i, c, y in session.execute(
        select(BudgetAccount.id, BudgetAccount.code, BudgetAccount.fiscal_year))}
    rows = [{
        "code": i.code, "name": i.name, "secretariat": i.secretariat.code,
        "description": i.description, "responsible": i.responsible,
        "pact": i.pact.code if i.pact else "", "starts_on": _day(i.starts_on),
        "ends_on": _day(i.ends_on), "stage": i.stage.value,
        "cancel_reason": i.cancel_reason or "", "tolerance_days": i.tolerance_days,
        "goals": ";".join(sorted(f"{goal_codes[g.goal_id]}={g.weight:g}" for g in i.goals)),
        "accounts": ";".join(sorted(f"{accounts[a.account_id]}={a.share:g}"
                                    for a in i.accounts)),
    } for i in initiatives]
    code_of = {i.id: i.code for i in initiatives}
    milestones = [{
        "initiative": code_of[m.initiative_id], "name": m.name, "baseline": _day(m.baseline_on),
        "forecast": _day(m.forecast_on), "actual": _day(m.actual_on), "owner": m.owner,
        "reason": "",
    } for i in initiatives for m in i.milestones]
    risks = [{
        "initiative": code_of.get(r.initiative_id, "") if r.initiative_id else "",
        "goal": goal_codes.get(r.goal_id, "") if r.goal_id else "",
        "description": r.description, "probability": r.probability, "impact": r.impact,
        "owner": r.owner, "mitigation": r.mitigation, "review_on": _day(r.review_on),
        "status": r.status.value,
    } for r in session.scalars(select(Risk).order_by(Risk.id))]
    progress = [{"initiative": code_of[p.initiative_id], "date": _day(p.on),
                 "physical_pct": p.physical_pct, "note": p.note or ""}
                for p in session.scalars(select(ProgressReport).order_by(
                    ProgressReport.initiative_id, ProgressReport.on, ProgressReport.id))]
    columns = {
        "initiatives": ["code", "name", "secretariat", "description", "responsible", "pact",
                        "starts_on", "ends_on", "stage", "cancel_reason", "tolerance_days",
                        "goals", "accounts"],
        "milestones": ["initiative", "name", "baseline", "forecast", "actual", "owner", "reason"],
        "risks": ["initiative", "goal", "description", "probability", "impact", "owner",
                  "mitigation", "review_on", "status"],
        "progress": ["initiative", "date", "physical_pct", "note"],
    }
    data = {"initiatives": rows, "milestones": milestones, "risks": risks, "progress": progress}
    return {name: pd.DataFrame(data[name], columns=columns[name]) for name in SHEETS}


def export_plans(session: Session, path: Path) -> dict[str, int]:
    """Write the workbook; the number of rows of each sheet."""
    frames = plan_frames(session)
    with pd.ExcelWriter(path) as writer:
        for name, frame in frames.items():
            frame.map(spreadsheet_safe).to_excel(writer, sheet_name=name, index=False)
    return {name: len(frame) for name, frame in frames.items()}


