"""The strategy map's cytoscape elements, from a small hand-built map (no browser, no app)."""

from __future__ import annotations

import pytest

from dashboards.components.map_elements import (
    MapFilter,
    filter_options,
    map_elements,
    map_rows,
    stylesheet,
)
from dashboards.theme import STATUS_COLOURS, STATUS_SHAPES
from delivery.vocabulary import Status
from strategy_maps.frames import MapFrames
from strategy_maps.graph import graph_from_frames


@pytest.fixture
def graph():
    return graph_from_frames(MapFrames.of(
        pillars=[{"id": 1, "code": "SEG", "name": "Safety", "position": 1},
                 {"id": 2, "code": "EDU", "name": "Education", "position": 2}],
        objectives=[{"id": 1, "code": "OE1", "name": "Less crime", "pillar_id": 1},
                    {"id": 2, "code": "OE2", "name": "Safer roads", "pillar_id": 1},
                    {"id": 3, "code": "OE3", "name": "Literacy", "pillar_id": 2}],
        objective_links=[{"source_id": 2, "target_id": 1, "weight": 0.5}],
        secretariats=[{"id": 1, "code": "SDS"}, {"id": 2, "code": "SEE"}],
        goals=[{"id": 1, "code": "HOM", "objective_id": 1, "owner_id": 1},
               {"id": 2, "code": "ROAD DEATHS", "objective_id": 2, "owner_id": 1},
               {"id": 3, "code": "ALFA", "objective_id": 3, "owner_id": 2},
               {"id": 4, "code": "ROB", "objective_id": 1, "owner_id": 1}],
        pacts=[{"id": 1, "code": "PPV", "name": "Pact for Life"}],
        pact_members=[{"pact_id": 1, "secretariat_id": 1, "is_lead": True}],
        pact_goals=[{"pact_id": 1, "goal_id": 1}, {"pact_id": 1, "goal_id": 4}],
    ))


def by_id(elements):
    return {e["data"]["id"]: e for e in elements}


def test_every_goal_is_a_node_classed_by_its_status_and_opening_its_page(graph):
    elements = by_id(map_elements(graph, {1: "off_track", 2: "on_track", 3: "slipping"}))
    assert elements["goal:HOM"]["classes"] == "goal off_track"
    assert elements["goal:ROB"]["classes"] == "goal no_recent_data"  # no status known
    assert elements["goal:HOM"]["data"]["href"] == "/goal/HOM"
    assert elements["goal:ROAD DEATHS"]["data"]["href"] == "/goal/ROAD%20DEATHS"
    assert elements["pillar:SEG"]["data"]["href"] == "/pillar/SEG"
    assert elements["objective:OE3"]["data"]["href"] == "/objective/OE3"
    assert elements["pact:PPV"]["data"]["href"] == "/pact/PPV"


def test_nodes_sit_in_layers_pillars_above_objectives_above_goals_above_pacts(graph):
    elements = by_id(map_elements(graph, {}))
    y = {k: e["position"]["y"] for k, e in elements.items() if "position" in e}
    assert y["pillar:SEG"] < y["objective:OE1"] < y["goal:HOM"] < y["pact:PPV"]
    x = {k: e["position"]["x"] for k, e in elements.items() if "position" in e}
    assert x["objective:OE1"] < x["pillar:SEG"] < x["objective:OE2"]  # centred above its own


def test_edges_link_pillars_objectives_contributions_and_pact_goals_only(graph):
    edges = [e for e in map_elements(graph, {}) if "source" in e["data"]]
    kinds = sorted(e["classes"] for e in edges)
    assert kinds == ["contributes", "covers", "covers", "in-pillar", "in-pillar", "in-pillar"]
    ids = {e["data"]["id"] for e in map_elements(graph, {})}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)


@pytest.mark.parametrize(("chosen", "goals"), [
    (MapFilter(pillar="EDU"), {"ALFA"}),
    (MapFilter(secretariat="SDS"), {"HOM", "ROB", "ROAD DEATHS"}),
    (MapFilter(pact="PPV"), {"HOM", "ROB"}),
    (MapFilter(pillar="EDU", secretariat="SDS"), set()),
], ids=["pillar", "secretariat", "pact", "nothing-left"])
def test_a_filter_keeps_its_goals_and_the_nodes_above_them(graph, chosen, goals):
    elements = by_id(map_elements(graph, {}, chosen))
    assert {e["data"]["code"] for e in elements.values() if e["data"].get("kind") == "goal"} \
        == goals
    if chosen.pact == "PPV":
        assert "objective:OE3" not in elements and "pillar:EDU" not in elements


def test_scores_follow_group_names(graph):
    elements = by_id(map_elements(graph, {}, scores={"pillar:SEG": 62.4, "pact:PPV": None}))
    assert elements["pillar:SEG"]["data"]["label"] == "Safety · 62"
    assert elements["pact:PPV"]["data"]["label"] == "Pact for Life"


def test_the_stylesheet_uses_the_one_status_palette():
    styles = {s["selector"]: s["style"] for s in stylesheet()}
    for status in Status:
        assert styles[f".goal.{status.value}"]["background-color"] == STATUS_COLOURS[status]


def test_each_status_has_its_own_shape_on_the_map_not_only_its_colour():
    styles = {s["selector"]: s["style"] for s in stylesheet()}
    shapes = {status: styles[f".goal.{status.value}"]["shape"] for status in Status}
    assert shapes == {status: STATUS_SHAPES[status][0] for status in Status}
    assert len(set(shapes.values())) == len(Status)
    assert len({glyph for _, glyph in STATUS_SHAPES.values()}) == len(Status)


def test_the_list_view_holds_the_same_nodes_pillars_then_objectives_with_goals_then_pacts(graph):
    elements = map_elements(graph, {1: "off_track", 2: "on_track"}, scores={"pillar:SEG": 62.4})
    rows = map_rows(elements)
    nodes = {e["data"]["id"] for e in elements if "source" not in e["data"]}
    assert {f"{r['kind']}:{r['code']}" for r in rows} == nodes and len(rows) == len(nodes)
    assert [r["kind"] for r in rows][:2] == ["pillar", "pillar"] and rows[-1]["kind"] == "pact"
    assert [r["code"] for r in rows[2:5]] == ["OE1", "HOM", "ROB"]  # an objective, its goals
    hom = next(r for r in rows if r["code"] == "HOM")
    assert (hom["status"], hom["href"]) == ("off_track", "/goal/HOM")
    assert next(r for r in rows if r["code"] == "SEG")["name"] == "Safety · 62"
    assert next(r for r in rows if r["code"] == "ROB")["status"] == "no_recent_data"


def test_filter_options_name_code_and_label(graph):
    assert filter_options(graph, "pillar") == [{"label": "SEG · Safety", "value": "SEG"},
                                               {"label": "EDU · Education", "value": "EDU"}]
