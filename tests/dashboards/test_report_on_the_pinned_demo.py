"""A commitment closed on /report in the pinned demo is closed on the demo's day on every page
that counts commitments: routine health, the weekly review's follow-up, and the pact page."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from dashboards.app import create_app
from dashboards.context import TOKEN_KEY
from delivery import users
from delivery.clock import review_date
from delivery.db import make_engine, make_session_factory
from delivery.models import Commitment, Pact, ReviewMeeting, Secretariat, User
from delivery.review import commitments_due
from delivery.routine_health import routine_health
from delivery.settings import load_settings
from delivery.signin.sessions import Lifetime, start_session
from tests.browser.conftest import new_demo_database
from tests.dashboards.test_auth_routes import route, save_commitment

DEMO_DAY = date(2023, 1, 16)


@pytest.fixture(scope="module")
def demo_site(server, tmp_path_factory):  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64,
                                                       parallelism=1))
        url = new_demo_database(server)
    settings = load_settings({"database_url": url, "secret_key": "test-secret",
                              "data_dir": str(tmp_path_factory.mktemp("data"))}, environ={})
    app = create_app(settings)
    engine = make_engine(url)
    yield app, make_session_factory(engine)
    app.server.extensions["delivery"]["engine"].dispose()
    engine.dispose()


def signed_in(app, factory, username):  # type: ignore[no-untyped-def]
    client = app.server.test_client()
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"
    with factory() as session, session.begin():
        user = session.scalars(select(User).where(User.username == username)).one()
        token = start_session(session, user, datetime.now(UTC), Lifetime(),
                              user_agent="pytest", address="127.0.0.1")
    with client.session_transaction() as cookie:
        cookie[TOKEN_KEY] = token
    return client


def overdue_pact_commitment(session):  # type: ignore[no-untyped-def]
    """An open commitment of a pact meeting, owned by Defesa Social, past its due date."""
    return session.execute(
        select(Commitment.id, Commitment.description, Pact.code)
        .join(ReviewMeeting, Commitment.meeting_id == ReviewMeeting.id)
        .join(Pact, ReviewMeeting.pact_id == Pact.id)
        .join(Secretariat, Commitment.owner_secretariat_id == Secretariat.id)
        .where(Secretariat.code == "SDS", Commitment.state == "open",
               Commitment.due_on < DEMO_DAY).order_by(Commitment.due_on)).first()


def shown_state_on_pact_page(client, pact_code, description):  # type: ignore[no-untyped-def]
    """The state the pact page's commitments table shows for ``description`` (its row class
    ``commitment-<state>``: overdue, open, done, dropped)."""
    found = []

    def walk(node):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            name = (node.get("props") or {}).get("className") or ""
            # the row's class (its cells hold a "commitment-link" to the commitment's page)
            if (node.get("type") == "Tr" and name.startswith("commitment-")
                    and description in json.dumps(node)):
                found.append(name.removeprefix("commitment-"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(route(client, f"/pact/{pact_code}").get_json())
    return found


def test_a_commitment_closed_on_report_is_closed_on_the_demo_day_everywhere(demo_site):
    app, factory = demo_site
    with factory() as session:
        assert review_date(session) == DEMO_DAY
        found = overdue_pact_commitment(session)
        assert found is not None, "the demo has an overdue Pact for Life commitment of SDS"
        commitment_id, description, pact_code = found
        health_before = routine_health(session, DEMO_DAY).set_index("code").loc[pact_code]
    client = signed_in(app, factory, "sds")
    assert shown_state_on_pact_page(client, pact_code, description) == ["overdue"]

    response = save_commitment(client, commitment_id, "done")  # the /report button
    assert "Saved." in response.get_data(as_text=True)

    with factory() as session:
        closed = session.get(Commitment, commitment_id)
        assert (closed.state.value, closed.closed_on, closed.closed_by) == (
            "done", DEMO_DAY, "sds")
        health = routine_health(session, DEMO_DAY).set_index("code").loc[pact_code]
        followed = commitments_due(session, DEMO_DAY, since=date(2022, 1, 1))
    assert health["open_overdue"] == health_before["open_overdue"] - 1  # routine health
    assert health["closed_late"] == health_before["closed_late"] + 1
    row = followed[followed["commitment_id"] == commitment_id].iloc[0]  # /review's follow-up
    assert (row["state"], row["closed_on"]) == ("done", DEMO_DAY)
    assert shown_state_on_pact_page(client, pact_code, description) == ["done"]  # /pact
