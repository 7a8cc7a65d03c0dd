from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from delivery.clock import pin_review_date
from delivery.figures import (
    FIGURE_COLUMNS,
    figures_as_of,
    latest_figure_per_goal,
    record_figure,
    record_figures,
    revisions,
)
from tests.factories import make_goal

JAN, FEB = (date(2021, 1, 1), date(2021, 1, 31)), (date(2021, 2, 1), date(2021, 2, 28))


def at(day: int, month: int = 3) -> datetime:
    return datetime(2021, month, day, 12, tzinfo=UTC)


def test_it_keeps_a_correction_as_a_new_revision_with_the_history(db):
    goal = make_goal(db)
    record_figure(db, goal, *JAN, 95, reported_by="ana", source="SIM", recorded_at=at(1))
    counts = record_figure(db, goal, *JAN, 97, reported_by="bruno", note="late deaths added",
                           recorded_at=at(10))

    assert (counts.new, counts.revised) == (0, 1)
    history = revisions(db, goal.id, JAN[0])
    assert [(f.revision, f.value, f.reported_by) for f in history] == [
        (1, 95.0, "ana"), (2, 97.0, "bruno"),
    ]
    assert history[1].note == "late deaths added"


def test_recording_the_same_value_again_changes_nothing(db):
    goal = make_goal(db)
    record_figure(db, goal, *JAN, 95, reported_by="ana", recorded_at=at(1))
    counts = record_figure(db, goal, *JAN, 95.0, reported_by="ana", recorded_at=at(2))

    assert counts.unchanged == 1 and counts.written == 0
    assert len(revisions(db, goal.id, JAN[0])) == 1


def test_a_provisional_figure_is_consolidated_by_a_new_revision(db):
    goal = make_goal(db)
    record_figure(db, goal, *JAN, 95, reported_by="ana", provisional=True, recorded_at=at(1))
    counts = record_figure(db, goal, *JAN, 95, reported_by="ana", recorded_at=at(20))

    assert counts.consolidated == 1
    assert [f.is_provisional for f in revisions(db, goal.id, JAN[0])] == [True, False]


def test_a_provisional_re_report_does_not_undo_a_consolidated_figure(db):
    goal = make_goal(db)
    record_figure(db, goal, *JAN, 95, reported_by="ana", recorded_at=at(1))
    counts = record_figure(db, goal, *JAN, 95, reported_by="ana", provisional=True,
                           recorded_at=at(2))
    assert counts.unchanged == 1


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2021, 2, 28), []),
        (date(2021, 3, 1), [95.0]),
        (date(2021, 3, 9), [95.0, 80.0]),
        (date(2021, 3, 10), [97.0, 80.0]),
    ],
    ids=["before-anything", "first-figure-only", "before-the-correction", "after-it"],
)
def test_as_of_returns_what_the_unit_knew_that_day(db, as_of, expected):
    goal = make_goal(db)
    record_figure(db, goal, *JAN, 95, reported_by="ana", recorded_at=at(1))
    record_figure(db, goal, *FEB, 80, reported_by="ana", recorded_at=at(5))
    record_figure(db, goal, *JAN, 97, reported_by="ana", recorded_at=at(10))

    assert [f.value for f in figures_as_of(db, goal.id, as_of)] == expected


def test_the_latest_figure_per_goal_respects_period_and_knowledge_dates(db):
    one, two = make_goal(db), make_goal(db)
    record_figure(db, one, *JAN, 95, reported_by="a", recorded_at=at(1))
    record_figure(db, one, *FEB, 80, reported_by="a", recorded_at=at(5))
    record_figure(db, two, *JAN, 10, reported_by="a", recorded_at=at(1))
    record_figure(db, two, *JAN, 12, reported_by="a", recorded_at=at(8))

    frame = latest_figure_per_goal(db, date(2021, 3, 6)).set_index("goal_id")
    assert frame.loc[one.id, "value"] == 80.0
    assert frame.loc[two.id, "value"] == 10.0  # the revision of the 8th was not known yet
    later = latest_figure_per_goal(db, date(2021, 3, 9)).set_index("goal_id")
    assert later.loc[two.id, ["value", "revision"]].tolist() == [12.0, 2]


