"""A source cannot hold a worker or the scheduler's memory: a server that trickles its answer is
cut off at the request's timeout (headers or body), a run is failed at its deadline however its
retries go, an answer past the size cap is refused, and a zip-bomb workbook is refused before
it is unpacked (checked in a separate process, whose peak memory is measured)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from delivery.ingestion import RunLimits, UrllibClient, run_source
from delivery.ingestion.errors import SourceError, TransientError
from delivery.models import IngestedFile, JobRun, RunState
from tests.ingestion.conftest import NOW, SHIPPED_MAPPINGS, Reply

ROOT = Path(__file__).resolve().parents[2]
MARGIN = 1.5  # seconds a cut-off may take beyond its deadline on a busy machine


class Trickle:
    """A server on a free port of 127.0.0.1 that answers one byte every ``pause`` seconds, for
    ever: from the first header line (``headers``) or after complete headers (``body``)."""

    def __init__(self, where: str, pause: float = 0.1) -> None:
        self.where, self.pause, self.stop = where, pause, threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/records"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                if self.where == "flood":  # no Content-Length: the end is when it hangs up
                    conn.sendall(b"HTTP/1.0 200 OK\r\n\r\n[" + b" " * (3 << 20) + b"]")
                    return
                if self.where == "body":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 100000\r\n\r\n[")
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\n")
                while not self.stop.wait(self.pause):
                    conn.sendall(b" " if self.where == "body" else b"X")
            except OSError:
                pass  # the client hung up: what a cut-off looks like from here

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.listener.close()


@pytest.fixture(params=["body", "headers"], ids=["trickled-body", "trickled-headers"])
def trickle(request) -> Iterator[Trickle]:  # type: ignore[no-untyped-def]
    server = Trickle(request.param)
    yield server
    server.close()


def test_a_trickling_answer_is_cut_off_at_the_whole_request_timeout(trickle):
    started = time.monotonic()
    with pytest.raises(TransientError, match="did not answer within 1s"):
        UrllibClient().get_json(trickle.url, params={}, headers={}, timeout=1.0)
    assert time.monotonic() - started < 1.0 + MARGIN


def test_a_run_on_a_trickling_source_fails_at_its_deadline_and_is_logged(
        session_factory, add_source, trickle):
    source = add_source(name="trickle", kind="json", url=trickle.url, timeout=1.0, retries=20,
                        backoff=0.2)
    started = time.monotonic()
    result = run_source(session_factory, source, now=NOW, limits=RunLimits(deadline_seconds=2.5))
    took = time.monotonic() - started

    assert took < 2.5 + MARGIN
    assert result.state is RunState.FAILED and "passed its deadline of 2.5s" in result.error
    with session_factory() as session:
        logged = session.get(JobRun, result.run_id)
        assert (logged.state, logged.error) == (RunState.FAILED, result.error)
        assert logged.finished_at is not None


def test_an_answer_announced_past_the_size_cap_is_refused_unread(api):
    api.routes["/big"] = lambda hit: Reply(200, b"[" + b" " * (3 << 20) + b"]")
    with pytest.raises(SourceError, match="announced an answer of 3.0 MB; at most 1 MB"):
        UrllibClient(max_bytes=1 << 20).get_json(api.url("/big"), params={}, headers={},
                                                 timeout=10)


def test_an_unannounced_answer_past_the_size_cap_is_refused_as_it_arrives():
    server = Trickle("flood")
    try:
        with pytest.raises(SourceError, match="sent more than 1 MB; the answer was not read"):
            UrllibClient(max_bytes=1 << 20).get_json(server.url, params={}, headers={},
                                                     timeout=10)
    finally:
        server.close()


def zip_bomb(path: Path, unpacked_mb: int) -> Path:
    """A workbook-named zip whose one sheet is ``unpacked_mb`` MB of the same byte."""
    block = b"0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(unpacked_mb):
                sheet.write(block)
    return path


RUN_AND_MEASURE = """
import json, sys
from datetime import datetime
from delivery.db import make_engine, make_session_factory
from delivery.ingestion import run_source
factory = make_session_factory(make_engine(sys.argv[1]))
result = run_source(factory, int(sys.argv[2]), now=datetime.fromisoformat(sys.argv[3]))
# VmHWM: this process's own peak since exec (ru_maxrss would carry over the forking pytest's)
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
peak_mb = int(hwm.split()[1]) / 1024
print(json.dumps({"state": str(result.state), "rejections": [str(e) for e in result.rejections],
                  "peak_mb": peak_mb}))
"""


def test_a_zip_bomb_dropped_as_a_workbook_is_refused_unopened_and_memory_stays_low(
        session_factory, add_source, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    bomb = zip_bomb(drop / "figures.xlsx", unpacked_mb=1024)
    assert bomb.stat().st_size < 10 << 20  # a few MB on disk
    source = add_source(name="bomb-drop", kind="file_drop", folder=str(drop),
                        mapping=str(SHIPPED_MAPPINGS / "sinesp_uf_monthly.yaml"))
    url = session_factory.kw["bind"].url.render_as_string(hide_password=False)

    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", RUN_AND_MEASURE, url, str(source),
                           NOW.isoformat()], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    run = json.loads(done.stdout.strip().splitlines()[-1])

    assert run["peak_mb"] < 400, run
    assert time.monotonic() - started < 60
    assert any("unpacks to 1,024.0 MB" in r and "at most 100 MB" in r for r in run["rejections"])
    assert (drop / "failed" / "figures.xlsx").exists()
    with session_factory() as session:
        ingested = session.query(IngestedFile).one()
        assert "unpacks to 1,024.0 MB" in ingested.error
