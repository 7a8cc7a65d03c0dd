"""Commitments followed up (delivery.commitment_followup): progress notes with evidence,
requests for a new date answered by the delivery unit, a meeting in progress, corrections of the
minutes; every change a new row, the first due date kept."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery import commitment_followup as f
from delivery import meetings as m
from delivery.inbox.owners import Owner
from delivery.models import (
    AgendaItem,
    Commitment,
    CommitmentUpdate,
    Objective,
    Pillar,
    ReviewMeeting,
    Secretariat,
)
from delivery.vocabulary import AgendaKind, CommitmentState, CommitmentUpdateKind, MeetingState
from tests.factories import make_goal

HELD = date(2023, 1, 16)


@pytest.fixture
def made(db: Session) -> Commitment:
    return make_commitment(db)


def make_commitment(db: Session) -> Commitment:
    """A commitment of the secretariat SF on a goal, made at a meeting with one topic."""
    pillar = Pillar(code="PF", name="Pillar", position=0)
    owner = Secretariat(code="SF", name="Secretariat F")
    objective = Objective(code="OF", name="Objective F", pillar=pillar, position=0)
    db.add_all([pillar, owner, objective])
    db.flush()
    goal = make_goal(db, code="F-1", name="Goal F", objective=objective, owner=owner)
    meeting = ReviewMeeting(held_on=HELD, title="Review F", objective_id=objective.id,
                            state=MeetingState.SCHEDULED)
    db.add(meeting)
    db.flush()
    m.add_topic(db, meeting, "Staffing", by="ana")
    return m.record_commitment(db, meeting, description="Hire nurses", owner="SF",
                               due_on=date(2023, 2, 1), by="ana", goal_id=goal.id,
                               owner_secretariat_id=owner.id,
                               agenda_item_id=meeting.agenda_items[0].id)


def rows(db: Session) -> int:
    return db.scalar(select(func.count(CommitmentUpdate.id)))


def test_a_progress_note_keeps_its_evidence_and_each_note_is_a_new_row(db, made):
    f.add_progress_note(db, made, "Ten hired", evidence_url="https://example.org/list.pdf",
                        by="sec")
    f.add_progress_note(db, made, "", evidence_text="Decree 12/2023", by="sec")
    history = f.history(db, made.id)
    assert history["kind"].tolist() == ["note", "note"]
    assert history["evidence_url"].tolist() == ["https://example.org/list.pdf", ""]
    assert history["evidence_text"].tolist() == ["", "Decree 12/2023"]
    assert f.last_notes(db, [made.id])[made.id][0] == "Decree 12/2023"


@pytest.mark.parametrize(("text", "url", "evidence", "field"), [
    ("", "", "", "note"), ("   ", "", " ", "note"),
    ("x", "javascript:alert(1)", "", "link"), ("x", "ftp://a.b/c", "", "link"),
    ("x", "https://a b", "", "link"), ("x", "https://" + "a" * 600, "", "link"),
    ("x" * 5000, "", "", "note"), ("x", "", "y" * 5000, "evidence"),
])
def test_a_note_without_substance_or_with_a_bad_link_is_refused_naming_the_field(
        db, made, text, url, evidence, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        f.add_progress_note(db, made, text, evidence_url=url, evidence_text=evidence, by="sec")
    assert rows(db) == 0


def test_an_accepted_request_moves_the_due_date_and_keeps_the_first(db, made):
    request = f.request_new_date(db, made, date(2023, 3, 1), "Budget late", by="sec")
    assert f.pending_requests(db)[made.id].requested_due_on == date(2023, 3, 1)
    assert made.due_on == date(2023, 2, 1)  # not before the answer
    with pytest.raises(ValueError, match="^request: one is already waiting"):
        f.request_new_date(db, made, date(2023, 4, 1), "again", by="sec")
    f.answer_date_request(db, request, True, by="ana")
    assert (made.due_on, made.original_due_on) == (date(2023, 3, 1), date(2023, 2, 1))
    with pytest.raises(ValueError, match="^request: already answered"):
        f.answer_date_request(db, request, False, note="no", by="ana")
    second = f.request_new_date(db, made, date(2023, 5, 1), "Still late", by="sec")
    f.answer_date_request(db, second, False, note="Hold the date", by="ana")
    assert (made.due_on, made.original_due_on) == (date(2023, 3, 1), date(2023, 2, 1))
    history = f.history(db, made.id)
    assert history["kind"].tolist() == ["date_request", "date_answer", "date_request",
                                        "date_answer"]
    assert history["accepted"].tolist()[1::2] == [True, False]
    assert history["previous_due_on"].tolist()[:2] == [date(2023, 2, 1)] * 2
    assert f.pending_requests(db) == {}


@pytest.mark.parametrize(("day", "reason", "message"), [
    (date(2023, 2, 1), "x", "^new date: .* is already the due date"),
    (date(2023, 1, 1), "x", "^new date: .* before the commitment was made"),
    (date(9999, 12, 31), "x", "^new date: pick a date between"),
    ("2023-03-01", "x", "^new date: pick a date"),
    (None, "x", "^new date: pick a date"),
    (date(2023, 3, 1), "  ", "^reason: say why"),
])
def test_a_bad_request_is_refused_naming_the_field(db, made, day, reason, message):
    with pytest.raises(ValueError, match=message):
        f.request_new_date(db, made, day, reason, by="sec")
    assert rows(db) == 0


def test_a_refusal_needs_a_reason_and_a_closed_commitment_takes_no_request(db, made):
    request = f.request_new_date(db, made, date(2023, 3, 1), "Budget late", by="sec")
    with pytest.raises(ValueError, match="^note: say why the request is refused"):
        f.answer_date_request(db, request, False, by="ana")
    m.close_commitment(db, made, CommitmentState.DONE, date(2023, 1, 20), by="ana")
    with pytest.raises(ValueError, match="^state: the commitment is already done"):
        f.request_new_date(db, made, date(2023, 4, 1), "x", by="sec")
    f.add_progress_note(db, made, "Evidence after closing", by="sec")  # still allowed


def test_a_meeting_in_progress_until_its_minutes_close(db, made):
    meeting = made.meeting
    assert not meeting.in_progress
    f.start_meeting(db, meeting, by="ana")
    assert meeting.in_progress and meeting.started_by == "ana"
    with pytest.raises(ValueError, match="^state: already in progress"):
        f.start_meeting(db, meeting, by="ana")
    m.close_meeting(db, meeting, by="ana", at=datetime(2023, 1, 16, 18, tzinfo=UTC))
    assert not meeting.in_progress and meeting.state is MeetingState.HELD


def test_a_correction_records_before_and_after_and_stops_when_the_minutes_close(db, made):
    meeting = made.meeting
    other = m.add_topic(db, meeting, "Budget", by="ana")
    update = f.correct_commitment(db, made, by="ana", description="Hire 20 nurses",
                                  due_on=date(2023, 2, 15), agenda_item_id=other.id,
                                  owner=Owner("Health", None, made.owner_secretariat_id))
    assert update.changes == {"description": ["Hire nurses", "Hire 20 nurses"],
                              "due_on": ["2023-02-01", "2023-02-15"],
                              "agenda_item_id": [meeting.agenda_items[0].id, other.id],
                              "owner": ["SF", "Health"]}
    assert (made.due_on, made.original_due_on) == (date(2023, 2, 15), date(2023, 2, 1))
    assert f.correct_commitment(db, made, by="ana", description="Hire 20 nurses") is None
    with pytest.raises(ValueError, match="^agenda item: 999999 is not on this"):
        f.correct_commitment(db, made, by="ana", agenda_item_id=999999)
    with pytest.raises(ValueError, match="^item: commitments were made on"):
        m.remove_agenda_item(db, other, by="ana")
    m.close_meeting(db, meeting, by="ana", at=datetime(2023, 1, 16, 18, tzinfo=UTC))
    with pytest.raises(m.MeetingClosed):
        f.correct_commitment(db, made, by="ana", description="Hire 30 nurses")
    assert made.description == "Hire 20 nurses"
    assert [u.kind for u in made.updates] == [CommitmentUpdateKind.EDIT]


def test_commitments_and_decisions_name_their_agenda_item(db, made):
    meeting = made.meeting
    item = db.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    assert item.kind is AgendaKind.TOPIC and made.agenda_item_id == item.id
    decision = m.record_decision(db, meeting, "Open a call", by="ana", agenda_item_id=item.id)
    assert decision.agenda_item_id == item.id
    with pytest.raises(ValueError, match="^agenda item:"):
        m.record_commitment(db, meeting, description="x", owner="SF", due_on=HELD, by="ana",
                            agenda_item_id=-5)
