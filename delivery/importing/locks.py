"""One import writes at a time: a second one started meanwhile waits for the first to commit.

Two imports of the same goals or accounts at once would otherwise both find a row missing and
both create it (one then fails on a unique key), or, on SQLite, the later writer would find its
snapshot stale and fail with "database is locked". Taking the write lock first means each import
reads what the one before it committed.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from delivery.i18n import _

IMPORT_LOCK_KEY = 7_110_011  # any constant: the PostgreSQL advisory lock of file imports


class ImportBusy(RuntimeError):
    """Another import (or a long write) held the database for longer than the wait allows."""


def wait_for_other_imports(session: Session) -> None:
    """Block until no other import is writing, then hold the lock until this transaction ends.

    PostgreSQL: a transaction-level advisory lock. SQLite: a write that changes nothing takes
    the database's write lock at once (waiting up to its busy timeout) before anything is read.
    Raises ImportBusy when the wait times out.
    """
    connection = session.connection()
    try:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": IMPORT_LOCK_KEY})
        else:
            connection.execute(text("UPDATE site_meta SET key = key WHERE 1 = 0"))
    except OperationalError as exc:
        raise ImportBusy(_("another import is writing to the database and did not finish in "
                           "time; nothing was written: run this import again when it is done")
                         ) from exc
