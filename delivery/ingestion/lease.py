"""The scheduler's lease: one row saying which process may run jobs, and until when.

Taking and renewing it is one conditional UPDATE (held by nobody, expired, or by the caller
already), so two scheduler processes can never both believe they hold it: the database decides.
The holder renews it well before it expires; a process that stops renewing (killed, hung) loses
it once it expires, and another scheduler takes over.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Update, case, or_, select, update
from sqlalchemy.orm import Session

from delivery.models import SchedulerLease

LEASE = "scheduler"


class LeaseLost(RuntimeError):
    """This process no longer holds the scheduler lease: its run must not be committed."""


def updated(session: Session, statement: Update) -> int:
    """How many rows an UPDATE changed: what the conditional updates here decide on."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def as_utc(moment: datetime) -> datetime:
    """Aware UTC (SQLite hands back naive datetimes, which are UTC here)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def acquire_lease(session: Session, holder: str, *, now: datetime, duration: timedelta,
                  name: str = LEASE) -> bool:
    """Take the lease, or renew it if ``holder`` has it; False when another process holds it."""
    now = as_utc(now)
    taken = updated(session, (
        update(SchedulerLease)
        .where(SchedulerLease.name == name,
               or_(SchedulerLease.holder == holder, SchedulerLease.expires_at <= now))
        .values(holder=holder, expires_at=now + duration, acquired_at=case(
            (SchedulerLease.holder == holder, SchedulerLease.acquired_at), else_=now))
    ))
    if taken == 1:
        return True
    if session.get(SchedulerLease, name) is None:  # a database the migration did not seed
        session.add(SchedulerLease(name=name, holder=holder, acquired_at=now,
                                   expires_at=now + duration))
        session.flush()
        return True
    return False


def release_lease(session: Session, holder: str, *, now: datetime, name: str = LEASE) -> None:
    """Give the lease up at once (on a clean shutdown), if ``holder`` has it."""
    updated(session, update(SchedulerLease)
            .where(SchedulerLease.name == name, SchedulerLease.holder == holder)
            .values(expires_at=as_utc(now)))


def check_lease(session: Session, holder: str, *, now: datetime, name: str = LEASE) -> None:
    """Raise LeaseLost unless ``holder`` holds the lease now. Inside a run's transaction this
    also locks the lease row until the commit, so the run commits only under a valid lease."""
    held = updated(session, (
        update(SchedulerLease)
        .where(SchedulerLease.name == name, SchedulerLease.holder == holder,
               SchedulerLease.expires_at > as_utc(now))
        .values(holder=holder)
    ))
    if held != 1:
        raise LeaseLost(f"{holder} no longer holds the scheduler lease")


def lease_holder(session: Session, *, now: datetime, name: str = LEASE) -> str | None:
    """Who holds the lease now (None if nobody: never taken, released or expired)."""
    row = session.scalar(select(SchedulerLease).where(SchedulerLease.name == name))
    if row is None or as_utc(row.expires_at) <= as_utc(now) or not row.holder:
        return None
    return row.holder
