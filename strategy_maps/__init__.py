"""The strategy map as a NetworkX graph: built from the database, validated, with statuses and
money rolled up it, impact traced through it, and imported or exported whole.

- ``build_graph(session)`` / ``graph_from_frames(frames)``: the typed graph (``nodes``).
- ``validate(graph)``: findings (``Finding``: rule, severity, message, nodes).
- ``MapIndex.of(graph)``, then ``status_rollup`` / ``rollup_with_trend`` (``ROLLUP_RULE``),
  ``money_rollup``, ``impact`` and ``keystones``.
- ``strategy_maps.reports``: the same answers straight from the database, as of a date.
- ``strategy_maps.exchange``: YAML and Excel both ways, node-link JSON and GraphML out.
"""

from strategy_maps.frames import MapFrames
from strategy_maps.graph import graph_from_frames
from strategy_maps.impact import exposure, impact, keystones
from strategy_maps.index import MapIndex
from strategy_maps.loader import build_graph, load_frames
from strategy_maps.money import money_rollup
from strategy_maps.rollup import ROLLUP_RULE, rollup_with_trend, status_rollup
from strategy_maps.validation import RULES, Finding, validate

__all__ = [
    "ROLLUP_RULE", "RULES", "Finding", "MapFrames", "MapIndex", "build_graph", "exposure",
    "graph_from_frames", "impact", "keystones", "load_frames", "money_rollup",
    "rollup_with_trend", "status_rollup", "validate",
]
