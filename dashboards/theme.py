"""One palette for status everywhere (screens, charts, print), readable by colour-blind users
because every colour also comes with its label."""

from __future__ import annotations

from delivery.vocabulary import Status

STATUS_COLOURS: dict[Status, str] = {
    Status.ON_TRACK: "#1a7f37",
    Status.SLIPPING: "#b7791f",
    Status.OFF_TRACK: "#c62828",
    Status.NO_RECENT_DATA: "#6e7781",
}
STATUS_ORDER = [Status.OFF_TRACK, Status.SLIPPING, Status.NO_RECENT_DATA, Status.ON_TRACK]
