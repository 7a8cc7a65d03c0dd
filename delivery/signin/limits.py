"""How many passwords may be tried, counted and checked so that parallel requests cannot
outrun the count.

Every try from one address takes a lock first (PostgreSQL: an advisory lock on the address;
SQLite: the database's write lock, taken by the first statement) and keeps it until its
transaction ends, after the password has been checked and the try recorded. The next try from
that address therefore counts this one before deciding whether its own password is checked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from delivery.models import SignInAttempt

FREE_FAILURES = 5  # per username and address
ADDRESS_FREE_FAILURES = 20  # per address, whatever the usernames (spraying one password)
FIRST_WAIT = timedelta(seconds=30)
WINDOW = timedelta(minutes=15)


def hold_address(session: Session, address: str, now: datetime) -> None:
    """Serialise sign-in tries from ``address`` until this transaction ends; forget its tries
    older than the window. Must be the transaction's first statement on SQLite (the DELETE is
    what takes the write lock there)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                        {"key": f"sign-in:{address}"})
    session.execute(delete(SignInAttempt).where(SignInAttempt.address == address,
                                                SignInAttempt.at <= now - WINDOW))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _wait(failures: list[datetime], free: int, now: datetime) -> timedelta:
    """Past ``free`` failures, each further one doubles the wait after the latest, up to the
    window."""
    if len(failures) < free:
        return timedelta(0)
    wait = min(FIRST_WAIT * 2 ** (len(failures) - free), WINDOW)
    return max(failures[0] + wait - now, timedelta(0))


def _failures(session: Session, now: datetime, *where: object,
              since_success: bool = True) -> list[datetime]:
    """Failed tries matching ``where`` in the window (since the latest success), newest first."""
    query = (select(SignInAttempt.at, SignInAttempt.succeeded)
             .where(SignInAttempt.at > now - WINDOW, *where)  # type: ignore[arg-type]
             .order_by(SignInAttempt.at.desc(), SignInAttempt.id.desc()))
    failures: list[datetime] = []
    for at, succeeded in session.execute(query):
        if succeeded and since_success:
            break
        if not succeeded:
            failures.append(_aware(at))
    return failures


def wait_before_next_try(session: Session, username: str, address: str,
                         now: datetime) -> timedelta:
    """How long this username from this address must wait before its password is checked:
    the longer of the wait for the pair and the wait for the address."""
    pair = _failures(session, now, SignInAttempt.username == username,
                     SignInAttempt.address == address)
    # One account's success does not reset the address: an attacker may own an account.
    anyone = _failures(session, now, SignInAttempt.address == address, since_success=False)
    return max(_wait(pair, FREE_FAILURES, now), _wait(anyone, ADDRESS_FREE_FAILURES, now))
