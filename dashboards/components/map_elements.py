"""The strategy map as dash-cytoscape elements (pure: graph + statuses in, dicts out).

Preset positions computed here, by layer, so the map reads the same every time and needs no
layout run in the browser: pillars on the top row, each above its objectives; under each
objective a small grid of its goals, one dot each in its status colour; the pacts on the bottom
row, each under the goals it covers. Secretariats and budget accounts are filters and pages of
their own, not nodes: 134 ownership and 268 funding lines would hide the map.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import networkx as nx

from dashboards.theme import STATUS_COLOURS, STATUS_SHAPES
from delivery.vocabulary import Status
from strategy_maps.nodes import (
    CONTRIBUTES_TO,
    COVERS,
    GOAL,
    IN_PILLAR,
    LED_BY,
    OBJECTIVE,
    PACT,
    PILLAR,
    SERVES,
)

COLUMN_WIDTH = 170  # one column per objective
GOAL_STEP = 34  # distance between goal dots
GOALS_PER_ROW = 4
PILLAR_Y, OBJECTIVE_Y, GOAL_Y, PACT_GAP = 0, 130, 250, 110
GROUP_FILL = "#14213d"
PAGE_PATHS = {PILLAR: "/pillar/", OBJECTIVE: "/objective/", GOAL: "/goal/", PACT: "/pact/"}


@dataclass(frozen=True)
class MapFilter:
    """Which part of the map to draw: codes of a pillar, a lead secretariat, a pact (or None)."""

    pillar: str | None = None
    secretariat: str | None = None
    pact: str | None = None


def _code(graph: nx.DiGraph, node: Any) -> str:
    return str(graph.nodes[node].get("code", ""))


def _targets(graph: nx.DiGraph, node: Any, edge_kind: str) -> list[Any]:
    return [t for t in graph.successors(node) if graph.edges[node, t].get("kind") == edge_kind]


def _sources(graph: nx.DiGraph, node: Any, edge_kind: str) -> list[Any]:
    return [s for s in graph.predecessors(node) if graph.edges[s, node].get("kind") == edge_kind]


def _by_position(graph: nx.DiGraph, nodes: Collection[Any]) -> list[Any]:
    return sorted(nodes, key=lambda n: (graph.nodes[n].get("position") or 0, _code(graph, n)))


def kept_goals(graph: nx.DiGraph, chosen: MapFilter) -> list[Any]:
    """The goal nodes that pass the filter, in map order."""
    goals = [n for n, a in graph.nodes(data=True) if a.get("kind") == GOAL]
    keep = []
    for goal in goals:
        objectives = _targets(graph, goal, SERVES)
        pillars = {_code(graph, p) for o in objectives for p in _targets(graph, o, IN_PILLAR)}
        owners = {_code(graph, s) for s in _targets(graph, goal, LED_BY)}
        pacts = {_code(graph, p) for p in _sources(graph, goal, COVERS)}
        if chosen.pillar and chosen.pillar not in pillars:
            continue
        if chosen.secretariat and chosen.secretariat not in owners:
            continue
        if chosen.pact and chosen.pact not in pacts:
            continue
        keep.append(goal)
    return sorted(keep, key=lambda g: _code(graph, g))


def _node(graph: nx.DiGraph, node: Any, position: tuple[float, float], classes: str,
          **data: Any) -> dict[str, Any]:
    attrs = graph.nodes[node]
    kind, code = attrs["kind"], _code(graph, node)
    return {
        "data": {"id": f"{kind}:{code}", "kind": kind, "code": code,
                 "name": attrs.get("label", code),
                 "href": PAGE_PATHS[kind] + quote(code, safe=""), **data},
        "position": {"x": position[0], "y": position[1]},
        "classes": classes,
    }


def _edge(graph: nx.DiGraph, source: Any, target: Any, classes: str) -> dict[str, Any]:
    s, t = graph.nodes[source], graph.nodes[target]
    return {"data": {"id": f"{s['kind']}:{s['code']}->{t['kind']}:{t['code']}",
                     "source": f"{s['kind']}:{s['code']}", "target": f"{t['kind']}:{t['code']}"},
            "classes": classes}


def _score_text(scores: Mapping[str, float | None], key: str) -> str:
    score = scores.get(key)
    return "" if score is None else f" · {score:.0f}"


def map_elements(graph: nx.DiGraph, statuses: Mapping[int, str],
                 chosen: MapFilter | None = None,
                 scores: Mapping[str, float | None] | None = None) -> list[dict[str, Any]]:
    """Cytoscape elements for the part of ``graph`` that ``chosen`` keeps.

    ``statuses``: goal id -> status value (a goal missing from it has no recent data).
    ``scores``: optional ``"kind:code"`` -> roll-up score, shown after pillar, objective and
    pact names. Each node's data carries ``href``, the page it opens.
    """
    chosen, scores = chosen or MapFilter(), scores or {}
    goals = kept_goals(graph, chosen)
    by_objective: dict[Any, list[Any]] = {}
    for goal in goals:
        for objective in _targets(graph, goal, SERVES):
            by_objective.setdefault(objective, []).append(goal)
    objectives = _by_position(graph, by_objective)
    pillar_of = {o: next(iter(_targets(graph, o, IN_PILLAR)), None) for o in objectives}
    pillars = _by_position(graph, {p for p in pillar_of.values() if p is not None})
    objectives = sorted(objectives, key=lambda o: (pillars.index(pillar_of[o])
                                                   if pillar_of[o] in pillars else 99,))
    elements: list[dict[str, Any]] = []
    goal_x: dict[Any, float] = {}
    deepest = GOAL_Y
    for column, objective in enumerate(objectives):
        centre = column * COLUMN_WIDTH
        key = f"objective:{_code(graph, objective)}"
        elements.append(_node(graph, objective, (centre, OBJECTIVE_Y), "objective",
                              label=graph.nodes[objective]["label"] + _score_text(scores, key)))
        members = by_objective[objective]
        width = min(GOALS_PER_ROW, len(members))
        for i, goal in enumerate(members):
            row, col = divmod(i, GOALS_PER_ROW)
            x = centre + (col - (width - 1) / 2) * GOAL_STEP
            y = GOAL_Y + row * GOAL_STEP
            deepest = max(deepest, y)
            goal_x[goal] = x
            status = Status(statuses.get(goal[1], Status.NO_RECENT_DATA.value))
            elements.append(_node(graph, goal, (x, y), f"goal {status.value}",
                                  status=status.label, state=status.value))
    for pillar in pillars:
        columns = [i for i, o in enumerate(objectives) if pillar_of[o] == pillar]
        centre = sum(columns) / len(columns) * COLUMN_WIDTH
        key = f"pillar:{_code(graph, pillar)}"
        elements.append(_node(graph, pillar, (centre, PILLAR_Y), "pillar",
                              label=graph.nodes[pillar]["label"] + _score_text(scores, key),
                              width=min(230, len(columns) * COLUMN_WIDTH - 16)))
    elements += _pacts(graph, goals, goal_x, deepest + PACT_GAP, scores, len(objectives))
    elements += _edges(graph, objectives, pillars, pillar_of)
    return elements


def _pacts(graph: nx.DiGraph, goals: list[Any], goal_x: Mapping[Any, float], y: float,
           scores: Mapping[str, float | None], columns: int) -> list[dict[str, Any]]:
    covered: dict[Any, list[Any]] = {}
    for goal in goals:
        for pact in _sources(graph, goal, COVERS):
            covered.setdefault(pact, []).append(goal)
    pacts = sorted(covered, key=lambda p: sum(goal_x[g] for g in covered[p]) / len(covered[p]))
    elements = []
    span = max(columns - 1, 0) * COLUMN_WIDTH
    for i, pact in enumerate(pacts):
        x = span * (i + 1) / (len(pacts) + 1) if len(pacts) > 1 else span / 2
        key = f"pact:{_code(graph, pact)}"
        elements.append(_node(graph, pact, (x, y), "pact",
                              label=graph.nodes[pact]["label"] + _score_text(scores, key)))
        elements += [_edge(graph, pact, goal, "covers") for goal in covered[pact]]
    return elements


def _edges(graph: nx.DiGraph, objectives: list[Any], pillars: list[Any],
           pillar_of: Mapping[Any, Any]) -> list[dict[str, Any]]:
    edges = [_edge(graph, pillar_of[o], o, "in-pillar") for o in objectives if pillar_of[o]]
    shown = set(objectives)
    for objective in objectives:
        edges += [_edge(graph, objective, other, "contributes")
                  for other in _targets(graph, objective, CONTRIBUTES_TO) if other in shown]
    return edges


def stylesheet() -> list[dict[str, Any]]:
    """Cytoscape styles: the status palette of ``dashboards.theme`` for goals."""
    styles: list[dict[str, Any]] = [
        {"selector": "node[label]", "style": {"label": "data(label)"}},
        {"selector": "node", "style": { "font-family": "system-ui, sans-serif", "color": "#1f2328",
            "text-wrap": "wrap", "text-valign": "center", "text-halign": "center"}},
        {"selector": ".pillar", "style": {
            "shape": "round-rectangle", "background-color": GROUP_FILL, "color": "#fff",
            "width": "data(width)", "height": 76, "font-size": 18, "font-weight": 600,
            "text-max-width": "data(width)", "padding": 6}},
        {"selector": ".objective", "style": {
            "shape": "round-rectangle", "background-color": "#e8ecf4",
            "border-width": 1, "border-color": "#9aa7bd",
            "width": 160, "height": 96, "font-size": 17, "text-max-width": 154}},
        {"selector": ".goal", "style": {
            "shape": "ellipse", "width": 22, "height": 22, "border-width": 2,
            "border-color": "#fff"}},
        {"selector": ".pact", "style": {
            "shape": "round-rectangle", "background-color": "#fff", "border-width": 2,
            "border-color": GROUP_FILL, "width": 230, "height": 60, "font-size": 18,
            "font-weight": 600, "text-max-width": 220}},
        {"selector": "edge", "style": {"width": 1.5, "line-color": "#9aa7bd",
                                       "curve-style": "bezier"}},
        {"selector": ".covers", "style": {"width": 0.8, "line-color": "#c9d1dc",
                                          "opacity": 0.7}},
        {"selector": ".contributes", "style": {
            "line-color": "#5a6b8c", "line-style": "dashed", "target-arrow-shape": "triangle",
            "target-arrow-color": "#5a6b8c", "curve-style": "unbundled-bezier",
            "control-point-distances": [-60], "control-point-weights": [0.5]}},
        {"selector": "node:selected", "style": {"border-width": 3, "border-color": "#0969da"}},
    ]
    styles += [{"selector": f".goal.{s.value}", "style": {"background-color": STATUS_COLOURS[s],
                                                          "shape": STATUS_SHAPES[s][0]}}
               for s in Status]
    return styles


def filter_options(graph: nx.DiGraph, kind: str) -> list[dict[str, str]]:
    """Dropdown options (label: code and name) for the nodes of ``kind``, in map order."""
    nodes = _by_position(graph, [n for n, a in graph.nodes(data=True) if a.get("kind") == kind])
    return [{"label": f"{_code(graph, n)} · {graph.nodes[n]['label']}", "value": _code(graph, n)}
            for n in nodes]


def map_rows(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The map's nodes as rows of its list view, in reading order: the pillars, then each
    objective followed by its goals (as the map draws them), then the pacts. Each row: kind,
    code, name (with the roll-up score, as on the map), status value (goals only) and href."""
    nodes = [e["data"] for e in elements if "source" not in e["data"]]
    order = {PILLAR: 0, OBJECTIVE: 1, GOAL: 1, PACT: 2}
    return [{"kind": d["kind"], "code": d["code"], "name": d.get("label", d["name"]),
             "status": d.get("state"), "href": d["href"]}
            for d in sorted(nodes, key=lambda d: order[d["kind"]])]
