"""The weekly review's grades after one saved figure: patched (only the goals changed graded
again, ``delivery.regrade``) beside a full pass over every goal, in the same run.

    .venv/bin/python bench/regrade.py [--saves 5] [--demo]

On the PostgreSQL database of bench/load.py (``delivery_load_national``: 20,000 goals, 2.4
million figures; ``--demo``: ``delivery_load_demo``), built by it when missing. Each round
saves one figure (a new revision of a recent figure of a random goal, as a secretariat's save
in the load test does), then times ``review_grades`` as of the load test's date twice: with the
grades of the previous round kept (patched), and with them dropped (a full pass: every goal
graded now and a week ago and its history; the figure window and plan frames stay kept in
both, so what differs is the grading alone). The two answers are checked equal. Printed: the
median and each round of both, and their ratio; the machine's load average beside them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import fields
from pathlib import Path

import pandas as pd
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

import load  # noqa: E402  (bench/load.py: the databases)

from delivery import regrade, review, review_grades  # noqa: E402
from delivery.clock import review_date  # noqa: E402
from delivery.db import make_engine, make_session_factory  # noqa: E402
from delivery.figures import record_figure  # noqa: E402
from delivery.models import Figure, Goal  # noqa: E402


def timed(factory, as_of):  # type: ignore[no-untyped-def]
    review_grades._GRADES.clear()  # kept by data version: the save moved it anyway
    began = time.perf_counter()
    with factory() as session:
        grades = review.review_grades(session, as_of)
    return time.perf_counter() - began, grades


def save_one(factory, rng: random.Random, as_of) -> None:  # type: ignore[no-untyped-def]
    with factory() as session, session.begin():
        goal_id = rng.choice(session.scalars(select(Goal.id)).all())
        row = session.execute(select(Figure.period_start, Figure.period_end, Figure.value)
                              .where(Figure.goal_id == goal_id, Figure.period_end <= as_of)
                              .order_by(Figure.period_end.desc()).limit(1)).first()
        if row is None:
            return
        record_figure(session, session.get(Goal, goal_id), row.period_start, row.period_end,
                      round(float(row.value) * rng.uniform(0.9, 1.1) + 1, 1),
                      reported_by="bench", note="bench/regrade.py", known_on=as_of)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args()
    url = (load.database("delivery_load_demo", load.build_demo) if args.demo
           else load.database("delivery_load_national", load.build_national))
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        as_of = review_date(session)  # pinned: what the review page opens on
    rng = random.Random(15)
    review.forget()
    first, _ = timed(factory, as_of)  # reads the window and the plan: not counted
    patched, full = [], []
    for _ in range(args.saves):
        save_one(factory, rng, as_of)
        took, fast = timed(factory, as_of)
        patched.append(took)
        regrade.forget()  # the kept grades dropped: every goal graded again
        took, slow = timed(factory, as_of)
        full.append(took)
        for part in fields(review.ReviewGrades):
            pd.testing.assert_frame_equal(getattr(fast, part.name), getattr(slow, part.name))
    goals = len(slow.statuses)
    print(f"{'demo' if args.demo else 'national'}: {goals} goals, as of {as_of}; first "
          f"review (window read) {first:.2f} s; load average {os.getloadavg()[0]:.1f}")
    print("| grades after one saved figure | median s | rounds (s) |\n|---|---:|---|")
    for name, times in (("full pass (every goal)", full), ("patched (changed goals)", patched)):
        print(f"| {name} | {statistics.median(times):.3f} | "
              f"{', '.join(f'{t:.3f}' for t in times)} |")
    print(f"full / patched: {statistics.median(full) / statistics.median(patched):.1f}x "
          "(answers checked equal)")
    engine.dispose()


if __name__ == "__main__":
    main()
