from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from delivery.access import AccessDenied, Viewer
from delivery.audit_queries import audit_actors, audit_trail
from delivery.edits import report_figure, update_goal
from delivery.models import AuditEntry, User
from tests.personas import build_government, fast_password_hashing  # noqa: F401


@pytest.fixture
def gov(db):
    return build_government(db)


def person(db, gov, persona):
    return Viewer.of(db.get(User, gov.users[persona]))


def test_the_trail_lists_changes_and_figure_revisions_newest_first(db, gov):
    ana, sonia = person(db, gov, "analyst"), person(db, gov, "secretariat")
    update_goal(db, ana, gov.goals["homicides"], {"target_value": 60.0}, 1)
    report_figure(db, sonia, gov.goals["homicides"], date(2022, 12, 1), date(2022, 12, 31), 85.0)

    goal_changes = audit_trail(db, ana, object_type="Goal", object_id=str(gov.goals["homicides"]))
    assert [(r.action, r.actor) for r in goal_changes][:1] == [("update", "ana")]
    assert goal_changes[0].before["target_value"] == 70.0

    (revision, first) = audit_trail(db, ana, object_type="Figure",
                                    object_id=str(gov.goals["homicides"]))
    assert (revision.action, revision.actor, revision.after["value"]) == ("revise", "sonia", 85.0)
    assert revision.before["value"] == 90.0 and revision.after["revision"] == 2
    assert first.action == "report" and first.before is None

    by_sonia = audit_trail(db, ana, actor="sonia")
    # her figure, and the data-quality flags its checks raised (they run after every write)
    assert "Figure" in {r.object_type for r in by_sonia}
    assert {r.object_type for r in by_sonia} <= {"Figure", "DataQualityFlag"}
    assert "sonia" in audit_actors(db, ana) and "ana" in audit_actors(db, ana)


@pytest.mark.parametrize("persona", ["governor", "secretariat", "other_secretariat"])
def test_only_admins_and_analysts_read_the_trail(db, gov, persona):
    with pytest.raises(AccessDenied):
        audit_trail(db, person(db, gov, persona))
    with pytest.raises(AccessDenied):
        audit_actors(db, person(db, gov, persona))


def test_users_changes_are_in_the_trail(db, gov):
    root = person(db, gov, "admin")
    entries = audit_trail(db, root, object_type="User")
    assert {e.after["username"] for e in entries if e.action == "create"} >= {"ana", "sonia"}


@pytest.mark.parametrize("statement", [
    update(AuditEntry).values(actor="someone else"),
    delete(AuditEntry),
], ids=["update", "delete"])
def test_the_database_refuses_to_change_or_delete_audit_entries(db, gov, statement):
    with pytest.raises(DatabaseError, match="append-only"), db.begin_nested():
        db.execute(statement)


def test_not_even_raw_sql_can_rewrite_the_trail(db, gov):
    with pytest.raises(DatabaseError, match="append-only"), db.begin_nested():
        db.execute(text("UPDATE audit_entry SET after = NULL"))


def test_a_created_object_is_recorded_under_its_id(db, gov):
    entries = audit_trail(db, person(db, gov, "analyst"), object_type="Goal",
                          object_id=str(gov.goals["prison"]))
    assert [e.action for e in entries] == ["create"]
    assert entries[0].after["code"] == "SJDH-VAG"


@pytest.mark.parametrize("object_id", ["abc", "99999999999", "1/not-a-date", "1/2022-13-01", "/"])
def test_an_object_id_that_cannot_exist_finds_nothing_on_every_database(db, gov, object_id):
    ana = person(db, gov, "analyst")
    assert audit_trail(db, ana, object_type="Figure", object_id=object_id) == []
    assert audit_trail(db, ana, object_id=object_id) == []
