"""A counter that moves whenever the data behind the computed screens changes, committed in the
same transaction as the change, so that a cache keyed on it is never stale.

Every engine made by ``delivery.db.make_engine`` is watched: an INSERT, UPDATE or DELETE on one
of the ``WATCHED`` tables marks the connection, and its commit first bumps the counter (the row
``data_version`` of ``site_meta``); a rollback forgets the mark. Raw ORM flushes, the importer's
driver-level inserts and bulk Core statements all pass through the same cursor hook. Writes to
other tables (sign-in attempts, job runs, the scheduler's lease) do not move it.

The row is created with a random start by ``ensure(engine)`` (run by ``delivery.db.upgrade``),
so that two databases reached at the same URL one after the other never share a version.
Without the row, ``current`` is None and callers must not cache.
"""

from __future__ import annotations

import random
import re
from typing import Any

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from delivery.models import SiteMeta

KEY = "data_version"
WATCHED = frozenset({"pillar", "objective", "secretariat", "goal", "figure", "trajectory",
                     "trajectory_point"})
MARK = "delivery_data_changed"
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_BUMP = text("UPDATE site_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR(40)) "
             "WHERE key = :key").bindparams(key=KEY)


def watch(engine: Engine) -> None:
    """Install the write hooks on ``engine`` (once)."""
    for name, hook in (("before_cursor_execute", _note), ("commit", _bump),
                       ("rollback", _forget)):
        if not event.contains(engine, name, hook):
            event.listen(engine, name, hook)


def _note(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    found = _WRITE.match(statement)
    if found and found.group(1).lower() in WATCHED:
        conn.info[MARK] = True


def _bump(conn: Connection) -> None:
    if conn.info.pop(MARK, False):
        conn.execute(_BUMP)


def _forget(conn: Connection) -> None:
    conn.info.pop(MARK, None)


def ensure(engine: Engine) -> None:
    """Create the counter row if the database has none (with a random start)."""
    with engine.begin() as conn:
        if not inspect(conn).has_table(SiteMeta.__tablename__):
            return
        if conn.scalar(select(SiteMeta.value).where(SiteMeta.key == KEY)) is None:
            conn.execute(insert(SiteMeta).values(key=KEY,
                                                 value=str(random.randrange(1, 2**30))))


def current(session: Session) -> str | None:
    """The committed data version, or None when it cannot be trusted for caching: no counter,
    or this session has written something not yet committed."""
    if session.new or session.dirty or session.deleted:
        return None
    conn = session.connection()
    if conn.info.get(MARK):
        return None
    return conn.scalar(select(SiteMeta.value).where(SiteMeta.key == KEY))
