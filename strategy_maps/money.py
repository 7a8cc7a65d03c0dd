"""Budget money through the map: each account's appropriated, committed and spent amounts
reach goals through the crosswalk shares, then goals' money adds up to their objectives,
pillars, pacts and secretariats, fiscal year by fiscal year.

A goal in two pacts counts in both; money of an account that funds no goal reaches no node.
Money is float in currency units, shares are applied without rounding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from strategy_maps.index import MapIndex

MONEY = ["appropriated", "committed", "spent"]


def goal_money(index: MapIndex) -> tuple[list[int], np.ndarray]:
    """(fiscal years, array [goal position, year position, measure]) of money per goal."""
    nodes = index.graph.nodes
    years = sorted({nodes[a]["fiscal_year"] for a in index.accounts})
    year_pos = {y: i for i, y in enumerate(years)}
    account_year = np.array([year_pos[nodes[a]["fiscal_year"]] for a in index.accounts],
                            dtype=np.int64)
    amounts = np.array([[nodes[a][m] or 0.0 for m in MONEY] for a in index.accounts],
                       dtype=float).reshape(len(index.accounts), len(MONEY))
    cells = len(index.goals) * len(years)
    slot = index.fund_goal * len(years) + account_year[index.fund_account]
    money = np.stack([
        np.bincount(slot, weights=index.fund_share * amounts[index.fund_account, m],
                    minlength=cells)
        for m in range(len(MONEY))
    ], axis=-1)
    return years, money.reshape(len(index.goals), len(years), len(MONEY))


def money_rollup(index: MapIndex, *, goals: bool = True) -> pd.DataFrame:
    """One row per node and fiscal year: appropriated, committed and spent, for every goal
    (unless ``goals`` is False), pillar, objective, pact and secretariat."""
    years, per_goal = goal_money(index)
    n_groups, n_years = len(index.groups), len(years)
    slots = (index.member_group[:, None] * n_years + np.arange(n_years)).ravel()
    weights = per_goal[index.member_goal].reshape(-1, len(MONEY))
    per_group = np.stack([
        np.bincount(slots, weights=weights[:, m], minlength=n_groups * n_years)
        for m in range(len(MONEY))
    ], axis=-1).reshape(n_groups, n_years, len(MONEY))
    parts = [_long(index, index.groups, per_group, years)]
    if goals:
        parts.insert(0, _long(index, index.goals, per_goal, years))
    return pd.concat(parts, ignore_index=True)


def _long(index: MapIndex, nodes: list, money: np.ndarray, years: list[int]) -> pd.DataFrame:
    attrs = index.graph.nodes
    n_years = len(years)
    frame = pd.DataFrame({
        "node": [n for n in nodes for _ in years],
        "kind": np.repeat([attrs[n]["kind"] for n in nodes], n_years),
        "code": np.repeat([attrs[n]["code"] for n in nodes], n_years),
        "fiscal_year": np.tile(np.array(years, dtype=np.int64), len(nodes)),
    })
    for m, name in enumerate(MONEY):
        frame[name] = money[:, :, m].ravel()
    return frame
