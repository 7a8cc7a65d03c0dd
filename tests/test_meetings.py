"""The review routine (delivery.meetings): the schedule, agendas built from the data, the
minutes, commitments carried forward, and the routine's health, on a small hand-built government
and on the demo."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from delivery import meetings as m
from delivery import routine_health as h
from delivery.assessment import goal_statuses
from delivery.figures import record_figure
from delivery.models import (
    DataQualityFlag,
    Goal,
    MeetingSeries,
    Objective,
    Pact,
    PactGoal,
    Pillar,
    ReviewMeeting,
    Secretariat,
)
from delivery.review import rotation_index
from delivery.vocabulary import AgendaKind, FlagState, MeetingKind, MeetingState
from tests.factories import make_goal

REVIEW_DATE = date(2023, 1, 16)
KNOWN = datetime(2023, 1, 5, 12, tzinfo=UTC)
CLOSED = datetime(2023, 1, 20, 18, tzinfo=UTC)


@dataclass
class World:
    """Two objectives; O1 holds goals off track (two), slipping and on track; O2 one off
    track. The pact PX holds the worse off-track goal of O1 and the one of O2."""

    objectives: dict[str, Objective] = field(default_factory=dict)
    goals: dict[str, Goal] = field(default_factory=dict)
    pact: Pact | None = None


# December 2022 figures against a straight line from 100 (Jan 2020) to 70 (Dec 2022):
# shortfall of (value - 70) / 30; on track up to 5%, slipping up to 15%, off track beyond.
DECEMBER = {"FAR": 85.0, "OFF": 76.0, "SLIP": 73.0, "ON": 70.5, "ELSE": 90.0}


@pytest.fixture
def world(db: Session) -> World:
    pillar = Pillar(code="PW", name="Pillar", position=0)
    owner = Secretariat(code="SW", name="Secretariat")
    objectives = {code: Objective(code=code, name=f"Objective {code}", pillar=pillar,
                                  position=position)
                  for position, code in enumerate(["O1", "O2"])}
    db.add_all([pillar, owner, *objectives.values()])
    db.flush()
    goals = {}
    for key, value in DECEMBER.items():
        objective = objectives["O2" if key == "ELSE" else "O1"]
        goal = make_goal(db, code=f"W-{key}", name=f"Goal {key}", objective=objective,
                         owner=owner)
        record_figure(db, goal, date(2022, 12, 1), date(2022, 12, 31), value,
                      reported_by="test", recorded_at=KNOWN)
        goals[key] = goal
    pact = Pact(code="PX", name="Pact X", goals=[PactGoal(goal_id=goals["FAR"].id),
                                                  PactGoal(goal_id=goals["ELSE"].id)])
    db.add(pact)
    db.flush()
    return World(objectives, goals, pact)


def meeting(db: Session, held_on: date, *, objective: Objective | None = None,
            pact: Pact | None = None, state: MeetingState = MeetingState.SCHEDULED,
            title: str = "Review") -> ReviewMeeting:
    row = ReviewMeeting(held_on=held_on, title=title, state=state,
                        objective_id=objective.id if objective else None,
                        pact_id=pact.id if pact else None)
    db.add(row)
    db.flush()
    return row


def kinds_and_codes(db: Session, items) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    codes = {g.id: g.code for g in db.scalars(select(Goal))}
    return [(i.kind.value, codes.get(i.goal_id, i.title)) for i in items]


# -- the schedule ----------------------------------------------------------------------------


@pytest.mark.parametrize(("starts_on", "weekday", "every", "ends_on", "expected"), [
    (date(2023, 1, 2), 0, 1, None, [date(2023, 1, 2), date(2023, 1, 9), date(2023, 1, 16)]),
    (date(2023, 1, 2), 3, 1, None, [date(2023, 1, 5), date(2023, 1, 12)]),
    (date(2023, 1, 6), 3, 2, None, [date(2023, 1, 12)]),
    (date(2022, 12, 1), 1, 4, None, [date(2022, 12, 6), date(2023, 1, 3)]),
    (date(2023, 1, 2), 0, 1, date(2023, 1, 9), [date(2023, 1, 2), date(2023, 1, 9)]),
    (date(2023, 2, 1), 0, 1, None, []),
], ids=["weekly-on-the-start-day", "first-thursday-after-the-start", "fortnightly",
        "every-fourth-week", "stops-at-the-end", "not-started-yet"])
def test_a_series_meets_on_its_weekday_every_so_many_weeks(starts_on, weekday, every, ends_on,
                                                           expected):
    series = MeetingSeries(title="s", kind=MeetingKind.GOVERNOR, weekday=weekday,
                           every_weeks=every, starts_on=starts_on, ends_on=ends_on)
    assert list(m.occurrences(series, REVIEW_DATE)) == expected


def test_scheduling_takes_the_objectives_in_turn_and_gives_pacts_their_own(db, world):
    governor = MeetingSeries(title="Governor", kind=MeetingKind.GOVERNOR, weekday=0,
                             every_weeks=1, starts_on=date(2023, 1, 2),
                             invited=["Governor", "Delivery unit"])
    pact = MeetingSeries(title="PX", kind=MeetingKind.PACT, pact_id=world.pact.id, weekday=3,
                         every_weeks=2, starts_on=date(2023, 1, 2))
    idle = MeetingSeries(title="Idle", kind=MeetingKind.GOVERNOR, weekday=2, every_weeks=1,
                         starts_on=date(2023, 1, 2), is_active=False)
    db.add_all([governor, pact, idle])
    db.flush()
    created = m.schedule_meetings(db, REVIEW_DATE)
    assert [(x.held_on, x.title) for x in created] == [
        (date(2023, 1, 2), "Weekly review: Objective O2"),  # rotation_index(2 Jan, 2) == 1
        (date(2023, 1, 5), "Pact X: review"),
        (date(2023, 1, 9), "Weekly review: Objective O1"),
        (date(2023, 1, 16), "Weekly review: Objective O2"),
    ]
    assert rotation_index(date(2023, 1, 2), 2) == 1
    assert all(x.state is MeetingState.SCHEDULED for x in created)
    assert created[0].invited == ["Governor", "Delivery unit"] and created[1].invited == []
    assert created[1].pact_id == world.pact.id and created[1].objective_id is None
    assert m.schedule_meetings(db, REVIEW_DATE) == []  # idempotent


def test_a_meeting_moved_within_its_week_is_not_scheduled_again(db, world):
    series = MeetingSeries(title="PX", kind=MeetingKind.PACT, pact_id=world.pact.id, weekday=3,
                           every_weeks=1, starts_on=date(2023, 1, 2))
    db.add(series)
    db.flush()
    moved = meeting(db, date(2023, 1, 9), pact=world.pact, title="PX: monthly results")
    moved.series_id = series.id
    created = m.schedule_meetings(db, REVIEW_DATE)
    assert [x.held_on for x in created] == [date(2023, 1, 5)]  # not 12 Jan: 9 Jan took it


# -- the agenda ------------------------------------------------------------------------------


def test_the_agenda_lists_the_scope_off_track_then_slipping_worst_first(db, world):
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    items = m.build_agenda(db, review, REVIEW_DATE, by="ana")
    assert kinds_and_codes(db, items) == [("goal", "W-FAR"), ("goal", "W-OFF"),
                                          ("goal", "W-SLIP")]
    assert [i.position for i in items] == [0, 1, 2]
    assert all(i.added_by == m.BUILDER for i in items)
    assert items[0].title == "Goal FAR (W-FAR): off track"
    assert "behind the trajectory" in items[0].note


def test_a_pact_meeting_looks_at_the_pacts_goals(db, world):
    review = meeting(db, REVIEW_DATE, pact=world.pact)
    assert m.meeting_scope_goal_ids(db, review) == {world.goals["FAR"].id, world.goals["ELSE"].id}
    items = m.build_agenda(db, review, REVIEW_DATE, by="ana")
    assert kinds_and_codes(db, items) == [("goal", "W-ELSE"), ("goal", "W-FAR")]


def test_open_flags_on_scope_goals_are_on_the_agenda(db, world):
    def flag(key: str, state: FlagState, resolved: datetime | None = None) -> None:
        db.add(DataQualityFlag(goal_id=world.goals[key].id, kind="level_shift", reason=key,
                               raised_at=KNOWN, state=state, resolved_at=resolved))
    flag("ON", FlagState.OPEN)
    flag("SLIP", FlagState.DISMISSED, resolved=datetime(2023, 1, 10, tzinfo=UTC))
    flag("SLIP", FlagState.CONFIRMED, resolved=datetime(2023, 1, 20, tzinfo=UTC))  # open then
    flag("ELSE", FlagState.OPEN)  # out of scope
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    flags = [i for i in m.build_agenda(db, review, REVIEW_DATE, by="ana")
             if i.kind is AgendaKind.FLAG]
    assert [(i.note, i.title) for i in flags] == [
        ("ON", "Data quality, W-ON: level shift"), ("SLIP", "Data quality, W-SLIP: level shift")]


@pytest.mark.parametrize(("due_on", "listed"), [
    (date(2023, 1, 2), True),  # overdue
    (date(2023, 1, 16), True),  # due on the day
    (date(2023, 1, 23), True),  # within the week after
    (date(2023, 1, 24), False),  # later than that
], ids=["overdue", "due-on-the-day", "due-within-7-days", "due-later"])
def test_commitments_due_within_a_week_or_overdue_are_on_the_agenda(db, world, due_on, listed):
    earlier = meeting(db, date(2023, 1, 2), objective=world.objectives["O1"],
                      state=MeetingState.HELD)
    m.record_commitment(db, earlier, description="Fix it", owner="Chief", due_on=due_on,
                        goal_id=world.goals["ON"].id, by="ana")
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    items = m.build_agenda(db, review, REVIEW_DATE, by="ana")
    commitments = [i for i in items if i.kind is AgendaKind.COMMITMENT]
    assert len(commitments) == int(listed)
    if listed:
        assert commitments[0].title == "Commitment: Fix it"
        assert commitments[0].note.startswith("Chief, due ")


def test_commitments_made_elsewhere_on_other_goals_stay_off_the_agenda(db, world):
    other = meeting(db, date(2023, 1, 2), objective=world.objectives["O2"],
                    state=MeetingState.HELD)
    m.record_commitment(db, other, description="Elsewhere", owner="X",
                        due_on=date(2023, 1, 10), goal_id=world.goals["ELSE"].id, by="ana")
    m.record_commitment(db, other, description="No goal, O2", owner="X",
                        due_on=date(2023, 1, 10), by="ana")
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    assert not [i for i in m.build_agenda(db, review, REVIEW_DATE, by="ana")
                if i.kind is AgendaKind.COMMITMENT]
    o2 = meeting(db, REVIEW_DATE, objective=world.objectives["O2"])
    titles = [i.title for i in m.build_agenda(db, o2, REVIEW_DATE, by="ana")
              if i.kind is AgendaKind.COMMITMENT]
    assert titles == ["Commitment: Elsewhere", "Commitment: No goal, O2"]


def test_building_again_adds_nothing_and_keeps_the_analysts_topics_and_order(db, world):
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    topic = m.add_topic(db, review, "Budget for 2023", note="from the secretary", by="ana")
    first = m.build_agenda(db, review, REVIEW_DATE, by="ana")
    assert kinds_and_codes(db, first)[0] == ("topic", "Budget for 2023")
    slip = next(i for i in first if i.goal_id == world.goals["SLIP"].id)
    m.move_agenda_item(db, slip, 0, by="ana")
    order = [i.id for i in m.agenda(review)]
    again = m.build_agenda(db, review, REVIEW_DATE, by="ana")
    assert [i.id for i in again] == order
    assert [i.position for i in again] == list(range(len(again)))
    assert again[1] is topic and topic.added_by == "ana"
    # A goal that goes off track later is appended after what is there.
    record_figure(db, world.goals["ON"], date(2023, 1, 1), date(2023, 1, 31), 99.0,
                  reported_by="test", recorded_at=datetime(2023, 2, 3, tzinfo=UTC))
    later = m.build_agenda(db, review, date(2023, 2, 6), by="ana")
    assert [i.id for i in later[:-1]] == order
    assert kinds_and_codes(db, later[-1:]) == [("goal", "W-ON")]


def test_the_analyst_reorders_adds_and_removes_items(db, world):
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    far, off, slip = m.build_agenda(db, review, REVIEW_DATE, by="ana")
    m.move_agenda_item(db, far, 2, by="ana")
    assert m.agenda(review) == [off, slip, far]
    extra = m.add_topic(db, review, "  Any other business ", by="ana")
    assert extra.title == "Any other business" and extra.position == 3
    m.remove_agenda_item(db, slip, by="ana")
    assert m.agenda(review) == [off, far, extra]
    assert [i.position for i in m.agenda(review)] == [0, 1, 2]


# -- carry-forward ---------------------------------------------------------------------------


def test_a_commitment_stays_on_each_later_agenda_until_it_is_closed(db, world):
    o1 = world.objectives["O1"]
    weeks = [meeting(db, date(2023, 1, 9) + timedelta(weeks=w), objective=o1) for w in range(4)]
    promise = m.record_commitment(db, weeks[0], description="Patrol plan", owner="Chief",
                                  due_on=date(2023, 1, 13), goal_id=world.goals["OFF"].id,
                                  by="ana")
    m.close_meeting(db, weeks[0], by="ana", at=CLOSED)
    on_agenda = []
    for week in weeks[1:]:
        if week.held_on == date(2023, 1, 30):
            m.close_commitment(db, promise, "done", date(2023, 1, 27), note="", by="sds")
        items = m.build_agenda(db, week, week.held_on, by="ana")
        on_agenda.append(any(i.commitment_id == promise.id for i in items))
        m.close_meeting(db, week, by="ana", at=datetime.combine(week.held_on, datetime.min.time(),
                                                                tzinfo=UTC))
    assert on_agenda == [True, True, False]
    carried = {day: h.open_commitments(db, day) for day in
               (date(2023, 1, 9), date(2023, 1, 16), date(2023, 1, 24), date(2023, 1, 30))}
    assert carried[date(2023, 1, 9)]["carried"].tolist() == [0]
    assert carried[date(2023, 1, 16)]["carried"].tolist() == [1]
    assert carried[date(2023, 1, 24)]["carried"].tolist() == [2]
    assert carried[date(2023, 1, 24)]["days_overdue"].tolist() == [11]
    assert carried[date(2023, 1, 30)].empty  # done on 27 Jan


def test_meetings_on_other_goals_do_not_carry_a_commitment(db, world):
    made = meeting(db, date(2023, 1, 2), objective=world.objectives["O1"],
                   state=MeetingState.HELD)
    meeting(db, date(2023, 1, 9), objective=world.objectives["O2"], state=MeetingState.HELD)
    meeting(db, date(2023, 1, 12), pact=world.pact, state=MeetingState.HELD)  # holds W-FAR
    meeting(db, date(2023, 1, 13), objective=world.objectives["O1"],
            state=MeetingState.CANCELLED)
    m.record_commitment(db, made, description="On FAR", owner="A", due_on=date(2023, 2, 1),
                        goal_id=world.goals["FAR"].id, by="ana")
    m.record_commitment(db, made, description="On SLIP", owner="A", due_on=date(2023, 2, 1),
                        goal_id=world.goals["SLIP"].id, by="ana")
    frame = h.open_commitments(db, REVIEW_DATE)
    assert dict(zip(frame["description"], frame["carried"], strict=True)) == {
        "On FAR": 1, "On SLIP": 0}
    assert frame["code"].tolist() == ["W-FAR", "W-SLIP"]
    only = h.open_commitments(db, REVIEW_DATE, goal_ids=[world.goals["SLIP"].id])
    assert only["description"].tolist() == ["On SLIP"]


def test_off_track_goals_without_an_open_commitment_are_flagged(db, world):
    made = meeting(db, date(2023, 1, 2), objective=world.objectives["O1"],
                   state=MeetingState.HELD)
    m.record_commitment(db, made, description="On FAR", owner="A", due_on=date(2023, 2, 1),
                        goal_id=world.goals["FAR"].id, by="ana")
    done = m.record_commitment(db, made, description="On OFF", owner="A",
                               due_on=date(2023, 1, 10), goal_id=world.goals["OFF"].id, by="ana")
    m.close_commitment(db, done, "done", date(2023, 1, 9), note="", by="ana")
    statuses = goal_statuses(db, REVIEW_DATE)
    flagged = h.goals_without_commitment(db, statuses, REVIEW_DATE)
    assert sorted(flagged["code"]) == ["W-ELSE", "W-OFF"]
    before = h.goals_without_commitment(db, statuses, date(2023, 1, 8))  # OFF's still open
    assert sorted(before["code"]) == ["W-ELSE"]


# -- routine health --------------------------------------------------------------------------


def test_routine_health_counts_meetings_held_and_commitments_closed_on_time(db, world):
    """Unit: 6 meetings due (5 Jan-15 Jan and one held on the review date), 4 held, 1
    cancelled, 1 never recorded; the scheduled meeting of the review date is not yet due.
    Commitments due: on time, late, dropped, open 6 days overdue, open 1 day overdue; one
    closed on its due date = the review date counts; one due later does not."""
    o1, pact = world.objectives["O1"], world.pact
    held = [meeting(db, d, objective=o1, state=MeetingState.HELD)
            for d in (date(2023, 1, 2), date(2023, 1, 9))]
    held.append(meeting(db, date(2023, 1, 5), pact=pact, state=MeetingState.HELD))
    meeting(db, date(2023, 1, 12), pact=pact, state=MeetingState.CANCELLED)
    meeting(db, date(2023, 1, 13), objective=o1)  # past, never recorded
    held.append(meeting(db, REVIEW_DATE, pact=pact, state=MeetingState.HELD))
    meeting(db, REVIEW_DATE, objective=o1)  # today, not held yet: not due
    meeting(db, date(2023, 1, 23), objective=o1)  # future

    def promise(at: ReviewMeeting, due: date, closed: tuple[str, date] | None = None) -> None:
        made = m.record_commitment(db, at, description="x", owner="o", due_on=due, by="ana")
        if closed:
            m.close_commitment(db, made, closed[0], closed[1], note="why", by="ana")
    promise(held[0], date(2023, 1, 6), ("done", date(2023, 1, 6)))  # on time
    promise(held[0], date(2023, 1, 6), ("done", date(2023, 1, 11)))  # late
    promise(held[0], date(2023, 1, 6), ("dropped", date(2023, 1, 9)))  # dropped
    promise(held[0], date(2023, 1, 10))  # open, 6 days overdue
    promise(held[2], date(2023, 1, 15))  # pact, open, 1 day overdue
    promise(held[2], date(2023, 1, 6), ("done", date(2023, 1, 5)))  # pact, on time
    promise(held[3], REVIEW_DATE, ("done", REVIEW_DATE))  # pact, due today, closed: on time
    promise(held[1], date(2023, 1, 20))  # not due yet
    promise(held[1], date(2023, 1, 11), ("done", date(2023, 1, 20)))  # closed later: open now

    health = h.routine_health(db, REVIEW_DATE).set_index("scope", drop=False)
    unit = health.loc["unit"]
    assert unit[["scheduled", "held", "cancelled", "not_recorded"]].tolist() == [6, 4, 1, 1]
    assert unit["held_share"] == pytest.approx(4 / 6)
    assert unit[["commitments_due", "closed_on_time", "closed_late", "dropped",
                 "open_overdue"]].tolist() == [8, 3, 1, 1, 3]
    assert unit["on_time_share"] == pytest.approx(3 / 8)
    assert unit["mean_days_overdue"] == pytest.approx((6 + 1 + 5) / 3)
    px = health[health["code"] == "PX"].iloc[0]
    assert px[["scheduled", "held", "cancelled", "commitments_due", "closed_on_time",
               "open_overdue"]].tolist() == [3, 2, 1, 3, 2, 1]
    assert px["mean_days_overdue"] == pytest.approx(1.0)
    assert list(health.columns) == h.HEALTH_COLUMNS


def test_routine_health_since_a_date_counts_only_what_fell_due_after_it(db, world):
    o1 = world.objectives["O1"]
    old = meeting(db, date(2022, 12, 5), objective=o1, state=MeetingState.HELD)
    meeting(db, date(2022, 12, 12), objective=o1, state=MeetingState.CANCELLED)
    meeting(db, date(2023, 1, 9), objective=o1, state=MeetingState.HELD)
    m.record_commitment(db, old, description="x", owner="o", due_on=date(2022, 12, 9),
                        by="ana")
    everything = h.routine_health(db, REVIEW_DATE).iloc[0]
    recent = h.routine_health(db, REVIEW_DATE, since=date(2023, 1, 1)).iloc[0]
    assert (everything["scheduled"], everything["held"], everything["open_overdue"]) == (3, 2, 1)
    assert (recent["scheduled"], recent["held"], recent["commitments_due"]) == (1, 1, 0)
    assert pd.isna(recent["on_time_share"]) and pd.isna(recent["mean_days_overdue"])


def test_a_pact_without_meetings_has_a_row_of_zeros(db, world):
    row = h.routine_health(db, REVIEW_DATE).iloc[1]
    assert (row["code"], row["scheduled"], row["commitments_due"]) == ("PX", 0, 0)
    assert pd.isna(row["held_share"])


# -- the minutes and their errors ------------------------------------------------------------


def test_closing_the_minutes_makes_the_meeting_held_and_final(db, world):
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    item = m.add_topic(db, review, "Budget", by="ana")
    m.record_attendance(db, review, ["Governor", " ", "Chief", "Governor"], by="ana")
    decision = m.record_decision(db, review, "Hire 100 nurses", by="ana",
                                 agenda_item_id=item.id)
    m.close_meeting(db, review, by="ana", at=CLOSED)
    assert review.state is MeetingState.HELD and review.closed_by == "ana"
    assert review.attendees == ["Governor", "Chief"] and decision.recorded_by == "ana"
    refused = [
        lambda: m.add_topic(db, review, "More", by="ana"),
        lambda: m.build_agenda(db, review, REVIEW_DATE, by="ana"),
        lambda: m.move_agenda_item(db, item, 0, by="ana"),
        lambda: m.remove_agenda_item(db, item, by="ana"),
        lambda: m.record_attendance(db, review, ["X"], by="ana"),
        lambda: m.record_decision(db, review, "More", by="ana"),
        lambda: m.record_commitment(db, review, description="d", owner="o", due_on=REVIEW_DATE,
                                    by="ana"),
        lambda: m.close_meeting(db, review, by="ana", at=CLOSED),
    ]
    for attempt in refused:
        with pytest.raises(m.MeetingClosed, match="^meeting: the minutes of Review"):
            attempt()


COMMITMENT_ERRORS = [
    (dict(description=" "), "description: required"),
    (dict(owner=""), "owner: required"),
    (dict(due_on=date(2023, 1, 15)),
     r"due date: 15 Jan 2023 is before the meeting \(16 Jan 2023\)"),
    (dict(goal_id=10**6), "goal: no goal 1000000"),
]


@pytest.mark.parametrize(("change", "message"), COMMITMENT_ERRORS,
                         ids=["blank-description", "blank-owner", "due-before-meeting",
                              "unknown-goal"])
def test_a_commitment_needs_what_who_and_a_date_after_the_meeting(db, world, change, message):
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    values = dict(description="Patrols", owner="Chief", due_on=date(2023, 2, 1)) | change
    with pytest.raises(ValueError, match=f"^{message}"):
        m.record_commitment(db, review, by="ana", **values)
    assert review.commitments == []


def test_the_minutes_refuse_bad_input_naming_the_field(db, world):
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    item = m.add_topic(db, review, "Budget", by="ana")
    other = meeting(db, REVIEW_DATE, objective=world.objectives["O2"])
    stranger = m.add_topic(db, other, "Elsewhere", by="ana")
    promise = m.record_commitment(db, review, description="d", owner="o",
                                  due_on=date(2023, 2, 1), by="ana")
    cases = [
        (lambda: m.add_topic(db, review, "  ", by="ana"), "title: required"),
        (lambda: m.move_agenda_item(db, item, 1, by="ana"), "position: must be between 0 and 0"),
        (lambda: m.record_decision(db, review, " ", by="ana"), "text: required"),
        (lambda: m.record_decision(db, review, "ok", by="ana", agenda_item_id=stranger.id),
         f"agenda item: {stranger.id} is not on this meeting's agenda"),
        (lambda: m.cancel_meeting(db, other, " ", by="ana"), "reason: required"),
        (lambda: m.close_commitment(db, promise, "dropped", date(2023, 2, 1), note="", by="ana"),
         "note: say why the commitment is dropped"),
        (lambda: m.close_commitment(db, promise, "open", date(2023, 2, 1), by="ana"),
         "state: close as done or dropped"),
        (lambda: m.close_commitment(db, promise, "finished", date(2023, 2, 1), by="ana"),
         "state: 'finished' is not done or dropped"),
        (lambda: m.close_commitment(db, promise, "done", date(2023, 1, 1), by="ana"),
         r"on: 1 Jan 2023 is before the commitment was made \(16 Jan 2023\)"),
    ]
    for attempt, message in cases:
        with pytest.raises(ValueError, match=f"^{message}$"):
            attempt()
    m.close_commitment(db, promise, "done", date(2023, 1, 20), by="sds")
    with pytest.raises(ValueError, match="^state: already done on 20 Jan 2023$"):
        m.close_commitment(db, promise, "dropped", date(2023, 1, 21), note="x", by="ana")
    assert (promise.closed_by, promise.closed_on) == ("sds", date(2023, 1, 20))


def test_a_cancelled_meeting_says_why_and_takes_no_minutes(db, world):
    review = meeting(db, REVIEW_DATE, objective=world.objectives["O1"])
    m.cancel_meeting(db, review, " Governor travelling ", by="ana")
    assert (review.state, review.cancelled_reason) == (MeetingState.CANCELLED,
                                                      "Governor travelling")
    with pytest.raises(ValueError, match="^state: the meeting is already cancelled$"):
        m.cancel_meeting(db, review, "again", by="ana")
    with pytest.raises(ValueError, match="^meeting: cancelled meetings make no commitments$"):
        m.record_commitment(db, review, description="d", owner="o", due_on=REVIEW_DATE, by="ana")
    with pytest.raises(ValueError, match="^state: a cancelled meeting has no minutes to close$"):
        m.close_meeting(db, review, by="ana", at=CLOSED)


# -- on the demo -----------------------------------------------------------------------------

Factory = sessionmaker[Session]



def test_the_demo_routine_held_five_meetings_in_six(demo):
    with demo() as session:
        health = h.routine_health(session, REVIEW_DATE).set_index("code")
    unit = health.loc[""]
    assert unit[["scheduled", "held", "cancelled", "not_recorded"]].tolist() == [42, 35, 7, 0]
    assert unit[["commitments_due", "closed_on_time", "closed_late", "dropped",
                 "open_overdue"]].tolist() == [29, 14, 7, 1, 7]
    assert unit["mean_days_overdue"] == pytest.approx(113 / 7)
    assert health.loc["PPV", ["scheduled", "held", "cancelled"]].tolist() == [15, 13, 2]
    assert health.loc["PPS", ["scheduled", "held", "cancelled"]].tolist() == [4, 3, 1]


def test_the_demo_has_a_series_per_pact_and_the_governors_weekly_one(demo):
    with demo() as session:
        series = list(session.scalars(select(MeetingSeries).order_by(MeetingSeries.id)))
        assert m.schedule_meetings(session, REVIEW_DATE) == []  # all there already
        cancelled = session.scalars(select(ReviewMeeting).where(
            ReviewMeeting.state == MeetingState.CANCELLED)).all()
    assert [(s.kind.value, s.weekday, s.every_weeks) for s in series] == [
        ("governor", 0, 1), ("pact", 3, 1), ("pact", 2, 2), ("pact", 1, 4)]
    assert all(c.cancelled_reason for c in cancelled)


def test_the_demo_meeting_of_the_review_date_has_its_agenda_built(demo):
    with demo() as session:
        review = session.scalars(select(ReviewMeeting).where(
            ReviewMeeting.held_on == REVIEW_DATE)).one()
        items = m.agenda(review)
        assert review.state is MeetingState.SCHEDULED and review.closed_at is None
        assert [i.title for i in items[:3]] == [
            "December homicide figures",
            "Commitments from the Pact for Life meeting of 12 December", "Feminicides"]
        kinds = [i.kind.value for i in items[3:]]
        assert kinds == sorted(kinds, key=["goal", "flag", "commitment", "topic"].index)
        assert items[3].title.startswith("Intentional homicides in Pernambuco")
        assert any("Task force to conclude the 2021 homicide" in i.title for i in items)
        before = [i.id for i in items]
        assert [i.id for i in m.build_agenda(session, review, REVIEW_DATE, by="ana")][
            :len(before)] == before
        session.rollback()


def test_the_demo_lists_overdue_commitments_and_uncovered_off_track_goals(demo):
    with demo() as session:
        open_now = h.open_commitments(session, REVIEW_DATE)
        flagged = h.goals_without_commitment(session, goal_statuses(session, REVIEW_DATE),
                                             REVIEW_DATE)
    overdue = open_now[open_now["days_overdue"] > 0]
    assert len(overdue) == 7 and overdue["days_overdue"].max() == 52
    task_force = open_now[open_now["description"].str.startswith("Task force to conclude")]
    assert task_force[["days_overdue", "carried"]].iloc[0].tolist() == [3, 3]
    assert "PPV Homicídio doloso" in set(flagged["code"])  # its commitments are all done
    assert "SCIDADES-MORADIAS" not in set(flagged["code"])  # re-tender still open
