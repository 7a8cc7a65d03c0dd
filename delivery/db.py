"""Engine, sessions and the schema version check, the same code for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Date, DateTime, Engine, Table, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from delivery import (
    audit,  # noqa: F401  (registers the audit hook on every session)
    data_version,
)

MIGRATIONS = Path(__file__).parent / "migrations"
UPGRADE_COMMAND = "delivery db upgrade"


class SchemaOutOfDate(RuntimeError):
    """The database is behind (or ahead of) the code's migrations."""


# SQLite's lock messages, and PostgreSQL's lock_not_available and query_canceled (the
# lock_timeout and statement_timeout of a web request).
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_POSTGRES_BUSY = {"55P03", "57014"}


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` means another transaction held a lock (or the statement ran) longer
    than this one may wait: nothing was written, and the same request may succeed later."""
    if not isinstance(error, OperationalError):
        return False
    code = getattr(error.orig, "sqlstate", None)
    return code in _POSTGRES_BUSY or any(m in str(error.orig).lower() for m in _SQLITE_BUSY)


def make_engine(url: str, busy_timeout_ms: int = 5000, *, lock_timeout_ms: int = 0,
                statement_timeout_ms: int = 0) -> Engine:
    """An engine; for SQLite: the folder is created, WAL, foreign keys and a busy timeout; for
    PostgreSQL the lock and statement timeouts, when given (0: wait as long as it takes)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.close()
    else:
        options = (f"-c lock_timeout={int(lock_timeout_ms)} "
                   f"-c statement_timeout={int(statement_timeout_ms)}")
        engine = create_engine(url, pool_pre_ping=True, connect_args={"options": options})
    data_version.watch(engine)  # writes to the data behind the screens move its version
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed as one, or rolled back whole on any error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None, "no migrations found"
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)
    if revision == "head":
        data_version.ensure(engine)


def check_schema(engine: Engine) -> None:
    """Refuse to run on a database whose schema is not the one this code expects."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    url = engine.url.render_as_string(hide_password=True)
    if current is None:
        raise SchemaOutOfDate(
            f"The database at {url} has no Delivery Tracker tables yet. "
            f"Create them with: {UPGRADE_COMMAND}"
        )
    if current not in known_revisions():
        raise SchemaOutOfDate(
            f"The database at {url} is at revision {current}, which this version of Delivery "
            "Tracker does not know: it was upgraded by a newer version."
        )
    raise SchemaOutOfDate(
        f"The database at {url} is at revision {current}, behind this code ({head}). "
        f"Upgrade it with: {UPGRADE_COMMAND}"
    )


def open_database(settings, *, check: bool = True, web: bool = False):  # type: ignore[no-untyped-def]
    """Engine and session factory for ``settings``; refuses a database whose schema is behind.

    ``web``: the engine serves requests, so waits for locks and statements are bounded (a
    person is told to try again rather than kept waiting)."""
    engine = make_engine(
        settings.resolved_database_url, settings.sqlite_busy_timeout_ms,
        lock_timeout_ms=settings.postgres_lock_timeout_ms if web else 0,
        statement_timeout_ms=settings.postgres_statement_timeout_ms if web else 0)
    if check:
        check_schema(engine)
    return engine, make_session_factory(engine)


def query_frame(session: Session, query: Any, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of a query as a DataFrame (columns: the query's labels unless given).

    Rows are handed to pandas as plain tuples: pandas probes each Row object attribute by
    attribute, which costs more than the query itself at 20,000 rows.
    """
    result = session.connection().execute(query)  # Core rows: no ORM loading per row
    names = columns or list(result.keys())
    return frame_of_rows([tuple(row) for row in result], names)


def frame_of_rows(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    """``rows`` as a DataFrame, each text column an array of its own. pandas makes one table
    of every value of every row, as Python objects, and leaves a text column a view of it:
    while the frame lives, so would every row's numbers and dates as objects (20,000 goals
    kept their 380,000 objects, 17 MB, in every web worker)."""
    frame = pd.DataFrame(rows, columns=columns)
    for place, kind in enumerate(frame.dtypes):
        if isinstance(kind, pd.StringDtype):
            frame.isetitem(place, frame.iloc[:, place].copy())
    return frame


def insert_many(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]], chunk: int = 50_000) -> None:
    """Append ``rows`` (tuples in the order of ``columns``) with driver-level executemany.

    Tens of thousands of rows arrive at once from a file: the per-row parameter handling of
    an ORM or Core insert would cost several times the insert. SQLAlchemy's own conversion of
    each column's type is still applied (once per distinct value where it can be), so what is
    stored is what the ORM would store.
    """
    connection = session.connection()
    dialect = connection.dialect
    converted = []
    for i, name in enumerate(columns):
        values = [row[i] for row in rows]
        convert = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None and isinstance(table.c[name].type, Date | DateTime):
            cache: dict[Any, Any] = {}  # a timestamp or period repeats on every row
            values = [cache[v] if v in cache else cache.setdefault(v, convert(v))
                      for v in values]
        elif convert is not None:
            values = [convert(v) for v in values]
        converted.append(values)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join([marker] * len(columns))})")
    tuples = list(zip(*converted, strict=True))
    for start in range(0, len(tuples), chunk):
        connection.exec_driver_sql(sql, tuples[start:start + chunk])
