from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from delivery.db import (
    MIGRATIONS,
    SchemaOutOfDate,
    check_schema,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)
from delivery.models import Base
from tests.factories import make_goal


def test_the_migrations_build_exactly_the_models(migrated_engine):
    with migrated_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_a_database_without_tables_is_refused_with_the_upgrade_command(database_url):
    engine = make_engine(database_url)
    with pytest.raises(SchemaOutOfDate, match="delivery db upgrade"):
        check_schema(engine)
    engine.dispose()


def test_a_database_from_an_unknown_newer_release_is_refused(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.begin() as conn:  # pretend an older release wrote it
        conn.execute(text("UPDATE alembic_version SET version_num = 'base_old'"))
    with pytest.raises(SchemaOutOfDate, match="does not know"):
        check_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text(f"INSERT INTO alembic_version VALUES ('{head_revision()}')"))
    check_schema(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite'}", busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 1234
    engine.dispose()


def test_migration_0004_keeps_old_meetings_agendas_and_attendance(database_url):
    engine = make_engine(database_url)
    upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO review_meeting (id, held_on, title, agenda, attendees, notes, is_held)"
            " VALUES (1, '2022-12-05', 'Weekly review', :agenda, :people, '', :held),"
            " (2, '2023-01-16', 'Next week', '[]', '[]', '', :not_held)"),
            {"agenda": '["Backlog by region", "Medicine stock"]', "people": '["Governor"]',
             "held": True, "not_held": False})
    upgrade(engine)
    with engine.connect() as conn:
        states = conn.execute(text(
            "SELECT id, state, invited FROM review_meeting ORDER BY id")).all()
        items = conn.execute(text(
            "SELECT meeting_id, position, kind, title FROM agenda_item ORDER BY position")).all()
    assert [(i, s) for i, s, _ in states] == [(1, "held"), (2, "scheduled")]
    invited = states[0][2]
    assert (invited if isinstance(invited, list) else json.loads(invited)) == ["Governor"]
    assert [tuple(r) for r in items] == [(1, 0, "topic", "Backlog by region"),
                                         (1, 1, "topic", "Medicine stock")]
    engine.dispose()


def test_migration_0008_dates_old_figures_by_the_day_they_were_stored_and_stays_append_only(
        database_url):
    engine = make_engine(database_url)
    upgrade(engine, ScriptDirectory(str(MIGRATIONS)).get_revision("0008").down_revision)
    with Session(engine) as session, session.begin():  # goals are as they were in 0007
        goal_id = make_goal(session).id
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO figure (goal_id, period_start, period_end, revision, value, "
            "is_provisional, source, reported_by, recorded_at, note) VALUES "
            "(:goal, '2022-01-01', '2022-01-31', 1, 10, :no, '', 'ana', '2022-02-10 23:59:00', ''),"
            "(:goal, '2022-01-01', '2022-01-31', 2, 11, :no, '', 'ana', '2022-03-01 08:00:00', '')"
        ), {"no": False, "goal": goal_id})
    upgrade(engine)
    with engine.connect() as conn:
        known = conn.execute(text("SELECT revision, known_on FROM figure ORDER BY revision")).all()
    assert [(r, str(d)[:10]) for r, d in known] == [(1, "2022-02-10"), (2, "2022-03-01")]
    for statement in ("UPDATE figure SET value = 12", "DELETE FROM figure"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    engine.dispose()
