"""One palette for status everywhere (screens, charts, print), readable by colour-blind users
because every colour also comes with its label."""

from __future__ import annotations

# The palette lives domain-side so that printed briefings use the very same colours.
from delivery.palette import STATUS_COLOURS, STATUS_ORDER
from delivery.vocabulary import Status

# Status is never told by colour alone: each has a shape too, the same on the map's nodes
# (Cytoscape shape names) and in the legends and counts (the glyph).
STATUS_SHAPES: dict[Status, tuple[str, str]] = {
    Status.ON_TRACK: ("ellipse", "●"),
    Status.SLIPPING: ("triangle", "▲"),
    Status.OFF_TRACK: ("diamond", "◆"),
    Status.NO_RECENT_DATA: ("rectangle", "■"),
}

__all__ = ["STATUS_COLOURS", "STATUS_ORDER", "STATUS_SHAPES"]
