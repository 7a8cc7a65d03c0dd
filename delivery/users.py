"""People who sign in: passwords (argon2id), creating and changing users, and checking a
sign-in.

Failed sign-ins are kept in the database (``sign_in_attempt``), so the slow-down holds across
every web worker and every restart. After ``FREE_FAILURES`` failures for one username from one
address within ``WINDOW``, each further try must wait, doubling from ``FIRST_WAIT`` up to
``WINDOW``; a success clears the count. An address has its own, larger allowance whatever the
usernames (``delivery.signin.limits``). A new password, a new role or deactivation ends the
user's sessions (``delivery.signin.sessions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery.audit import SYSTEM
from delivery.i18n import LANGUAGES, _, normalize
from delivery.models import AuditEntry, Secretariat, SignInAttempt, User
from delivery.signin.limits import (  # noqa: F401 - the limits, re-exported for callers
    FIRST_WAIT,
    FREE_FAILURES,
    WINDOW,
    hold_address,
    wait_before_next_try,
)
from delivery.signin.sessions import (  # noqa: F401 - session_stamp re-exported
    DEACTIVATED,
    PASSWORD_CHANGED,
    ROLE_CHANGED,
    end_sessions,
    session_stamp,
)
from delivery.vocabulary import Role

MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()  # argon2id with the library's current (RFC 9106) parameters
# Checked when the username is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_("a password needs at least {n} characters").format(
            n=MIN_PASSWORD_LENGTH))
    return _hasher.hash(password)


def password_matches(user: User, password: str) -> bool:
    """Check ``password``; a hash made with older parameters is upgraded in place."""
    try:
        _hasher.verify(user.password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return bool(user.password_hash)


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def _secretariat_id(session: Session, role: Role, secretariat: str | None) -> int | None:
    if role != Role.SECRETARIAT:
        if secretariat:
            raise UserError(_("only secretariat users belong to a secretariat, not {role}s")
                            .format(role=role.value))
        return None
    if not secretariat:
        raise UserError(_("a secretariat user needs the code of their secretariat"))
    found = session.scalar(select(Secretariat.id).where(Secretariat.code == secretariat))
    if found is None:
        raise UserError(_("there is no secretariat with code {code}").format(
            code=repr(secretariat)))
    return found


def create_user(session: Session, username: str, password: str, role: Role | str, *,
                display_name: str = "", secretariat: str | None = None) -> User:
    """Add a user (usernames are lower case); ``secretariat`` is the code, for secretariat users.

    Raises UserError on a taken username, a short password or a missing/unknown secretariat.
    """
    role = Role(role)
    name = username.strip().lower()
    if not name or len(name) > 80 or any(c.isspace() for c in name):
        raise UserError(_("a username is 1 to 80 characters without spaces"))
    if find_user(session, name) is not None:
        raise UserError(_("the username {name} is taken").format(name=repr(name)))
    user = User(username=name, display_name=display_name or name, role=role,
                secretariat_id=_secretariat_id(session, role, secretariat),
                password_hash=hash_password(password), is_active=True)
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    """Replace the password; the user's existing sessions end. Recorded in the audit trail
    without the hash (the automatic trail never stores it, so the change is written here)."""
    user.password_hash = hash_password(password)
    end_sessions(session, user.id, PASSWORD_CHANGED)
    session.add(AuditEntry(actor=session.info.get("actor", SYSTEM), action="update",
                           object_type="User", object_id=str(user.id),
                           before={"password": "(hidden)"}, after={"password": "(changed)"}))
    session.flush()


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivate (or reactivate) a user; users are never deleted, so the trail keeps its names."""
    user.is_active = active
    if not active:
        end_sessions(session, user.id, DEACTIVATED)
    session.flush()


def set_role(session: Session, user: User, role: Role | str,
             secretariat: str | None = None) -> None:
    """Give ``user`` another role (and secretariat); their open sessions end."""
    role = Role(role)
    user.secretariat_id = _secretariat_id(session, role, secretariat)
    user.role = role
    end_sessions(session, user.id, ROLE_CHANGED)
    session.flush()


def set_secretariat_head(session: Session, user: User, head: bool) -> None:
    """Make ``user`` (a secretariat's active user) head of their secretariat, or not: figures
    overdue a week or more escalate to the head, and reminders then reach them (recorded in
    the audit trail). A secretariat may have more than one head."""
    if head and (user.role != Role.SECRETARIAT or user.secretariat_id is None
                 or not user.is_active):
        raise UserError(_("head: only an active secretariat user can head a secretariat; "
                          "{name} is not one").format(name=user.username))
    user.is_secretariat_head = bool(head)
    session.flush()


