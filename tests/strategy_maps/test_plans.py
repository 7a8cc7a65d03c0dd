"""Delivery plans in the strategy graph: initiatives linked to the goals they serve, the
roll-up's late milestones per node, impact of a late initiative, and the GraphML/JSON export
carrying initiatives, milestones and risks."""

from __future__ import annotations

import json

import networkx as nx
from click.testing import CliRunner
from sqlalchemy.orm import Session

from strategy_maps.exchange import export_map
from strategy_maps.impact import impact
from strategy_maps.index import MapIndex
from strategy_maps.loader import build_graph
from strategy_maps.nodes import by_code, neighbours
from strategy_maps.plans import (
    ADVANCES,
    INITIATIVE,
    add_plans,
    goals_advanced,
    late_milestones_per_node,
)
from tests.plans.conftest import AS_OF, Plans, build_plans
from tests.plans.conftest import plans as plans  # noqa: F401  (the fixture)


def _graph(db: Session) -> nx.DiGraph:
    return add_plans(build_graph(db), db)


def test_initiatives_are_nodes_linked_to_the_goals_they_serve(db: Session, plans: Plans) -> None:
    graph = _graph(db)
    stations = by_code(graph, INITIATIVE, "SDS-DELEG")
    assert graph.nodes[stations]["label"] == "Police stations"
    assert [graph.nodes[g]["code"] for g in neighbours(graph, stations, ADVANCES)] == ["SDS-HOM"]
    assert graph.edges[stations, goals_advanced(graph, [stations])[0]]["weight"] == 1.0
    index = MapIndex.of(graph)  # the index gathers goals only: initiatives change no score
    assert len(index.goals) == len(MapIndex.of(build_graph(db)).goals)


def test_the_rollup_counts_late_milestones_once_per_node(db: Session, plans: Plans) -> None:
    graph = _graph(db)
    index = MapIndex.of(graph)
    late = dict(zip([graph.nodes[g]["code"] for g in index.groups],
                    late_milestones_per_node(index, db, AS_OF).tolist(), strict=True))
    assert late["PPV"] == 1 and late["SDS"] == 1  # the works contract, late on the date
    assert late["PPE"] == 0 and late["SEE"] == 0  # the schools are due, not late
    assert sum(late_milestones_per_node(index, db, AS_OF.replace(year=2022)).tolist()) == 0


def test_a_late_initiative_exposes_what_its_goals_expose(db: Session, plans: Plans) -> None:
    graph = _graph(db)
    goals = goals_advanced(graph, [by_code(graph, INITIATIVE, "SDS-DELEG")])
    exposed = impact(MapIndex.of(graph), goals)
    assert "PPV" in exposed["code"].tolist()
    assert "PPE" not in exposed["code"].tolist()


def test_graphml_and_json_carry_initiatives_milestones_and_risks(db: Session, plans: Plans,
                                                                 tmp_path) -> None:
    export_map(db, tmp_path / "map.graphml")
    export_map(db, tmp_path / "map.json")
    from_graphml = nx.read_graphml(tmp_path / "map.graphml")
    from_json = nx.node_link_graph(json.loads((tmp_path / "map.json").read_text("utf-8")),
                                   edges="edges")
    for graph in (from_graphml, from_json):
        assert graph.nodes["initiative:SDS-DELEG"]["stage"] == "in_progress"
        assert graph.edges["initiative:SDS-DELEG", "goal:SDS-HOM"]["kind"] == "advances"
        assert graph.edges["initiative:SDS-DELEG", "secretariat:SDS"]["kind"] == "run_by"
        opening = graph.nodes["milestone:SDS-DELEG/3"]
        assert (opening["label"], opening["baseline_on"], opening["forecast_on"]) == (
            "Opening", "2023-06-30", "2023-09-30")
        assert graph.edges["milestone:SDS-DELEG/3", "initiative:SDS-DELEG"]["kind"] == "step_of"
        [risk] = [n for n, k in graph.nodes(data="kind") if k == "risk"]
        assert graph.nodes[risk]["score"] == 16
        assert graph.edges[risk, "initiative:SDS-DELEG"]["kind"] == "threatens"


def test_map_rollup_and_impact_on_the_command_line(database_url, session_factory,
                                                   monkeypatch) -> None:
    from delivery.clock import pin_review_date
    from strategy_maps.cli import map_group

    with session_factory() as session, session.begin():
        build_plans(session)
        pin_review_date(session, AS_OF)
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    runner = CliRunner()
    result = runner.invoke(map_group, ["rollup", "--no-money", "--kind", "pact"])
    assert result.exit_code == 0, result.output
    assert "late ms" in result.output
    assert [line.split()[-1] for line in result.output.splitlines() if "PPV" in line] == ["1"]
    result = runner.invoke(map_group, ["impact", "SDS-DELEG"])
    assert result.exit_code == 0, result.output
    assert "Initiative SDS-DELEG serves SDS-HOM." in result.output and "PPV" in result.output
    result = runner.invoke(map_group, ["impact", "NOPE"])
    assert result.exit_code == 1 and "no goal or initiative with code 'NOPE'" in result.output
