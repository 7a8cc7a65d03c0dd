"""Validation of the strategy map: findings an analyst can act on, each naming its nodes.

Every rule is a small function over the graph; ``RULES`` lists them with their severity
(``error``: the map is wrong and roll-ups are distorted; ``warning``: something to chase).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import networkx as nx

from pacts.targets import looser_terms
from strategy_maps.index import contribution_dag
from strategy_maps.nodes import (
    ACCOUNT,
    COVERS,
    FUNDED_BY,
    GOAL,
    LED_BY,
    MEMBER_OF,
    OBJECTIVE,
    PACT,
    SERVES,
    NodeId,
    name,
    neighbours,
    nodes_of,
)

ERROR, WARNING = "error", "warning"
# Shares of one account may add up to 100% exactly, whatever float noise the sum has.
SHARE_SLACK = 1e-9


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    nodes: tuple[NodeId, ...] = field(default=())

    def to_dict(self, graph: nx.DiGraph) -> dict:
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "nodes": [f"{n[0]}:{graph.nodes[n]['code']}" for n in self.nodes]}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    description: str
    check: Callable[[nx.DiGraph], Iterator[tuple[str, tuple[NodeId, ...]]]]


def validate(graph: nx.DiGraph, rules: list[Rule] | None = None) -> list[Finding]:
    """Every finding of every rule (or of ``rules``), errors first, then in rule order."""
    findings = [
        Finding(rule.id, rule.severity, message, nodes)
        for rule in rules or RULES
        for message, nodes in rule.check(graph)
    ]
    return sorted(findings, key=lambda f: f.severity != ERROR)


def _contribution_cycles(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    links = contribution_dag(graph, nodes_of(graph, OBJECTIVE), keep_circles=True)
    for component in sorted(nx.strongly_connected_components(links), key=sorted):
        if len(component) < 2:
            continue
        loop = [u for u, _ in nx.find_cycle(links.subgraph(component))]
        path = " -> ".join(graph.nodes[n]["code"] for n in [*loop, loop[0]])
        yield (f"Objectives contribute to each other in a circle ({path}): remove or reverse "
               "one of these links.", tuple(sorted(component)))


def _goals_without(edge_kind: str, missing: str) -> Callable:
    def check(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
        for goal in nodes_of(graph, GOAL):
            if not neighbours(graph, goal, edge_kind):
                yield f"{name(graph, goal, capital=True)} {missing}.", (goal,)
    return check


def _goals_lacking(attribute: str, missing: str) -> Callable:
    def check(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
        for goal in nodes_of(graph, GOAL):
            if not graph.nodes[goal].get(attribute):
                yield f"{name(graph, goal, capital=True)} {missing}.", (goal,)
    return check


def _idle_accounts(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for account in nodes_of(graph, ACCOUNT):
        if not neighbours(graph, account, FUNDED_BY):
            yield (f"Budget {name(graph, account)} funds no goal: link it to the goals it "
                   "serves, or say why it is outside the map.", (account,))


def _overallocated_accounts(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for account in nodes_of(graph, ACCOUNT):
        shares = {g: d["share"] for g, d in graph.pred[account].items()
                  if d["kind"] == FUNDED_BY}
        total = sum(shares.values())
        if total > 1 + SHARE_SLACK:
            parts = ", ".join(f"{graph.nodes[g]['code']} {s:.0%}" for g, s in
                              sorted(shares.items(), key=lambda i: graph.nodes[i[0]]["code"]))
            yield (f"The shares of budget {name(graph, account)} add up to {total:.0%} "
                   f"({parts}): they cannot exceed 100%.", (account, *sorted(shares)))


def _lonely_pacts(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for pact in nodes_of(graph, PACT):
        members = neighbours(graph, pact, MEMBER_OF)
        if len(members) < 2:
            who = (f"only one member ({graph.nodes[members[0]]['code']})" if members
                   else "no members")
            yield (f"{name(graph, pact, capital=True)} is a cross-agency pact with {who}: add the "
                   "other secretariats that deliver it.", (pact, *members))


def _looser_pact_targets(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for pact in nodes_of(graph, PACT):
        for goal in sorted(neighbours(graph, pact, COVERS),
                           key=lambda n: graph.nodes[n]["code"]):
            own, deal = graph.nodes[goal], graph.edges[pact, goal]
            terms = looser_terms(
                own["direction"], own.get("target_value"), own.get("target_date"),
                deal.get("negotiated_target_value"), deal.get("negotiated_target_date"),
                own_low=own.get("target_low"), own_high=own.get("target_high"),
            )
            if terms:
                yield (f"{name(graph, pact, capital=True)} asks less of {name(graph, goal)} than "
                       f"the goal promises: {'; '.join(terms)}.", (pact, goal))


def _empty_objectives(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for objective in nodes_of(graph, OBJECTIVE):
        if not neighbours(graph, objective, SERVES):
            yield (f"{name(graph, objective, capital=True)} has no goals: nothing measures it.",
                   (objective,))


RULES = [
    Rule("contribution-cycle", ERROR, "Objectives that contribute to each other in a circle.",
         _contribution_cycles),
    Rule("goal-without-owner", ERROR, "A goal with no lead secretariat.",
         _goals_without(LED_BY, "has no owner: name its lead secretariat")),
    Rule("account-over-allocated", ERROR,
         "A budget account whose shares across goals add up to more than 100%.",
         _overallocated_accounts),
    Rule("goal-without-trajectory", WARNING, "A goal with no approved trajectory.",
         _goals_lacking("has_trajectory", "has no approved trajectory")),
    Rule("goal-without-figures", WARNING, "A goal for which no figure was ever reported.",
         _goals_lacking("figures", "has no figures")),
    Rule("goal-without-budget", WARNING, "A goal that no budget account funds.",
         _goals_without(FUNDED_BY, "is funded by no budget account")),
    Rule("account-funds-no-goal", WARNING, "A budget account linked to no goal.",
         _idle_accounts),
    Rule("pact-single-member", WARNING, "A cross-agency pact with fewer than two members.",
         _lonely_pacts),
    Rule("objective-without-goals", WARNING, "An objective that no goal serves.",
         _empty_objectives),
    Rule("pact-target-looser", WARNING,
         "A pact whose negotiated target for a goal is looser than the goal's own.",
         _looser_pact_targets),
]
