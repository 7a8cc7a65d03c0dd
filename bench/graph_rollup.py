"""Benchmark: the strategy graph at national scale, against plain pandas.

    .venv/bin/python bench/graph_rollup.py [--goals 20000] [--accounts 3000] [--repeat 5]

Builds national-scale map tables in memory (goals from ``bench/generate.py``; pacts, budget
accounts over two fiscal years, the crosswalk and two sets of statuses added here), then times

- graph: ``graph_from_frames`` + ``MapIndex.of`` (build), then ``rollup_with_trend`` (statuses
  now and four weeks earlier) and ``money_rollup`` (every budget figure to every node);
- pandas: the same roll-up as plain merges and groupbys on the same tables;

checks that both give the same numbers, and prints both timings and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from strategy_maps.frames import MapFrames  # noqa: E402
from strategy_maps.graph import graph_from_frames  # noqa: E402
from strategy_maps.index import MapIndex  # noqa: E402
from strategy_maps.money import MONEY, money_rollup  # noqa: E402
from strategy_maps.rollup import OWN_GOALS_WEIGHT, POINTS, STATUSES, rollup_with_trend  # noqa: E402

KINDS = ["pillar", "objective", "pact", "secretariat"]


def national_frames(n_goals: int, n_accounts: int, rng: np.random.Generator
                    ) -> tuple[MapFrames, dict[int, str], dict[int, str]]:
    """The map tables, and goal statuses now and four weeks earlier."""
    try:
        from generate import goals_frame  # bench/generate.py: the domain core's generator

        goals = goals_frame(n_goals, 2015, 10, rng)
    except ImportError:  # the generator is not there: the same shape, made here
        goals = _own_goals(n_goals, rng)
    pillar_codes = sorted(goals["pillar"].unique())
    objective_codes = sorted(goals["objective"].unique())
    owner_codes = sorted(goals["owner"].unique())
    pillar_of = goals.drop_duplicates("objective").set_index("objective")["pillar"]
    pillars = pd.DataFrame({"id": range(1, len(pillar_codes) + 1), "code": pillar_codes,
                            "name": pillar_codes})
    pid = dict(zip(pillar_codes, pillars["id"], strict=True))
    objectives = pd.DataFrame({"id": range(1, len(objective_codes) + 1), "code": objective_codes,
                               "name": objective_codes,
                               "pillar_id": [pid[pillar_of[o]] for o in objective_codes]})
    oid = dict(zip(objective_codes, objectives["id"], strict=True))
    secretariats = pd.DataFrame({"id": range(1, len(owner_codes) + 1), "code": owner_codes,
                                 "name": owner_codes})
    sid = dict(zip(owner_codes, secretariats["id"], strict=True))
    goal_ids = np.arange(1, len(goals) + 1)
    goal_table = pd.DataFrame({
        "id": goal_ids, "code": goals["code"], "name": goals["name"],
        "objective_id": goals["objective"].map(oid), "owner_id": goals["owner"].map(sid),
        "direction": goals["direction"], "baseline_value": goals["baseline_value"],
        "target_value": goals["target_value"],
    })
    # Each objective contributes to one or two later ones (a DAG, as in a real map).
    links = [(oid[objective_codes[i]], oid[objective_codes[j]], round(rng.uniform(0.2, 0.6), 2))
             for i in range(len(objective_codes) - 1)
             for j in rng.choice(range(i + 1, len(objective_codes)),
                                 size=min(2, len(objective_codes) - i - 1), replace=False)]
    objective_links = pd.DataFrame(links, columns=["source_id", "target_id", "weight"])
    n_pacts = 12
    pacts = pd.DataFrame({"id": range(1, n_pacts + 1),
                          "code": [f"PACT{i:02d}" for i in range(1, n_pacts + 1)],
                          "name": [f"Pact {i}" for i in range(1, n_pacts + 1)]})
    members = pd.DataFrame([(p, s) for p in pacts["id"]
                            for s in rng.choice(secretariats["id"], 4, replace=False)],
                           columns=["pact_id", "secretariat_id"])
    covered = rng.choice(goal_ids, n_goals // 10, replace=False)
    pact_goals = pd.DataFrame({"pact_id": rng.integers(1, n_pacts + 1, len(covered)),
                               "goal_id": covered})
    accounts, account_links = _budget(goal_ids, n_accounts, sid, rng)
    frames = MapFrames.of(
        pillars=pillars, objectives=objectives, objective_links=objective_links,
        secretariats=secretariats, goals=goal_table, pacts=pacts, pact_members=members,
        pact_goals=pact_goals, accounts=accounts, account_links=account_links)
    p = [0.5, 0.22, 0.16, 0.12]
    now = dict(zip(goal_ids.tolist(), rng.choice(STATUSES, len(goal_ids), p=p), strict=True))
    before = dict(zip(goal_ids.tolist(), rng.choice(STATUSES, len(goal_ids), p=p), strict=True))
    return frames, now, before


def _budget(goal_ids: np.ndarray, n_accounts: int, sid: dict, rng: np.random.Generator
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accounts over two fiscal years; every goal funded by one or two accounts a year (the
    demo has one), each account's shares summing to at most 1."""
    years = [2023, 2024]
    per_year = n_accounts // len(years)
    codes = [f"{i // 100:02d}.{i:04d}" for i in range(per_year)]
    appropriated = rng.uniform(1e5, 5e8, n_accounts).round(2)
    accounts = pd.DataFrame({
        "id": np.arange(1, n_accounts + 1), "code": codes * len(years),
        "name": [f"Account {c}" for c in codes] * len(years),
        "secretariat_id": rng.choice(list(sid.values()), n_accounts),
        "fiscal_year": np.repeat(years, per_year),
        "appropriated": appropriated,
        "committed": (appropriated * rng.uniform(0.7, 1.0, n_accounts)).round(2),
        "spent": (appropriated * rng.uniform(0.4, 0.9, n_accounts)).round(2),
    })
    rows = []
    for y, _ in enumerate(years):
        per_goal = rng.integers(1, 3, len(goal_ids))
        goal = np.repeat(goal_ids, per_goal)
        account = rng.integers(0, per_year, len(goal)) + y * per_year + 1
        rows.append(pd.DataFrame({"goal_id": goal, "account_id": account}))
    links = pd.concat(rows).drop_duplicates(["goal_id", "account_id"], ignore_index=True)
    weight = rng.uniform(0.1, 1.0, len(links))
    total = pd.Series(weight).groupby(links["account_id"].to_numpy()).transform("sum")
    links["share"] = np.floor(weight / total.to_numpy() * rng.uniform(0.6, 1.0) * 1e4) / 1e4
    links["share"] = links["share"].clip(lower=1e-4)
    return accounts, links


