"""The demo's performance pacts and budget accounts, with the goal-to-account crosswalk."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from delivery.demo.spec import rng_for
from delivery.demo.strategy import Registry
from delivery.models import BudgetAccount, Goal, GoalAccountLink, Pact, PactGoal, PactMember

CENT = Decimal("0.01")


def goals_named(registry: Registry, names: list[str]) -> list[Goal]:
    """Goals by code, where a template code stands for all its regional goals."""
    found = []
    for name in names:
        if name in registry.goals:
            found.append(registry.goals[name])
        else:
            regional = [g for code, g in registry.goals.items() if code.startswith(f"{name}-")]
            if not regional:
                raise KeyError(f"the demo names a goal {name!r} that it does not define")
            found.extend(regional)
    return found


def add_pacts(session: Session, gov: dict[str, Any], registry: Registry) -> dict[str, Pact]:
    pacts = {}
    for spec in gov["pacts"]:
        pact = Pact(code=spec["code"], name=spec["name"], description=spec["description"],
                    starts_on=spec["starts_on"], ends_on=spec["ends_on"])
        pact.members = [
            PactMember(secretariat=registry.secretariats[code], is_lead=code == spec["lead"])
            for code in spec["members"]
        ]
        pact.goals = [_pact_goal(goal, spec["negotiated_share"])
                      for goal in goals_named(registry, spec["goals"])]
        pacts[pact.code] = pact
    session.add_all(pacts.values())
    session.flush()
    return pacts


def _pact_goal(goal: Goal, share: float) -> PactGoal:
    """The target agreed in the pact: ``share`` of the way from baseline to the goal's target
    (more ambitious above 1); a range goal keeps the middle of its band."""
    target, baseline = goal.target_value or 0.0, goal.baseline_value or 0.0
    if goal.target_low is None:
        target = round(baseline + share * (target - baseline), 2)
    return PactGoal(goal=goal, negotiated_target_value=target,
                    negotiated_target_date=goal.target_date)


def add_budget(session: Session, gov: dict[str, Any], registry: Registry) -> int:
    """Accounts for every fiscal year, each linked to the goals it serves; returns the links."""
    budget, links = gov["budget"], 0
    shares = _crosswalk(gov, registry)
    for year_index, year in enumerate(budget["fiscal_years"]):
        for spec in budget["accounts"]:
            account = _account(gov, spec, year, budget["growth"] ** year_index, registry)
            session.add(account)
            session.flush()
            session.add_all(GoalAccountLink(goal_id=goal.id, account_id=account.id, share=share)
                            for goal, share in shares[spec["code"]])
            links += len(shares[spec["code"]])
    return links


def _account(gov: dict[str, Any], spec: dict[str, Any], year: int, growth: float,
             registry: Registry) -> BudgetAccount:
    rng = rng_for(gov["seed"], f"budget:{spec['code']}:{year}")
    appropriated = spec["amount"] * 1e6 * growth * rng.uniform(0.95, 1.05)
    committed = appropriated * rng.uniform(0.86, 0.99)
    spent = committed * (spec.get("spent_rate") or rng.uniform(0.7, 0.93))
    return BudgetAccount(
        code=spec["code"], name=spec["name"], fiscal_year=year,
        secretariat=registry.secretariats[spec["secretariat"]],
        appropriated=_money(appropriated), committed=_money(committed), spent=_money(spent),
    )


def _money(amount: float) -> Decimal:
    return Decimal(repr(float(amount))).quantize(CENT, rounding=ROUND_HALF_UP)


def _crosswalk(gov: dict[str, Any], registry: Registry) -> dict[str, list[tuple[Goal, float]]]:
    """Per account code, the goals it serves with their shares (summing to at most 1).
    Goals no account names go to their secretariat's default account."""
    accounts = gov["budget"]["accounts"]
    served = {a["code"]: goals_named(registry, a.get("serves", [])) for a in accounts}
    covered = {g.code for goals in served.values() for g in goals}
    defaults = {registry.secretariats[a["secretariat"]]: a["code"]
                for a in accounts if a.get("default")}
    for goal in registry.goals.values():
        if goal.code not in covered and goal.owner is not None:
            served[defaults[goal.owner]].append(goal)
    return {code: _shares(gov, code, goals) for code, goals in served.items()}


def _shares(gov: dict[str, Any], code: str, goals: list[Goal]) -> list[tuple[Goal, float]]:
    """Split part of the account (the rest pays for things that are no priority goal)."""
    if not goals:
        return []
    rng = rng_for(gov["seed"], f"crosswalk:{code}")
    total = rng.uniform(0.6, 0.98)
    parts = rng.dirichlet(np.full(len(goals), 3.0)) * total
    return [(goal, max(0.001, float(np.floor(p * 1000) / 1000)))
            for goal, p in zip(goals, parts, strict=True)]
