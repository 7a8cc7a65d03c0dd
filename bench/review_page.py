"""Benchmark of the weekly review at national scale, beside a bare Dash app in the same run.

    .venv/bin/python bench/review_page.py [--repeat 20] [--cold 3] [--after-figure 5]
        [--as-of 2020-06-30] [--profile]

The national database is ``bench/out/ours.sqlite`` from ``bench/run.py`` (20,000 goals, 2.4
million figures), reused when it is there, else built here (generator, catalogue, import: a few
minutes, once). This script adds what a weekly review needs that the generator has not: the
governor, the review date pinned to ``--as-of`` and a year of weekly review meetings with their
commitments.

Measured, signed in as the governor through Flask's test client (in process, no network): every
request the browser makes for the page's data when it opens ``/review`` (the page shell, the app
frame, the callback graph) and every callback that fires on load, replayed with the payload the
browser sends (Dash's page router, then any callback whose inputs are all on the rendered page).
The same requests go to a bare Dash app (no sign-in, no database) whose layout and callbacks
return the very objects ours returned. Median and 90th percentile of ``--repeat`` runs after one
warm-up ("warm": the week's grades kept from an earlier load), and of ``--cold`` first loads
after a data change with nothing kept ("cold": every figure of the window read and every goal
graded again), and of ``--after-figure`` loads each after one figure recorded through
``record_figures`` ("after one figure": the kept window takes the rows written since; this
one runs on a scratch copy of the database, so that ``ours.sqlite`` keeps the generator's
figures). Aim: the whole page under 1.5 s and within 2x of the bare app, cold as well as
warm. The machine's load average is printed beside the figures: on a shared machine they move
with it.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import importlib
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dash
import pandas as pd
from dash import Dash, Input, Output
from flask.testing import FlaskClient
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dash_requests  # noqa: E402  (bench/, on sys.path as a script)

from dashboards.app import create_app  # noqa: E402
from delivery import review  # noqa: E402
from delivery.clock import pin_review_date  # noqa: E402
from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.figures import FIGURE_COLUMNS, record_figures  # noqa: E402
from delivery.models import (  # noqa: E402
    Commitment,
    Figure,
    Goal,
    Objective,
    Pillar,
    ReviewMeeting,
)
from delivery.settings import load_settings  # noqa: E402
from delivery.users import DEMO_PASSWORD, create_user, find_user  # noqa: E402
from delivery.vocabulary import CommitmentState, MeetingState, Role  # noqa: E402

OUT = Path(__file__).parent / "out"
DATABASE = OUT / "ours.sqlite"
ORIGIN = "http://localhost"
PATH = "/review"
CALLBACK = "/_dash-update-component"
NAMESPACES = {"dash_html_components": "dash.html", "dash_core_components": "dash.dcc"}


# -- the national database -------------------------------------------------------------------


def national_database(goals: int, years: int) -> str:
    """The URL of ``bench/out/ours.sqlite``, built with bench/run.py's steps when missing."""
    if not DATABASE.exists() or not _has_figures(DATABASE):
        national = importlib.import_module("run")  # bench/run.py, on sys.path as a script
        if national.data_rows(OUT / "figures.csv") != goals * years * 12:
            import subprocess
            subprocess.run([sys.executable, str(Path(__file__).parent / "generate.py"),
                            "--goals", str(goals), "--years", str(years)], check=True)
        start = time.perf_counter()
        engine, factory = national.fresh_database(DATABASE)
        national.load_goals(factory)
        national.our_import(factory)
        engine.dispose()
        print(f"built {DATABASE} in {time.perf_counter() - start:.0f} s")
    return f"sqlite:///{DATABASE}"


def _has_figures(path: Path) -> bool:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with make_session_factory(engine)() as session:
            return bool(session.scalar(select(Figure.id).limit(1)))
    except Exception:  # noqa: BLE001 - a half-built file is rebuilt
        return False
    finally:
        engine.dispose()


