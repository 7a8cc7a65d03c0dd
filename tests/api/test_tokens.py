"""Tokens: stored hashed, refused once revoked or expired or their user deactivated, every
use audited, a rate limit per token shared through the database; ``delivery tokens``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from delivery.api.ratelimit import count_request
from delivery.api.tokens import digest, revoke_token
from delivery.cli import main
from delivery.models import ApiToken, AuditEntry, User
from delivery.users import create_user, set_active
from delivery.vocabulary import Role
from tests.api.conftest import close_site, open_api
from tests.personas import build_government, fast_password_hashing  # noqa: F401


def test_only_the_hash_of_a_token_is_stored(api):
    token_id, secret = api.token("analyst")
    with api.factory() as session:
        row = session.get(ApiToken, token_id)
        assert row.token_hash == digest(secret) and secret not in (row.prefix + row.name)
        audit = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "ApiToken", AuditEntry.action == "create",
            AuditEntry.object_id == str(token_id))).one()
        assert "token_hash" not in audit.after


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer dt_not-a-token", "Basic YTpi",
                                    "Bearer " + "x" * 5000])
def test_a_request_without_a_known_token_is_refused(api, header):
    headers = {"Authorization": header} if header else {}
    answer = api.client().get("/api/v1/goals", headers=headers)
    assert answer.status_code == 401
    assert answer.content_type == "application/problem+json"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_from_then_on(api):
    token_id, secret = api.token("secretariat")
    assert api.call(None, "GET", "/goals", token=secret).status_code == 200
    with api.factory() as session, session.begin():
        revoke_token(session, token_id, by="sonia")
    before = api.counts()
    for method, path, body in (("GET", "/goals", None), ("POST", "/figures", {"figures": [
            {"goal": "SDS-HOM", "period_start": "2023-01-01", "period_end": "2023-01-31",
             "value": 1}]})):
        answer = api.call(None, method, path, token=secret, json=body)
        assert answer.status_code == 401
        assert answer.get_json()["detail"] == "This API token was revoked."
    assert api.counts() == before


def test_an_expired_token_is_refused(api):
    _id, secret = api.token("analyst", expires=date.today() + timedelta(days=1))
    assert api.call(None, "GET", "/pacts", token=secret).status_code == 200
    with api.factory() as session, session.begin():
        session.get(ApiToken, _id).expires_at = datetime.now(UTC) - timedelta(seconds=1)
    answer = api.call(None, "GET", "/pacts", token=secret)
    assert answer.status_code == 401
    assert answer.get_json()["detail"] == "This API token has expired."


def test_a_token_follows_its_user_deactivated_or_given_another_role(api):
    with api.factory() as session, session.begin():
        user = create_user(session, "temp", "correct horse battery", Role.SECRETARIAT,
                           secretariat="SEE")
    from delivery.api.tokens import create_token
    with api.factory() as session, session.begin():
        secret = create_token(session, session.get(User, user.id), "bi").secret
    assert api.call(None, "GET", "/pillars", token=secret).status_code == 403
    with api.factory() as session, session.begin():
        session.get(User, user.id).role = Role.GOVERNOR
    assert api.call(None, "GET", "/pillars", token=secret).status_code == 200
    with api.factory() as session, session.begin():
        set_active(session, session.get(User, user.id), False)
    assert api.call(None, "GET", "/pillars", token=secret).status_code == 401


def test_every_use_is_audited_with_who_what_and_the_answer(api):
    token_id, secret = api.token("governor")
    api.call(None, "GET", "/goals?per_page=2", token=secret)
    api.call(None, "POST", "/figures", token=secret, json={"figures": [
        {"goal": "SDS-HOM", "period_start": "2023-01-01", "period_end": "2023-01-31",
         "value": 1}]})
    with api.factory() as session:
        uses = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "api", AuditEntry.object_id == str(token_id))
            .order_by(AuditEntry.id)).all()
        last_used = session.get(ApiToken, token_id).last_used_at
    assert [(u.actor, u.after) for u in uses] == [
        ("gil", {"method": "GET", "path": "/api/v1/goals?per_page=2", "status": 200}),
        ("gil", {"method": "POST", "path": "/api/v1/figures", "status": 403})]
    assert last_used is not None


def test_the_rate_limit_counts_per_token_in_the_database(db):
    gov = build_government(db)
    from delivery.api.tokens import create_token
    user = db.get(User, gov.users["analyst"])
    one, two = (create_token(db, user, n).token.id for n in ("one", "two"))
    now = datetime(2026, 12, 6, 10, 0, 30, tzinfo=UTC)
    verdicts = [count_request(db, one, 3, now) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[0].remaining == 2 and verdicts[-1].reset_seconds == 31
    assert count_request(db, two, 3, now).allowed  # another token has its own count
    assert count_request(db, one, 3, now + timedelta(minutes=1)).allowed  # a new minute


def test_past_the_rate_limit_the_api_answers_429_with_retry_after(server, tmp_path):
    api = open_api(server, tmp_path, api_rate_per_minute=2)
    try:
        answers = [api.call("analyst", "GET", "/pacts") for _ in range(3)]
        assert [a.status_code for a in answers[:2]] == [200, 200]
        if answers[2].status_code != 429:  # the minute turned between the requests
            answers.append(api.call("analyst", "GET", "/pacts"))
            answers.append(api.call("analyst", "GET", "/pacts"))
        refused = [a for a in answers if a.status_code == 429][0]
        assert refused.content_type == "application/problem+json"
        assert 1 <= int(refused.headers["Retry-After"]) <= 61
        assert api.call("governor", "GET", "/pacts").status_code == 200  # its own count
    finally:
        close_site(api.site)


@pytest.fixture
def cli(database_url, session_factory, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    with session_factory() as session, session.begin():
        build_government(session)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, ["tokens", *args])


def test_tokens_are_made_listed_and_revoked_from_the_command_line(cli, session_factory):
    made = cli("create", "sonia", "--name", "SDS statistics system", "--expires", "2099-12-31")
    assert made.exit_code == 0, made.output
    secret = made.output.splitlines()[-1]
    assert secret.startswith("dt_")
    listed = cli("list")
    assert "sonia" in listed.output and "SDS statistics system" in listed.output
    assert "active" in listed.output and secret not in listed.output
    token_id = made.output.split()[1]
    assert cli("revoke", token_id).exit_code == 0
    assert "revoked" in cli("list", "--user", "sonia").output
    with session_factory() as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.token_hash == digest(secret) and row.revoked_by.startswith("cli")


@pytest.mark.parametrize(("args", "message"), [
    (["create", "nobody", "--name", "x"], "no user 'nobody'"),
    (["create", "sonia", "--name", " "], "name:"),
    (["create", "sonia", "--name", "x", "--expires", "2001-01-01"], "expires:"),
    (["create", "sonia", "--name", "x", "--expires", "soon"], "not a date"),
    (["revoke", "424242"], "no token 424242"),
], ids=["unknown-user", "no-name", "expired", "bad-date", "unknown-token"])
def test_the_command_line_names_what_is_wrong(cli, args, message):
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output
