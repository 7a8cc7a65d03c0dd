"""Benchmark of the domain core at national scale, each figure beside its plain baseline.

    .venv/bin/python bench/run.py [--goals 20000] [--years 10] [--as-of 2020-06-30]

1. Import throughput: ``delivery import`` of the 2.4-million-row figures file (read, map,
   validate, revise, write) against a bare ``sqlite3`` ``executemany`` of the same rows into
   the same table (Python's csv reader for parsing). Aim: at least half the bare speed.
2. Status of every goal as of a date: ``delivery.assessment.goal_statuses`` (queries included)
   against a plain vectorised pandas computation of the same statuses from the figures table
   already in memory. Aim: all statuses in under a second. Both results are compared.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from delivery.assessment import goal_statuses  # noqa: E402
from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.importing import import_file  # noqa: E402
from delivery.models import Goal, Trajectory, TrajectoryPoint  # noqa: E402
from delivery.vocabulary import Shape  # noqa: E402

OUT = Path(__file__).parent / "out"
MAPPINGS = Path(__file__).parent / "mappings"
RECORDED = datetime(2016, 1, 1, tzinfo=UTC)
# The generated periods run past RECORDED (stamped early so that "as of 2020" sees them all):
# the plausibility rules judge "has the period ended" on a day after the last one instead.
REVIEW_ON = date(2030, 1, 1)


def fresh_database(path: Path):  # type: ignore[no-untyped-def]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine, make_session_factory(engine)


def load_goals(factory) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The catalogue through the importer, and a straight-line trajectory per goal (bulk)."""
    with factory() as session, session.begin():
        import_file(session, OUT / "goals.csv", MAPPINGS / "goals.yaml", actor="bench")
    with factory() as session, session.begin():
        goals = session.execute(select(Goal.id, Goal.code, Goal.baseline_date,
                                       Goal.baseline_value, Goal.target_date,
                                       Goal.target_value)).all()
        session.execute(insert(Trajectory), [
            {"id": g.id, "goal_id": g.id, "version": 1, "shape": Shape.LINEAR,
             "proposed_by": "bench", "approved_by": "bench", "rationale": "",
             "created_at": RECORDED, "approved_at": RECORDED} for g in goals])
        session.execute(insert(TrajectoryPoint), [
            {"trajectory_id": g.id, "on": on, "value": value}
            for g in goals
            for on, value in ((g.baseline_date, g.baseline_value),
                              (g.target_date, g.target_value))])
    return {g.code: g.id for g in goals}


def our_import(factory) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    with factory() as session, session.begin():
        report = import_file(session, OUT / "figures.csv", MAPPINGS / "figures.yaml",
                             actor="bench", recorded_at=RECORDED, review_on=REVIEW_ON,
                             # the import proper (the plausibility check included); the
                             # data-quality checks after it cost ~0.1 s a goal, measured apart
                             run_checks=False)
    elapsed = time.perf_counter() - start
    assert not report.errors, report.render_text()[:2000]
    return elapsed, report.figures_new


