"""How pages and callbacks reach the database and the person behind the request: through the
Flask app the Dash app runs on.

The session factory hangs off ``server.extensions``; no module-level database state. The viewer
comes from the session row that the cookie's token names, checked once per request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import current_app, g, has_request_context, session
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from delivery.access import ANONYMOUS, Viewer
from delivery.signin.sessions import Lifetime, end_session, find_session, touch

EXTENSION = "delivery"
TOKEN_KEY = "sid"  # all the cookie holds: the session's random token (stored hashed)


@contextmanager
def read_session() -> Iterator[Session]:
    """A session for reading in the current request; nothing it does is committed."""
    factory = current_app.extensions[EXTENSION]["session_factory"]
    with factory() as session:
        yield session


@contextmanager
def write_session() -> Iterator[Session]:
    """A session whose work is committed as one (rolled back on any error), with the signed-in
    person recorded as the actor of every change in the audit trail."""
    factory = current_app.extensions[EXTENSION]["session_factory"]
    with factory() as db, db.begin():
        db.info["actor"] = current_viewer().username or "anonymous"
        yield db


def current_viewer() -> Viewer:
    """The signed-in person, or ``ANONYMOUS``. A cookie whose session was ended, sat idle too
    long or outlived its lifetime, or whose user was deactivated, changed or given a new
    password since, signs nobody in (and is cleared)."""
    if not has_request_context():
        return ANONYMOUS
    if "viewer" not in g:
        g.viewer = _load_viewer()
    return g.viewer


def current_settings() -> Any:
    """The app's settings (``delivery.settings.Settings``)."""
    return current_app.extensions[EXTENSION]["settings"]


def lifetime() -> Lifetime:
    return Lifetime.of(current_app.extensions[EXTENSION]["settings"])


def current_session_id() -> int | None:
    """The id of the signed-in person's session row (None when nobody is signed in)."""
    current_viewer()
    return g.get("session_id")


def _load_viewer() -> Viewer:
    token = session.get(TOKEN_KEY)
    if not isinstance(token, str) or not token:
        return ANONYMOUS
    now = datetime.now(UTC)
    with read_session() as db:
        found = find_session(db, token, now, lifetime())
        viewer = Viewer.of(found.user) if found and not found.over else ANONYMOUS
    if found is None or found.over:
        session.clear()
        if found is not None and found.row.ended_at is None:
            _best_effort(lambda db: end_session(db, found.row.id, found.over, now))
        return ANONYMOUS
    g.session_id = found.row.id
    if found.touch:
        _best_effort(lambda db: touch(db, found.row.id, now))
    return viewer


def _best_effort(write: Callable[[Session], object]) -> None:
    """Bookkeeping that must not fail a page view: a busy database only delays it."""
    factory = current_app.extensions[EXTENSION]["session_factory"]
    try:
        with factory() as db, db.begin():
            write(db)
    except OperationalError:
        pass
