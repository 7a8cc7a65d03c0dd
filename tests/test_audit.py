from __future__ import annotations

from datetime import date

from sqlalchemy import select

from delivery.models import AuditEntry, User
from delivery.vocabulary import Role
from tests.factories import make_goal


def entries(db, object_type):
    query = select(AuditEntry).where(AuditEntry.object_type == object_type).order_by(AuditEntry.id)
    return list(db.scalars(query))


def test_a_change_to_a_goal_is_recorded_with_who_before_and_after(db):
    db.info["actor"] = "ana.analyst"
    goal = make_goal(db, target_value=70.0)
    goal.target_value = 65.0
    goal.target_date = date(2023, 12, 31)
    db.flush()

    created, updated = entries(db, "Goal")
    assert created.action == "create" and created.after["target_value"] == 70.0
    assert updated.actor == "ana.analyst"
    assert updated.before == {"target_value": 70.0, "target_date": "2022-12-31"}
    assert updated.after == {"target_value": 65.0, "target_date": "2023-12-31"}
    assert updated.object_id == str(goal.id)


def test_password_hashes_never_reach_the_audit_trail(db):
    db.add(User(username="gov", role=Role.GOVERNOR, password_hash="$argon2id$secret"))
    db.flush()
    (entry,) = entries(db, "User")
    assert "password_hash" not in entry.after and "argon2" not in str(entry.after)


def test_without_an_actor_the_change_is_attributed_to_the_system(db):
    make_goal(db)
    assert {e.actor for e in entries(db, "Goal")} == {"system"}
