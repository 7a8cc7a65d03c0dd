"""The strategy graph read once into arrays, so that roll-ups over 20,000 goals are a few
vectorised sums: which goals each pillar, objective, pact and secretariat gathers, which
accounts fund which goals, and the order in which objectives take in their contributors.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from strategy_maps.nodes import (
    ACCOUNT,
    CONTRIBUTES_TO,
    COVERS,
    FUNDED_BY,
    GOAL,
    IN_PILLAR,
    LED_BY,
    OBJECTIVE,
    PACT,
    PILLAR,
    SECRETARIAT,
    SERVES,
    NodeId,
)

GROUP_KINDS = (PILLAR, OBJECTIVE, PACT, SECRETARIAT)


@dataclass(frozen=True)
class MapIndex:
    graph: nx.DiGraph
    goals: list[NodeId]
    groups: list[NodeId]  # pillars, objectives, pacts, secretariats, in that order, by code
    member_group: np.ndarray  # (group position, goal position): the goal counts in the group
    member_goal: np.ndarray
    accounts: list[NodeId]
    fund_goal: np.ndarray  # (goal position, account position, share): one per funding link
    fund_account: np.ndarray
    fund_share: np.ndarray
    # Objectives (group positions) in an order where contributors come first, each with its
    # contributors (group position, weight); links in a circle are left out.
    blend: list[tuple[int, list[tuple[int, float]]]]

    @classmethod
    def of(cls, graph: nx.DiGraph) -> MapIndex:
        kinds: dict[str, list[NodeId]] = {kind: [] for kind in (GOAL, ACCOUNT, *GROUP_KINDS)}
        for node, kind in graph.nodes(data="kind"):
            if kind in kinds:  # initiatives and their details are not gathered by groups
                kinds[kind].append(node)
        for kind in GROUP_KINDS:
            kinds[kind].sort(key=lambda n: graph.nodes[n]["code"])
        groups = [n for kind in GROUP_KINDS for n in kinds[kind]]
        group_pos = {n: i for i, n in enumerate(groups)}
        account_pos = {n: i for i, n in enumerate(kinds[ACCOUNT])}
        pillar_of = {o: group_pos[p] for o in kinds[OBJECTIVE]
                     for p, d in graph.succ[o].items() if d["kind"] == IN_PILLAR}
        goal_pos = {n: i for i, n in enumerate(kinds[GOAL])}
        members: tuple[list[int], list[int]] = ([], [])
        funds: tuple[list[int], list[int], list[float]] = ([], [], [])
        # One pass over the adjacency: a goal's edges go to its objective, owner and accounts;
        # a pact's edges go to the goals it covers.
        for node, edges in graph.adjacency():
            kind = node[0]
            if kind == GOAL:
                i = goal_pos[node]
                for other, data in edges.items():
                    edge = data["kind"]
                    if edge == FUNDED_BY:
                        funds[0].append(i)
                        funds[1].append(account_pos[other])
                        funds[2].append(data["share"])
                    elif edge in (SERVES, LED_BY):
                        members[0].append(group_pos[other])
                        members[1].append(i)
                        if other in pillar_of:
                            members[0].append(pillar_of[other])
                            members[1].append(i)
            elif kind == PACT:
                group = group_pos[node]
                for other, data in edges.items():
                    if data["kind"] == COVERS:
                        members[0].append(group)
                        members[1].append(goal_pos[other])
        return cls(
            graph, kinds[GOAL], groups, np.array(members[0], dtype=np.int64),
            np.array(members[1], dtype=np.int64), kinds[ACCOUNT],
            np.array(funds[0], dtype=np.int64), np.array(funds[1], dtype=np.int64),
            np.array(funds[2], dtype=float), _blend_order(graph, kinds[OBJECTIVE], group_pos),
        )

    def goal_ids(self) -> list[int]:
        return [node[1] for node in self.goals]


def contribution_dag(graph: nx.DiGraph, objectives: list[NodeId], *,
                     keep_circles: bool = False) -> nx.DiGraph:
    """The objectives and their contribution links, without the links that close a circle
    (unless ``keep_circles``)."""
    links = nx.DiGraph()
    links.add_nodes_from(objectives)
    links.add_edges_from((u, v, {"weight": d.get("weight", 1.0)})
                         for u in objectives for v, d in graph.succ[u].items()
                         if d["kind"] == CONTRIBUTES_TO)
    if not keep_circles:
        for component in list(nx.strongly_connected_components(links)):
            if len(component) > 1:
                links.remove_edges_from(list(links.subgraph(component).edges))
    return links


def _blend_order(graph: nx.DiGraph, objectives: list[NodeId],
                 group_pos: dict[NodeId, int]) -> list[tuple[int, list[tuple[int, float]]]]:
    links = contribution_dag(graph, objectives)
    return [
        (group_pos[o], [(group_pos[s], links.edges[s, o]["weight"]) for s in links.pred[o]])
        for o in nx.lexicographical_topological_sort(links, key=lambda n: graph.nodes[n]["code"])
    ]
