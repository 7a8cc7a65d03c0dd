"""Delivery plans in the strategy graph: initiatives as nodes linked to the goals they serve
(``advances``, with the weight of the link) and to the secretariat that runs them (``run_by``);
for export, their milestones (``step_of`` an initiative) and risks (``threatens`` an
initiative or a goal) too.

- ``add_plans(graph, session)``: the nodes and edges, into a graph from ``build_graph``;
- ``late_milestones_per_node``: the roll-up's count of late milestones per pillar, objective,
  pact and secretariat (an initiative's late milestones count once in every node that gathers
  one of its goals);
- ``goals_advanced``: the goals an initiative serves, for impact analysis (a late initiative
  exposes what its goals expose).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import networkx as nx
import pandas as pd
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from delivery.bulk import collector_paused
from delivery.db import query_frame
from delivery.models import Initiative, InitiativeGoal, Milestone, Risk
from delivery.plans.board import plan_board
from strategy_maps.index import MapIndex
from strategy_maps.nodes import GOAL, SECRETARIAT, NodeId

INITIATIVE, MILESTONE, RISK = "initiative", "milestone", "risk"
ADVANCES = "advances"  # initiative -> goal, with the weight of its contribution
RUN_BY = "run_by"  # initiative -> secretariat
STEP_OF = "step_of"  # milestone -> initiative
THREATENS = "threatens"  # risk -> initiative (or goal)


def add_plans(graph: nx.DiGraph, session: Session, *, details: bool = False) -> nx.DiGraph:
    """Add the initiatives (and, with ``details``, milestones and risks) to ``graph`` in
    place; returns it. Links to goals or secretariats not in the graph are left out."""
    initiatives = query_frame(session, select(
        Initiative.id, Initiative.code, Initiative.name, type_coerce(Initiative.stage, String),
        Initiative.secretariat_id, Initiative.responsible, Initiative.tolerance_days,
        Initiative.starts_on, Initiative.ends_on), ["id", "code", "label", "stage",
                                                    "secretariat_id", "responsible",
                                                    "tolerance_days", "starts_on", "ends_on"])
    links = session.execute(select(InitiativeGoal.initiative_id, InitiativeGoal.goal_id,
                                   InitiativeGoal.weight)).all()
    with collector_paused():
        for row in initiatives.to_dict("records"):
            node, sec = (INITIATIVE, int(row.pop("id"))), int(row.pop("secretariat_id"))
            graph.add_node(node, kind=INITIATIVE, **_plain(row))
            if (SECRETARIAT, sec) in graph:
                graph.add_edge(node, (SECRETARIAT, sec), kind=RUN_BY)
        graph.add_edges_from(((INITIATIVE, i), (GOAL, g), {"kind": ADVANCES, "weight": w})
                             for i, g, w in links if (GOAL, g) in graph)
        if details:
            _add_details(graph, session)
    return graph


def _add_details(graph: nx.DiGraph, session: Session) -> None:
    codes = {n[1]: a["code"] for n, a in graph.nodes(data=True) if n[0] == INITIATIVE}
    for m in session.execute(select(Milestone.id, Milestone.initiative_id, Milestone.name,
                                    Milestone.position, Milestone.baseline_on,
                                    Milestone.forecast_on, Milestone.actual_on,
                                    Milestone.owner)):
        node = (MILESTONE, m.id)
        graph.add_node(node, kind=MILESTONE, code=f"{codes[m.initiative_id]}/{m.position}",
                       **_plain({"label": m.name, "position": m.position,
                                 "baseline_on": m.baseline_on, "forecast_on": m.forecast_on,
                                 "actual_on": m.actual_on, "owner": m.owner}))
        graph.add_edge(node, (INITIATIVE, m.initiative_id), kind=STEP_OF)
    for r in session.execute(select(Risk.id, Risk.initiative_id, Risk.goal_id,
                                    Risk.description, Risk.probability, Risk.impact,
                                    type_coerce(Risk.status, String).label("status"),
                                    Risk.owner, Risk.mitigation, Risk.review_on)):
        node = (RISK, r.id)
        graph.add_node(node, kind=RISK, code=f"R{r.id}", **_plain({
            "label": r.description, "probability": r.probability, "impact": r.impact,
            "score": r.probability * r.impact, "status": r.status, "owner": r.owner,
            "mitigation": r.mitigation, "review_on": r.review_on}))
        subject = (INITIATIVE, r.initiative_id) if r.initiative_id is not None else (
            GOAL, r.goal_id)
        if subject in graph:
            graph.add_edge(node, subject, kind=THREATENS)


def _plain(row: dict) -> dict:
    return {k: (None if v is None or (isinstance(v, float) and v != v) else
                v.date() if isinstance(v, pd.Timestamp) else v) for k, v in row.items()}


def goals_advanced(graph: nx.DiGraph, initiatives: Iterable[NodeId]) -> list[NodeId]:
    """The goals the initiatives serve, each once, in code order."""
    goals = {v for i in initiatives for v, d in graph.succ[i].items() if d["kind"] == ADVANCES}
    return sorted(goals, key=lambda g: graph.nodes[g]["code"])


def late_milestones_per_node(index: MapIndex, session: Session, as_of: date) -> pd.Series:
    """Per group of the index (``index.groups`` order, as the roll-up's rows): the milestones
    late on ``as_of`` of the initiatives serving any goal the group gathers, each initiative
    counted once per group."""
    board = plan_board(session, as_of)
    late = board.loc[board["late"] > 0, ["initiative_id", "late"]]
    zero = pd.Series(0, index=range(len(index.groups)), dtype=int)
    if late.empty:
        return zero
    positions = {node[1]: i for i, node in enumerate(index.goals)}
    serves = pd.DataFrame([(i, positions[g]) for i, g in session.execute(
        select(InitiativeGoal.initiative_id, InitiativeGoal.goal_id).where(
            InitiativeGoal.initiative_id.in_(late["initiative_id"].tolist())))
        if g in positions], columns=["initiative_id", "goal"])
    members = pd.DataFrame({"group": index.member_group, "goal": index.member_goal})
    pairs = serves.merge(members, on="goal")[["initiative_id", "group"]].drop_duplicates()
    counts = pairs.merge(late, on="initiative_id").groupby("group")["late"].sum()
    return zero.add(counts, fill_value=0).astype(int)