def test_a_batch_with_the_same_period_twice_is_refused_before_anything_is_written(db):
    goal = make_goal(db)
    frame = pd.DataFrame(
        [[goal.id, *JAN, 1.0, False], [goal.id, *JAN, 2.0, False]], columns=FIGURE_COLUMNS
    )
    with pytest.raises(ValueError, match="more than one figure"):
        record_figures(db, frame, reported_by="x")
    assert revisions(db, goal.id, JAN[0]) == []


def test_dry_run_counts_without_writing(db):
    goal = make_goal(db)
    frame = pd.DataFrame([[goal.id, *JAN, 1.0, False]], columns=FIGURE_COLUMNS)
    counts = record_figures(db, frame, reported_by="x", dry_run=True)
    assert counts.new == 1
    assert revisions(db, goal.id, JAN[0]) == []


@pytest.mark.parametrize("statement", [
    "UPDATE figure SET value = value + 1",
    "DELETE FROM figure",
], ids=["update", "delete"])
def test_the_database_refuses_to_change_or_delete_a_figure(db, statement):
    goal = make_goal(db, code="APPEND-ONLY")
    record_figure(db, goal, date(2022, 1, 1), date(2022, 1, 31), 10.0, reported_by="ana")
    db.flush()
    with pytest.raises(DatabaseError, match="append-only"), db.begin_nested():
        db.execute(text(statement))


@pytest.mark.parametrize(("pinned", "given", "expected"), [
    (None, None, date.today()),
    (date(2023, 1, 16), None, date(2023, 1, 16)),
    (None, date(2021, 2, 20), date(2021, 2, 20)),
], ids=["today by default", "the pinned review date", "the day given"])
def test_a_figure_is_stored_now_and_known_on_the_review_date_unless_told(
        db, pinned, given, expected):
    pin_review_date(db, pinned)
    goal = make_goal(db)
    before = datetime.now(UTC)
    record_figure(db, goal, *JAN, 95, reported_by="ana", known_on=given)
    (figure,) = revisions(db, goal.id, JAN[0])
    stored = figure.recorded_at if figure.recorded_at.tzinfo else figure.recorded_at.replace(
        tzinfo=UTC)
    assert figure.known_on == expected and stored >= before.replace(microsecond=0)


def test_as_of_a_date_a_figure_counts_from_the_day_it_became_known_not_when_stored(db):
    goal = make_goal(db)
    frame = pd.DataFrame([[goal.id, *JAN, 95.0, False, date(2021, 2, 10)],
                          [goal.id, *FEB, 90.0, False, None]],
                         columns=[*FIGURE_COLUMNS, "known_on"])
    counts = record_figures(db, frame, reported_by="ana", known_on=date(2021, 3, 5))
    assert counts.backfilled == 2 and (counts.known_from, counts.known_to) == (
        date(2021, 2, 10), date(2021, 3, 5))
    assert [f.value for f in figures_as_of(db, goal.id, date(2021, 2, 10))] == [95.0]
    assert [f.value for f in figures_as_of(db, goal.id, date(2021, 3, 5))] == [95.0, 90.0]
    assert latest_figure_per_goal(db, date(2021, 3, 4))["value"].tolist() == [95.0]


def test_a_revision_number_taken_by_another_save_is_told_apart_from_other_errors(db):
    from sqlalchemy import insert, select
    from sqlalchemy.exc import IntegrityError

    from delivery.figures import revision_taken
    from delivery.models import Figure

    goal = make_goal(db)
    record_figure(db, goal, *JAN, 10.0, reported_by="ana", recorded_at=at(1))
    db.flush()
    columns = [c for c in Figure.__table__.columns if c.name != "id"]
    with pytest.raises(IntegrityError) as raised, db.begin_nested():  # the same revision again
        db.execute(insert(Figure).from_select([c.name for c in columns],
                                              select(*columns).where(Figure.goal_id == goal.id)))
    assert revision_taken(raised.value)
    assert not revision_taken(ValueError("figure.goal_id, figure.period_start, figure.revision"))
