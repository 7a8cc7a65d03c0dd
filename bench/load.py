"""Load test: gunicorn with 4 workers on PostgreSQL, 20 people at once for 60 seconds.

    .venv/bin/python bench/load.py [--demo] [--users 20] [--seconds 60] [--workers 4]
        [--threads 4] [--code CHECKOUT]

gunicorn runs as ``delivery serve`` runs it: gthread workers, ``--threads`` each (1: sync
workers, as this test ran before December 2026).
The governor opens the weekly review, analysts open the workspace, its figures screen and goal
pages, secretariats open the report page and save a figure (a new revision); the Locust users
are in bench/load_users.py and make the requests a browser makes (page, frame, callback graph,
router, every callback on load), with five to fifteen seconds of reading between page views.

Database: ``delivery_load_national`` on the PostgreSQL server at ``DELIVERY_BENCH_POSTGRES``
(default postgresql+psycopg://postgres@127.0.0.1:5432), 20,000 goals and 2.4 million figures
from bench/generate.py through the import, with the review's meetings from bench/review_page.py
(built once, a few minutes, then reused); ``--demo``: ``delivery_load_demo``, the demo
government. People start two a second and sign in (argon2: deliberately slow); the figures
are reset once all are signed in and cover the rest of the run (about ``--seconds``; the
window measured is printed). Printed: page views per second, p50/p95 per request kind,
errors, and each gunicorn worker's memory, sampled every half second: its peak resident set
(RSS, the aim's measure: it counts the pages still shared with the master, which preloaded the
app and the review's data), its peak proportional set (PSS: each shared page split between the
processes sharing it) and unique set (USS: its pages alone, what stopping it would free); with
the master's RSS and each worker's first sample (just after the fork).
Aims: no errors; the whole review page p95 under 3 s national, 1.5 s demo; every worker
under 400 MB (RSS).

``--code CHECKOUT``: gunicorn serves that checkout's app (``wsgi:server`` there) while this
harness drives it, so two versions of the code are measured by the same test, one after the
other.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import psutil
from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from delivery.clock import review_date  # noqa: E402
from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.demo import load_demo  # noqa: E402
from delivery.models import Figure, Goal, Secretariat  # noqa: E402
from delivery.serving import THREADS  # noqa: E402
from delivery.users import DEMO_PASSWORD, create_user, find_user  # noqa: E402
from delivery.vocabulary import Role  # noqa: E402

SERVER = os.environ.get("DELIVERY_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
AS_OF = date(2020, 6, 30)
SPAWN_RATE = 2  # people starting per second
SIGN_IN_SECONDS = 20  # allowed for the last of them to be signed in; the figures start then
VENV = Path(sys.executable).parent


def database(name: str, build) -> str:  # type: ignore[no-untyped-def]
    """The URL of database ``name``, built by ``build(url)`` unless it already has figures."""
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    url = f"{SERVER}/{name}"
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
    if exists and _has_figures(url):
        admin.dispose()
        return url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    began = time.perf_counter()
    build(url)
    print(f"built {name} in {time.perf_counter() - began:.0f} s", flush=True)
    return url


def _has_figures(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.scalar(select(Figure.id).limit(1)))
    except Exception:  # noqa: BLE001 - a half-built database is built again
        return False
    finally:
        engine.dispose()


def build_national(url: str) -> None:
    national = importlib.import_module("run")  # bench/run.py: catalogue and import
    review_page = importlib.import_module("review_page")
    if national.data_rows(national.OUT / "figures.csv") != 2_400_000:
        subprocess.run([sys.executable, str(BENCH / "generate.py")], check=True)
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    national.load_goals(factory)
    national.our_import(factory)
    engine.dispose()
    review_page.prepare_review(url, AS_OF)  # the governor, the review date, the meetings
    with make_engine(url).connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def build_demo(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    load_demo(make_session_factory(engine))
    engine.dispose()


def cast(url: str, path: Path) -> None:
    """The people of the test (created when missing) and the goals they use, as JSON."""
    engine = make_engine(url)
    upgrade(engine)  # a database kept from an earlier run, brought up to this code
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        owner = session.execute(select(Secretariat.code, Secretariat.id).join(
            Goal, Goal.owner_id == Secretariat.id).group_by(Secretariat.code, Secretariat.id)
            .order_by(func.count(Goal.id).desc())).first()
        assert owner is not None
        for name, role, secretariat in (("governor", Role.GOVERNOR, None),
                                        ("analyst", Role.ANALYST, None),
                                        ("secretariat", Role.SECRETARIAT, owner.code)):
            if find_user(session, name) is None:
                create_user(session, name, DEMO_PASSWORD, role, secretariat=secretariat)
        latest = session.execute(  # periods ended by the review date: later ones are refused
            select(Figure.goal_id, Figure.period_start, Figure.period_end, Figure.value)
            .join(Goal, Goal.id == Figure.goal_id)
            .where(Goal.owner_id == owner.id, Figure.period_end <= review_date(session))
            .order_by(Figure.period_start.desc()).limit(200)).all()
        codes = list(session.scalars(select(Goal.code).order_by(Goal.id).limit(500)))
    engine.dispose()
    path.write_text(json.dumps({
        "password": DEMO_PASSWORD, "governor": "governor", "analyst": "analyst",
        "secretariat": "secretariat", "goal_codes": codes,
        "own_goals": [[g, s.isoformat(), e.isoformat(), float(v)] for g, s, e, v in latest],
    }))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(url: str, workers: int, port: int, data_dir: str,
          threads: int = THREADS, code: Path = ROOT) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DELIVERY_DATABASE_URL": url, "DELIVERY_SECRET_KEY": "load-test",
           "DELIVERY_DATA_DIR": data_dir, "PYTHONPATH": str(code)}
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
         "--timeout", "120", "--log-level", "warning", "--preload", "wsgi:server"],
        cwd=code, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/signin", timeout=5)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


class Memory(threading.Thread):
    """Each gunicorn worker's peak RSS, PSS and USS (bytes), sampled every half second, and
    its first RSS sample (just after the fork); the master's RSS when sampling began."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master, self.done = master, threading.Event()
        self.peaks: dict[int, dict[str, int]] = {}
        self.master_rss = psutil.Process(master).memory_info().rss

    def run(self) -> None:
        while not self.done.wait(0.5):
            for worker in psutil.Process(self.master).children():
                try:  # smaps_rollup: rss, pss, uss in one read
                    sample = worker.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                peak = self.peaks.setdefault(worker.pid, {"first": sample.rss})
                for kind in ("rss", "pss", "uss"):
                    peak[kind] = max(peak.get(kind, 0), getattr(sample, kind))


