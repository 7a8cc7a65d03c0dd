"""One palette for status everywhere (screens, charts, printed briefings), readable by
colour-blind users because every colour also comes with its label. The Dash layer and the
document builders both take their colours from here."""

from __future__ import annotations

from delivery.vocabulary import Status

STATUS_COLOURS: dict[Status, str] = {
    Status.ON_TRACK: "#1a7f37",
    Status.SLIPPING: "#9a6700",  # 4.9:1 under white text (WCAG AA)
    Status.OFF_TRACK: "#c62828",
    Status.NO_RECENT_DATA: "#636c76",
}
STATUS_ORDER = [Status.OFF_TRACK, Status.SLIPPING, Status.NO_RECENT_DATA, Status.ON_TRACK]

# Chart and document ink: figures, the trajectory in force, the original promise, grid lines,
# secondary text (the same values as the screens' charts and CSS).
INK, PLAN, ORIGINAL, GRID, MUTED = "#14213d", "#8c959f", "#c4c9cf", "#eaecef", "#57606a"
TEXT = "#1f2328"