def prepare_review(url: str, as_of: date) -> None:
    """The governor, the review date, and weekly meetings over the year before ``as_of``, each
    on the objective in turn with five commitments on its goals (older ones mostly done)."""
    engine = make_engine(url)
    upgrade(engine)  # up to date, with its data version
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        if find_user(session, "governor") is None:
            create_user(session, "governor", DEMO_PASSWORD, Role.GOVERNOR,
                        display_name="Governor")
        pin_review_date(session, as_of)
        if not session.scalar(select(func.count(ReviewMeeting.id))):
            _meetings(session, as_of)
    engine.dispose()


def _meetings(session, as_of: date) -> None:  # type: ignore[no-untyped-def]
    objectives = list(session.scalars(
        select(Objective).join(Pillar).order_by(Pillar.position, Objective.position)))
    monday = as_of - timedelta(days=as_of.weekday())
    for week in range(52, 0, -1):
        held_on = monday - timedelta(weeks=week)
        objective = objectives[week % len(objectives)]
        meeting = ReviewMeeting(held_on=held_on, title=f"Weekly review: {objective.name}",
                                objective_id=objective.id, state=MeetingState.HELD,
                                closed_at=datetime.combine(held_on, datetime.min.time(), UTC),
                                closed_by="analyst")
        session.add(meeting)
        goal_ids = session.scalars(select(Goal.id).where(Goal.objective_id == objective.id)
                                   .order_by(Goal.id).offset(week * 5).limit(5)).all()
        for n, goal_id in enumerate(goal_ids):
            due = held_on + timedelta(weeks=2 + n)
            done = week > 6 and n % 3 != 0
            meeting.commitments.append(Commitment(
                goal_id=goal_id, description=f"Recovery plan for goal {goal_id}",
                owner=f"SEC{goal_id % 40 + 1:02d}", due_on=due,
                state=CommitmentState.DONE if done else CommitmentState.OPEN,
                closed_on=due if done else None, closed_by="analyst" if done else None))


# -- the requests the browser makes -----------------------------------------------------------


def our_client(url: str) -> tuple[Dash, FlaskClient]:
    settings = load_settings({"database_url": url, "data_dir": tempfile.mkdtemp(),
                              "secret_key": "bench"}, environ={})
    app = create_app(settings)
    client = app.server.test_client()
    answer = client.post("/auth/sign-in", headers={"Origin": ORIGIN},
                         data={"username": "governor", "password": DEMO_PASSWORD, "next": PATH})
    assert answer.status_code == 303 and answer.location.endswith(PATH), answer.location
    return app, client


Request = tuple[str, str, dict[str, Any] | None]  # method, path, JSON body


def on_load(client: FlaskClient) -> tuple[list[Request], dict[str, Any]]:
    """The requests the browser makes when it opens the page (static files aside), with the
    callbacks' payloads built from the callback graph; and each callback's answer."""
    requests: list[Request] = [("GET", PATH, None), ("GET", "/_dash-layout", None),
                               ("GET", "/_dash-dependencies", None)]
    graph = client.get("/_dash-dependencies").get_json()
    first = dash_requests.payload(dash_requests.router(graph),
                                  {"_pages_location.pathname": PATH, "_pages_location.search": ""})
    answers = {first["output"]: _send(client, ("POST", CALLBACK, first))}
    requests.append(("POST", CALLBACK, first))
    for body in dash_requests.on_load(graph, dash_requests.props(answers[first["output"]])):
        answers[body["output"]] = _send(client, ("POST", CALLBACK, body))
        requests.append(("POST", CALLBACK, body))
    return requests, answers


def _send(client: FlaskClient, request: Request) -> Any:
    method, path, body = request
    if method == "GET":
        answer = client.get(path)
    else:
        answer = client.post(path, json=body, headers={"Origin": ORIGIN})
    assert answer.status_code == 200, (path, answer.status_code, answer.data[:300])
    return answer.get_json(silent=True)


