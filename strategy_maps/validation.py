"""Validation of the strategy map: findings an analyst can act on, each naming its nodes.

Every rule is a small function over the graph; ``RULES`` lists them with their severity
(``error``: the map is wrong and roll-ups are distorted; ``warning``: something to chase).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import networkx as nx

from delivery.i18n import N_, _, formats
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
# The severities as a reader sees them (``erro``, ``aviso``); the values above stay codes.
SEVERITY_NAMES = {ERROR: N_("error"), WARNING: N_("warning")}
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

    @property
    def text(self) -> str:
        """The description in the current language (``description`` stays the English)."""
        return _(self.description)


def severity_name(severity: str) -> str:
    """``error`` / ``warning`` in the current language."""
    return _(SEVERITY_NAMES[severity]) if severity in SEVERITY_NAMES else severity


def rule_text(rule_id: str) -> str:
    """What the rule ``rule_id`` is about, in the current language (the id when unknown)."""
    return next((r.text for r in RULES if r.id == rule_id), rule_id)


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
        yield (_("Objectives contribute to each other in a circle ({path}): remove or reverse "
                 "one of these links.").format(path=path), tuple(sorted(component)))


def _goals_without(edge_kind: str, missing: str) -> Callable:
    """A check for goals with no edge of ``edge_kind``; ``missing`` is an ``N_`` marked
    sentence with ``{goal}``, translated when the finding is made."""
    def check(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
        for goal in nodes_of(graph, GOAL):
            if not neighbours(graph, goal, edge_kind):
                yield _(missing).format(goal=name(graph, goal, capital=True)), (goal,)
    return check


def _goals_lacking(attribute: str, missing: str) -> Callable:
    def check(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
        for goal in nodes_of(graph, GOAL):
            if not graph.nodes[goal].get(attribute):
                yield _(missing).format(goal=name(graph, goal, capital=True)), (goal,)
    return check


def _idle_accounts(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for account in nodes_of(graph, ACCOUNT):
        if not neighbours(graph, account, FUNDED_BY):
            yield (_("{account} funds no goal: link it to the goals it serves, or say why it "
                     "is outside the map.").format(account=name(graph, account, capital=True)),
                   (account,))


def _overallocated_accounts(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for account in nodes_of(graph, ACCOUNT):
        shares = {g: d["share"] for g, d in graph.pred[account].items()
                  if d["kind"] == FUNDED_BY}
        total = sum(shares.values())
        if total > 1 + SHARE_SLACK:
            parts = ", ".join(f"{graph.nodes[g]['code']} {formats.percent(s)}" for g, s in
                              sorted(shares.items(), key=lambda i: graph.nodes[i[0]]["code"]))
            yield (_("The shares of {account} add up to {total} ({parts}): they cannot exceed "
                     "{limit}.").format(account=name(graph, account), total=formats.percent(total),
                                        parts=parts, limit=formats.percent(1)),
                   (account, *sorted(shares)))


def _lonely_pacts(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for pact in nodes_of(graph, PACT):
        members = neighbours(graph, pact, MEMBER_OF)
        if len(members) < 2:
            pact_name = name(graph, pact, capital=True)
            text = (_("{pact} is a cross-agency pact with only one member ({member}): add the "
                      "other secretariats that deliver it.") if members else
                    _("{pact} is a cross-agency pact with no members: add the secretariats "
                      "that deliver it."))
            yield (text.format(pact=pact_name,
                               member=graph.nodes[members[0]]["code"] if members else ""),
                   (pact, *members))


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
                yield (_("{pact} asks less of {goal} than the goal promises: {terms}.").format(
                    pact=name(graph, pact, capital=True), goal=name(graph, goal),
                    terms="; ".join(terms)), (pact, goal))


def _empty_objectives(graph: nx.DiGraph) -> Iterator[tuple[str, tuple[NodeId, ...]]]:
    for objective in nodes_of(graph, OBJECTIVE):
        if not neighbours(graph, objective, SERVES):
            yield (_("{objective} has no goals: nothing measures it.").format(
                objective=name(graph, objective, capital=True)), (objective,))


RULES = [
    Rule("contribution-cycle", ERROR, N_("Objectives that contribute to each other in a circle."),
         _contribution_cycles),
    Rule("goal-without-owner", ERROR, N_("A goal with no lead secretariat."),
         _goals_without(LED_BY, N_("{goal} has no owner: name its lead secretariat."))),
    Rule("account-over-allocated", ERROR,
         N_("A budget account whose shares across goals add up to more than 100%."),
         _overallocated_accounts),
    Rule("goal-without-trajectory", WARNING, N_("A goal with no approved trajectory."),
         _goals_lacking("has_trajectory", N_("{goal} has no approved trajectory."))),
    Rule("goal-without-figures", WARNING, N_("A goal for which no figure was ever reported."),
         _goals_lacking("figures", N_("{goal} has no figures."))),
    Rule("goal-without-budget", WARNING, N_("A goal that no budget account funds."),
         _goals_without(FUNDED_BY, N_("{goal} is funded by no budget account."))),
    Rule("account-funds-no-goal", WARNING, N_("A budget account linked to no goal."),
         _idle_accounts),
    Rule("pact-single-member", WARNING, N_("A cross-agency pact with fewer than two members."),
         _lonely_pacts),
    Rule("objective-without-goals", WARNING, N_("An objective that no goal serves."),
         _empty_objectives),
    Rule("pact-target-looser", WARNING,
         N_("A pact whose negotiated target for a goal is looser than the goal's own."),
         _looser_pact_targets),
]
