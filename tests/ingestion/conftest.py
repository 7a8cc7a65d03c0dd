"""Real HTTP servers on 127.0.0.1 serving realistic Socrata and CKAN payloads built from the real
files in ../shared/realdata, source definitions written on the fly, and a sleep that records."""

from __future__ import annotations

import csv
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from sqlalchemy import func, select

from delivery.db import transaction
from delivery.ingestion import load_sources, save_sources, source_named

HERE = Path(__file__).parent
MAPPINGS = HERE / "mappings"
SHIPPED_MAPPINGS = HERE.parents[1] / "data" / "mappings"
SINESP = "br_sinesp_uf_monthly_crimes_2015_2022.csv"
ISP = "rj_isp_state_monthly_crimes_1991_2021.csv"
NOW = datetime(2023, 1, 10, 6, 0, tzinfo=UTC)  # after the last SINESP month, before it is late


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-able, or bytes sent as they are
    delay: float = 0.0  # seconds to wait before answering (a slow server)


@dataclass
class Hit:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeApi:
    """A real HTTP server on a free port of 127.0.0.1, in a thread; ``routes`` maps a path to a
    function of the Hit that returns a Reply. Every request is kept in ``hits``."""

    routes: dict[str, Callable[[Hit], Reply]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server interface
                parts = urlsplit(self.path)
                hit = Hit(parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()},
                          {k.lower(): v for k, v in self.headers.items()})
                api.hits.append(hit)
                route = api.routes.get(parts.path)
                reply = route(hit) if route else Reply(404, {"error": "no such path"})
                if reply.delay and api.stopping.wait(reply.delay):
                    return
                body = reply.body if isinstance(reply.body, bytes) else \
                    json.dumps(reply.body, ensure_ascii=False).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi()
    yield server
    server.stop()


# Socrata (SODA 2): every value is a string, field names are lower-case API names.

def sinesp_socrata_records(realdata: Path, states: tuple[str, ...]) -> list[dict[str, str]]:
    """The real SINESP rows of some states, as a Socrata dataset would serve them."""
    with (realdata / SINESP).open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["UF"] in states]
    return [{":id": f"row-{i:05d}", "uf": r["UF"], "tipo_crime": r["Tipo Crime"],
             "ano": r["Ano"], "mes": r["Mês"], "ocorrencias": r["Ocorrências"]}
            for i, r in enumerate(rows)]


_CONDITION = re.compile(r"^\s*(\w+)\s*=\s*'((?:[^']|'')*)'\s*$")


def socrata_route(records: list[dict[str, Any]], token: str | None = None
                  ) -> Callable[[Hit], Reply]:
    """A SODA endpoint: ``$where`` (``field = 'text'`` joined by AND), ``$order`` on ``:id``,
    ``$limit`` / ``$offset``; an app token, when set, is required as SODA does it."""

    def route(hit: Hit) -> Reply:
        if token and hit.headers.get("x-app-token") != token:
            return Reply(403, {"code": "permission_denied", "error": True,
                               "message": "Invalid app_token specified"})
        rows = records
        for condition in filter(None, re.split(r"\s+AND\s+", hit.query.get("$where", ""))):
            match = _CONDITION.match(condition)
            if not match:
                return Reply(400, {"code": "query.compiler.malformed", "error": True,
                                   "message": f"Could not parse SoQL query {condition!r}"})
            name, value = match.group(1), match.group(2).replace("''", "'")
            rows = [r for r in rows if r.get(name) == value]
        if hit.query.get("$order") == ":id":
            rows = sorted(rows, key=lambda r: str(r.get(":id", "")))
        offset = int(hit.query.get("$offset", 0))
        limit = int(hit.query.get("$limit", 1000))
        page = [{k: v for k, v in r.items() if not k.startswith(":")}
                for r in rows[offset:offset + limit]]
        return Reply(200, page)

    return route


# CKAN datastore_search: typed values (numbers are numbers, blanks are null), an _id column.

def isp_ckan_records(realdata: Path, last: int | None = None) -> list[dict[str, Any]]:
    """The real ISP-RJ monthly rows (the last ``last`` of them), as CKAN's datastore has them."""
    with (realdata / ISP).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    rows = rows[-last:] if last else rows
    return [{"_id": i + 1, **{k: (None if v.strip() == "" else int(v)) for k, v in r.items()}}
            for i, r in enumerate(rows)]


def ckan_route(records: list[dict[str, Any]], resource_id: str) -> Callable[[Hit], Reply]:
    def route(hit: Hit) -> Reply:
        if hit.query.get("resource_id") != resource_id:
            return Reply(404, {"help": "...", "success": False, "error": {
                "__type": "Not Found Error", "message": "Not found: Resource was not found."}})
        offset, limit = int(hit.query.get("offset", 0)), int(hit.query.get("limit", 100))
        fields = [{"id": "_id", "type": "int"}] + [
            {"id": k, "type": "numeric"} for k in records[0] if k != "_id"]
        return Reply(200, {
            "help": "https://ckan.example/api/3/action/help_show?name=datastore_search",
            "success": True,
            "result": {
                "include_total": True, "resource_id": resource_id, "fields": fields,
                "records_format": "objects", "records": records[offset:offset + limit],
                "limit": limit, "offset": offset, "total": len(records),
                "_links": {"start": f"/api/3/action/datastore_search?resource_id={resource_id}",
                           "next": f"/api/3/action/datastore_search?offset={offset + limit}"},
            },
        })

    return route


@pytest.fixture
def add_source(session_factory, tmp_path) -> Callable[..., int]:
    """add_source(name=..., kind=..., **keys) -> id: written to a YAML file, loaded and saved
    as ``delivery sources add`` does (give absolute paths: the file is in tmp_path)."""

    def _add(**definition: Any) -> int:
        definition.setdefault("mapping", str(MAPPINGS / "sinesp_socrata.yaml"))
        path = tmp_path / f"sources-{definition['name']}.yaml"
        path.write_text(yaml.safe_dump({"sources": [definition]}, allow_unicode=True),
                        encoding="utf-8")
        with transaction(session_factory) as session:
            save_sources(session, load_sources(path), now=NOW)
            return source_named(session, definition["name"]).id

    return _add


@pytest.fixture
def pauses() -> list[float]:
    """The backoff pauses a run asked for (the run does not really wait)."""
    return []


@pytest.fixture
def sleep(pauses) -> Callable[[float], None]:
    return pauses.append


@pytest.fixture
def count(session_factory) -> Callable[..., int]:
    def _count(model: type, *where: Any) -> int:
        with session_factory() as session:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return _count


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
