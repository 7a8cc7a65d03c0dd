"""The map's answers straight from the database, for the CLI and the screens: validation,
roll-up as of a date, money per node, spending against progress and cost per unit."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from delivery.assessment import goal_statuses
from delivery.db import query_frame
from delivery.figures import in_force_query
from delivery.models import BudgetAccount, Figure, GoalAccountLink
from pacts.budget import (
    cost_per_unit,
    elapsed_share,
    fiscal_year_of,
    is_cumulative,
    spending_vs_progress,
    yearly_output,
)
from strategy_maps.index import MapIndex
from strategy_maps.loader import build_graph
from strategy_maps.money import MONEY, money_rollup
from strategy_maps.nodes import GOAL
from strategy_maps.rollup import earlier_date, rollup_with_trend


def statuses_on(session: Session, as_of: date) -> dict[int, str]:
    """Goal id -> status value on ``as_of``."""
    frame = goal_statuses(session, as_of, with_reasons=False)
    return dict(zip(frame["goal_id"].tolist(), frame["status"].tolist(), strict=True))


def rollup_as_of(session: Session, as_of: date, index: MapIndex | None = None) -> pd.DataFrame:
    """``rollup_with_trend`` with the statuses on ``as_of`` and four weeks earlier."""
    index = index or MapIndex.of(build_graph(session))
    return rollup_with_trend(index, statuses_on(session, as_of),
                             statuses_on(session, earlier_date(as_of)))


def money_for_year(index: MapIndex, as_of: date, fiscal_year: int | None = None,
                   end_month: int = 12) -> tuple[int | None, pd.DataFrame]:
    """(fiscal year, ``money_rollup`` rows of that year). Without ``fiscal_year``: the year of
    ``as_of`` or, if it has no accounts yet, the latest earlier year that has."""
    money = money_rollup(index)
    years = sorted(y for y in money["fiscal_year"].unique()
                   if y <= fiscal_year_of(as_of, end_month))
    year = fiscal_year if fiscal_year is not None else (int(years[-1]) if years else None)
    return year, money[money["fiscal_year"] == year].reset_index(drop=True)


def spending_report(session: Session, as_of: date, *, fiscal_year: int | None = None,
                    end_month: int = 12, index: MapIndex | None = None) -> pd.DataFrame:
    """``pacts.budget.spending_vs_progress`` for every funded goal, with the fiscal year."""
    index = index or MapIndex.of(build_graph(session))
    year, money = money_for_year(index, as_of, fiscal_year, end_month)
    if year is None:
        return pd.DataFrame()
    goals = money[money["kind"] == GOAL].assign(goal_id=lambda f: [n[1] for n in f["node"]])
    statuses = goal_statuses(session, as_of, with_reasons=False)
    report = spending_vs_progress(goals, statuses, elapsed_share(year, as_of, end_month))
    return report.assign(fiscal_year=year)


def goal_spending(session: Session, as_of: date, statuses: pd.DataFrame, *,
                  end_month: int = 12) -> pd.DataFrame:
    """The rows of ``spending_report`` for the goals of ``statuses`` (their ``goal_statuses``
    rows), from their own links to budget accounts: a goal's page reads its few accounts, not
    the whole map and every goal's grade."""
    years = sorted(y for y in session.scalars(select(BudgetAccount.fiscal_year).distinct())
                   if y <= fiscal_year_of(as_of, end_month))
    if not years:
        return pd.DataFrame()
    year = int(years[-1])
    links = query_frame(session, select(
        GoalAccountLink.goal_id, GoalAccountLink.share, BudgetAccount.appropriated,
        BudgetAccount.committed, BudgetAccount.spent)
        .join(BudgetAccount, GoalAccountLink.account_id == BudgetAccount.id)
        .where(GoalAccountLink.goal_id.in_(statuses["goal_id"].tolist()),
               BudgetAccount.fiscal_year == year)
        .order_by(GoalAccountLink.account_id),
        ["goal_id", "share", *MONEY])
    money = pd.DataFrame({"goal_id": statuses["goal_id"].to_numpy()})
    for measure in MONEY:  # share of each account, as strategy_maps.money adds it up
        amounts = (links["share"].astype(float) * links[measure].astype(float)).groupby(
            links["goal_id"]).sum()
        money[measure] = money["goal_id"].map(amounts).fillna(0.0).astype(float)
    report = spending_vs_progress(money, statuses, elapsed_share(year, as_of, end_month))
    return report.assign(fiscal_year=year)


COST_COLUMNS = ["goal_id", "code", "unit", "fiscal_year", "output", "complete", "spent",
                "cost_per_unit", "cost_change"]


def unit_costs(session: Session, as_of: date, *, end_month: int = 12,
               index: MapIndex | None = None) -> pd.DataFrame:
    """``pacts.budget.cost_per_unit`` for every output goal, on the figures known on
    ``as_of``, with goal code and unit."""
    index = index or MapIndex.of(build_graph(session))
    graph: nx.DiGraph = index.graph
    outputs = {g[1]: graph.nodes[g] for g in index.goals if graph.nodes[g].get("is_output")}
    if not outputs:
        return pd.DataFrame(columns=COST_COLUMNS)
    figures = _figures(session, list(outputs), as_of)
    output = yearly_output(
        figures, {gid for gid, a in outputs.items() if is_cumulative(a["indicator"])},
        {gid: a["baseline_value"] for gid, a in outputs.items()},
        {gid: a["frequency"] for gid, a in outputs.items()}, end_month)
    money = money_rollup(index)
    money = money[money["kind"] == GOAL].assign(goal_id=lambda f: [n[1] for n in f["node"]])
    costs = cost_per_unit(output, money)
    costs.insert(1, "code", costs["goal_id"].map(lambda g: outputs[g]["code"]))
    costs.insert(2, "unit", costs["goal_id"].map(lambda g: outputs[g]["unit"]))
    return costs


def _figures(session: Session, goal_ids: list[int], as_of: date) -> pd.DataFrame:
    top = in_force_query(as_of).subquery()
    query = (
        select(Figure.goal_id, Figure.period_end, Figure.value)
        .join(top, and_(Figure.goal_id == top.c.goal_id,
                        Figure.period_start == top.c.period_start,
                        Figure.revision == top.c.revision))
        .where(Figure.goal_id.in_(goal_ids), Figure.period_end <= as_of)
    )
    return query_frame(session, query, ["goal_id", "period_end", "value"])
