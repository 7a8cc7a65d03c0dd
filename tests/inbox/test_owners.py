"""Owners are people: the list to pick from, what a pick resolves to, and the migration that
carries free-text owners over to accounts and secretariats."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from delivery.db import MIGRATIONS, make_engine, upgrade
from delivery.inbox.owners import owner_choices, resolve_owner
from delivery.meetings import record_commitment
from delivery.models import ReviewMeeting, User
from tests.personas import build_government, fast_password_hashing  # noqa: F401


@pytest.fixture
def gov(db):
    return build_government(db)


def test_the_list_offers_secretariats_and_active_accounts_but_not_the_governor(db, gov):
    options = owner_choices(db)
    labels = [o["label"] for o in options]
    assert labels[:3] == ["SDS · Secretaria SDS", "SEE · Secretaria SEE", "SJDH · Secretaria SJDH"]
    assert "Secretariat (SDS)" in labels and "Analyst (delivery unit)" in labels
    assert not any(label.startswith("Governor") for label in labels)
    db.get(User, gov.users["other_secretariat"]).is_active = False
    db.flush()
    assert "Other Secretariat (SEE)" not in [o["label"] for o in owner_choices(db)]


@pytest.mark.parametrize("choice", [None, "", "Chief of police", "user:", "user:abc",
                                    "user:99999", "secretariat:99999", "goal:1",
                                    "user:1" + "0" * 30, ["user:1"]],
                         ids=["none", "empty", "free-text", "no-id", "letters", "no-user",
                              "no-secretariat", "other-kind", "huge", "list"])
def test_anything_but_a_listed_owner_is_refused_naming_the_field(db, gov, choice):
    with pytest.raises(ValueError, match=r"^owner: "):
        resolve_owner(db, choice)


def test_a_commitment_owned_by_an_account_answers_through_its_secretariat(db, gov):
    meeting = db.scalar(select(ReviewMeeting).where(ReviewMeeting.title == "Pact for Life review"))
    sonia = resolve_owner(db, f"user:{gov.users['secretariat']}")
    made = record_commitment(db, meeting, description="Publish the monthly bulletin",
                             owner=sonia, due_on=date(2023, 2, 1), by="ana")
    assert (made.owner, made.owner_user_id, made.owner_secretariat_id) == (
        "Secretariat", gov.users["secretariat"], gov.secretariats["SDS"])
    see = resolve_owner(db, f"secretariat:{gov.secretariats['SEE']}")
    made = record_commitment(db, meeting, description="Share the school census", owner=see,
                             due_on=date(2023, 2, 1), by="ana")
    assert (made.owner, made.owner_user_id, made.owner_secretariat_id) == (
        "Secretaria SEE", None, gov.secretariats["SEE"])


def test_the_migration_carries_free_text_owners_over_where_they_match(database_url):
    engine = make_engine(database_url)
    upgrade(engine, ScriptDirectory(str(MIGRATIONS)).get_revision("0015").down_revision)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO secretariat (id, code, name) VALUES "
                          "(1, 'SDS', 'Secretaria de Defesa Social'), (2, 'SEE', 'Educação')"))
        conn.execute(text(
            "INSERT INTO app_user (id, username, display_name, role, secretariat_id, "
            "password_hash, is_active, created_at) VALUES "
            "(1, 'ana', 'Ana Analyst', 'analyst', NULL, '', :t, '2023-01-01'),"
            "(2, 'sonia', 'Sónia Silva', 'secretariat', 1, '', :t, '2023-01-01'),"
            "(3, 'twin1', 'Same Name', 'analyst', NULL, '', :t, '2023-01-01'),"
            "(4, 'twin2', 'Same Name', 'analyst', NULL, '', :t, '2023-01-01')"), {"t": True})
        conn.execute(text(
            "INSERT INTO review_meeting (id, held_on, title, state, cancelled_reason, invited, "
            "attendees, notes) VALUES (1, '2023-01-09', 'Review', 'held', '', '[]', '[]', '')"))
        owners = {1: ("ana", None), 2: ("  sónia   SILVA ", None), 3: ("Same Name", None),
                  4: ("Secretaria de Defesa Social", None), 5: ("see", None),
                  6: ("Chief of police", 2)}
        for cid, (owner, sec) in owners.items():
            conn.execute(text(
                "INSERT INTO commitment (id, meeting_id, description, owner, "
                "owner_secretariat_id, due_on, state, closing_note) VALUES "
                "(:id, 1, 'Something', :owner, :sec, '2023-02-01', 'open', '')"),
                {"id": cid, "owner": owner, "sec": sec})
    upgrade(engine)
    with engine.connect() as conn:
        rows = {r[0]: tuple(r[1:]) for r in conn.execute(text(
            "SELECT id, owner_user_id, owner_secretariat_id, owner FROM commitment"))}
    engine.dispose()
    assert rows == {
        1: (1, None, "ana"),  # by username
        2: (2, 1, "  sónia   SILVA "),  # by display name; answers through her secretariat
        3: (None, None, "Same Name"),  # two accounts share the name: not guessed
        4: (None, 1, "Secretaria de Defesa Social"),  # a secretariat by name
        5: (None, 2, "see"),  # by code
        6: (None, 2, "Chief of police"),  # no match: kept, its secretariat still answers
    }


def test_an_unmatched_owner_without_a_secretariat_waits_in_the_units_inbox(db, gov):
    from delivery.access import Viewer
    from delivery.inbox import inbox
    from delivery.models import Commitment

    commitment = db.get(Commitment, gov.commitments["see"])
    commitment.owner_secretariat_id = None
    db.flush()
    ana = Viewer.of(db.scalar(select(User).where(User.username == "ana")))
    assert f"commitment:{commitment.id}" in {i.thing for i in inbox(db, ana, date(2023, 2, 20))}
