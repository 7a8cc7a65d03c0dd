"""Building the typed graph: from hand-built tables, and from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from delivery.models import (
    BudgetAccount,
    GoalAccountLink,
    ObjectiveLink,
    Pact,
    PactGoal,
    PactMember,
    Trajectory,
)
from delivery.vocabulary import Shape
from strategy_maps.frames import MapFrames
from strategy_maps.graph import graph_from_frames
from strategy_maps.loader import build_graph
from strategy_maps.nodes import EDGE_KINDS, by_code, name, neighbours, nodes_of
from tests.factories import make_goal
from tests.strategy_maps.builders import MapBuilder


def full_map() -> MapBuilder:
    b = MapBuilder().goal("G1", objective="O1", owner="S1").goal("G2", objective="O2",
                                                                 owner="S2")
    b.contributes("O2", "O1", 0.4)
    b.pact("PA", members=("S1", "S2"), goals={"G1": {"negotiated_target_value": 120.0}})
    b.account("A1", {"G1": 0.5, "G2": 0.25}, appropriated=1000.0, secretariat="S1")
    return b


@pytest.mark.parametrize(("edge_kind", "ends"), sorted(EDGE_KINDS.items()), ids=str)
def test_every_edge_kind_links_the_kinds_it_names(edge_kind, ends):
    graph = full_map().graph()
    edges = [(u, v) for u, v, k in graph.edges(data="kind") if k == edge_kind]
    assert edges, f"the map has no {edge_kind} edge"
    assert {(graph.nodes[u]["kind"], graph.nodes[v]["kind"]) for u, v in edges} == {ends}


def test_nodes_are_kind_and_id_with_kind_code_and_label():
    b = full_map()
    graph = b.graph()
    goal = b.node("goal", "G1")
    assert goal == ("goal", b.id("goals", "G1"))
    assert graph.nodes[goal]["kind"] == "goal"
    assert graph.nodes[goal]["code"] == "G1"
    assert graph.nodes[goal]["label"] == "goals G1"
    assert all({"kind", "code", "label"} <= set(a) for _, a in graph.nodes(data=True))


def test_edges_carry_weight_share_and_negotiated_target():
    b = full_map()
    graph = b.graph()
    assert graph.edges[b.node("objective", "O2"), b.node("objective", "O1")]["weight"] == 0.4
    assert graph.edges[b.node("goal", "G2"), b.node("account", "A1")]["share"] == 0.25
    deal = graph.edges[b.node("pact", "PA"), b.node("goal", "G1")]
    assert deal["negotiated_target_value"] == 120.0
    assert deal["negotiated_target_date"] is None


def test_missing_values_are_none_not_nan():
    graph = MapBuilder().goal("G1", owner=None, target_value=None).graph()
    attrs = graph.nodes[by_code(graph, "goal", "G1")]
    assert attrs["target_value"] is None
    assert attrs["baseline_value"] is None


def test_a_link_to_an_unknown_node_is_refused():
    frames = MapFrames.of(pillars=[{"id": 1, "code": "P"}],
                          objectives=[{"id": 2, "code": "O", "pillar_id": 9}])
    with pytest.raises(ValueError, match=r"objectives.pillar_id names unknown pillar ids: \[9\]"):
        graph_from_frames(frames)


def test_a_table_without_its_ids_is_refused():
    with pytest.raises(ValueError, match="goals needs a objective_id column"):
        MapFrames.of(goals=[{"id": 1, "code": "G"}])


def test_helpers_find_and_name_nodes():
    b = full_map()
    graph = b.graph()
    assert nodes_of(graph, "goal") == [b.node("goal", "G1"), b.node("goal", "G2")]
    assert set(neighbours(graph, b.node("account", "A1"), "funded_by")) == {
        b.node("goal", "G1"), b.node("goal", "G2")}
    assert name(graph, b.node("account", "A1")) == (
        "budget account A1 (FY2022) \u201caccounts A1/2022\u201d")
    assert name(graph, b.node("pact", "PA"), capital=True).startswith("Pact PA")
    with pytest.raises(KeyError, match="no goal with code 'G9'"):
        by_code(graph, "goal", "G9")


def test_build_graph_reads_the_whole_map_from_the_database(db):
    goal = make_goal(db, is_output=True)
    other = make_goal(db)
    db.add(ObjectiveLink(source_id=other.objective_id, target_id=goal.objective_id, weight=0.3))
    pact = Pact(code="PPV", name="Pact for Life")
    pact.members = [PactMember(secretariat=goal.owner, is_lead=True),
                    PactMember(secretariat=other.owner)]
    pact.goals = [PactGoal(goal=goal, negotiated_target_value=65.0,
                           negotiated_target_date=date(2022, 12, 31))]
    account = BudgetAccount(code="0412.4135", name="Policing", fiscal_year=2022,
                            secretariat=goal.owner, appropriated=Decimal("1000.10"),
                            committed=Decimal("900.00"), spent=Decimal("800.55"))
    db.add_all([pact, account])
    db.flush()
    db.add(GoalAccountLink(goal_id=goal.id, account_id=account.id, share=0.6))
    db.add(Trajectory(goal_id=goal.id, version=1, shape=Shape.LINEAR, proposed_by="unit",
                      approved_by="governor", approved_at=datetime(2020, 2, 1, tzinfo=UTC)))
    db.add(Trajectory(goal_id=other.id, version=1, shape=Shape.LINEAR, proposed_by="unit"))
    db.flush()

    graph = build_graph(db)

    g, o = ("goal", goal.id), ("goal", other.id)
    assert graph.nodes[g]["code"] == goal.code
    assert graph.nodes[g]["direction"] == "down"
    assert graph.nodes[g]["is_output"] is True
    assert graph.nodes[g]["has_trajectory"] is True
    assert graph.nodes[o]["has_trajectory"] is False  # proposed, never approved
    assert graph.nodes[g]["figures"] == 0
    acc = ("account", account.id)
    assert graph.nodes[acc]["appropriated"] == pytest.approx(1000.10)
    assert isinstance(graph.nodes[acc]["spent"], float)
    assert graph.edges[g, acc] == {"kind": "funded_by", "share": 0.6}
    assert graph.edges[("objective", other.objective_id), ("objective", goal.objective_id)][
        "weight"] == 0.3
    assert graph.edges[("pact", pact.id), g]["negotiated_target_date"] == date(2022, 12, 31)
    assert graph.edges[("secretariat", goal.owner_id), ("pact", pact.id)]["is_lead"] is True
    assert graph.edges[acc, ("secretariat", goal.owner_id)]["kind"] == "held_by"
    assert graph.number_of_nodes() == 2 * 4 + 2  # 2 x (pillar, objective, secretariat, goal)
