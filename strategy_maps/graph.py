"""Building the strategy graph from the map's tables (no database here: see ``loader``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx
import pandas as pd

from delivery.bulk import collector_paused
from strategy_maps.frames import MapFrames
from strategy_maps.nodes import (
    ACCOUNT,
    CONTRIBUTES_TO,
    COVERS,
    FUNDED_BY,
    GOAL,
    HELD_BY,
    IN_PILLAR,
    LED_BY,
    MEMBER_OF,
    OBJECTIVE,
    PACT,
    PILLAR,
    SECRETARIAT,
    SERVES,
)

# Node attributes copied from each table besides code and name (name becomes ``label``).
NODE_ATTRIBUTES = {
    PILLAR: ("pillars", ["position"]),
    OBJECTIVE: ("objectives", ["position"]),
    SECRETARIAT: ("secretariats", []),
    GOAL: ("goals", ["indicator", "unit", "direction", "frequency", "baseline_value",
                     "target_value",
                     "target_date", "target_low", "target_high", "is_output",
                     "has_trajectory", "figures"]),
    PACT: ("pacts", []),
    ACCOUNT: ("accounts", ["fiscal_year", "appropriated", "committed", "spent"]),
}

# Edge kind: (table, source kind, source column, target kind, target column, attributes).
EDGE_SOURCES = [
    (IN_PILLAR, "objectives", OBJECTIVE, "id", PILLAR, "pillar_id", []),
    (CONTRIBUTES_TO, "objective_links", OBJECTIVE, "source_id", OBJECTIVE, "target_id",
     ["weight"]),
    (SERVES, "goals", GOAL, "id", OBJECTIVE, "objective_id", []),
    (LED_BY, "goals", GOAL, "id", SECRETARIAT, "owner_id", []),
    (MEMBER_OF, "pact_members", SECRETARIAT, "secretariat_id", PACT, "pact_id", ["is_lead"]),
    (COVERS, "pact_goals", PACT, "pact_id", GOAL, "goal_id",
     ["negotiated_target_value", "negotiated_target_date"]),
    (FUNDED_BY, "account_links", GOAL, "goal_id", ACCOUNT, "account_id", ["share"]),
    (HELD_BY, "accounts", ACCOUNT, "id", SECRETARIAT, "secretariat_id", []),
]


def graph_from_frames(frames: MapFrames) -> nx.DiGraph:
    """The typed strategy graph: one node per row of each entity table, one edge per link.

    Missing values become ``None`` attributes. Raises ValueError when a link names a node
    that is not in the tables (the graph would otherwise gain an untyped node).
    """
    graph = nx.DiGraph()
    with collector_paused():
        for kind, (table, extra) in NODE_ATTRIBUTES.items():
            graph.add_nodes_from(_nodes(kind, getattr(frames, table), extra))
        for kind, table, source_kind, source, target_kind, target, extra in EDGE_SOURCES:
            frame = getattr(frames, table)
            frame = frame[frame[source].notna() & frame[target].notna()]
            for column, node_kind in ((source, source_kind), (target, target_kind)):
                known = getattr(frames, NODE_ATTRIBUTES[node_kind][0])["id"]
                unknown = frame.loc[~frame[column].isin(known), column]
                if len(unknown):
                    raise ValueError(f"{table}.{column} names unknown {node_kind} ids: "
                                     f"{sorted(unknown.unique().tolist())[:5]}")
            graph.add_edges_from(_edges(frame, source_kind, source, target_kind, target,
                                        extra), kind=kind)
    return graph


def _nodes(kind: str, frame: pd.DataFrame, extra: list[str]) -> Iterator[tuple[Any, dict]]:
    names = ["code", "label", *extra, "kind"]
    values = [_plain(frame[c]) for c in ["code", "name", *extra]]
    kinds = [kind] * len(frame)
    for node_id, *row in zip(frame["id"].tolist(), *values, kinds, strict=True):
        yield (kind, node_id), dict(zip(names, row, strict=True))


def _edges(frame: pd.DataFrame, source_kind: str, source: str, target_kind: str, target: str,
           extra: list[str]) -> Iterable[tuple]:
    sources = [(source_kind, u) for u in frame[source].astype(int).tolist()]
    targets = [(target_kind, v) for v in frame[target].astype(int).tolist()]
    if not extra:
        return zip(sources, targets, strict=True)
    values = [_plain(frame[c]) for c in extra]
    attrs = [dict(zip(extra, row, strict=True)) for row in zip(*values, strict=True)]
    return zip(sources, targets, attrs, strict=True)


def _plain(column: pd.Series) -> list[Any]:
    """Column values as plain Python objects, with None for missing ones."""
    if column.hasnans:
        return column.astype(object).where(column.notna(), None).tolist()
    return column.tolist()
