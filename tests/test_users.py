from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from delivery import users
from delivery.models import AuditEntry, Secretariat
from delivery.signin.sessions import BY_ADMIN, ROLE_CHANGED, Lifetime, find_session, start_session
from delivery.users import (
    FIRST_WAIT,
    FREE_FAILURES,
    UserError,
    authenticate,
    create_user,
    session_stamp,
    set_active,
    set_password,
)
from delivery.vocabulary import Role
from tests.personas import fast_password_hashing  # noqa: F401

NOW = datetime(2023, 1, 16, 9, 0, tzinfo=UTC)
HERE = "203.0.113.7"


@pytest.fixture
def ana(db):
    return create_user(db, "Ana", "a long enough password", Role.ANALYST)


def test_passwords_are_stored_as_argon2id_hashes(db, ana):
    assert ana.username == "ana"
    assert ana.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in ana.password_hash


@pytest.mark.parametrize(("args", "message"), [
    (("ana", "a long enough password", Role.ANALYST), "taken"),
    (("bob", "short", Role.ANALYST), "at least 10"),
    (("bob", "a long enough password", Role.SECRETARIAT), "needs the code"),
    (("bob", "a long enough password", Role.GOVERNOR, "SDS"), "only secretariat"),
    (("bob", "a long enough password", Role.SECRETARIAT, "NOPE"), "no secretariat"),
    (("two words", "a long enough password", Role.ANALYST), "without spaces"),
], ids=["taken", "short-password", "no-secretariat", "governor-with-secretariat",
        "unknown-secretariat", "space-in-name"])
def test_it_refuses_users_that_would_not_work(db, ana, args, message):
    username, password, role, *sec = args
    with pytest.raises(UserError, match=message):
        create_user(db, username, password, role, secretariat=sec[0] if sec else None)


def test_a_secretariat_user_belongs_to_the_secretariat_named_by_its_code(db):
    sds = Secretariat(code="SDS", name="Defesa Social")
    db.add(sds)
    db.flush()
    user = create_user(db, "sonia", "a long enough password", "secretariat", secretariat="SDS")
    assert user.secretariat_id == sds.id and user.role == Role.SECRETARIAT


def test_the_right_password_signs_in_and_a_wrong_one_does_not(db, ana):
    assert authenticate(db, "ANA ", "a long enough password", HERE, NOW).user is ana
    assert not authenticate(db, "ana", "wrong password!", HERE, NOW).ok
    assert not authenticate(db, "nobody", "a long enough password", HERE, NOW).ok


def test_an_inactive_user_cannot_sign_in(db, ana):
    set_active(db, ana, False)
    assert not authenticate(db, "ana", "a long enough password", HERE, NOW).ok


def test_repeated_failures_make_the_next_try_wait_even_with_the_right_password(db, ana):
    for i in range(FREE_FAILURES):
        result = authenticate(db, "ana", "guess", HERE, NOW + timedelta(seconds=i))
        assert not result.ok and result.wait == timedelta(0)
    last = NOW + timedelta(seconds=FREE_FAILURES - 1)
    blocked = authenticate(db, "ana", "a long enough password", HERE, last + timedelta(seconds=1))
    assert not blocked.ok and blocked.wait == FIRST_WAIT - timedelta(seconds=1)
    # another address is not slowed down by these failures
    assert authenticate(db, "ana", "a long enough password", "198.51.100.1", last).ok
    # once the wait is over the right password works, and clears the count
    assert authenticate(db, "ana", "a long enough password", HERE, last + FIRST_WAIT).ok
    assert users.wait_before_next_try(db, "ana", HERE, last + FIRST_WAIT) == timedelta(0)


def test_the_wait_doubles_with_each_further_failure(db, ana):
    at = NOW
    for _ in range(FREE_FAILURES):
        authenticate(db, "ana", "guess", HERE, at)
    at += FIRST_WAIT  # the first wait is over: one more failure doubles it
    assert not authenticate(db, "ana", "guess", HERE, at).ok
    assert users.wait_before_next_try(db, "ana", HERE, at) == 2 * FIRST_WAIT


def test_failures_older_than_the_window_are_forgotten(db, ana):
    for i in range(FREE_FAILURES + 2):
        authenticate(db, "ana", "guess", HERE, NOW + timedelta(seconds=i))
    later = NOW + users.WINDOW + timedelta(minutes=1)
    assert users.wait_before_next_try(db, "ana", HERE, later) == timedelta(0)


def test_a_new_password_ends_old_sessions_and_is_audited_without_the_hash(db, ana):
    db.info["actor"] = "root"
    stamp = session_stamp(ana)
    set_password(db, ana, "another long password")
    assert session_stamp(ana) != stamp
    assert authenticate(db, "ana", "another long password", HERE, NOW).ok
    entry = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "User")
                       .order_by(AuditEntry.id.desc())).first()
    assert entry.actor == "root" and entry.after == {"password": "(changed)"}
    assert "argon2" not in str(entry.before) + str(entry.after)


def test_deactivating_a_user_ends_their_sessions(db, ana):
    stamp = session_stamp(ana)
    set_active(db, ana, False)
    assert session_stamp(ana) != stamp


def test_the_demo_people_cover_every_role(db):
    db.add_all([Secretariat(code="SDS", name="Defesa"), Secretariat(code="SEE", name="Edu")])
    db.flush()
    people = users.create_demo_users(db)
    assert {u.role for u in people} == set(Role)
    assert authenticate(db, "governor", users.DEMO_PASSWORD, HERE, NOW).ok


