"""Benchmark of the goal catalogue's grid at national scale, beside plain pandas in the same run.

    .venv/bin/python bench/goals_grid.py [--goals 20000] [--repeat 7] [--as-of 2020-12-31]

The database is ``bench/out/grid/grid.sqlite``: ``bench/generate.py``'s goals (one year of
monthly figures each, 240,000 figures for 20,000 goals), loaded with ``bench/run.py``'s steps
(the catalogue through the importer, a straight trajectory each, the figures through the
importer) and spread over 12 pacts; built once, reused when there.

Measured, for each of several views (a search, a pillar and status, a pact, late goals, a sort
of everything by shortfall, all at once):

- ours: ``delivery.catalogue.filter_goals`` on the catalogue frame (what the grid's callback and
  the downloads run once the frame is read);
- pandas: the same filter and sort written plainly in pandas on the same frame, the floor;
- a change of view as the grid's callback serves it: the frame (``catalogue_frame``, kept per
  data version, so read from the database only when the data moved), ``filter_goals`` and the
  grid's rows (``grid_rows``: at most the first 300 shown goals, written in the reader's
  formats);
- apart: reading the frame from the database (``read_catalogue``: statuses of every goal as of
  the date, pacts, days late), which the first opening of the page after a change of data
  pays.

Median of ``--repeat`` runs after one warm-up; both results are compared row for row. Aim: ours
within 3x of pandas and the server's time for a change of view under 0.5 s.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from dashboards.components.goals_grid import grid_rows  # noqa: E402
from delivery.catalogue import GoalQuery, catalogue_frame, filter_goals  # noqa: E402
from delivery.catalogue.grid import STATUS_RANK, fold, read_catalogue  # noqa: E402
from delivery.db import make_engine, make_session_factory  # noqa: E402
from delivery.models import Goal, Pact, PactGoal  # noqa: E402

OUT = Path(__file__).parent / "out" / "grid"
DATABASE = OUT / "grid.sqlite"
PACTS = 12


def build(goals: int) -> str:
    """The URL of the benchmark's database, built when missing."""
    if DATABASE.exists():
        return f"sqlite:///{DATABASE}"
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(Path(__file__).parent / "generate.py"), "--goals",
                    str(goals), "--years", "1", "--first-year", "2020", "--out", str(OUT)],
                   check=True)
    national = importlib.import_module("run")  # bench/run.py's loading steps, on our files
    national.OUT = OUT
    start = time.perf_counter()
    engine, factory = national.fresh_database(DATABASE)
    national.load_goals(factory)
    national.our_import(factory)
    rng = np.random.default_rng(16)
    with factory() as session, session.begin():
        session.execute(insert(Pact), [{"id": i, "code": f"PACT{i:02d}", "name": f"Pact {i}",
                                        "description": ""} for i in range(1, PACTS + 1)])
        ids = list(session.scalars(select(Goal.id)))
        chosen = rng.choice(ids, size=len(ids) // 3, replace=False)
        session.execute(insert(PactGoal), [{"pact_id": int(rng.integers(1, PACTS + 1)),
                                            "goal_id": int(g)} for g in chosen])
    engine.dispose()
    print(f"built {DATABASE} in {time.perf_counter() - start:.0f} s")
    return f"sqlite:///{DATABASE}"


def views(frame: pd.DataFrame) -> dict[str, GoalQuery]:
    pillar = str(frame["pillar_code"].iloc[0])
    return {
        "search 'goal 12'": GoalQuery(text="goal 12"),
        "pillar + off track, by code": GoalQuery(pillar=(pillar,), status=("off_track",),
                                                 sort="code"),
        "one pact, by status": GoalQuery(pact=("PACT03",), sort="status"),
        "late, by days late": GoalQuery(late=True, sort="days_late", descending=True),
        "everything by shortfall": GoalQuery(sort="shortfall", descending=True),
        "all at once": GoalQuery(text="national", secretariat=("SEC01", "SEC02"),
                                 status=("off_track", "slipping"), frequency=("monthly",),
                                 pact=("PACT01", "PACT02"), sort="name"),
    }


def plain_pandas(df: pd.DataFrame, q: GoalQuery) -> pd.DataFrame:
    """The same view written plainly, the way one would in a notebook."""
    mask = pd.Series(True, index=df.index)
    for word in fold(q.text).split():
        mask &= df["haystack"].str.contains(word, regex=False)
    if q.pillar:
        mask &= df["pillar_code"].isin(q.pillar)
    if q.objective:
        mask &= df["objective_code"].isin(q.objective)
    if q.secretariat:
        mask &= df["owner_code"].isin(q.secretariat)
    if q.status:
        mask &= df["status"].isin(q.status)
    if q.frequency:
        mask &= df["frequency"].isin(q.frequency)
    if q.pact:
        mask &= df["pact_key"].apply(lambda key: any(f"|{p}|" in key for p in q.pact))
    if q.late:
        mask &= df["days_late"] > 0
    out = df[mask]
    if q.sort == "status":
        return out.assign(_r=out["status"].map(STATUS_RANK)).sort_values(
            "_r", ascending=not q.descending, kind="stable").drop(columns="_r")
    if q.sort in ("code", "name"):
        return out.assign(_k=out[q.sort].str.casefold()).sort_values(
            "_k", ascending=not q.descending, kind="stable").drop(columns="_k")
    if q.sort:
        return out.sort_values(q.sort, ascending=not q.descending, kind="stable",
                               na_position="last")
    return out


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2020, 12, 31))
    args = parser.parse_args()
    engine = make_engine(build(args.goals))
    factory = make_session_factory(engine)
    with factory() as session:
        frame_s = median_seconds(lambda: read_catalogue(session, args.as_of), 3)
        frame = catalogue_frame(session, args.as_of)
    print(f"{len(frame):,} goals, {frame['pacts'].ne('').sum():,} in pacts; load average "
          f"{os.getloadavg()[0]:.1f}")
    print("catalogue frame read from the database (once per change of data): "
          f"{frame_s * 1000:.0f} ms\n")
    print(f"{'view':32} {'shown':>7} {'ours ms':>8} {'pandas ms':>10} {'ratio':>6} "
          f"{'+ rows ms':>9} {'change of view ms':>18}")
    worst_ratio, worst_change = 0.0, 0.0
    for name, query in views(frame).items():
        ours = filter_goals(frame, query)
        plain = plain_pandas(frame, query)
        assert list(ours["goal_id"]) == list(plain["goal_id"]), name
        ours_s = median_seconds(lambda q=query: filter_goals(frame, q), args.repeat)
        plain_s = median_seconds(lambda q=query: plain_pandas(frame, q), args.repeat)
        rows_s = median_seconds(lambda o=ours: grid_rows(o), 3)
        ratio = ours_s / plain_s
        with factory() as session:
            change = median_seconds(lambda q=query, s=session: grid_rows(filter_goals(
                catalogue_frame(s, args.as_of), q)), 3)
        worst_ratio, worst_change = max(worst_ratio, ratio), max(worst_change, change)
        print(f"{name:32} {len(ours):>7,} {ours_s * 1000:>8.1f} {plain_s * 1000:>10.1f} "
              f"{ratio:>5.2f}x {rows_s * 1000:>9.1f} {change * 1000:>18.1f}")
    print(f"\nworst ratio ours/pandas {worst_ratio:.2f}x (aim 3x); worst change of view "
          f"{worst_change * 1000:.0f} ms (aim 500 ms), frame read "
          f"{frame_s * 1000:.0f} ms on the first opening after a change of data")
    engine.dispose()


if __name__ == "__main__":
    main()
