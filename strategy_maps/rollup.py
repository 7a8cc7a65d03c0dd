"""Goal statuses rolled up the strategy map: counts, a weighted score and the trend.

``rollup_rule()`` says in plain words how it is done, in the reader's language; screens show
it next to the figures (``ROLLUP_RULE``: the same in English, as the docs quote it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import numpy as np
import pandas as pd

from delivery.i18n import N_, _, current_locale, formats, use_locale
from delivery.vocabulary import Status
from strategy_maps.index import MapIndex

STATUSES = [Status.ON_TRACK.value, Status.SLIPPING.value, Status.OFF_TRACK.value,
            Status.NO_RECENT_DATA.value]
POINTS = {Status.ON_TRACK.value: 100.0, Status.SLIPPING.value: 50.0, Status.OFF_TRACK.value: 0.0}
OWN_GOALS_WEIGHT = 1.0
TREND_WEEKS = 4
STEADY_WITHIN = 2.0  # points of score

# Kept in English for the docs (``ROLLUP_RULE``); ``rollup_rule()`` gives the reader's language.
ROLLUP_TEMPLATE = N_("""\
How the roll-up is worked out
- Every goal counts once, with its computed status on the date: on track, slipping, off track or
  no recent data. A pillar gathers the goals of its objectives, an objective the goals that
  serve it, a pact the goals it covers and a secretariat the goals it leads.
- Score, from 0 to 100: a goal on track scores {on_track}, slipping {slipping}, off track \
{off_track}; the score
  is their average. Goals with no recent data are counted but left out of the score; when no
  goal has recent data there is no score.
- An objective also takes in the objectives that contribute to it: its own goals weigh {own} and
  each contributing objective's score weighs the weight of its link ({example} means \
{example}). Links that
  close a circle of contributions are left out until the circle is fixed.
- Trend: the score minus the score {weeks} weeks earlier, with the statuses as they were then;
  within {steady} points either way the node is steady.
""")


def rollup_rule(locale: str | None = None) -> str:
    """How the roll-up is worked out, in the reader's language (its numbers in their format)."""
    with use_locale(locale or current_locale()):
        return _(ROLLUP_TEMPLATE).format(
            on_track=formats.number(POINTS[Status.ON_TRACK.value]),
            slipping=formats.number(POINTS[Status.SLIPPING.value]),
            off_track=formats.number(POINTS[Status.OFF_TRACK.value]),
            own=formats.number(OWN_GOALS_WEIGHT), example=formats.number(0.4),
            weeks=TREND_WEEKS, steady=formats.number(STEADY_WITHIN))


ROLLUP_RULE = rollup_rule("en")

COLUMNS = ["node", "kind", "code", "label", "goals", *STATUSES, "score"]


def status_rollup(index: MapIndex, statuses: Mapping[int, str]) -> pd.DataFrame:
    """One row per pillar, objective, pact and secretariat: goal counts by status and score.

    ``statuses`` maps goal id to a ``Status`` value; a goal missing from it has no recent data.
    """
    codes = {s: i for i, s in enumerate(STATUSES)}
    missing = codes[Status.NO_RECENT_DATA.value]
    status = np.array([codes.get(statuses.get(gid) or "", missing) for gid in index.goal_ids()],
                      dtype=np.int64)
    n = len(index.groups)
    flat = index.member_group * 4 + status[index.member_goal]
    counts = np.bincount(flat, minlength=n * 4).reshape(n, 4)
    graded = counts[:, :3].sum(axis=1)
    points = counts[:, :3] @ np.array([POINTS[s] for s in STATUSES[:3]])
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(graded > 0, points / np.maximum(graded, 1), np.nan)
    score = blend_objectives(index, score)
    nodes = index.graph.nodes
    frame = pd.DataFrame({
        "node": index.groups,
        "kind": [nodes[g]["kind"] for g in index.groups],
        "code": [nodes[g]["code"] for g in index.groups],
        "label": [nodes[g]["label"] for g in index.groups],
        "goals": counts.sum(axis=1),
    })
    for i, name in enumerate(STATUSES):
        frame[name] = counts[:, i]
    frame["score"] = score
    return frame


def rollup_with_trend(index: MapIndex, statuses: Mapping[int, str],
                      earlier: Mapping[int, str]) -> pd.DataFrame:
    """``status_rollup`` of ``statuses`` with ``previous_score`` (from ``earlier``), ``trend``
    (the change in points) and ``trend_label`` (improving, worsening, steady or empty)."""
    frame = status_rollup(index, statuses)
    frame["previous_score"] = status_rollup(index, earlier)["score"].to_numpy()
    frame["trend"] = frame["score"] - frame["previous_score"]
    frame["trend_label"] = [trend_word(t) for t in frame["trend"]]
    return frame


def trend_word(change: float) -> str:
    if change is None or np.isnan(change):
        return ""
    if abs(change) <= STEADY_WITHIN:
        return "steady"
    return "improving" if change > 0 else "worsening"


# The trend words as a reader sees them (the frames keep the English, as ``trend_word``).
TREND_WORDS = {"steady": N_("steady"), "improving": N_("improving"),
               "worsening": N_("worsening")}


def trend_text(word: str) -> str:
    """A ``trend_word`` in the current language ("" stays "")."""
    return _(TREND_WORDS[word]) if word in TREND_WORDS else word


def earlier_date(as_of: date) -> date:
    """The date the trend compares with."""
    return as_of - timedelta(weeks=TREND_WEEKS)


def blend_objectives(index: MapIndex, direct: np.ndarray) -> np.ndarray:
    """Objectives' values blended with their contributors' (NaN: nothing to blend)."""
    score = direct.copy()
    for target, contributors in index.blend:
        terms = [(OWN_GOALS_WEIGHT, direct[target])]
        terms += [(weight, score[source]) for source, weight in contributors]
        terms = [(w, s) for w, s in terms if not np.isnan(s)]
        weight = sum(w for w, _ in terms)
        score[target] = sum(w * s for w, s in terms) / weight if weight else np.nan
    return score