def bare_import(path: Path, ids: dict[str, int]) -> tuple[float, int]:
    """Python's csv reader and one sqlite3 executemany into the same table: the floor."""
    stamp = RECORDED.strftime("%Y-%m-%d %H:%M:%S.%f")
    start = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    rows = []
    with open(OUT / "figures.csv", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for code, month, value in reader:
            year, number = int(month[:4]), int(month[5:])
            last = calendar.monthrange(year, number)[1]
            rows.append((ids[code], f"{month}-01", f"{month}-{last:02d}", 1, float(value), 0,
                         "bench generator", "bench", stamp, stamp[:10], ""))
    connection.executemany(
        "INSERT INTO figure (goal_id, period_start, period_end, revision, value, "
        "is_provisional, source, reported_by, recorded_at, known_on, note) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    connection.commit()
    connection.close()
    return time.perf_counter() - start, len(rows)


def pandas_statuses(figures: pd.DataFrame, goals: pd.DataFrame, as_of: date) -> pd.Series:
    """The status rule written directly in pandas: latest figure per goal, straight-line plan,
    shortfall against tolerance bands, staleness after two monthly periods."""
    known = figures[figures["period_end"] <= pd.Timestamp(as_of)]
    latest = known.sort_values("period_end").groupby("goal_id").tail(1).set_index("goal_id")
    g = goals.set_index("goal_id").join(latest[["period_end", "value"]], how="left")
    span = (g["target_date"] - g["baseline_date"]).dt.days
    done = ((g["period_end"] - g["baseline_date"]).dt.days / span).clip(0, 1)
    planned = g["baseline_value"] + (g["target_value"] - g["baseline_value"]) * done
    scale = (g["target_value"] - g["baseline_value"]).abs()
    gap = np.where(g["direction"] == "down", g["value"] - planned, planned - g["value"]) / scale
    stale = g["period_end"].isna() | (g["period_end"] < pd.Timestamp(as_of) - pd.Timedelta(62, "D"))
    status = np.select([stale, gap <= g["tolerance"] + 1e-9,
                        gap <= g["off_track_tolerance"] + 1e-9],
                       ["no_recent_data", "on_track", "slipping"], default="off_track")
    return pd.Series(status, index=g.index, name="status")


def data_rows(path: Path) -> int:
    """Rows below the header, or -1 when the file is not there."""
    if not path.exists():
        return -1
    with open(path) as handle:
        return sum(1 for _ in handle) - 1


def best_of(runs: int, work):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=20_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2020, 6, 30))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--statuses-only", action="store_true",
                        help="reuse the database of an earlier run; time only the statuses")
    args = parser.parse_args()
    expected_rows = args.goals * args.years * 12
    if data_rows(OUT / "figures.csv") != expected_rows:
        subprocess.run([sys.executable, str(Path(__file__).parent / "generate.py"),
                        "--goals", str(args.goals), "--years", str(args.years)], check=True)

    if args.statuses_only:
        ours_engine = make_engine(f"sqlite:///{OUT / 'ours.sqlite'}")
        ours = make_session_factory(ours_engine)
    else:
        ours_engine, ours = fresh_database(OUT / "ours.sqlite")
        load_goals(ours)
        bare_engine, bare = fresh_database(OUT / "bare.sqlite")
        ids = load_goals(bare)
        bare_engine.dispose()
        ours_time, ours_rows = our_import(ours)
        bare_time, bare_rows = bare_import(OUT / "bare.sqlite", ids)
        assert ours_rows == bare_rows == expected_rows, (ours_rows, bare_rows)

        print(f"Import of {expected_rows:,} figures into SQLite (one run each, same table)")
        print(f"  delivery import       {ours_time:7.1f} s  {ours_rows / ours_time:10,.0f} rows/s")
        print(f"  bare executemany      {bare_time:7.1f} s  {bare_rows / bare_time:10,.0f} rows/s")
        print(f"  ratio (ours / bare speed): {bare_time / ours_time:.2f}   (aim: >= 0.50)")

    with ours() as session:
        our_time, frame = best_of(args.repeat, lambda: goal_statuses(session, args.as_of))
        terse_time, _ = best_of(args.repeat,
                                lambda: goal_statuses(session, args.as_of, with_reasons=False))
    load_start = time.perf_counter()
    with ours_engine.connect() as connection:
        figures = pd.read_sql("SELECT goal_id, period_end, value FROM figure", connection,
                              parse_dates=["period_end"])
    load_time = time.perf_counter() - load_start
    goals = frame[["goal_id", "direction", "baseline_value", "baseline_date", "target_value",
                   "target_date", "tolerance", "off_track_tolerance"]].copy()
    goals["direction"] = goals["direction"].astype(str)
    for column in ("baseline_date", "target_date"):
        goals[column] = pd.to_datetime(goals[column])
    pandas_time, theirs = best_of(args.repeat, lambda: pandas_statuses(figures, goals,
                                                                        args.as_of))
    ours_status = frame.set_index("goal_id")["status"]
    agree = (ours_status == theirs.reindex(ours_status.index)).mean()
    counts = ours_status.value_counts().to_dict()
    print(f"\nStatus of all {len(frame):,} goals as of {args.as_of} (best of {args.repeat})")
    print(f"  goal_statuses (from the database, with reasons) {our_time:6.3f} s  (aim: < 1 s)")
    print(f"  goal_statuses (from the database, no reasons)   {terse_time:6.3f} s")
    print(f"  pandas, figures already in memory               {pandas_time:6.3f} s")
    print(f"  pandas, plus reading the figure table           {pandas_time + load_time:6.3f} s")
    print(f"  ratio ours (with reasons) / pandas in memory: {our_time / pandas_time:.1f}x")
    print(f"  statuses agreeing with pandas: {agree:.2%}   {counts}")
    ours_engine.dispose()


if __name__ == "__main__":
    main()
