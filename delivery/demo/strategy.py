"""The strategy map of the demo: secretariats, pillars, objectives and their links, goals and
their trajectories (version 1 for every goal; a renegotiated version 2 for a few)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from delivery.demo.spec import GoalPlan, reporter, template
from delivery.models import (
    Goal,
    Objective,
    ObjectiveLink,
    Pillar,
    Secretariat,
    Trajectory,
    TrajectoryPoint,
)
from delivery.trajectories import Milestone, generate_milestones
from delivery.trajectory_versions import approve, propose
from delivery.vocabulary import Shape


def stamp(day: date, hour: int = 12) -> datetime:
    """A fixed moment on ``day`` (UTC), so that every load writes the same timestamps."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass
class Registry:
    """The rows created so far, by code, for the later steps to refer to."""

    secretariats: dict[str, Secretariat]
    objectives: dict[str, Objective]
    goals: dict[str, Goal]


def build_map(session: Session, gov: dict[str, Any]) -> Registry:
    """Secretariats, pillars, objectives and the weighted links between objectives."""
    secretariats = {
        s["code"]: Secretariat(code=s["code"], name=s["name"]) for s in gov["secretariats"]
    }
    pillars = {
        p["code"]: Pillar(code=p["code"], name=p["name"], position=i)
        for i, p in enumerate(gov["pillars"], 1)
    }
    objectives = {
        o["code"]: Objective(code=o["code"], name=o["name"], pillar=pillars[o["pillar"]],
                             position=i, description=o.get("description", ""))
        for i, o in enumerate(gov["objectives"], 1)
    }
    session.add_all([*secretariats.values(), *pillars.values(), *objectives.values()])
    session.flush()
    session.add_all(
        ObjectiveLink(source_id=objectives[a].id, target_id=objectives[b].id, weight=w)
        for a, b, w in gov["objective_links"]
    )
    return Registry(secretariats, objectives, {})


def add_goals(session: Session, gov: dict[str, Any], registry: Registry,
              plans: list[GoalPlan]) -> None:
    created = stamp(gov["created_at"])
    for plan in plans:
        registry.goals[plan.code] = _goal(plan, registry, created)
    session.add_all(registry.goals.values())
    session.flush()


def _goal(plan: GoalPlan, registry: Registry, created: datetime) -> Goal:
    low, high = plan.band if plan.band else (None, None)
    return Goal(
        code=plan.code, name=plan.name, objective=registry.objectives[plan.objective],
        owner=registry.secretariats[plan.owner], indicator=plan.indicator, unit=plan.unit,
        direction=plan.direction, frequency=plan.frequency,
        baseline_value=plan.baseline, baseline_date=plan.baseline_date,
        target_value=plan.target, target_date=plan.target_date,
        target_low=low, target_high=high,
        tolerance=plan.tolerance[0], off_track_tolerance=plan.tolerance[1],
        is_public=plan.is_public, is_output=plan.is_output, created_at=created,
    )


def original_milestones(plan: GoalPlan) -> list[Milestone]:
    """Version 1: the promise as first made."""
    start, end = (plan.baseline_date, plan.baseline), (plan.target_date, plan.target)
    if plan.shape is Shape.MILESTONES:
        return [start, *plan.milestones, end]
    return generate_milestones(plan.shape, start, end, plan.frequency)


def renegotiated_milestones(plan: GoalPlan) -> list[Milestone]:
    """Version 2: from the baseline down to where things stood, then on to the new target."""
    deal = plan.renegotiate or {}
    restart = (deal["restart"][0], float(deal["restart"][1]))
    path = generate_milestones(Shape(deal["shape"]), restart,
                               (deal["target_date"], float(deal["target"])), plan.frequency)
    return [(plan.baseline_date, plan.baseline), *path]


def add_trajectories(session: Session, gov: dict[str, Any], registry: Registry,
                     plans: list[GoalPlan]) -> dict[str, tuple[Shape, list[Milestone]]]:
    """Version 1, approved, for every goal; then the renegotiations the plans call for, through
    the proposal and approval workflow. Returns the trajectory in force at the end, by goal."""
    people = gov["trajectory"]
    in_force = {plan.code: (plan.shape, original_milestones(plan)) for plan in plans}
    # Written in one flush rather than through propose/approve (one round trip per goal):
    # the rows are the same, and a fresh database has nothing to conflict with.
    session.add_all(
        Trajectory(
            goal_id=registry.goals[code].id, version=1, shape=shape,
            proposed_by=people["proposed_by"], approved_by=people["approved_by"],
            rationale=template(gov, "Original promise of the 2020-2023 strategy map."),
            created_at=stamp(people["proposed_at"]), approved_at=stamp(people["approved_at"]),
            points=[TrajectoryPoint(on=d, value=float(v)) for d, v in milestones],
        )
        for code, (shape, milestones) in in_force.items()
    )
    session.flush()
    for plan in plans:
        if plan.renegotiate:
            in_force[plan.code] = _renegotiate(session, gov, registry.goals[plan.code], plan)
    return in_force


def _renegotiate(session: Session, gov: dict[str, Any], goal: Goal,
                 plan: GoalPlan) -> tuple[Shape, list[Milestone]]:
    deal, people = plan.renegotiate or {}, gov["trajectory"]
    shape, milestones = Shape(deal["shape"]), renegotiated_milestones(plan)
    # The pandemic renegotiations redraw months already past when they were made: they restate
    # the past, on purpose, and the goal page says so.
    second = propose(session, goal, shape, milestones, proposed_by=reporter(plan.owner),
                     rationale=" ".join(deal["rationale"].split()), based_on=1,
                     restates_past=True, at=stamp(deal["proposed_at"]))
    approve(session, second, approved_by=people["approved_by"], at=stamp(deal["approved_at"]))
    goal.target_value, goal.target_date = float(deal["target"]), deal["target_date"]
    plan.target, plan.target_date = goal.target_value, goal.target_date
    session.flush()
    return shape, milestones
