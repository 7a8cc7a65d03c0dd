"""How pages and callbacks reach the database and the person behind the request: through the
Flask app the Dash app runs on.

The session factory hangs off ``server.extensions``; no module-level database state. The viewer
comes from the signed session cookie, checked against the database once per request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, has_request_context, session
from sqlalchemy.orm import Session

from delivery.access import ANONYMOUS, Viewer
from delivery.models import User
from delivery.users import session_stamp

EXTENSION = "delivery"
USER_KEY, STAMP_KEY = "uid", "stamp"


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
    """The signed-in person, or ``ANONYMOUS``. A cookie whose user was deactivated, changed or
    given a new password since it was issued signs nobody in (and is cleared)."""
    if not has_request_context():
        return ANONYMOUS
    if "viewer" not in g:
        g.viewer = _load_viewer()
    return g.viewer


def _load_viewer() -> Viewer:
    user_id = session.get(USER_KEY)
    if not isinstance(user_id, int):
        return ANONYMOUS
    with read_session() as db:
        user = db.get(User, user_id)
        if user is None or not user.is_active or session.get(STAMP_KEY) != session_stamp(user):
            session.clear()
            return ANONYMOUS
        return Viewer.of(user)
