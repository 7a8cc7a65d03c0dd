"""``delivery serve``: gunicorn's settings from ours, and the real thing with two workers, where a
cookie from before sign-out opens nothing on any worker."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import requests

from delivery.db import make_engine, make_session_factory, upgrade
from delivery.serving import MAX_AUTO_WORKERS, gunicorn_options, worker_count
from delivery.settings import load_settings
from delivery.users import create_user
from delivery.vocabulary import Role

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long enough password"


@pytest.mark.parametrize(("configured", "cores", "expected"), [
    (0, 1, 3), (0, 2, 5), (0, 16, MAX_AUTO_WORKERS), (7, 2, 7),
], ids=["one-core", "two-cores", "many-cores-capped", "configured"])
def test_workers_come_from_the_core_count_unless_configured(configured, cores, expected):
    assert worker_count(configured, cores) == expected


def test_gunicorn_binds_the_configured_address_and_logs_to_stdout():
    settings = load_settings({"host": "0.0.0.0", "port": 9000, "web_timeout_seconds": 45},
                             environ={})
    options = gunicorn_options(settings, workers=3)
    assert options["bind"] == "0.0.0.0:9000" and options["workers"] == 3
    assert options["timeout"] == 45 and options["accesslog"] == "-"
    assert gunicorn_options(settings, port=9100)["bind"] == "0.0.0.0:9100"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"delivery serve stopped: {process.stdout.read()}")
        try:
            requests.get(f"{base}/signin", timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    raise AssertionError("delivery serve did not answer in time")


def worker_pids(log: Path, status: int) -> set[str]:
    """The gunicorn workers (by pid, from the access log) that answered /audit with ``status``."""
    text = log.read_text() if log.exists() else ""
    return set(re.findall(rf'<(\d+)> .*"GET /audit HTTP/1.1" {status}', text))


def test_a_cookie_from_before_sign_out_opens_nothing_on_any_worker(database_url, tmp_path):
    engine = make_engine(database_url)
    upgrade(engine)
    with make_session_factory(engine)() as session, session.begin():
        create_user(session, "ana", PASSWORD, Role.ANALYST)
    engine.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DELIVERY_DATABASE_URL": database_url,
           "DELIVERY_DATA_DIR": str(tmp_path), "DELIVERY_PORT": str(port),
           "DELIVERY_WEB_WORKERS": "2"}
    log = tmp_path / "serve.log"
    with log.open("w") as out_file:
        process = subprocess.Popen([sys.executable, "-m", "delivery.cli", "serve"],
                                   cwd=tmp_path, env=env, stdout=out_file,
                                   stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(base, process)
        browser = requests.Session()
        signed_in = browser.post(f"{base}/auth/sign-in", headers={"Origin": base},
                                 data={"username": "ana", "password": PASSWORD, "next": "/"},
                                 allow_redirects=False)
        assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/"
        saved = browser.cookies["delivery_session"]

        def audit_page(_=None) -> int:  # a new connection each time: either worker may answer
            return requests.get(f"{base}/audit", cookies={"delivery_session": saved},
                                headers={"Connection": "close"}, allow_redirects=False,
                                timeout=30).status_code

        def until_both_workers_answered(status: int) -> set[int]:
            """Which worker accepts a connection is the kernel's choice, so ask in parallel
            batches (a busy sync worker leaves the next one to the other) until both have."""
            seen: set[int] = set()
            deadline = time.monotonic() + 60
            with ThreadPoolExecutor(max_workers=6) as pool:
                while len(worker_pids(log, status)) < 2 and time.monotonic() < deadline:
                    seen |= set(pool.map(audit_page, range(12)))
                    time.sleep(0.2)  # the access log line is written after the answer
            return seen

        assert until_both_workers_answered(200) == {200}
        out = browser.post(f"{base}/auth/sign-out", headers={"Origin": base},
                           allow_redirects=False)
        assert out.status_code == 303
        assert until_both_workers_answered(302) == {302}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert len(worker_pids(log, 200)) == 2, log.read_text()[-2000:]
    assert len(worker_pids(log, 302)) == 2, "both workers refused the old cookie"
    assert process.returncode == 0


def test_the_review_is_computed_before_the_workers_fork_and_its_connections_closed(
        session_factory, monkeypatch):
    from delivery import review, review_grades
    from delivery.clock import review_date
    from delivery.figures import record_figure
    from delivery.serving import warm_review
    from tests.factories import make_goal

    with session_factory() as session, session.begin():
        goal = make_goal(session)
        record_figure(session, goal, date(2021, 1, 1), date(2021, 1, 31), 90.0,
                      reported_by="a", known_on=date(2021, 2, 5))
    review.forget()
    engine = session_factory.kw["bind"]
    warm_review(session_factory, engine)
    assert engine.pool.checkedin() == 0  # no connection for a forked worker to share

    def graded_again(*_args):  # the warm kept data serves the first review
        raise AssertionError("graded again")

    monkeypatch.setattr(review_grades, "_regrade", graded_again)
    with session_factory() as session:
        assert len(review.review_grades(session, review_date(session)).statuses) == 1
    review.forget()
