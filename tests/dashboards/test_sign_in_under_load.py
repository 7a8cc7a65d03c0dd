"""A crowd of parallel wrong passwords against the real app served over HTTP, many requests in
flight at once: no more passwords are checked than the limit allows."""

from __future__ import annotations

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from delivery import users
from delivery.db import make_engine, make_session_factory, upgrade
from delivery.models import SignInAttempt
from delivery.users import FREE_FAILURES, create_user
from delivery.vocabulary import Role
from tests.browser.conftest import serving

CROWD = 100


class CountingHasher(PasswordHasher):
    """The real argon2id hasher, counting the passwords it checks."""

    def __init__(self) -> None:
        super().__init__()
        self.checked, self._lock = 0, threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        with self._lock:
            self.checked += 1
        return super().verify(hash, password)


def post_sign_in(base: str, password: str) -> int:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("POST", "/auth/sign-in",
                     urlencode({"username": "ana", "password": password, "next": "/"}),
                     {"Content-Type": "application/x-www-form-urlencoded", "Origin": base})
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture
def crowd_target(server, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    url = server.new_url()
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        create_user(session, "ana", "the right long password", Role.ANALYST)
    hasher = CountingHasher()
    monkeypatch.setattr(users, "_hasher", hasher)
    with serving(url, tmp_path) as live:
        yield live, hasher, factory
    engine.dispose()


def test_a_hundred_parallel_wrong_passwords_check_at_most_the_limit(crowd_target):
    live, hasher, factory = crowd_target
    start = threading.Barrier(CROWD)

    def one(i: int) -> int:
        start.wait()
        return post_sign_in(live.url, f"guess number {i}")

    with ThreadPoolExecutor(CROWD) as pool:
        statuses = list(pool.map(one, range(CROWD)))
    with factory() as session:
        recorded = session.scalar(select(func.count(SignInAttempt.id)))
    assert statuses == [303] * CROWD  # every one answered: "wrong" or "wait", never a 500
    assert hasher.checked == recorded == FREE_FAILURES
    assert post_sign_in(live.url, "the right long password") == 303
    assert hasher.checked == FREE_FAILURES  # even the right password now waits