def timed(client: FlaskClient, requests: list[Request], repeat: int, *, warm_up: bool = True,
          before_each: Callable[[], None] = lambda: None) -> list[list[float]]:
    """Seconds per request (columns) per run (rows), after one warm-up run."""
    if warm_up:
        for request in requests:
            _send(client, request)
    runs = []
    for _ in range(repeat):
        before_each()
        row = []
        for request in requests:
            start = time.perf_counter()
            _send(client, request)
            row.append(time.perf_counter() - start)
        runs.append(row)
    return runs


def after_one_figure(url: str, as_of: date, runs: int) -> tuple[FlaskClient, Callable[[], None]]:
    """A client on a scratch copy of the database at ``url``, and a step that records one new
    figure there (a goal's latest month, a little worse, known on ``as_of``), as an analyst
    does: the write itself is not timed."""
    scratch = Path(tempfile.mkdtemp(prefix="review-bench-")) / "after-figure.sqlite"
    shutil.copyfile(url.removeprefix("sqlite:///"), scratch)
    atexit.register(shutil.rmtree, scratch.parent, True)
    _, client = our_client(f"sqlite:///{scratch}")
    factory = make_session_factory(make_engine(f"sqlite:///{scratch}"))
    with factory() as session:
        latest = session.execute(select(Figure.goal_id, Figure.period_start, Figure.period_end,
                                        Figure.value).where(Figure.period_end <= as_of)
                                 .order_by(Figure.id.desc()).limit(runs + 1)).all()
    figures = iter(latest)
    stamp = datetime.combine(as_of, datetime.min.time(), UTC) + timedelta(hours=9)

    def record() -> None:
        goal_id, start, end, value = next(figures)
        frame = pd.DataFrame([[goal_id, start, end, value * 1.1 + 1, False]],
                             columns=FIGURE_COLUMNS)
        with factory() as session, session.begin():
            assert record_figures(session, frame, reported_by="analyst",
                                  recorded_at=stamp).written == 1

    return client, record


# -- the bare app ---------------------------------------------------------------------------


def rebuild(node: Any) -> Any:
    """Dash components from their JSON form (figures stay the dicts they were sent as)."""
    if isinstance(node, list):
        return [rebuild(n) for n in node]
    if isinstance(node, dict) and "type" in node and "namespace" in node and "props" in node:
        module = importlib.import_module(NAMESPACES.get(node["namespace"], node["namespace"]))
        props = {k: rebuild(v) if k == "children" else v for k, v in node["props"].items()}
        return getattr(module, node["type"])(**props)
    return node


def bare_app(frame: Any, router_objects: tuple[Any, ...], requests: list[Request],
             answers: dict[str, Any]) -> Dash:
    """No sign-in, no database: our frame as its layout, the page router returning the objects
    our router returned, every other callback returning our answers."""
    app = Dash("bare", assets_folder=str(ROOT / "dashboards" / "assets"),
               suppress_callback_exceptions=True, serve_locally=True, update_title=None)
    app.layout = frame
    for _method, _path, body in requests:
        if body is None:
            continue
        outputs = body["outputs"] if isinstance(body["outputs"], list) else [body["outputs"]]
        answer = answers[body["output"]]["response"]
        result = router_objects if dash_requests.ROUTER in body["output"] else tuple(
            answer[o["id"]][o["property"]] for o in outputs)
        app.callback([Output(o["id"], o["property"]) for o in outputs],
                     [Input(i["id"], i["property"]) for i in body["inputs"]])(_constant(result))
    return app


def _constant(result: tuple[Any, ...]) -> Callable[..., Any]:
    def answer(*_args: Any) -> list[Any]:
        return list(result)
    return answer


def record_layout(path: str) -> dict[str, Any]:
    """Keep the last object the page's layout function returned (for the bare app)."""
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    layout, kept = page["layout"], {}

    def recording(**query: Any) -> Any:
        kept["layout"] = layout(**query)
        return kept["layout"]

    recording.gated = True  # type: ignore[attr-defined]
    page["layout"] = recording
    return kept


# -- the report ------------------------------------------------------------------------------


