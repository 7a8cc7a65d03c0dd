"""A lock held longer than a web request may wait: a sign-in or a save during another long
write is told "busy, try again" (503 with Retry-After on a route, the banner on a screen),
never a 500, and nothing is written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from dashboards.busy import BANNER, message
from tests.dashboards.conftest import close_site, open_site
from tests.dashboards.test_auth_routes import call, sign_in
from tests.personas import PASSWORD

WAIT_MS = 300  # what a web request may wait for a lock here


@pytest.fixture(scope="module")
def busy_site(server, tmp_path_factory):  # type: ignore[no-untyped-def]
    site = open_site(server, tmp_path_factory.mktemp("data"), sqlite_busy_timeout_ms=WAIT_MS,
                     postgres_lock_timeout_ms=WAIT_MS)
    yield site
    close_site(site)


@contextmanager
def long_write(site) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Another process in the middle of a long save: it holds the write lock until the end."""
    url = site.settings.database_url
    if url.startswith("sqlite"):
        other = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the write lock, as a long save holds it
        try:
            yield
        finally:
            other.rollback()
            other.close()
        return
    engine = create_engine(url)
    with engine.connect() as other, other.begin():
        other.execute(text("LOCK TABLE figure, sign_in_attempt IN EXCLUSIVE MODE"))
        yield
    engine.dispose()


def test_a_sign_in_during_a_long_save_is_told_to_try_again(busy_site):
    before = busy_site.snapshot()
    with long_write(busy_site):
        response = sign_in(busy_site.client(), "gil", "not the password")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert message() in response.get_data(as_text=True)
    assert busy_site.snapshot() == before


def test_a_right_password_during_a_long_save_never_gets_a_500(busy_site):
    with long_write(busy_site):
        response = sign_in(busy_site.client(), "gil", PASSWORD)
    assert response.status_code in (303, 503)
    # once the lock is gone the same sign-in goes through
    assert sign_in(busy_site.client(), "gil", PASSWORD).status_code == 303


def test_a_save_during_a_long_save_shows_the_banner_and_changes_nothing(busy_site):
    goal_id = busy_site.gov.goals["homicides"]
    state = [("report-goal", "value", goal_id), ("report-start", "date", "2021-01-01"),
             ("report-end", "date", "2021-01-31"), ("report-value", "value", 42),
             ("report-provisional", "value", []), ("report-note", "value", "")]
    client = busy_site.client("analyst")
    before = busy_site.snapshot()
    with long_write(busy_site):
        response = call(client, "report-result.children", [("report-submit", "n_clicks", 1)],
                        state)
    assert response.status_code == 200
    body = response.get_json()
    assert body["sideUpdate"][BANNER] == {"children": message(), "is_open": True}
    assert body["response"] == {}  # the form stays as it was
    assert busy_site.snapshot() == before
    after = call(client, "report-result.children", [("report-submit", "n_clicks", 2)], state)
    assert "Saved" in after.get_data(as_text=True)
