"""Saving many typed figures in the workspace, beside the same rows through the import pipeline.

    .venv/bin/python bench/figure_entry.py [--rows 4200] [--database-url URL]

A weekly goal gets ``--rows`` typed rows saved through ``delivery.figure_entry.enter_figures``
(what the Save button of ``/workspace/figures`` calls: rows read and checked, rights checked,
revisions planned, one insert), and the same rows, as a CSV file, through ``import_file`` into a
second goal of the same database. Each is timed as one committed transaction; the ratio is
workspace / import. Aim: 4,200 rows saved in under 3 s. Then the same rows are saved again with
every tenth value changed, which plans revisions against what is stored.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from delivery.access import Viewer  # noqa: E402
from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.figure_entry import enter_figures  # noqa: E402
from delivery.importing import import_file  # noqa: E402
from delivery.models import Goal, Objective, Pillar, Secretariat, User  # noqa: E402
from delivery.vocabulary import Direction, Frequency, Role  # noqa: E402

MAPPING = """description: typed rows, as a file
goal:
  code: "{goal}"
period: {column: day, format: date}
value: value
"""


def setup(url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        sec = Secretariat(code="BEN", name="Bench")
        objective = Objective(code="B1", name="Bench", pillar=Pillar(code="BP", name="Bench"))
        for code in ("BEN-TYPED", "BEN-FILE"):
            session.add(Goal(code=code, name=code, objective=objective, owner=sec,
                             indicator="calls", unit="calls", frequency=Frequency.WEEKLY,
                             direction=Direction.UP, baseline_value=0,
                             baseline_date=date(1949, 12, 31), target_value=100,
                             target_date=date(2030, 12, 31)))
        session.add(User(username="ana", display_name="Ana", role=Role.ANALYST,
                         password_hash="x"))
        session.flush()
        viewer = Viewer.of(session.query(User).one())
        typed = session.query(Goal).filter_by(code="BEN-TYPED").one().id
    return engine, factory, viewer, typed


def rows(n: int, changed_every: int = 0) -> list[dict]:  # type: ignore[type-arg]
    """``n`` weeks from Monday 2 January 1950 (4,200 weeks end in 2030)."""
    start = date(1950, 1, 2)
    out = []
    for i in range(n):
        monday = start + timedelta(weeks=i)
        value = 100 + i % 37 + (1 if changed_every and i % changed_every == 0 else 0)
        out.append({"period_start": monday.isoformat(),
                    "period_end": (monday + timedelta(days=6)).isoformat(), "value": str(value),
                    "provisional": False, "note": ""})
    return out


def timed(action) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=4200)
    parser.add_argument("--database-url", default=None,
                        help="an empty database (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        engine, factory, viewer, typed = setup(url)
        typed_rows = rows(args.rows)
        csv = Path(tmp) / "figures.csv"
        csv.write_text("goal,day,value\n" + "".join(
            f"BEN-FILE,{r['period_start']},{r['value']}\n" for r in typed_rows))
        mapping = Path(tmp) / "figures.yaml"
        mapping.write_text(MAPPING)

        def save(batch):  # type: ignore[no-untyped-def]
            with factory() as session, session.begin():
                return enter_figures(session, viewer, typed, batch)

        def through_import():  # type: ignore[no-untyped-def]
            with factory() as session, session.begin():
                return import_file(session, csv, mapping, actor="ana")

        saved, outcomes = timed(lambda: save(typed_rows))
        imported, report = timed(through_import)
        resaved, again = timed(lambda: save(rows(args.rows, changed_every=10)))
        engine.dispose()
    written = sum(o.written for o in outcomes)  # type: ignore[attr-defined]
    revised = sum(o.written for o in again)  # type: ignore[attr-defined]
    print(f"database: {engine.url.get_backend_name()}")
    print(f"workspace save of {args.rows:,} rows: {saved:.2f} s ({written:,} written)")
    print(f"same rows through import_file:      {imported:.2f} s "
          f"({report.figures_written:,} written, {report.rejected} rejected)")  # type: ignore[attr-defined]
    print(f"ratio workspace / import: {saved / imported:.2f}")
    print(f"saved again, every tenth changed:   {resaved:.2f} s ({revised:,} new revisions)")
    print(f"aim: under 3 s for 4,200 rows: {'met' if saved < 3 else 'MISSED'}")


if __name__ == "__main__":
    main()
