"""The graph for other tools: node-link JSON (D3, NetworkX) and GraphML (Gephi, yEd, Cytoscape).

Nodes are named ``kind:code`` (accounts ``account:code/fiscal year``) so that files from two
databases compare; dates become ISO text and empty attributes are left out.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from strategy_maps.nodes import ACCOUNT, NodeId


def portable(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy with readable node names and only plain attribute values."""
    names = {node: _name(graph, node) for node in graph}
    out = nx.DiGraph()
    out.add_nodes_from((names[n], _plain(a)) for n, a in graph.nodes(data=True))
    out.add_edges_from((names[u], names[v], _plain(a)) for u, v, a in graph.edges(data=True))
    return out


def node_link_json(graph: nx.DiGraph) -> str:
    data = nx.node_link_data(portable(graph), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def write_graphml(graph: nx.DiGraph, path: Path) -> None:
    nx.write_graphml(portable(graph), path, named_key_ids=True)


def _name(graph: nx.DiGraph, node: NodeId) -> str:
    attrs = graph.nodes[node]
    suffix = f"/{attrs['fiscal_year']}" if attrs["kind"] == ACCOUNT else ""
    return f"{attrs['kind']}:{attrs['code']}{suffix}"


def _plain(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v
            for k, v in attrs.items() if v is not None}
