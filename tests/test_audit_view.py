"""The audit trail made readable: objects by their names, fields before and after, moments in
the site's time zone, and the date filter taking days as lived there."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import inspect

from delivery.access import Viewer
from delivery.audit import AUDITED, SECRET_COLUMNS
from delivery.audit_queries import audit_trail, day_bounds
from delivery.audit_view import FIELDS, field_label, readable, value_text
from delivery.edits import update_goal
from delivery.i18n import use_locale
from delivery.i18n.formats import moment, use_time_zone
from delivery.models import AgendaItem, AuditEntry, User
from tests.personas import build_government, fast_password_hashing  # noqa: F401


@pytest.fixture
def gov(db):
    return build_government(db)


def analyst(db, gov):
    return Viewer.of(db.get(User, gov.users["analyst"]))


def test_a_goal_change_reads_by_name_with_its_fields_before_and_after(db, gov):
    ana = analyst(db, gov)
    update_goal(db, ana, gov.goals["homicides"], {"target_value": 60.0, "is_public": False}, 1)
    rows = audit_trail(db, ana, object_type="Goal", object_id=str(gov.goals["homicides"]))
    with use_locale("en"):
        (shown, *_rest) = readable(db, rows)
    assert shown.name == "SDS-HOM · Goal SDS-HOM"
    assert (shown.who, shown.action, shown.kind) == ("Analyst (ana)", "changed", "Goal")
    assert {(c.field, c.before, c.after) for c in shown.changes} == {
        ("target", "70", "60"), ("public", "yes", "no")}
    with use_locale("pt_BR"):
        (shown, *_rest) = readable(db, rows)
    assert ("público", "sim", "não") in {(c.field, c.before, c.after) for c in shown.changes}


def test_an_agenda_item_reads_by_its_title_and_meeting_not_its_id(db, gov):
    db.info["actor"] = "ana"
    item = AgendaItem(meeting_id=gov_meeting(db), position=9, kind="topic", title="Homicides",
                      added_by="ana", added_at=datetime.now(UTC))
    db.add(item)
    db.flush()
    rows = audit_trail(db, analyst(db, gov), object_type="AgendaItem")
    with use_locale("en"):
        names = [r.name for r in readable(db, rows)]
    assert names == ["«Homicides» in Pact for Life review"]
    assert not any(f"AgendaItem {item.id}" in n for n in names)


def gov_meeting(db):
    from sqlalchemy import select

    from delivery.models import ReviewMeeting
    return db.scalar(select(ReviewMeeting.id).where(ReviewMeeting.title == "Pact for Life review"))


def test_a_deleted_object_is_still_named_from_what_the_trail_kept(db, gov):
    db.add(AuditEntry(actor="ana", action="delete", object_type="Commitment", object_id="999",
                      before={"description": "Hire 50 teachers", "due_on": "2023-02-01"},
                      after=None, at=datetime(2023, 1, 16, 12, tzinfo=UTC)))
    db.flush()
    rows = audit_trail(db, analyst(db, gov), object_type="Commitment", object_id="999")
    with use_locale("pt_BR"):
        (shown,) = readable(db, rows)
    assert shown.name == "Hire 50 teachers" and shown.action == "excluiu"
    assert ("vence em", "01/02/2023", "—") in {(c.field, c.before, c.after)
                                               for c in shown.changes}


def test_moments_are_shown_in_the_sites_time_zone():
    at = datetime(2023, 1, 16, 2, 30, tzinfo=UTC)
    with use_time_zone("America/Recife"), use_locale("pt_BR"):
        assert moment(at) == "15/01/2023 23:30"
    with use_time_zone("Europe/Madrid"), use_locale("es"):
        assert moment(at) == "16/01/2023 03:30"
    assert moment(at.replace(tzinfo=None)) == moment(at)  # SQLite gives naive UTC back


def test_the_date_filter_takes_days_as_lived_in_the_sites_time_zone(db, gov):
    start, end = day_bounds(date(2023, 1, 16), date(2023, 1, 16), "America/Recife")
    assert (start, end) == (datetime(2023, 1, 16, 3, tzinfo=UTC),
                            datetime(2023, 1, 17, 3, tzinfo=UTC))
    for hour in (2, 4):  # 23:00 the day before in Recife, then 01:00 that day
        db.add(AuditEntry(actor="zed", action="update", object_type="Goal",
                          object_id=str(gov.goals["homicides"]), before={"name": "a"},
                          after={"name": "b"}, at=datetime(2023, 1, 16, hour, tzinfo=UTC)))
    db.flush()
    rows = audit_trail(db, analyst(db, gov), actor="zed", start=start, end=end)
    assert [r.at.hour for r in rows] == [4]
    assert audit_trail(db, analyst(db, gov), actor="zed", start=end) == []


def test_every_audited_column_is_named_in_the_readers_language():
    """A column the trail records and the page would show by its code name ("is secretariat
    head", "digest") in English on a Portuguese page."""
    recorded = {c.key for model in AUDITED for c in inspect(model).column_attrs
                if c.key not in SECRET_COLUMNS}
    assert sorted(recorded - FIELDS.keys()) == []
    with use_locale("pt_BR"):
        assert field_label("is_secretariat_head") == "titular da secretaria"
        assert field_label("digest") == "lembretes por e-mail"


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("rating", "amber_red", "Âmbar-vermelho"), ("frequency", "monthly", "mensal"),
    ("direction", "down", "quanto menor, melhor"), ("language", "es", "Español"),
    ("role", "governor", "governador"), ("rating", "purple", "purple"),  # unknown: as stored
])
def test_a_word_of_the_vocabulary_is_shown_in_the_readers_language(field, value, expected):
    with use_locale("pt_BR"):
        assert value_text(field, value, {}) == expected


def test_a_figure_typed_on_a_screen_names_its_reporter_in_the_readers_language():
    # stored as the same words in every database ("reported by ana"), worded when read: the
    # trail lists figures with their source, and a Portuguese page showed it in English
    from delivery.figures import screen_source

    stored = screen_source("ana")
    with use_locale("pt_BR"):
        assert value_text("source", stored, {}) == "informado por ana"
        assert value_text("source", "SINESP 2022.xlsx", {}) == "SINESP 2022.xlsx"
    with use_locale("es"):
        assert value_text("source", stored, {}) == "informado por ana"
    with use_locale("en"):
        assert value_text("source", stored, {}) == "reported by ana"
