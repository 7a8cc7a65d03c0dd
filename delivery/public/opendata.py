"""The open data files of the public portal: the public goals, their figures and their planned
paths, as flat tables (CSV and JSON alike), with a data dictionary naming every column.

Goals are named by their slug (``delivery.public.portal``), never by an internal code; the
figures are those known on the review date, one per period (the revision in force), with no
reporter and no note (people's names and internal remarks are not public data).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy.orm import Session

from delivery.figures import figures_as_of
from delivery.i18n import N_
from delivery.public.portal import public_goals
from delivery.trajectory_versions import in_force

GOAL_COLUMNS = {  # open name -> public_goals column
    "goal": "slug", "name": "name", "indicator": "indicator", "unit": "unit",
    "pillar": "pillar", "objective": "objective", "responsible": "owner",
    "direction": "direction", "frequency": "frequency", "baseline_value": "baseline_value",
    "baseline_date": "baseline_date", "target_value": "target_value",
    "target_low": "target_low", "target_high": "target_high", "target_date": "target_date",
    "latest_value": "latest_value", "latest_period_end": "latest_period_end",
    "latest_is_provisional": "is_provisional", "status": "status", "status_reason": "reason",
    "trend": "trend",
}

# dataset -> [(column, type, what it means)]
DICTIONARY: dict[str, list[tuple[str, str, str]]] = {
    "goals": [
        ("goal", "text", N_("The goal's identifier in these files and in its address on this "
                            "site (made from its name).")),
        ("name", "text", N_("What was promised.")),
        ("indicator", "text", N_("What is measured.")),
        ("unit", "text", N_("The unit of every value of the goal.")),
        ("pillar", "text", N_("The area of government the goal belongs to.")),
        ("objective", "text", N_("The strategic objective the goal serves.")),
        ("responsible", "text", N_("The secretariat answerable for the goal.")),
        ("direction", "up | down | range", N_("Whether a higher value is better (up), a lower "
                                             "one (down), or the value should stay within a "
                                             "range (range).")),
        ("frequency", "weekly | monthly | quarterly | yearly",
         N_("How often a figure is published.")),
        ("baseline_value", "number", N_("The value when the promise was made.")),
        ("baseline_date", "date (YYYY-MM-DD)", N_("The day of the baseline value.")),
        ("target_value", "number", N_("The value promised (empty for a range).")),
        ("target_low", "number", N_("The lowest value of a range target.")),
        ("target_high", "number", N_("The highest value of a range target.")),
        ("target_date", "date (YYYY-MM-DD)", N_("The day by which the target is due.")),
        ("latest_value", "number", N_("The latest figure.")),
        ("latest_period_end", "date (YYYY-MM-DD)", N_("The last day of the period the latest "
                                                      "figure is for.")),
        ("latest_is_provisional", "true | false", N_("Whether the latest figure is provisional "
                                                     "(it may still be corrected).")),
        ("status", "on_track | slipping | off_track | no_recent_data",
         N_("Where the goal stands against its planned path on the date of the file.")),
        ("status_reason", "text", N_("The sentence that explains the status.")),
        ("trend", "improving | worsening | steady | (empty)",
         N_("Whether the gap to the plan narrowed or widened over the last quarter.")),
        ("as_of", "date (YYYY-MM-DD)", N_("The date the status was worked out for.")),
    ],
    "figures": [
        ("goal", "text", N_("The goal the figure is for (the goal column of goals).")),
        ("period_start", "date (YYYY-MM-DD)", N_("The first day of the period.")),
        ("period_end", "date (YYYY-MM-DD)", N_("The last day of the period.")),
        ("value", "number", N_("The figure, in the goal's unit.")),
        ("unit", "text", N_("The unit of the value.")),
        ("is_provisional", "true | false", N_("Whether the figure is provisional.")),
        ("revision", "integer", N_("1 for the figure as first published; higher after each "
                                   "correction.")),
        ("known_on", "date (YYYY-MM-DD)", N_("The day this revision of the figure became "
                                             "known.")),
    ],
    "trajectories": [
        ("goal", "text", N_("The goal the planned path is for (the goal column of goals).")),
        ("on", "date (YYYY-MM-DD)", N_("A day on the planned path.")),
        ("planned_value", "number", N_("The value planned for that day, in the goal's unit "
                                       "(between two days the path runs as the plan's shape "
                                       "says).")),
    ],
}
DATASETS = tuple(DICTIONARY)



def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def open_goals(session: Session, as_of: date, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The public goals, one row each, in the columns of ``DICTIONARY["goals"]``."""
    frame = public_goals(session, as_of) if frame is None else frame
    out = pd.DataFrame({name: frame[column]
                        for name, column in GOAL_COLUMNS.items()})
    out["latest_is_provisional"] = out["latest_is_provisional"].map(
        lambda v: None if pd.isna(v) else bool(v))
    out["as_of"] = as_of.isoformat()
    for column in ("baseline_date", "target_date", "latest_period_end"):
        out[column] = out[column].map(_iso)
    return out.astype(object).where(out.notna(), None)


def open_figures(session: Session, as_of: date,
                 frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every figure of the public goals known on ``as_of`` (the revision in force)."""
    frame = public_goals(session, as_of) if frame is None else frame
    rows = [(slug, _iso(f.period_start), _iso(f.period_end), f.value, unit,
             bool(f.is_provisional), f.revision, _iso(f.known_on))
            for goal_id, slug, unit in zip(frame["goal_id"], frame["slug"], frame["unit"],
                                           strict=True)
            for f in figures_as_of(session, int(goal_id), as_of) if f.period_end <= as_of]
    return pd.DataFrame(rows, columns=[c for c, _t, _d in DICTIONARY["figures"]])


def open_trajectories(session: Session, as_of: date,
                      frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The planned path in force on ``as_of`` of every public goal."""
    frame = public_goals(session, as_of) if frame is None else frame
    rows = []
    for goal_id, slug in zip(frame["goal_id"], frame["slug"], strict=True):
        current = in_force(session, int(goal_id), as_of)
        rows += [(slug, _iso(p.on), p.value) for p in (current.points if current else [])]
    return pd.DataFrame(rows, columns=[c for c, _t, _d in DICTIONARY["trajectories"]])


def open_dataset(session: Session, as_of: date, name: str) -> pd.DataFrame:
    """The open dataset ``name`` (one of ``DATASETS``); KeyError for any other name."""
    build = {"goals": open_goals, "figures": open_figures,
             "trajectories": open_trajectories}[name]
    return build(session, as_of)
