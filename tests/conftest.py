"""Fixtures: a fresh database per test on every backend asked for, and test settings.

Backends come from ``--backends`` (default: sqlite). ``make test`` asks for sqlite and
postgresql. Under CI=true an unreachable PostgreSQL fails the run; elsewhere it is skipped loudly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from delivery.db import make_engine, make_session_factory, upgrade

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
if not REALDATA.exists():  # a clone checked out elsewhere: ask the environment
    REALDATA = Path(os.environ.get("DELIVERY_REALDATA", "../shared/realdata")).resolve()

PG_SERVER = os.environ.get("DELIVERY_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backends",
        default=os.environ.get("DELIVERY_TEST_BACKENDS", "sqlite"),
        help="comma-separated database backends to run database tests on: sqlite,postgresql",
    )


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Sets named in sorted order: the same test ids in every pytest-xdist worker (a set's own
    order changes with each process's hash seed)."""
    if isinstance(val, set | frozenset):
        return "{" + ",".join(sorted(map(str, val))) + "}"
    return None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = [b.strip() for b in metafunc.config.getoption("backends").split(",") if b]
        only = metafunc.definition.get_closest_marker("backends")
        if only is not None:  # a test about one database's behaviour runs on that one only
            backends = [b for b in backends if b in only.args]
        metafunc.parametrize("backend", backends, scope="session")


class Server:
    """Creates and drops throwaway databases on one backend."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend, self.tmp = backend, tmp
        self._created: list[str] = []
        if backend == "postgresql":
            self._admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
            try:
                with self._admin.connect() as conn:
                    conn.execute(text("select 1"))
            except Exception as exc:  # noqa: BLE001 - any failure to reach it means the same
                message = f"PostgreSQL is not reachable at {PG_SERVER}: {exc}"
                if os.environ.get("CI") == "true":
                    pytest.fail(message)
                pytest.skip(message)
        elif backend != "sqlite":
            raise pytest.UsageError(f"unknown backend {backend!r}")

    def new_url(self) -> str:
        name = f"dt_test_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / (name + '.sqlite')}"
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return self._admin.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.backend != "postgresql":
            return
        with self._admin.connect() as conn:
            for name in self._created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


@pytest.fixture(scope="session")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(backend, tmp_path_factory.mktemp(backend))
    yield srv
    srv.drop_all()


@pytest.fixture(scope="session")
def migrated_engine(server: Server) -> Iterator[Engine]:
    """One database per backend per run, built by the Alembic migrations (which tests them)."""
    engine = make_engine(server.new_url())
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(migrated_engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test: a fresh database for each test.

    The session's own commits only release savepoints inside the outer transaction.
    """
    connection = migrated_engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def database_url(server: Server) -> str:
    """The URL of a brand-new, empty database, for tests that need real commits (CLI, app)."""
    return server.new_url()


@pytest.fixture
def session_factory(database_url: str) -> Iterator:
    """A session factory on a fresh, migrated database that tests may commit to."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def demo(server: Server) -> Iterator:
    """One database per backend with the demo loaded, shared by the tests that only read it."""
    from delivery.demo import load_demo

    engine = make_engine(server.new_url())
    upgrade(engine)
    factory = make_session_factory(engine)
    load_demo(factory)
    yield factory
    engine.dispose()


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not (REALDATA / "README.md").exists():
        pytest.fail(f"the shared real data folder was not found at {REALDATA}")
    return REALDATA
