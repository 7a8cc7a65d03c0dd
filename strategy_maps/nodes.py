"""The kinds of node and edge in the strategy graph, and how a node is named.

A node is ``(kind, database id)``, e.g. ``("goal", 42)``; its attributes always include
``kind``, ``code`` and ``label``. Every edge has a ``kind`` and points from the subject to the
object of the sentence that names it: a goal *serves* an objective, a pact *covers* a goal.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from delivery.i18n import _, _l

NodeId = tuple[str, int]

PILLAR = "pillar"
OBJECTIVE = "objective"
GOAL = "goal"
PACT = "pact"
SECRETARIAT = "secretariat"
ACCOUNT = "account"
NODE_KINDS = (PILLAR, OBJECTIVE, GOAL, PACT, SECRETARIAT, ACCOUNT)

IN_PILLAR = "in_pillar"  # objective -> pillar
CONTRIBUTES_TO = "contributes_to"  # objective -> objective, with a weight
SERVES = "serves"  # goal -> objective
LED_BY = "led_by"  # goal -> secretariat (its owner)
MEMBER_OF = "member_of"  # secretariat -> pact, with is_lead
COVERS = "covers"  # pact -> goal, with the negotiated target
FUNDED_BY = "funded_by"  # goal -> budget account, with the share of the account
HELD_BY = "held_by"  # budget account -> secretariat

EDGE_KINDS: dict[str, tuple[str, str]] = {
    IN_PILLAR: (OBJECTIVE, PILLAR),
    CONTRIBUTES_TO: (OBJECTIVE, OBJECTIVE),
    SERVES: (GOAL, OBJECTIVE),
    LED_BY: (GOAL, SECRETARIAT),
    MEMBER_OF: (SECRETARIAT, PACT),
    COVERS: (PACT, GOAL),
    FUNDED_BY: (GOAL, ACCOUNT),
    HELD_BY: (ACCOUNT, SECRETARIAT),
}


def nodes_of(graph: nx.DiGraph, kind: str) -> list[NodeId]:
    """The nodes of one kind, in code order (accounts: code, then fiscal year)."""
    nodes = [n for n, k in graph.nodes(data="kind") if k == kind]
    return sorted(nodes, key=lambda n: (graph.nodes[n]["code"], graph.nodes[n].get("fiscal_year")
                                        or 0))


def neighbours(graph: nx.DiGraph, node: NodeId, edge_kind: str) -> list[NodeId]:
    """The nodes at the other end of ``node``'s edges of ``edge_kind``, whichever way they go."""
    out = [v for v, k in graph.succ[node].items() if k["kind"] == edge_kind]
    return out + [u for u, k in graph.pred[node].items() if k["kind"] == edge_kind]


# What each kind of node is called in findings and reports, in the reader's language.
KIND_NAMES = {PILLAR: _l("pillar"), OBJECTIVE: _l("objective"), GOAL: _l("goal"),
              PACT: _l("pact"), SECRETARIAT: _l("secretariat"), ACCOUNT: _l("budget account")}


def kind_name(kind: str) -> str:
    """The word for a kind of node in the current language (``meta`` for a goal in pt_BR)."""
    return str(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def name(graph: nx.DiGraph, node: NodeId, *, capital: bool = False) -> str:
    """How findings and reports name a node, in the current language: its kind, code and
    label (``Goal G3 “Homicides”``, ``meta G3 “Homicídios”``; an account with its fiscal year)."""
    attrs: dict[str, Any] = graph.nodes[node]
    code = attrs["code"]
    if attrs["kind"] == ACCOUNT:
        code = _("{code} (FY{year})").format(code=code, year=attrs["fiscal_year"])
    label = attrs.get("label")
    kind = kind_name(attrs["kind"])
    if capital:
        kind = kind[:1].upper() + kind[1:]
    return f"{kind} {code}" + (f" \u201c{label}\u201d" if label and label != code else "")


def by_code(graph: nx.DiGraph, kind: str, code: str) -> NodeId:
    """The node of ``kind`` with ``code``; raises KeyError naming it when there is none."""
    for node, attrs in graph.nodes(data=True):
        if attrs["kind"] == kind and attrs["code"] == code:
            return node
    raise KeyError(f"no {kind} with code {code!r}")