def _own_goals(n_goals: int, rng: np.random.Generator) -> pd.DataFrame:
    pillars = ["Safety", "Education", "Health", "Economy", "Infrastructure", "Governance"]
    objective = rng.integers(0, 12, n_goals)
    return pd.DataFrame({
        "code": [f"G{i:05d}" for i in range(1, n_goals + 1)],
        "name": [f"National goal {i}" for i in range(1, n_goals + 1)],
        "objective": [f"{pillars[o // 2]} objective {o % 2 + 1}" for o in objective],
        "pillar": [pillars[o // 2] for o in objective],
        "owner": [f"SEC{i:02d}" for i in rng.integers(1, 41, n_goals)],
        "direction": "up", "baseline_value": 100.0, "target_value": 150.0,
    })


def graph_rollup(frames: MapFrames, now: dict, before: dict) -> tuple[float, float, tuple]:
    start = time.perf_counter()
    index = MapIndex.of(graph_from_frames(frames))
    built = time.perf_counter()
    statuses = rollup_with_trend(index, now, before)
    money = money_rollup(index)
    done = time.perf_counter()
    return built - start, done - built, (statuses, money)


def pandas_rollup(frames: MapFrames, now: dict, before: dict) -> tuple[float, tuple]:
    """The same roll-up as plain pandas: membership rows, then groupby."""
    start = time.perf_counter()
    goals = frames.goals[["id", "objective_id", "owner_id"]].rename(columns={"id": "goal_id"})
    goals = goals.merge(frames.objectives[["id", "pillar_id"]],
                        left_on="objective_id", right_on="id").drop(columns="id")
    members = pd.concat([
        pd.DataFrame({"kind": "objective", "group": goals["objective_id"],
                      "goal_id": goals["goal_id"]}),
        pd.DataFrame({"kind": "pillar", "group": goals["pillar_id"],
                      "goal_id": goals["goal_id"]}),
        pd.DataFrame({"kind": "secretariat", "group": goals["owner_id"],
                      "goal_id": goals["goal_id"]}).dropna(),
        pd.DataFrame({"kind": "pact", "group": frames.pact_goals["pact_id"],
                      "goal_id": frames.pact_goals["goal_id"]}),
    ], ignore_index=True)
    scores = []
    for statuses in (now, before):
        status = members["goal_id"].map(statuses).fillna(STATUSES[3])
        counts = pd.crosstab([members["kind"], members["group"]], status)
        counts = counts.reindex(columns=STATUSES, fill_value=0)
        graded = counts[STATUSES[:3]].sum(axis=1)
        points = sum(counts[s] * POINTS[s] for s in STATUSES[:3])
        score = (points / graded.where(graded > 0)).rename("score")
        scores.append((counts, _blend_pandas(score, frames.objective_links)))
    links = frames.account_links.merge(
        frames.accounts[["id", "fiscal_year", *MONEY]], left_on="account_id", right_on="id")
    for m in MONEY:
        links[m] = links[m] * links["share"]
    per_goal = links.groupby(["goal_id", "fiscal_year"], as_index=False)[MONEY].sum()
    per_group = members.merge(per_goal, on="goal_id").groupby(
        ["kind", "group", "fiscal_year"])[MONEY].sum()
    return time.perf_counter() - start, (scores, per_goal, per_group)


def _blend_pandas(score: pd.Series, links: pd.DataFrame) -> pd.Series:
    objective = score.loc["objective"].copy()
    direct = objective.copy()
    import networkx as nx

    order = nx.topological_sort(nx.DiGraph(list(zip(links["source_id"], links["target_id"],
                                                    strict=True))))
    incoming = {t: g for t, g in links.groupby("target_id")}
    for target in order:
        terms = [(OWN_GOALS_WEIGHT, direct.get(target, np.nan))]
        if target in incoming:
            terms += [(w, objective.get(s, np.nan))
                      for s, w in zip(incoming[target]["source_id"], incoming[target]["weight"],
                                      strict=True)]
        terms = [(w, s) for w, s in terms if not np.isnan(s)]
        total = sum(w for w, _ in terms)
        objective[target] = sum(w * s for w, s in terms) / total if total else np.nan
    blended = score.copy()
    blended.loc["objective"] = objective.reindex(blended.loc["objective"].index).to_numpy()
    return blended


def check_same(graph_result: tuple, pandas_result: tuple) -> None:
    statuses, money = graph_result
    (counts_now, score_now), (_, score_before), per_goal, per_group = (
        *pandas_result[0], pandas_result[1], pandas_result[2])
    keyed = statuses.assign(group=[n[1] for n in statuses["node"]]).set_index(["kind", "group"])
    for status in STATUSES:
        assert (keyed[status] == counts_now[status].reindex(keyed.index, fill_value=0)).all()
    for column, expected in (("score", score_now), ("previous_score", score_before)):
        np.testing.assert_allclose(keyed[column], expected.reindex(keyed.index), rtol=1e-9)
    money = money.assign(group=[n[1] for n in money["node"]])
    groups = money[money["kind"] != "goal"].set_index(["kind", "group", "fiscal_year"])
    expected = per_group.reindex(groups.index, fill_value=0.0)
    np.testing.assert_allclose(groups[MONEY], expected[MONEY], rtol=1e-9)
    goals = money[money["kind"] == "goal"].set_index(["group", "fiscal_year"])
    expected = per_goal.set_index(["goal_id", "fiscal_year"]).reindex(goals.index, fill_value=0)
    np.testing.assert_allclose(goals[MONEY], expected[MONEY], rtol=1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=20_000)
    parser.add_argument("--accounts", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    frames, now, before = national_frames(args.goals, args.accounts,
                                          np.random.default_rng(args.seed))
    print(f"map: {len(frames.goals):,} goals, {len(frames.objectives)} objectives, "
          f"{len(frames.pillars)} pillars, {len(frames.secretariats)} secretariats, "
          f"{len(frames.pacts)} pacts, {len(frames.accounts):,} budget accounts, "
          f"{len(frames.account_links):,} funding links")
    graph_runs = [graph_rollup(frames, now, before) for _ in range(args.repeat)]
    pandas_runs = [pandas_rollup(frames, now, before) for _ in range(args.repeat)]
    check_same(graph_runs[-1][2], pandas_runs[-1][1])
    build = min(r[0] for r in graph_runs)
    roll = min(r[1] for r in graph_runs)
    total = min(r[0] + r[1] for r in graph_runs)
    plain = min(r[0] for r in pandas_runs)
    graph = graph_from_frames(frames)
    print(f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges; "
          f"best of {args.repeat} runs; both give the same counts, scores and money")
    print(f"networkx build (graph + index)  {build:7.3f} s")
    print(f"networkx roll-up                {roll:7.3f} s  (statuses now and 4 weeks before, "
          "money per fiscal year)")
    print(f"networkx build + roll-up        {total:7.3f} s  (aim: under 2 s)")
    print(f"pandas groupby roll-up          {plain:7.3f} s")
    print(f"ratio build+roll-up / pandas    {total / plain:7.2f} x  (aim: within 3x); "
          f"roll-up alone / pandas {roll / plain:.2f} x")


if __name__ == "__main__":
    main()
