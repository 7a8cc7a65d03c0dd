"""How pages and callbacks reach the database: through the Flask app the Dash app runs on.

The session factory hangs off ``server.extensions``; no module-level database state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy.orm import Session

EXTENSION = "delivery"


@contextmanager
def read_session() -> Iterator[Session]:
    """A session for reading in the current request; nothing it does is committed."""
    factory = current_app.extensions[EXTENSION]["session_factory"]
    with factory() as session:
        yield session