def label(request: Request) -> str:
    method, path, body = request
    return f"{method} {path}" if body is None else f"callback {body['output'].strip('.')}"


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def table(requests: list[Request], ours: list[list[float]], bare: list[list[float]]) -> str:
    lines = [f"{'request':58} {'ours median':>11} {'p90':>7} {'bare median':>11} {'p90':>7} "
             f"{'ratio':>6}"]

    def line(name: str, a: list[float], b: list[float]) -> str:
        ma, mb = statistics.median(a), statistics.median(b)
        return (f"{name:58} {ma * 1000:9.1f}ms {p90(a) * 1000:5.0f}ms {mb * 1000:9.1f}ms "
                f"{p90(b) * 1000:5.0f}ms {ma / mb:6.2f}")
    for i, request in enumerate(requests):
        lines.append(line(label(request)[:58], [r[i] for r in ours], [r[i] for r in bare]))
    lines.append(line("whole page (sum per run)", [sum(r) for r in ours],
                      [sum(r) for r in bare]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=20_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2020, 6, 30))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cold", type=int, default=3,
                        help="runs of the first load after a data change (nothing cached)")
    parser.add_argument("--after-figure", type=int, default=5,
                        help="runs of a load after one figure recorded (the window kept)")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile of our page-router callback, cold and warm")
    args = parser.parse_args()

    url = national_database(args.goals, args.years)
    prepare_review(url, args.as_of)
    app, client = our_client(url)
    kept = record_layout(PATH)
    requests, answers = on_load(client)
    ours = timed(client, requests, args.repeat)
    # the first load after a write: nothing kept (the write itself is not timed)
    cold = timed(client, requests, args.cold, warm_up=False, before_each=review.forget)
    scratch, record = after_one_figure(url, args.as_of, args.after_figure)
    after = timed(scratch, requests, args.after_figure, before_each=record)
    if args.profile:
        for name, before in (("after one figure", record), ("cold", review.forget),
                             ("warm", lambda: None)):
            before()
            profiler = cProfile.Profile()
            profiler.enable()
            _send(scratch if name == "after one figure" else client, requests[3])
            profiler.disable()
            print(f"\n-- {name}: our page-router callback --")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(
                r"delivery|dashboards|fetchall|to_json", 30)

    frame = rebuild(client.get("/_dash-layout").get_json())
    router_answer = answers[next(o for o in answers if dash_requests.ROUTER in o)]["response"]
    bare = bare_app(frame, (kept["layout"], router_answer["_pages_store"]["data"]), requests,
                    answers)
    bare_client = bare.server.test_client()
    bare_times = timed(bare_client, requests, args.repeat)
    assert json.dumps(_send(bare_client, requests[3]), sort_keys=True) == json.dumps(
        answers[requests[3][2]["output"]], sort_keys=True), "the bare app answers differently"

    size = len(json.dumps(router_answer)) // 1024
    print(f"\nWeekly review at national scale ({args.goals:,} goals, as of {args.as_of}), "
          f"server time over Flask's test client; page callback answer {size:,} KiB; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"warm (the week's grades kept), {args.repeat} runs after a warm-up:")
    print(table(requests, ours, bare_times))
    print(f"cold (first load after a data change, nothing kept), {args.cold} runs:")
    print(table(requests, cold, bare_times))
    print(f"after one figure (a load after an analyst records one), {args.after_figure} runs:")
    print(table(requests, after, bare_times))
    bare_total = statistics.median(sum(r) for r in bare_times)
    for name, runs in (("warm", ours), ("cold", cold), ("after one figure", after)):
        total = statistics.median(sum(r) for r in runs)
        ratio = total / bare_total
        print(f"aim, {name}: whole page < 1.5 s ({'met' if total < 1.5 else 'MISSED'}: "
              f"{total:.2f} s), within 2x of the bare app "
              f"({'met' if ratio <= 2 else 'MISSED'}: {ratio:.1f}x)")

if __name__ == "__main__":
    main()
