"""The strategy map out of the database: ``load_frames`` (one query per table) and
``build_graph``."""

from __future__ import annotations

import networkx as nx
import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from delivery.db import query_frame
from delivery.models import (
    BudgetAccount,
    Figure,
    Goal,
    GoalAccountLink,
    Objective,
    ObjectiveLink,
    Pact,
    PactGoal,
    PactMember,
    Pillar,
    Secretariat,
    Trajectory,
)
from strategy_maps.frames import MapFrames
from strategy_maps.graph import graph_from_frames


def build_graph(session: Session) -> nx.DiGraph:
    """The whole strategy graph as it stands in the database (see ``strategy_maps.nodes``)."""
    return graph_from_frames(load_frames(session))


def load_frames(session: Session) -> MapFrames:
    """Every table of the map, with money as float and, per goal, whether it has an approved
    trajectory and how many figure rows it has."""
    trajectories = select(Trajectory.goal_id).where(Trajectory.approved_at.is_not(None))
    figures = (select(Figure.goal_id, func.count().label("n")).group_by(Figure.goal_id)
               .subquery())
    goals = _frame(session, select(
        Goal.id, Goal.code, Goal.name, Goal.objective_id, Goal.owner_id, Goal.indicator,
        Goal.unit, Goal.direction, Goal.frequency, Goal.baseline_value, Goal.target_value,
        Goal.target_date, Goal.target_low, Goal.target_high, Goal.is_output,
        Goal.id.in_(trajectories).label("has_trajectory"),
        func.coalesce(figures.c.n, 0).label("figures"),
    ).outerjoin(figures, figures.c.goal_id == Goal.id).order_by(Goal.id))
    for column in ("direction", "frequency"):
        goals[column] = goals[column].map(lambda d: getattr(d, "value", d))
    accounts = _frame(session, select(
        BudgetAccount.id, BudgetAccount.code, BudgetAccount.name, BudgetAccount.secretariat_id,
        BudgetAccount.fiscal_year, BudgetAccount.appropriated, BudgetAccount.committed,
        BudgetAccount.spent,
    ).order_by(BudgetAccount.id))
    for column in ("appropriated", "committed", "spent"):
        accounts[column] = accounts[column].astype(float)
    return MapFrames.of(
        pillars=_frame(session, select(Pillar.id, Pillar.code, Pillar.name, Pillar.position)),
        objectives=_frame(session, select(Objective.id, Objective.code, Objective.name,
                                          Objective.pillar_id, Objective.position)),
        objective_links=_frame(session, select(ObjectiveLink.source_id,
                                               ObjectiveLink.target_id, ObjectiveLink.weight)),
        secretariats=_frame(session, select(Secretariat.id, Secretariat.code, Secretariat.name)),
        goals=goals,
        pacts=_frame(session, select(Pact.id, Pact.code, Pact.name)),
        pact_members=_frame(session, select(PactMember.pact_id, PactMember.secretariat_id,
                                            PactMember.is_lead)),
        pact_goals=_frame(session, select(PactGoal.pact_id, PactGoal.goal_id,
                                          PactGoal.negotiated_target_value,
                                          PactGoal.negotiated_target_date)),
        accounts=accounts,
        account_links=_frame(session, select(GoalAccountLink.goal_id,
                                             GoalAccountLink.account_id, GoalAccountLink.share)),
    )


def _frame(session: Session, query: Select) -> pd.DataFrame:
    return query_frame(session, query)
