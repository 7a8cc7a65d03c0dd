"""Sign-in limits per address, whatever the usernames (the per-username limits: test_users)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from delivery.signin.limits import ADDRESS_FREE_FAILURES, wait_before_next_try
from delivery.users import authenticate, create_user
from delivery.vocabulary import Role
from tests.personas import fast_password_hashing  # noqa: F401

NOW = datetime(2023, 1, 16, 9, 0, tzinfo=UTC)
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.1"


def test_one_address_spraying_many_usernames_is_slowed_down(db):
    create_user(db, "ana", "a long enough password", Role.ANALYST)
    for i in range(ADDRESS_FREE_FAILURES):  # one try per username: each below FREE_FAILURES
        authenticate(db, f"user{i}", "Summer2023!", HERE, NOW + timedelta(seconds=i))
    later = NOW + timedelta(seconds=ADDRESS_FREE_FAILURES)
    assert wait_before_next_try(db, "ana", HERE, later) > timedelta(0)
    assert not authenticate(db, "ana", "a long enough password", HERE, later).ok
    assert authenticate(db, "ana", "a long enough password", ELSEWHERE, later).ok


def test_a_success_from_the_address_does_not_reset_its_count(db):
    create_user(db, "mallory", "mallory's own password", Role.GOVERNOR)
    for i in range(ADDRESS_FREE_FAILURES - 1):
        authenticate(db, f"user{i}", "guess", HERE, NOW + timedelta(seconds=i))
    own = authenticate(db, "mallory", "mallory's own password", HERE, NOW + timedelta(minutes=1))
    assert own.ok
    authenticate(db, "victim", "guess", HERE, NOW + timedelta(minutes=2))
    assert wait_before_next_try(db, "other", HERE, NOW + timedelta(minutes=2)) > timedelta(0)
