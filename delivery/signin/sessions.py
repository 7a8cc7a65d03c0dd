"""Sessions kept in the database: the browser holds only a random token, its SHA-256 is stored.

A session is live while it has not been ended, was used within the idle timeout, is younger
than its lifetime, and its user has the same password, role, secretariat and activity as when
it began (``session_stamp``). Ending is an UPDATE of the row, so it holds on every worker and
host at once. ``last_seen_at`` is written at most once a minute per session, so a page view
stays a read.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.models import AuditEntry, User, UserSession

TOUCH_EVERY = timedelta(minutes=1)
SIGNED_OUT, EVERYWHERE, BY_ADMIN = "signed out", "signed out everywhere", "ended by an admin"
PASSWORD_CHANGED, ROLE_CHANGED, DEACTIVATED = "password changed", "role changed", "deactivated"
IDLE, EXPIRED, ACCOUNT_CHANGED = "idle", "expired", "account changed"


@dataclass(frozen=True)
class Lifetime:
    """How long a session may sit unused, and how long it may last at most."""

    idle: timedelta = timedelta(minutes=60)
    most: timedelta = timedelta(hours=12)

    @classmethod
    def of(cls, settings) -> Lifetime:  # type: ignore[no-untyped-def]
        return cls(timedelta(minutes=settings.session_idle_minutes),
                   timedelta(hours=settings.session_max_hours))


def session_stamp(user: User) -> str:
    """Changes when the password, role, secretariat or activity of ``user`` changes: a session
    begun under an old stamp no longer signs anyone in."""
    text = f"{user.id}:{user.password_hash}:{user.is_active}:{user.role}:{user.secretariat_id}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def start_session(session: Session, user: User, now: datetime, lifetime: Lifetime, *,
                  user_agent: str = "", address: str = "") -> str:
    """Begin a session for ``user``; returns the token for the cookie (stored only hashed)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_digest(token), user_id=user.id,
                            stamp=session_stamp(user), created_at=now, last_seen_at=now,
                            expires_at=now + lifetime.most, user_agent=user_agent[:255],
                            address=address[:64]))
    session.flush()
    return token


@dataclass(frozen=True)
class Found:
    """What a token opens: the session row and its user, why it is over ("" if live) and
    whether its last-seen time is due to be written."""

    row: UserSession
    user: User
    over: str
    touch: bool


def why_over(row: UserSession, user: User, now: datetime, lifetime: Lifetime) -> str:
    """Why a session no longer signs anyone in, or "" while it does."""
    if row.ended_at is not None:
        return row.end_reason or SIGNED_OUT
    if not user.is_active or row.stamp != session_stamp(user):
        return ACCOUNT_CHANGED
    if now >= _aware(row.expires_at):
        return EXPIRED
    if now - _aware(row.last_seen_at) >= lifetime.idle:
        return IDLE
    return ""


def find_session(session: Session, token: str, now: datetime, lifetime: Lifetime) -> Found | None:
    """The session a cookie's token names (live or not), or None for an unknown token."""
    row = session.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                          .where(UserSession.token_hash == _digest(token))).first()
    if row is None:
        return None
    found, user = row
    return Found(found, user, why_over(found, user, now, lifetime),
                 now - _aware(found.last_seen_at) >= TOUCH_EVERY)


def touch(session: Session, session_id: int, now: datetime) -> None:
    session.execute(update(UserSession).where(UserSession.id == session_id)
                    .values(last_seen_at=now))


def end_session(session: Session, session_id: int, reason: str, now: datetime,
                user_id: int | None = None) -> bool:
    """End one session (only one of ``user_id``'s when given); whether one was live."""
    query = update(UserSession).where(UserSession.id == session_id,
                                      UserSession.ended_at.is_(None))
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    return session.execute(query.values(ended_at=now, end_reason=reason)).rowcount > 0  # type: ignore[attr-defined]


def end_sessions(session: Session, user_id: int, reason: str, now: datetime | None = None, *,
                 keep: int | None = None) -> int:
    """End every open session of ``user_id`` (but ``keep``); how many were open.

    Ends by an admin or "everywhere" are written to the audit trail too.
    """
    now = now or datetime.now(UTC)
    query = update(UserSession).where(UserSession.user_id == user_id,
                                      UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    ended = session.execute(query.values(ended_at=now, end_reason=reason)).rowcount  # type: ignore[attr-defined]
    if reason in {BY_ADMIN, EVERYWHERE}:
        session.add(AuditEntry(actor=session.info.get("actor", "system"), action="update",
                               object_type="User", object_id=str(user_id), before=None,
                               after={"sessions": f"{ended} ended ({reason})"}))
    session.flush()
    return int(ended)


def live_sessions(session: Session, user_id: int, now: datetime,
                  lifetime: Lifetime) -> list[UserSession]:
    """``user_id``'s sessions that still sign in, most recently used first."""
    rows = session.scalars(select(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None),
        UserSession.expires_at > now, UserSession.last_seen_at > now - lifetime.idle,
    ).order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())).all()
    return list(rows)


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))


def device(user_agent: str) -> str:
    """A short name for the browser and system in a User-Agent ("Firefox on Windows")."""
    browser = next((name for key, name in _BROWSERS if key in user_agent), "")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    if browser and system:
        return _("{browser} on {system}").format(browser=browser, system=system)
    return browser or system or (re.split(r"[/\s]", user_agent.strip())[0][:40] or _("unknown"))


def live_session_counts(session: Session, now: datetime, lifetime: Lifetime) -> dict[int, int]:
    """How many live sessions each user has (users without any are left out)."""
    query = (select(UserSession.user_id, func.count(UserSession.id))
             .where(UserSession.ended_at.is_(None), UserSession.expires_at > now,
                    UserSession.last_seen_at > now - lifetime.idle)
             .group_by(UserSession.user_id))
    return {user_id: int(n) for user_id, n in session.execute(query)}