def secretariat_people(session: Session) -> list[tuple[User, str]]:
    """The active secretariat users with their secretariat's code, by secretariat then name:
    those who can head one."""
    query = (select(User, Secretariat.code).join(Secretariat, User.secretariat_id ==
                                                 Secretariat.id)
             .where(User.role == Role.SECRETARIAT, User.is_active.is_(True))
             .order_by(Secretariat.code, User.username))
    return [(user, code) for user, code in session.execute(query).all()]


def set_language(session: Session, user: User, language: str | None) -> None:
    """The language the site speaks to ``user`` (None: the site default); recorded in the
    audit trail. Raises ValueError for a language the site does not offer."""
    code = normalize(language) if language else None
    if language and code is None:
        raise ValueError(_("language {language} is not one of {languages}").format(
            language=repr(language), languages=", ".join(LANGUAGES)))
    user.language = code
    session.flush()


def list_users(session: Session) -> list[tuple[User, str | None]]:
    """Every user with the code of their secretariat, by username."""
    query = (select(User, Secretariat.code).outerjoin(Secretariat, User.secretariat_id ==
                                                      Secretariat.id).order_by(User.username))
    return [(user, code) for user, code in session.execute(query).all()]


def count_admins(session: Session) -> int:
    query = select(func.count(User.id)).where(User.role == Role.ADMIN, User.is_active.is_(True))
    return session.scalar(query) or 0


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user, or why not and how long to wait."""

    user: User | None
    wait: timedelta = timedelta(0)

    @property
    def ok(self) -> bool:
        return self.user is not None


def authenticate(session: Session, username: str, password: str, address: str,
                 now: datetime | None = None) -> SignIn:
    """Check a username and password from ``address``, recording the try.

    While the pair (or the address) must wait, the password is not even checked; tries from one
    address are counted and checked one at a time (see ``delivery.signin.limits``), so parallel
    requests cannot outrun the count. Unknown usernames, inactive users and wrong passwords all
    fail the same way and take the same time. Call it first in its transaction.
    """
    now = now or datetime.now(UTC)
    name, address = username.strip().lower()[:80], address[:64]
    hold_address(session, address, now)
    wait = wait_before_next_try(session, name, address, now)
    if wait > timedelta(0):
        return SignIn(None, wait)
    user = find_user(session, name)
    matched = password_matches(user, password) if user else password_matches(User(), password)
    ok = bool(user and matched and user.is_active)
    session.add(SignInAttempt(username=name, address=address, at=now, succeeded=ok))
    session.flush()
    return SignIn(user if ok else None)


DEMO_PASSWORD = "demo-password"
DEMO_USERS = (  # username, role, secretariat code, display name
    ("admin", Role.ADMIN, None, "Site administrator"),
    ("ana", Role.ANALYST, None, "Ana Analyst (delivery unit)"),
    ("governor", Role.GOVERNOR, None, "The Governor"),
    ("sds", Role.SECRETARIAT, "SDS", "Results centre, Defesa Social"),
    ("see", Role.SECRETARIAT, "SEE", "Results centre, Educação"),
)


def create_demo_users(session: Session) -> list[User]:
    """The demo's people, all with ``DEMO_PASSWORD``: for the demo database only; their
    display names in the language in force (``data/demo/names.<language>.yaml``)."""
    from delivery.demo.spec import demo_texts  # the demo's data, read only for the demo

    texts = demo_texts()
    return [create_user(session, name, DEMO_PASSWORD, role,
                        display_name=texts.get(display, display), secretariat=sec)
            for name, role, sec, display in DEMO_USERS]


def add_demo_users_if_none(session: Session) -> str:
    """Create the demo's people when there is no user at all; say who they are."""
    if session.scalar(select(func.count(User.id))):
        return ""
    people = create_demo_users(session)
    names = ", ".join(f"{u.username} ({u.role}" + (f" {sec}" if sec else "") + ")"
                      for u, (_, _, sec, _) in zip(people, DEMO_USERS, strict=True))
    return _("Demo users, all with the password {password}: {names}.").format(
        password=repr(DEMO_PASSWORD), names=names)
