"""A counter that moves whenever the data behind the computed screens changes, committed in the
same transaction as the change, so that a cache keyed on it is never stale.

Every engine made by ``delivery.db.make_engine`` is watched: an INSERT, UPDATE or DELETE on one
of the ``WATCHED`` tables marks the connection, and its commit first bumps the counter (the row
``data_version`` of ``site_meta``); a rollback forgets the mark. Raw ORM flushes, the importer's
driver-level inserts and bulk Core statements all pass through the same cursor hook. Writes to
other tables (sign-in attempts, job runs, the scheduler's lease) do not move it.

A second counter, ``plan_version``, moves the same way on writes to the watched tables other
than ``figure`` (goals, the map, trajectories): a cache of what figures are graded against
keys on it, so that recording a figure does not drop it. ``database_id`` (random, never moved)
tells apart two databases reached at the same URL one after the other.

The rows are created with a random start by ``ensure(engine)`` (run by ``delivery.db.upgrade``),
so that two databases reached at the same URL one after the other never share a version.
Without the row, ``current`` is None and callers must not cache.
"""

from __future__ import annotations

import random
import re
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, Generic, TypeVar

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from delivery.models import SiteMeta

KEY = "data_version"
PLAN_KEY = "plan_version"  # moves on writes to WATCHED tables other than figure
DATABASE_KEY = "database_id"
# pact and pact_goal: the goal catalogue's frame carries each goal's pacts
WATCHED = frozenset({"pillar", "objective", "secretariat", "goal", "figure", "trajectory",
                     "trajectory_point", "pact", "pact_goal"})
MARK = "delivery_data_changed"
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_BUMP = text("UPDATE site_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR(40)) "
             "WHERE key = :key")


def watch(engine: Engine) -> None:
    """Install the write hooks on ``engine`` (once)."""
    for name, hook in (("before_cursor_execute", _note), ("commit", _bump),
                       ("rollback", _forget)):
        if not event.contains(engine, name, hook):
            event.listen(engine, name, hook)


def _note(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    found = _WRITE.match(statement)
    if found and found.group(1).lower() in WATCHED:
        conn.info.setdefault(MARK, set()).add(found.group(1).lower())


def _bump(conn: Connection) -> None:
    tables = conn.info.pop(MARK, set())
    if tables:
        conn.execute(_BUMP, {"key": KEY})
    if tables - {"figure"}:
        conn.execute(_BUMP, {"key": PLAN_KEY})


def _forget(conn: Connection) -> None:
    conn.info.pop(MARK, None)


def ensure(engine: Engine) -> None:
    """Create the counter rows if the database has none (with a random start)."""
    with engine.begin() as conn:
        if not inspect(conn).has_table(SiteMeta.__tablename__):
            return
        for key, value in ((KEY, str(random.randrange(1, 2**30))),
                           (PLAN_KEY, str(random.randrange(1, 2**30))),
                           (DATABASE_KEY, uuid.uuid4().hex)):
            if conn.scalar(select(SiteMeta.value).where(SiteMeta.key == key)) is None:
                conn.execute(insert(SiteMeta).values(key=key, value=value))


def current(session: Session) -> str | None:
    """The committed data version, or None when it cannot be trusted for caching: no counter,
    or this session has written something not yet committed."""
    conn = _committed_reader(session)
    return None if conn is None else conn.scalar(select(SiteMeta.value).where(SiteMeta.key == KEY))


def plan(session: Session) -> tuple[str, str] | None:
    """(database_id, plan_version) as committed, or None when it cannot be trusted for caching
    (as for ``current``): what goals, the map and trajectories read from the database are as
    long as it does not move."""
    conn = _committed_reader(session)
    if conn is None:
        return None
    found = dict(conn.execute(select(SiteMeta.key, SiteMeta.value).where(
        SiteMeta.key.in_([DATABASE_KEY, PLAN_KEY]))).all())
    if DATABASE_KEY not in found or PLAN_KEY not in found:
        return None
    return found[DATABASE_KEY], found[PLAN_KEY]


def _committed_reader(session: Session) -> Connection | None:
    """The session's connection if what it reads is the committed data (nothing of its own
    written and not yet committed); else None: nothing it reads may be kept or served kept."""
    if session.new or session.dirty or session.deleted:
        return None
    conn = session.connection()
    return None if conn.info.get(MARK) else conn


def database_url(session: Session) -> str:
    """The session's database, as the first part of a key of something kept for it."""
    return session.get_bind().url.render_as_string(hide_password=True)


V = TypeVar("V")


class Kept(Generic[V]):
    """A few answers kept in this process, the least recently used dropped first; safe to share
    between the server's threads. Keys carry a data version, so a kept answer is never stale."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: V) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def discard(self, unwanted: Callable[[Hashable], bool]) -> None:
        """Drop the answers whose key is ``unwanted`` (superseded ones, say)."""
        with self._lock:
            for key in [k for k in self._answers if unwanted(k)]:
                del self._answers[key]

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
