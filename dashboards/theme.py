"""One palette for status everywhere (screens, charts, print), readable by colour-blind users
because every colour also comes with its label."""

from __future__ import annotations

# The palette lives domain-side so that printed briefings use the very same colours.
from delivery.palette import STATUS_COLOURS, STATUS_ORDER

__all__ = ["STATUS_COLOURS", "STATUS_ORDER"]
