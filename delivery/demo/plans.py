"""The demo's delivery plans (data/demo/plans.yaml): initiatives with their goals, budget
links, milestones (forecast moves kept as revisions, each dated and with its reason), physical
progress and risks. Texts in the demo's language from data/demo/names.<language>.yaml."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.demo.spec import DEMO_DIR, _named, _yaml, demo_texts
from delivery.models import (
    BudgetAccount,
    Goal,
    Initiative,
    InitiativeAccount,
    InitiativeGoal,
    Milestone,
    MilestoneRevision,
    Pact,
    ProgressReport,
    Risk,
    Secretariat,
)
from delivery.plans.vocabulary import Stage

TRANSLATED = frozenset({"name", "description", "responsible", "owner", "mitigation", "reason",
                        "cancel_reason"})
ACTOR = "demo"


def read_plans(language: str | None = None) -> list[dict[str, Any]]:
    """The initiatives of plans.yaml, their texts in ``language`` (default: the current one)."""
    texts = demo_texts(language)
    return [_named(i, texts, keys=TRANSLATED)
            for i in _yaml(DEMO_DIR / "plans.yaml")["initiatives"]]


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def add_plans(session: Session) -> int:
    """Write the demo's initiatives; their number."""
    secretariats = dict(session.execute(select(Secretariat.code, Secretariat.id)).all())
    pacts = dict(session.execute(select(Pact.code, Pact.id)).all())
    goals = dict(session.execute(select(Goal.code, Goal.id)).all())
    accounts: dict[str, list[int]] = {}
    for id_, code in session.execute(select(BudgetAccount.id, BudgetAccount.code)):
        accounts.setdefault(code, []).append(id_)
    plans = read_plans()
    for spec in plans:
        initiative = Initiative(
            code=spec["code"], name=spec["name"], description=spec.get("description", ""),
            secretariat_id=secretariats[spec["secretariat"]],
            responsible=spec.get("responsible", ""), pact_id=pacts.get(spec.get("pact", "")),
            starts_on=spec["starts"], ends_on=spec["ends"], stage=Stage(spec["stage"]),
            cancel_reason=spec.get("cancel_reason"), tolerance_days=spec.get("tolerance", 0),
            created_at=_at(spec["starts"]),
            goals=[InitiativeGoal(goal_id=goals[c], weight=w)
                   for c, w in spec.get("goals", {}).items()],
            accounts=[InitiativeAccount(account_id=a, share=s)
                      for c, s in spec.get("accounts", {}).items() for a in accounts[c]],
            progress=[ProgressReport(on=on, physical_pct=pct, reported_by=ACTOR,
                                     recorded_at=_at(on))
                      for on, pct in spec.get("progress", {}).items()])
        for position, m in enumerate(spec.get("milestones", []), start=1):
            initiative.milestones.append(_milestone(m, position, spec["starts"]))
        session.add(initiative)
        session.flush()
        for r in spec.get("risks", []):
            session.add(Risk(initiative_id=initiative.id, description=r["description"],
                             probability=r["probability"], impact=r["impact"],
                             owner=r.get("owner", ""), mitigation=r.get("mitigation", ""),
                             review_on=r.get("review")))
    session.flush()
    return len(plans)


def _milestone(spec: dict[str, Any], position: int, created: date) -> Milestone:
    moves = spec.get("moves", [])
    forecast = moves[-1]["to"] if moves else spec["baseline"]
    revisions = [MilestoneRevision(forecast_on=spec["baseline"], reason="", changed_by=ACTOR,
                                   changed_at=_at(created))]
    revisions += [MilestoneRevision(forecast_on=m["to"], reason=m["reason"], changed_by=ACTOR,
                                    changed_at=_at(m["day"])) for m in moves]
    return Milestone(name=spec["name"], position=position, baseline_on=spec["baseline"],
                     forecast_on=forecast, actual_on=spec.get("actual"),
                     owner=spec.get("owner", ""), revisions=revisions)
