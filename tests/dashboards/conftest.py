"""The app on a small government with named people (see ``tests/personas.py``), driven through
Flask's test client: one database and one app per test module, a signed-in client per person.

Tests here must not depend on what other tests changed: they compare before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dashboards.app import create_app
from dashboards.context import TOKEN_KEY
from delivery import users
from delivery.db import make_engine, make_session_factory, upgrade
from delivery.models import AuditEntry, Commitment, Figure, Goal, Trajectory, User
from delivery.settings import load_settings
from delivery.signin.sessions import Lifetime, start_session
from tests.personas import Government, build_government

ORIGIN = "http://localhost"
PERSONAS = ["analyst", "governor", "secretariat", "other_secretariat", "nobody"]


@dataclass
class Site:
    app: Any
    factory: sessionmaker[Session]
    gov: Government
    settings: Any

    def client(self, persona: str = "nobody", origin: str | None = ORIGIN) -> FlaskClient:
        """A client signed in as ``persona`` (a session and cookie as the sign-in route makes) whose
        requests carry this site's Origin, like a browser's."""
        client = self.app.server.test_client()
        if origin:
            client.environ_base["HTTP_ORIGIN"] = origin
        if persona != "nobody":
            with self.factory() as session, session.begin():
                user = session.get(User, self.gov.users[persona])
                token = start_session(session, user, datetime.now(UTC), Lifetime(),
                                      user_agent="pytest", address="127.0.0.1")
            with client.session_transaction() as cookie:
                cookie[TOKEN_KEY] = token
        return client

    def snapshot(self) -> dict[str, Any]:
        """Everything a refused request must leave as it was."""
        with self.factory() as session:
            return {
                "figures": session.scalar(select(func.count(Figure.id))),
                "audit": session.scalar(select(func.count(AuditEntry.id))),
                "trajectories": session.scalar(select(func.count(Trajectory.id))),
                "goals": sorted(session.execute(select(Goal.id, Goal.version)).all()),
                "commitments": sorted(session.execute(
                    select(Commitment.id, Commitment.state, Commitment.closed_on)).all()),
                "users": sorted(session.execute(
                    select(User.id, User.password_hash, User.is_active)).all()),
            }


def open_site(server, data_dir, **settings: Any) -> Site:  # type: ignore[no-untyped-def]
    """A new database with the small government, and the app on it with ``settings``."""
    url = server.new_url()
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with pytest.MonkeyPatch.context() as patch:  # cheap hashes: the same code, much faster
        patch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64,
                                                       parallelism=1))
        with factory() as session, session.begin():
            gov = build_government(session)
    app_settings = load_settings({"database_url": url, "secret_key": "test-secret",
                                  "data_dir": str(data_dir), **settings}, environ={})
    return Site(create_app(app_settings), factory, gov, app_settings)


def close_site(site: Site) -> None:
    site.app.server.extensions["delivery"]["engine"].dispose()
    site.factory.kw["bind"].dispose()


@pytest.fixture(scope="module")
def site(server, tmp_path_factory) -> Iterator[Site]:  # type: ignore[no-untyped-def]
    site = open_site(server, tmp_path_factory.mktemp("data"))
    yield site
    close_site(site)


@pytest.fixture
def client_for(site: Site) -> Callable[[str], FlaskClient]:
    return site.client
