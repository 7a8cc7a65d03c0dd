"""Sessions kept in the database: what a cookie's token opens, and what ends it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from delivery.models import AuditEntry, Secretariat, UserSession
from delivery.signin import sessions
from delivery.signin.sessions import Lifetime, end_sessions, find_session, start_session
from delivery.users import create_user, set_active, set_password, set_role
from delivery.vocabulary import Role
from tests.personas import fast_password_hashing  # noqa: F401

NOW = datetime(2023, 1, 16, 9, 0, tzinfo=UTC)
LIFE = Lifetime(idle=timedelta(minutes=60), most=timedelta(hours=12))


@pytest.fixture
def ana(db):
    db.add(Secretariat(code="SDS", name="Defesa Social"))
    return create_user(db, "ana", "a long enough password", Role.ANALYST)


def begin(db, user, at=NOW, agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"):
    return start_session(db, user, at, LIFE, user_agent=agent, address="203.0.113.7")


def over(db, token, at):
    found = find_session(db, token, at, LIFE)
    db.expire_all()
    return found.over


def test_only_a_hash_of_the_token_is_stored_and_the_token_opens_the_session(db, ana):
    token = begin(db, ana)
    row = db.scalars(select(UserSession)).one()
    assert token not in row.token_hash and len(token) >= 40
    found = find_session(db, token, NOW + timedelta(minutes=5), LIFE)
    assert found.user is ana and found.over == "" and found.row.address == "203.0.113.7"
    assert find_session(db, token + "x", NOW, LIFE) is None


@pytest.mark.parametrize(("change", "reason"), [
    (lambda db, ana: set_password(db, ana, "another long password"), sessions.PASSWORD_CHANGED),
    (lambda db, ana: set_role(db, ana, Role.SECRETARIAT, "SDS"), sessions.ROLE_CHANGED),
    (lambda db, ana: set_active(db, ana, False), sessions.DEACTIVATED),
    (lambda db, ana: end_sessions(db, ana.id, sessions.BY_ADMIN), sessions.BY_ADMIN),
], ids=["new-password", "new-role", "deactivated", "ended-by-admin"])
def test_a_change_to_the_user_ends_every_session_at_once(db, ana, change, reason):
    tokens = [begin(db, ana), begin(db, ana, agent="iPhone Safari/604.1")]
    change(db, ana)
    assert [over(db, t, NOW + timedelta(seconds=1)) for t in tokens] == [reason, reason]


def test_a_change_made_behind_the_apps_back_still_ends_the_session(db, ana):
    token = begin(db, ana)
    ana.role = Role.GOVERNOR  # e.g. at a SQL prompt: the stamp no longer matches
    db.flush()
    assert over(db, token, NOW) == sessions.ACCOUNT_CHANGED


@pytest.mark.parametrize(("last_seen", "asked", "reason"), [
    (timedelta(0), timedelta(minutes=59), ""),
    (timedelta(0), timedelta(minutes=60), sessions.IDLE),
    (timedelta(hours=11, minutes=30), timedelta(hours=11, minutes=59), ""),
    (timedelta(hours=11, minutes=30), timedelta(hours=12), sessions.EXPIRED),
], ids=["used-recently", "idle-an-hour", "busy-near-the-end", "past-its-lifetime"])
def test_a_session_ends_when_idle_or_past_its_lifetime(db, ana, last_seen, asked, reason):
    token = begin(db, ana)
    found = find_session(db, token, NOW, LIFE)
    sessions.touch(db, found.row.id, NOW + last_seen)
    assert over(db, token, NOW + asked) == reason


def test_last_seen_is_due_for_writing_at_most_once_a_minute(db, ana):
    token = begin(db, ana)
    assert not find_session(db, token, NOW + timedelta(seconds=59), LIFE).touch
    assert find_session(db, token, NOW + sessions.TOUCH_EVERY, LIFE).touch


def test_signing_out_everywhere_keeps_the_one_asked_and_is_audited(db, ana):
    db.info["actor"] = "ana"
    here, *others = [begin(db, ana, NOW + timedelta(seconds=i)) for i in range(3)]
    keep = find_session(db, here, NOW, LIFE).row.id
    assert end_sessions(db, ana.id, sessions.EVERYWHERE, NOW, keep=keep) == 2
    assert [over(db, t, NOW) for t in others] == [sessions.EVERYWHERE] * 2
    assert over(db, here, NOW) == ""
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.actor == "ana" and entry.after == {"sessions": "2 ended (signed out everywhere)"}


def test_live_sessions_are_listed_most_recent_first(db, ana):
    old, new, ended = (begin(db, ana, NOW + timedelta(minutes=m)) for m in (0, 10, 20))
    sessions.end_session(db, find_session(db, ended, NOW, LIFE).row.id, "signed out", NOW)
    listed = sessions.live_sessions(db, ana.id, NOW + timedelta(minutes=30), LIFE)
    assert [s.id for s in listed] == [find_session(db, t, NOW, LIFE).row.id for t in (new, old)]


@pytest.mark.parametrize(("agent", "name"), [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0 Safari/537.36 Edg/126.0", "Edge on Windows"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iPhone"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"),
    ("python-requests/2.32", "python-requests"),
    ("", "unknown"),
], ids=["edge", "iphone", "firefox", "script", "none"])
def test_a_user_agent_is_named_by_browser_and_system(agent, name):
    assert sessions.device(agent) == name
