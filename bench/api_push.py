"""Pushing figures through the REST API beside the same rows through ``delivery import``.

    .venv/bin/python bench/api_push.py [--goals 1000] [--months 100] [--batch 1000]
                                       [--database-url-a URL --database-url-b URL]

Two fresh databases with the same ``--goals`` monthly goals. Into the first, the real app
(served over HTTP on 127.0.0.1 on a free port, in a thread) takes ``goals x months`` figures
(100,000 by default) as ``POST /api/v1/figures`` pushes of ``--batch`` figures, one after
another, each with its own Idempotency-Key, by an analyst's token. Into the second, the same
rows go as one CSV file through ``delivery import`` (the command, run in this process). Both
run every check they run in production (plausibility, revisions, data-quality checks on the
goals written). Prints both rates and the ratio API / import; the aim is at least 0.5.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from dashboards.app import create_app  # noqa: E402
from delivery.api.tokens import create_token  # noqa: E402
from delivery.cli import main as delivery  # noqa: E402
from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.models import Figure, Goal, Objective, Pillar, Secretariat, User  # noqa: E402
from delivery.settings import load_settings  # noqa: E402
from delivery.vocabulary import Direction, Frequency, Role  # noqa: E402

MAPPING = """description: the API bench's rows, as a file
goal:
  code: "{goal}"
period: {column: month, format: month}
value: value
"""
FIRST_MONTH = (2014, 9)  # 100 months end in December 2022


def setup(url: str, goals: int):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        sec = Secretariat(code="BEN", name="Bench")
        objective = Objective(code="B1", name="Bench", pillar=Pillar(code="BP", name="Bench"))
        session.add_all([Goal(code=f"BEN-{i:05d}", name=f"Bench goal {i}", objective=objective,
                              owner=sec, indicator="calls", unit="calls",
                              frequency=Frequency.MONTHLY, direction=Direction.UP,
                              baseline_value=1000, baseline_date=date(2014, 8, 31),
                              target_value=2000, target_date=date(2030, 12, 31))
                         for i in range(goals)])
        user = User(username="ana", display_name="Ana", role=Role.ANALYST, password_hash="x")
        session.add(user)
        session.flush()
        secret = create_token(session, user, "bench").secret
    return engine, factory, secret


def months(n: int) -> list[tuple[date, date]]:
    year, month = FIRST_MONTH
    out = []
    for _ in range(n):
        nxt = (year + month // 12, month % 12 + 1)
        out.append((date(year, month, 1), date(nxt[0], nxt[1], 1).fromordinal(
            date(nxt[0], nxt[1], 1).toordinal() - 1)))
        year, month = nxt
    return out


def rows(goals: int, n_months: int) -> list[dict]:  # type: ignore[type-arg]
    """Goal by goal, month by month: a smooth rise (no jump a note must explain)."""
    periods = months(n_months)
    return [{"goal": f"BEN-{g:05d}", "period_start": start.isoformat(),
             "period_end": end.isoformat(), "value": 1000 + g % 50 + 3 * m}
            for g in range(goals) for m, (start, end) in enumerate(periods)]


def stored(factory) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return int(session.scalar(select(func.count(Figure.id))) or 0)


def through_api(url: str, data_dir: str, secret: str, figures: list[dict],  # type: ignore[type-arg]
                batch: int) -> float:
    settings = load_settings({"database_url": url, "data_dir": data_dir, "secret_key": "bench",
                              "api_rate_per_minute": 0}, environ={})
    app = create_app(settings)
    httpd = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_port}/api/v1/figures"
    try:
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {secret}"
            began = time.perf_counter()
            for start in range(0, len(figures), batch):
                answer = http.post(base, json={"figures": figures[start:start + batch]},
                                   headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=600)
                if answer.status_code != 201:
                    raise SystemExit(f"push at row {start}: {answer.status_code} "
                                     f"{answer.text[:500]}")
            return time.perf_counter() - began
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        app.server.extensions["delivery"]["engine"].dispose()


def through_import(url: str, folder: Path, figures: list[dict]) -> float:  # type: ignore[type-arg]
    csv = folder / "figures.csv"
    csv.write_text("goal,month,value\n" + "".join(
        f"{r['goal']},{r['period_start'][:7]},{r['value']}\n" for r in figures))
    mapping = folder / "figures.yaml"
    mapping.write_text(MAPPING)
    env = {"DELIVERY_DATABASE_URL": url, "DELIVERY_DATA_DIR": str(folder)}
    began = time.perf_counter()
    result = CliRunner().invoke(delivery, ["import", str(csv), "--mapping", str(mapping),
                                           "--actor", "ana"], env=env)
    took = time.perf_counter() - began
    if result.exit_code != 0:
        raise SystemExit(f"delivery import failed: {result.output[-2000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--goals", type=int, default=1000)
    parser.add_argument("--months", type=int, default=100)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--database-url-a", default=None, help="an empty database for the API")
    parser.add_argument("--database-url-b", default=None, help="another, for the import")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per push
    figures = rows(args.goals, args.months)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url_a = args.database_url_a or f"sqlite:///{folder / 'api.sqlite'}"
        url_b = args.database_url_b or f"sqlite:///{folder / 'import.sqlite'}"
        engine_a, factory_a, secret = setup(url_a, args.goals)
        engine_b, factory_b, _secret = setup(url_b, args.goals)
        os.environ.pop("DELIVERY_DATABASE_URL", None)
        api_seconds = through_api(url_a, tmp, secret, figures, args.batch)
        import_seconds = through_import(url_b, folder, figures)
        in_a, in_b = stored(factory_a), stored(factory_b)
        engine_a.dispose()
        engine_b.dispose()
    n = len(figures)
    api_rate, import_rate = n / api_seconds, n / import_seconds
    print(f"database: {engine_a.url.get_backend_name()}; {n:,} figures, {args.goals:,} goals")
    print(f"API, {n // args.batch} pushes of {args.batch:,}: {api_seconds:7.1f} s "
          f"{api_rate:9,.0f} figures/s ({in_a:,} stored)")
    print(f"delivery import, one file:   {import_seconds:7.1f} s "
          f"{import_rate:9,.0f} figures/s ({in_b:,} stored)")
    print(f"ratio API / import: {api_rate / import_rate:.2f} (aim: at least 0.5: "
          f"{'met' if api_rate / import_rate >= 0.5 else 'MISSED'})")


if __name__ == "__main__":
    main()