def swarm(host: str, users: int, seconds: int, cast_file: Path, prefix: Path) -> None:
    env = {**os.environ, "LOAD_CAST": str(cast_file)}
    ramp = -(-users // SPAWN_RATE) + SIGN_IN_SECONDS  # to start and sign in everyone
    subprocess.run([str(VENV / "locust"), "-f", str(BENCH / "load_users.py"), "--headless",
                    "--users", str(users), "--spawn-rate", str(SPAWN_RATE),
                    "--run-time", f"{seconds + ramp}s", "--host", host, "--csv", str(prefix),
                    "--only-summary", "--loglevel", "WARNING"], env=env, check=False, cwd=BENCH)


def report(prefix: Path, memory: Memory) -> str:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Name"] != "Aggregated"]
    pages = [r for r in rows if r["Type"] == "PAGE"]
    views = sum(int(r["Request Count"]) for r in pages)
    rate = sum(float(r["Requests/s"]) for r in pages)
    errors = sum(int(r["Failure Count"]) for r in rows)
    window = views / rate if rate else 0
    lines = [f"page views/s: {rate:.2f} ({views} in {window:.0f} s); errors: {errors}",
             "", "| request | count | errors | p50 ms | p95 ms |", "|---|---:|---:|---:|---:|"]
    for r in sorted(rows, key=lambda r: (r["Type"] != "PAGE", r["Name"])):
        lines.append(f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | "
                     f"{r['50%']} | {r['95%']} |")
    lines += ["", f"master RSS after preload: {memory.master_rss / 2**20:.0f} MB"]
    for name, kind in (("worker peak RSS (MB)", "rss"), ("worker peak PSS (MB)", "pss"),
                       ("worker peak USS (MB)", "uss"), ("worker RSS after fork (MB)", "first")):
        peaks = [memory.peaks[p].get(kind, 0) / 2**20 for p in sorted(memory.peaks)]
        lines.append(f"{name}: " + ", ".join(f"{m:.0f}" for m in peaks))
    failures = Path(f"{prefix}_failures.csv")
    if errors and failures.exists():
        lines += ["", "failures:", *failures.read_text().splitlines()[1:11]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="the demo government instead")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=THREADS,
                        help="per worker, gthread as `delivery serve` (1: sync workers)")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose app gunicorn serves (default: this one)")
    args = parser.parse_args()
    if args.demo:
        url = database("delivery_load_demo", build_demo)
    else:
        url = database("delivery_load_national", build_national)
    with tempfile.TemporaryDirectory() as tmp:
        cast_file = Path(tmp) / "cast.json"
        cast(url, cast_file)
        port = free_port()
        server = serve(url, args.workers, port, tmp, args.threads, args.code.resolve())
        memory = Memory(server.pid)
        memory.start()
        try:
            print(f"{'demo' if args.demo else 'national'}: {args.users} users for "
                  f"{args.seconds} s against gunicorn ({args.workers} workers x {args.threads} "
                  f"threads) on {url}, code from {args.code.resolve()}; "
                  f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
            swarm(f"http://127.0.0.1:{port}", args.users, args.seconds, cast_file,
                  Path(tmp) / "locust")
        finally:
            memory.done.set()
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:  # workers still busy: the figures are taken
                server.kill()
                server.wait(10)
        print(report(Path(tmp) / "locust", memory))
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
