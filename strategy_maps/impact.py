"""Impact: which objectives, pillars and pacts are exposed when goals slip, and which goals
are keystones that many objectives depend on. Both weigh goals as the roll-up does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from delivery.vocabulary import Status
from strategy_maps.index import MapIndex
from strategy_maps.nodes import OBJECTIVE, NodeId
from strategy_maps.rollup import blend_objectives, status_rollup


def exposure(index: MapIndex, goals: Iterable[NodeId]) -> np.ndarray:
    """Per group (``index.groups``), the share of its score that rests on ``goals``: their share
    of its goals, carried along contributions with the roll-up's weights (NaN: no goals)."""
    chosen = np.zeros(len(index.goals), dtype=float)
    positions = {g: i for i, g in enumerate(index.goals)}
    for goal in goals:
        chosen[positions[goal]] = 1.0
    n = len(index.groups)
    total = np.bincount(index.member_group, minlength=n).astype(float)
    hit = np.bincount(index.member_group, weights=chosen[index.member_goal], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        direct = np.where(total > 0, hit / total, np.nan)
    return blend_objectives(index, direct)


def impact(index: MapIndex, goals: Iterable[NodeId],
           statuses: Mapping[int, str] | None = None,
           kinds: tuple[str, ...] = ("pillar", "objective", "pact")) -> pd.DataFrame:
    """The nodes exposed if ``goals`` slip, most exposed first: ``exposure`` (0-1, see
    ``exposure``) and, given the current ``statuses``, the score now, the score if those goals
    went off track, and the ``drop`` in points."""
    goals = list(goals)
    frame = status_rollup(index, statuses or {})[["node", "kind", "code", "label", "goals"]]
    frame["exposure"] = exposure(index, goals)
    if statuses is not None:
        worse = dict(statuses)
        worse.update({goal[1]: Status.OFF_TRACK.value for goal in goals})
        frame["score"] = status_rollup(index, statuses)["score"]
        frame["score_if_off_track"] = status_rollup(index, worse)["score"]
        frame["drop"] = frame["score"] - frame["score_if_off_track"]
    frame = frame[frame["kind"].isin(kinds) & (frame["exposure"] > 0)]
    return frame.sort_values(["exposure", "code"], ascending=[False, True], ignore_index=True)


def keystones(index: MapIndex, top: int | None = 20) -> pd.DataFrame:
    """Goals ranked by how many objectives depend on them (their own and every objective it
    contributes to, however indirectly), then by ``weight``: the sum of their exposure shares
    over those objectives. Also how many pillars and pacts gather each goal."""
    nodes = index.graph.nodes
    is_objective = np.array([nodes[g]["kind"] == OBJECTIVE for g in index.groups])
    counts = np.bincount(index.member_group, minlength=len(index.groups))
    base = np.where(is_objective & (counts > 0), 0.0, np.nan)
    reach: dict[int, tuple[list[str], float]] = {}
    for group in np.flatnonzero(is_objective & (counts > 0)):
        direct = base.copy()
        direct[group] = 1.0
        shares = blend_objectives(index, direct)
        hit = np.flatnonzero(is_objective & (np.nan_to_num(shares) > 0))
        reach[int(group)] = ([nodes[index.groups[h]]["code"] for h in hit],
                        float(np.nansum(shares[hit]) / counts[group]))
    rows = []
    for goal_pos, groups in _groups_by_goal(index).items():
        objectives = [g for g in groups if is_objective[g]]
        if not objectives:
            continue
        codes, weight = reach[objectives[0]]
        kinds = [nodes[index.groups[g]]["kind"] for g in groups]
        goal = index.goals[goal_pos]
        rows.append({"node": goal, "code": nodes[goal]["code"], "label": nodes[goal]["label"],
                     "objectives": len(codes), "objective_codes": ", ".join(sorted(codes)),
                     "pillars": kinds.count("pillar"), "pacts": kinds.count("pact"),
                     "weight": weight})
    frame = pd.DataFrame(rows, columns=["node", "code", "label", "objectives", "objective_codes",
                                        "pillars", "pacts", "weight"])
    frame = frame.sort_values(["objectives", "weight", "code"], ascending=[False, False, True],
                              ignore_index=True)
    return frame if top is None else frame.head(top)


def _groups_by_goal(index: MapIndex) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {i: [] for i in range(len(index.goals))}
    for group, goal in zip(index.member_group.tolist(), index.member_goal.tolist(), strict=True):
        groups[goal].append(group)
    return groups
