"""Benchmark of delivery plans at scale: 5,000 initiatives with 60,000 milestones.

    .venv/bin/python bench/plans.py [--repeat 7] [--db bench/out/plans.sqlite]

Builds (once; reused after) a SQLite database (13 secretariats, 5,000 initiatives of 12
milestones each, some forecasts moved, a progress report and a budget account each),
then measures, in one run and side by side:

- ``/plans``: the page as the browser gets it (Dash's page router callback, signed in as the
  governor, through Flask's test client: sign-in check, queries, grading, the table built and
  serialised);
- the weekly review's milestone section (``milestones_ahead``: late or due within 14 days);
- a plain pandas computation of the same statuses: the milestones read with ``pd.read_sql``,
  graded with pandas column arithmetic written out here, and the worst per initiative.

Median of ``--repeat`` runs after one warm-up; the ratio of each to the pandas computation is
printed. Aim: within 3x and under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboards.app import create_app  # noqa: E402
from dashboards.context import TOKEN_KEY  # noqa: E402
from delivery.clock import pin_review_date  # noqa: E402
from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.models import (  # noqa: E402
    BudgetAccount,
    Initiative,
    InitiativeAccount,
    Milestone,
    MilestoneRevision,
    ProgressReport,
    Secretariat,
)
from delivery.plans.board import milestones_ahead  # noqa: E402
from delivery.settings import load_settings  # noqa: E402
from delivery.signin.sessions import Lifetime, start_session  # noqa: E402
from delivery.users import create_user  # noqa: E402
from delivery.vocabulary import Role  # noqa: E402

AS_OF = date(2023, 1, 16)
INITIATIVES, PER = 5_000, 12
OUT = Path(__file__).resolve().parent / "out"


def build(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    rng = np.random.default_rng(13)
    stamp = datetime(2022, 1, 3, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(Secretariat), [{"id": i, "code": f"S{i:02d}", "name": f"Sec {i}"}
                                           for i in range(1, 14)])
        conn.execute(insert(Initiative), [{
            "id": i, "code": f"INI-{i:05d}", "name": f"Initiative {i}", "description": "",
            "secretariat_id": 1 + i % 13, "responsible": "", "stage": "in_progress",
            "tolerance_days": 30, "created_at": stamp} for i in range(1, INITIATIVES + 1)])
        start = np.datetime64("2021-01-01")
        rows, revisions = [], []
        for i in range(1, INITIATIVES + 1):
            for k in range(PER):
                mid = (i - 1) * PER + k + 1
                baseline = start + np.timedelta64(int(60 * k + rng.integers(0, 60)), "D")
                moved = int(rng.choice([0, 0, 0, 30, 90]))
                forecast = baseline + np.timedelta64(moved, "D")
                done = forecast < np.datetime64(AS_OF) and rng.random() < 0.8
                actual = forecast + np.timedelta64(int(rng.integers(-5, 10)), "D") if done else None
                rows.append({"id": mid, "initiative_id": i, "name": f"M{k}", "position": k,
                             "baseline_on": baseline.item(), "forecast_on": forecast.item(),
                             "actual_on": actual.item() if actual is not None else None,
                             "owner": ""})
                if moved:
                    revisions.append({"milestone_id": mid, "forecast_on": forecast.item(),
                                      "reason": "moved", "changed_by": "bench",
                                      "changed_at": stamp})
        conn.execute(insert(Milestone), rows)
        conn.execute(insert(MilestoneRevision), revisions)
        conn.execute(insert(ProgressReport), [{
            "initiative_id": i, "on": date(2022, 12, 31), "physical_pct": float(i % 100),
            "reported_by": "bench", "recorded_at": stamp} for i in range(1, INITIATIVES + 1)])
        conn.execute(insert(BudgetAccount), [{
            "id": i, "code": f"A{i:05d}", "name": "", "fiscal_year": 2022, "appropriated": 1000,
            "committed": 0, "spent": 10 * (i % 100)} for i in range(1, INITIATIVES + 1)])
        conn.execute(insert(InitiativeAccount), [{"initiative_id": i, "account_id": i,
                                                  "share": 1.0}
                                                 for i in range(1, INITIATIVES + 1)])
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        pin_review_date(session, AS_OF)
        create_user(session, "governor", "bench-password-1", Role.GOVERNOR)
    engine.dispose()


def plain_pandas(url: str) -> pd.DataFrame:
    """The same statuses, the plain way: read, grade with pandas, worst per initiative."""
    engine = make_engine(url)
    with engine.connect() as conn:
        m = pd.read_sql(text(
            "SELECT m.id, m.initiative_id, m.baseline_on, m.forecast_on, m.actual_on, "
            "i.tolerance_days FROM milestone m JOIN initiative i ON i.id = m.initiative_id"),
            conn, parse_dates=["baseline_on", "forecast_on", "actual_on"])
    engine.dispose()
    today = pd.Timestamp(AS_OF)
    done = m["actual_on"].notna() & (m["actual_on"] <= today)
    late = ~done & ((today > m["forecast_on"]) | (today > m["baseline_on"]))
    at_risk = ~done & ~late & ((m["forecast_on"] - m["baseline_on"]).dt.days
                               > m["tolerance_days"])
    due = ~done & ~late & ~at_risk & ((m["forecast_on"] - today).dt.days <= 14)
    m["severity"] = np.select([done & (m["actual_on"] <= m["baseline_on"]), done, late,
                               at_risk, due], [0, 2, 5, 4, 3], default=1)
    m["slip"] = (m["actual_on"].where(done, np.maximum(m["forecast_on"], today))
                 - m["baseline_on"]).dt.days
    worst = m.groupby("initiative_id").agg(severity=("severity", "max"), slip=("slip", "max"))
    return worst.sort_values(["severity", "slip"], ascending=False)


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", type=Path, default=OUT / "plans.sqlite",
                        help="the database, built when missing and reused after")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{args.db.resolve()}"
        if not args.db.exists():
            args.db.parent.mkdir(parents=True, exist_ok=True)
            began = time.perf_counter()
            build(url)
            print(f"built {INITIATIVES:,} initiatives, {INITIATIVES * PER:,} milestones in "
                  f"{time.perf_counter() - began:.1f} s")
        settings = load_settings({"database_url": url, "secret_key": "bench",
                                  "data_dir": tmp}, environ={})
        app = create_app(settings)
        factory = app.server.extensions["delivery"]["session_factory"]
        client = app.server.test_client()
        client.environ_base["HTTP_ORIGIN"] = "http://localhost"
        with factory() as session, session.begin():
            from delivery.models import User
            user = session.query(User).filter_by(username="governor").one()
            token = start_session(session, user, datetime.now(UTC), Lifetime(),
                                  user_agent="bench", address="127.0.0.1")
        with client.session_transaction() as cookie:
            cookie[TOKEN_KEY] = token

        def page() -> int:
            response = client.post("/_dash-update-component", json={
                "output": ".._pages_content.children..._pages_store.data..",
                "outputs": [{"id": "_pages_content", "property": "children"},
                            {"id": "_pages_store", "property": "data"}],
                "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/plans"},
                           {"id": "_pages_location", "property": "search", "value": ""}],
                "changedPropIds": ["_pages_location.pathname"], "state": []})
            assert response.status_code == 200 and b"INI-" in response.data, response.data[:300]
            return len(response.data)

        def review() -> pd.DataFrame:
            with factory() as session:
                return milestones_ahead(session, AS_OF)

        plans_s, size = timed(page, args.repeat)
        review_s, ahead = timed(review, args.repeat)
        pandas_s, worst = timed(lambda: plain_pandas(url), args.repeat)
        print(f"/plans (router callback, {size / 1e6:.1f} MB): {plans_s * 1000:7.0f} ms  "
              f"ratio to pandas {plans_s / pandas_s:4.1f}x")
        print(f"review milestone section ({len(ahead):,} rows): {review_s * 1000:7.0f} ms  "
              f"ratio to pandas {review_s / pandas_s:4.1f}x")
        print(f"plain pandas, same statuses ({len(worst):,} initiatives): "
              f"{pandas_s * 1000:7.0f} ms")
        print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
              + f" on {os.cpu_count()} cores")
        app.server.extensions["delivery"]["engine"].dispose()


if __name__ == "__main__":
    main()
