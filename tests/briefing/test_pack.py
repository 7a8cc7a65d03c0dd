"""What the meeting pack gathers, on a hand-built meeting with one agenda item of each kind."""

from __future__ import annotations

from datetime import date

import pytest

from delivery.briefing.pack import MeetingNotFound, document_as_of, meeting_pack
from tests.briefing.conftest import FORMULA, HELD_ON, World


def test_it_gathers_the_meeting_and_its_scope(db, world: World) -> None:
    pack = meeting_pack(db, world.meeting.id, HELD_ON)
    assert (pack.title, pack.held_on, pack.state) == ("Weekly review: safer streets", HELD_ON,
                                                      "held")
    assert pack.scope == "Objective OEX: Safer streets"
    assert pack.invited == ["Governor", "Secretary", "Delivery unit"]
    assert pack.absent == ["Secretary"]
    assert pack.status_counts == {"off_track": 1, "on_track": 1}
    assert [g.code for g in pack.scope_goals] == ["G-BEHIND", "G-AHEAD"]  # worst first
    assert pack.scope_goals[0].item_number == 2


def test_each_agenda_item_carries_the_data_of_its_kind(db, world: World) -> None:
    topic, goal, flag, commitment = meeting_pack(db, world.meeting.id, HELD_ON).items
    assert (topic.number, topic.kind, topic.title, topic.note) == (
        1, "topic", "Carnival security", "Bring the plan.")
    assert goal.built and not topic.built  # a built item's note restates its data
    data = goal.goal
    assert goal.kind == "goal" and data is not None
    assert (data.code, data.status, data.latest_value, data.target_value) == (
        "G-BEHIND", "off_track", 99.0, 70.0)
    assert data.latest_on == date(2022, 12, 28)
    assert data.planned == pytest.approx(85.8, abs=0.5)
    assert data.owner.startswith("Secretariat")
    assert "behind the trajectory" in data.reason
    assert list(data.figures["value"]) == [86.0, 92.5, 99.0]
    assert list(data.current["value"]) == [100.0, 70.0]
    assert data.forecast is not None and data.forecast.will_meet is False
    assert flag.flag is not None
    assert (flag.flag.reason, flag.flag.evidence["change"]) == ("December jumped by 20%.", 0.2)
    assert flag.goal is data  # the same goal is gathered once
    assert commitment.commitment is not None
    assert (commitment.commitment.owner, commitment.commitment.due_on,
            commitment.commitment.days_overdue) == ("Chief of police", date(2023, 1, 2), 7)


def test_commitments_still_open_when_the_meeting_began_are_carried_forward(
        db, world: World) -> None:
    carried = meeting_pack(db, world.meeting.id, HELD_ON).carried
    assert [(c.description, c.state, c.days_overdue) for c in carried] == [
        ("Patrol plan for the ten worst areas", "open", 7),
        ("Hire 40 analysts", "open", -11),  # closed on 12 Jan: still open on the 9th
    ]
    later = meeting_pack(db, world.meeting.id, date(2023, 1, 16)).carried
    assert [(c.description, c.state, c.closed_on) for c in later] == [
        ("Patrol plan for the ten worst areas", "open", None),
        ("Hire 40 analysts", "done", date(2023, 1, 12)),
    ]


def test_it_lists_what_the_meeting_decided_and_promised(db, world: World) -> None:
    pack = meeting_pack(db, world.meeting.id, date(2023, 1, 16))
    assert [(d.text, d.item_number, d.item_title) for d in pack.decisions] == [
        ("Move two battalions to the worst areas.", 2, "Goal G-BEHIND")]
    assert [(c.description, c.owner, c.due_on, c.state) for c in pack.made] == [
        (FORMULA, "Chief of police", date(2023, 2, 1), "open")]
    assert [c.description for c in pack.overdue] == ["Patrol plan for the ten worst areas"]


def test_a_missing_meeting_is_named_in_the_error(db) -> None:
    with pytest.raises(MeetingNotFound, match="meeting: no meeting with id 424242"):
        meeting_pack(db, 424242, HELD_ON)


@pytest.mark.parametrize(("document", "held_on", "expected"), [
    ("briefing", date(2023, 1, 9), date(2023, 1, 9)),
    ("briefing", date(2023, 1, 30), date(2023, 1, 16)),
    ("followup", date(2023, 1, 9), date(2023, 1, 16)),
], ids=["briefing-as-of-the-meeting", "briefing-of-a-meeting-ahead", "followup-as-of-today"])
def test_each_document_is_gathered_as_of_its_own_day(document, held_on, expected) -> None:
    assert document_as_of(document, held_on, date(2023, 1, 16)) == expected


def test_an_unknown_document_is_refused() -> None:
    with pytest.raises(ValueError, match="document: 'minutes'"):
        document_as_of("minutes", date(2023, 1, 9), date(2023, 1, 16))
