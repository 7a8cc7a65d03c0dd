"""Personal API tokens: made for a user, shown once, stored as the SHA-256 of the secret,
revocable, optionally expiring. A token acts as its user: the role and secretariat are read at
each request, so a changed role or a deactivated user changes or stops the token at once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from delivery.access import Viewer
from delivery.i18n import _
from delivery.models import ApiToken, AuditEntry, User

PREFIX = "dt_"  # a secret starts with this, so that a leaked one is easy to recognise
MAX_NAME = 80


class TokenError(ValueError):
    """A token cannot be made or changed as asked; the message says why."""


class TokenRefused(PermissionError):
    """A request's token does not sign anyone in; the message says why (safe to show)."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


@dataclass(frozen=True)
class TokenUse:
    token_id: int
    viewer: Viewer


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(at: datetime | None) -> datetime | None:
    return at if at is None or at.tzinfo else at.replace(tzinfo=UTC)


def expiry(day: date | None) -> datetime | None:
    """A token expiring on ``day`` works through that day (UTC)."""
    return None if day is None else datetime.combine(day, time.max, tzinfo=UTC)


def create_token(session: Session, user: User, name: str, *, expires: date | None = None,
                 now: datetime | None = None, created_by: str = "") -> NewToken:
    """A new token for ``user`` (audited as created by the session's actor)."""
    name = (name or "").strip()
    if not name:
        raise TokenError(_("name: a token needs a name, e.g. the system that will use it"))
    if len(name) > MAX_NAME:
        raise TokenError(_("name: at most {n} characters").format(n=MAX_NAME))
    now = now or datetime.now(UTC)
    if expires is not None and expiry(expires) <= now:  # type: ignore[operator]
        raise TokenError(_("expires: {day} has passed").format(day=expires.isoformat()))
    if not user.is_active:
        raise TokenError(_("user: {name} is deactivated").format(name=user.username))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(token_hash=digest(secret), prefix=secret[:10], name=name, user_id=user.id,
                     created_at=now, created_by=created_by or session.info.get("actor", ""),
                     expires_at=expiry(expires))
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def list_tokens(session: Session, user_id: int | None = None) -> list[tuple[ApiToken, str]]:
    """(token, username) of one user's tokens, or everyone's; newest first."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [(t, u) for t, u in session.execute(query.order_by(ApiToken.id.desc())).all()]


def revoke_token(session: Session, token_id: int, *, by: str, user_id: int | None = None,
                 now: datetime | None = None) -> ApiToken:
    """Revoke a token (of ``user_id`` only, when given: one's own); a revoked one stays so."""
    token = session.get(ApiToken, token_id) if -(2**31) <= token_id < 2**31 else None
    if token is None or (user_id is not None and token.user_id != user_id):
        raise TokenError(_("token: no token {id} of yours").format(id=token_id))
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = now or datetime.now(UTC), by
        session.flush()
    return token


def state(token: ApiToken, now: datetime) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if token.revoked_at is not None:
        return "revoked"
    expires = _aware(token.expires_at)
    return "expired" if expires is not None and expires < now else "active"


def authenticate(session: Session, secret: str, now: datetime) -> TokenUse:
    """The person a presented secret acts as; TokenRefused naming why not. Marks the token
    used (a plain UPDATE: being used is not a change to audit as an edit)."""
    if not secret or len(secret) > 200:
        raise TokenRefused(_("No API token: send `Authorization: Bearer <token>`."))
    found = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                            .where(ApiToken.token_hash == digest(secret))).first()
    if found is None:
        raise TokenRefused(_("This API token is not known."))
    token, user = found
    status = state(token, now)
    if status == "revoked":
        raise TokenRefused(_("This API token was revoked."))
    if status == "expired":
        raise TokenRefused(_("This API token has expired."))
    if not user.is_active:
        raise TokenRefused(_("The user of this API token is deactivated."))
    session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return TokenUse(token.id, Viewer.of(user))


def audit_use(session: Session, use: TokenUse, *, method: str, path: str, status: int,
              now: datetime) -> None:
    """One audit-trail entry per API request: which token, whose, what, with what answer."""
    session.add(AuditEntry(actor=use.viewer.username, action="api", object_type="ApiToken",
                           object_id=str(use.token_id), before=None,
                           after={"method": method, "path": path[:300], "status": status},
                           at=now))
    session.flush()
