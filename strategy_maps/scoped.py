"""The roll-ups of pillars, objectives and pacts as a viewer may read them (the REST API's):
pillars and objectives for the whole-government roles, as their screens are; pacts scoped to
a secretariat's own."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from delivery.access import AccessDenied, Viewer, visible_pact_ids
from delivery.api.queries import plain
from delivery.i18n import _
from strategy_maps.reports import rollup_as_of

ROLLUP_KINDS = {"pillars": "pillar", "objectives": "objective", "pacts": "pact"}


def rollups(session: Session, viewer: Viewer, kind: str, as_of: date) -> list[dict[str, Any]]:
    """Pillars, objectives or pacts with their roll-up as of ``as_of`` (goals on track,
    slipping, off track, without data; score and four-week trend). Pillars and objectives are
    for the whole-government roles, as their screens are; pacts are scoped."""
    if kind != "pacts" and not viewer.sees_everything:
        raise AccessDenied(_("Pillars and objectives are for the delivery unit and the "
                             "governor."))
    frame = rollup_as_of(session, as_of)
    frame = frame[frame["kind"] == ROLLUP_KINDS[kind]]
    if kind == "pacts" and not viewer.sees_everything:
        seen = visible_pact_ids(session, viewer)
        frame = frame[[n[1] in seen for n in frame["node"]]]
    keys = ["code", "label", "goals", "on_track", "slipping", "off_track", "no_recent_data",
            "score", "previous_score", "trend", "trend_label"]
    return [{**{("name" if k == "label" else k): plain(row[k]) for k in keys},
             "as_of": as_of.isoformat()} for _i, row in frame.iterrows()]