# -- the `delivery users` command --------------------------------------------------------------


def run_cli(args, stdin=None):
    from click.testing import CliRunner

    from delivery.cli import main

    return CliRunner().invoke(main, ["users", *args], input=stdin)


@pytest.fixture
def cli_db(database_url, session_factory, monkeypatch):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    with session_factory() as session, session.begin():
        session.add(Secretariat(code="SDS", name="Defesa Social"))
    return session_factory


def test_the_first_admin_is_created_once_then_adds_others(cli_db):
    result = run_cli(["create-admin", "Root", "--password-stdin"], "a long enough password\n")
    assert result.exit_code == 0, result.output
    again = run_cli(["create-admin", "other", "--password-stdin"], "a long enough password\n")
    assert again.exit_code == 1 and "already exists" in again.output
    added = run_cli(["add", "sonia", "--role", "secretariat", "--secretariat", "SDS",
                     "--name", "Sónia", "--password-stdin"], "another long password\n")
    assert added.exit_code == 0, added.output
    listing = run_cli(["list"]).output.splitlines()
    assert listing[0].split()[:4] == ["root", "admin", "-", "active"]
    assert listing[1].split()[:4] == ["sonia", "secretariat", "SDS", "active"]
    with cli_db() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.object_type == "User")).first()
        assert entry.actor.startswith("cli")


def test_the_password_is_asked_twice_at_a_hidden_prompt(cli_db):
    result = run_cli(["create-admin", "root"], "a long enough password\na long enough password\n")
    assert result.exit_code == 0, result.output
    assert "a long enough password" not in result.output


def test_a_reset_password_signs_in_and_bad_input_says_why(cli_db):
    run_cli(["add", "ana", "--role", "analyst", "--password-stdin"], "a long enough password\n")
    assert run_cli(["reset-password", "ana", "--password-stdin"], "new long password\n"
                   ).exit_code == 0
    with cli_db() as session, session.begin():
        assert authenticate(session, "ana", "new long password", HERE, NOW).ok
    short = run_cli(["add", "bob", "--role", "analyst", "--password-stdin"], "short\n")
    assert short.exit_code == 1 and "at least 10" in short.output
    nobody = run_cli(["reset-password", "nobody", "--password-stdin"], "new long password\n")
    assert nobody.exit_code == 1 and "no user" in nobody.output


def test_a_deactivated_user_cannot_sign_in(cli_db):
    run_cli(["add", "ana", "--role", "analyst", "--password-stdin"], "a long enough password\n")
    assert run_cli(["deactivate", "ana"]).exit_code == 0
    with cli_db() as session, session.begin():
        assert not authenticate(session, "ana", "a long enough password", HERE, NOW).ok
    assert "inactive" in run_cli(["list"]).output


def test_an_admin_ends_a_users_sessions_and_a_new_role_ends_them_too(cli_db):
    run_cli(["add", "sonia", "--role", "analyst", "--password-stdin"], "a long enough password\n")
    with cli_db() as session, session.begin():
        sonia = users.find_user(session, "sonia")
        tokens = [start_session(session, sonia, NOW, Lifetime()) for _ in range(2)]
    ended = run_cli(["end-sessions", "sonia"])
    assert ended.exit_code == 0 and "ended 2 sessions of sonia" in ended.output
    with cli_db() as session, session.begin():
        assert {find_session(session, t, NOW, Lifetime()).over for t in tokens} == {BY_ADMIN}
        token = start_session(session, users.find_user(session, "sonia"), NOW, Lifetime())
    moved = run_cli(["set-role", "sonia", "secretariat", "--secretariat", "SDS"])
    assert moved.exit_code == 0, moved.output
    with cli_db() as session:
        assert find_session(session, token, NOW, Lifetime()).over == ROLE_CHANGED
        assert users.find_user(session, "sonia").role == Role.SECRETARIAT
    assert "needs the code" in run_cli(["set-role", "sonia", "secretariat"]).output


def test_demo_people_are_added_only_to_a_database_without_users(db):
    db.add_all([Secretariat(code="SDS", name="Defesa"), Secretariat(code="SEE", name="Edu")])
    db.flush()
    note = users.add_demo_users_if_none(db)
    assert "governor (governor)" in note and "sds (secretariat SDS)" in note
    assert users.DEMO_PASSWORD in note
    assert users.add_demo_users_if_none(db) == ""


def test_the_users_command_speaks_delivery_language_in_its_help_output_and_errors(
        cli_db, monkeypatch):
    monkeypatch.setenv("DELIVERY_LANGUAGE", "pt_BR")
    helped = run_cli(["add", "--help"])
    assert helped.exit_code == 0
    assert helped.output.startswith("Uso:") and "Opções:" in helped.output
    assert "Adicionar um usuário com um PERFIL" in helped.output
    assert "O que o usuário pode ver e fazer." in helped.output
    assert "[obrigatório]" in helped.output
    made = run_cli(["create-admin", "root", "--password-stdin"], "a long enough password\n")
    assert made.output == "administrador root criado\n"
    short = run_cli(["add", "bia", "--role", "analyst", "--password-stdin"], "curta\n")
    assert short.exit_code == 1 and "a senha precisa de pelo menos" in short.output
    assert "Erro:" in short.output
    assert run_cli(["list"]).output.split()[:4] == ["root", "admin", "-", "ativo"]
    monkeypatch.setenv("DELIVERY_LANGUAGE", "es")
    assert "Mostrar este mensaje y salir." in run_cli(["--help"]).output
