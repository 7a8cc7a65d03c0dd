"""The weekly review's statuses and history from one read of the recent figures
(``delivery.figure_window``) are those the full-table functions give, goal by goal."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import select

from delivery import figure_window, review, review_grades
from delivery.assessment import goal_statuses
from delivery.figure_window import known_between, latest_known, read_window
from delivery.figures import latest_figure_per_goal, record_figure
from delivery.models import Goal
from delivery.trajectory_versions import approve, propose
from delivery.vocabulary import Direction, Frequency, Shape
from tests.factories import make_goal

AS_OF = date(2021, 7, 14)  # a Wednesday: the week before starts on 7 July
WEEK_AGO = AS_OF - timedelta(days=7)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def month(year: int, m: int) -> tuple[date, date]:
    start = date(year, m, 1)
    return start, date(year + m // 12, m % 12 + 1, 1) - timedelta(days=1)


def graded_one_by_one(session, as_of: date, goal_ids=None):  # type: ignore[no-untyped-def]
    """What the review computed before the shared read: full-table passes."""
    now = goal_statuses(session, as_of, with_reasons=False, goal_ids=goal_ids)
    before = goal_statuses(session, as_of - timedelta(days=7), with_reasons=False,
                           goal_ids=goal_ids)
    history = review.progress_history(session, as_of, now)
    return now, review.status_changes(now, before), review.aggregate_progress(
        history, now, "pillar_code")


def assert_same_as_one_by_one(session, as_of: date, goal_ids=None) -> None:  # type: ignore[no-untyped-def]
    grades = review_grades._grade_review(session, as_of, goal_ids)
    now, changes, progress = graded_one_by_one(session, as_of, goal_ids)
    pd.testing.assert_frame_equal(grades.statuses, now)
    pd.testing.assert_frame_equal(grades.changes, changes)
    pd.testing.assert_frame_equal(grades.progress, progress)


@pytest.fixture
def mixed(db):  # type: ignore[no-untyped-def]
    """Goals the window alone cannot serve and figures recorded in the week under review."""
    monthly = make_goal(db, baseline_date=date(2020, 6, 30), target_date=date(2022, 6, 30))
    for m in range(1, 7):  # January to June 2021, known from early the next month
        start, end = month(2021, m)
        record_figure(db, monthly, start, end, 100.0 - 3 * m, reported_by="a",
                      recorded_at=at(end + timedelta(days=5)))
    # June corrected in the week: a week ago the first figure was in force
    record_figure(db, monthly, *month(2021, 6), 99.0, reported_by="a",
                  recorded_at=at(AS_OF - timedelta(days=2)))
    quarterly = make_goal(db, frequency=Frequency.QUARTERLY, direction=Direction.UP,
                          baseline_value=10.0, baseline_date=date(2019, 12, 31),
                          target_value=50.0, target_date=date(2022, 12, 31))
    for q, value in enumerate([12.0, 15.0, 16.0, 20.0, 21.0, 30.0]):
        start = date(2020 + (q // 4), q % 4 * 3 + 1, 1)
        end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()
        record_figure(db, quarterly, start, end, value, reported_by="a",
                      recorded_at=at(end + timedelta(days=10)))
    yearly = make_goal(db, frequency=Frequency.YEARLY, baseline_date=date(2018, 12, 31))
    record_figure(db, yearly, date(2019, 1, 1), date(2019, 12, 31), 90.0, reported_by="a",
                  recorded_at=at(date(2020, 2, 1)))
    record_figure(db, yearly, date(2020, 1, 1), date(2020, 12, 31), 85.0, reported_by="a",
                  recorded_at=at(date(2021, 2, 1)))
    stale = make_goal(db)
    record_figure(db, stale, *month(2019, 3), 95.0, reported_by="a",
                  recorded_at=at(date(2019, 4, 5)))
    make_goal(db)  # never reported
    make_goal(db, direction=Direction.RANGE, baseline_value=6.0, target_value=3.0,
              target_low=2.0, target_high=4.0)
    replanned = propose(db, monthly, Shape.LINEAR,
                        [(date(2020, 6, 30), 100.0), (date(2022, 6, 30), 90.0)],
                        proposed_by="analyst", rationale="easier", based_on=None,
                        at=at(AS_OF - timedelta(days=3)))
    approve(db, replanned, approved_by="governor", at=at(AS_OF - timedelta(days=1)))
    db.flush()
    return {"monthly": monthly, "quarterly": quarterly, "yearly": yearly, "stale": stale}


def test_the_review_grades_goals_the_window_cannot_serve_as_the_full_reads_do(db, mixed):  # type: ignore[no-untyped-def]
    assert_same_as_one_by_one(db, AS_OF)
    statuses = review_grades._grade_review(db, AS_OF, None).changes.set_index("code")
    assert statuses.loc[mixed["monthly"].code, "was"] != statuses.loc[
        mixed["monthly"].code, "status"]  # re-planned and corrected in the week


def test_a_scoped_review_grades_only_its_goals_the_same_way(db, mixed):  # type: ignore[no-untyped-def]
    scope = [mixed["quarterly"].id, mixed["yearly"].id]
    assert_same_as_one_by_one(db, AS_OF, scope)
    assert set(review_grades._grade_review(db, AS_OF, scope).statuses["goal_id"]) == set(scope)


def test_a_figure_recorded_in_the_week_is_left_out_of_what_was_known_a_week_ago(db, mixed):  # type: ignore[no-untyped-def]
    window = read_window(db, date(2021, 1, 31), AS_OF)
    unknown = known_between(db, WEEK_AGO, AS_OF)
    assert sorted(zip(unknown["goal_id"], unknown["revision"], strict=True)) == [
        (mixed["monthly"].id, 2), (mixed["quarterly"].id, 1)]  # a correction, a new quarter
    ids = [g.id for g in mixed.values()]
    then = latest_known(db, window, WEEK_AGO, ids, unknown=unknown).set_index("goal_id")
    full = latest_figure_per_goal(db, WEEK_AGO).set_index("goal_id")
    assert then.loc[mixed["monthly"].id, "value"] == full.loc[mixed["monthly"].id, "value"] == 82
    assert then.loc[mixed["yearly"].id, "period_end"] == date(2020, 12, 31)
    assert then.loc[mixed["stale"].id, "period_end"] == date(2019, 3, 31)  # looked up
    assert sorted(then.index) == sorted(full.index)


@pytest.mark.parametrize("as_of", [date(2023, 1, 16), date(2022, 7, 4), date(2022, 3, 31)],
                         ids=["demo-date", "mid-year", "quarter-end"])
def test_on_the_demo_the_review_grades_as_the_full_reads_do(demo, as_of):  # type: ignore[no-untyped-def]
    with demo() as session:
        assert_same_as_one_by_one(session, as_of)


def test_the_weekly_review_explains_the_goals_it_lists_as_most_off_track(demo):  # type: ignore[no-untyped-def]
    with demo() as session:
        found = review.weekly_review(session, date(2023, 1, 16))
        reasons = goal_statuses(session, date(2023, 1, 16)).set_index("goal_id")["reason"]
    assert len(found.worst) and "reason" not in found.statuses
    assert found.worst["reason"].tolist() == reasons.loc[found.worst["goal_id"]].tolist()


def test_a_reader_changing_a_kept_review_in_place_does_not_change_what_is_kept(demo):  # type: ignore[no-untyped-def]
    with demo() as session:
        read = review.review_grades(session, date(2023, 1, 16))
        first = read.statuses.loc[0, "status"]
        read.statuses.loc[0, "status"] = "changed by a reader"
        read.progress.iloc[0, read.progress.columns.get_loc("actual")] = -99.0
        again = review.review_grades(session, date(2023, 1, 16))
    assert again.statuses.loc[0, "status"] == first
    assert (again.progress["actual"] != -99.0).all()


# -- the window kept between data changes ---------------------------------------------------


@pytest.fixture
def national(session_factory):  # type: ignore[no-untyped-def]
    """Two monthly goals on track, January to May 2021 reported, committed; nothing kept."""
    review.forget()
    with session_factory() as session, session.begin():
        codes = []
        for _ in range(2):
            goal = make_goal(session, baseline_date=date(2020, 6, 30),
                             target_date=date(2022, 6, 30))
            for m in range(1, 6):
                start, end = month(2021, m)
                record_figure(session, goal, start, end, 100.0 - 3 * m, reported_by="a",
                              recorded_at=at(end + timedelta(days=5)))
            codes.append(goal.code)
    yield codes
    review.forget()


def reviewed(session_factory) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The statuses of a fresh weekly review, checked against the full-table passes."""
    review_grades._GRADES.clear()  # the grades afresh; the kept window and goals stay
    with session_factory() as session:
        grades = review.review_grades(session, AS_OF)
        now, changes, progress = graded_one_by_one(session, AS_OF)
    pd.testing.assert_frame_equal(grades.statuses, now)
    pd.testing.assert_frame_equal(grades.changes, changes)
    pd.testing.assert_frame_equal(grades.progress, progress)
    return grades.statuses.set_index("code")


@pytest.fixture
def full_reads(monkeypatch):  # type: ignore[no-untyped-def]
    """How many times the whole window was read (not only the rows written since)."""
    counted: list[str] = []
    read = figure_window.plain_frame

    def counting(session, query, extra=None):  # type: ignore[no-untyped-def]
        if extra and "figure.id >" not in str(query.compile()):
            counted.append("full")
        return read(session, query, extra)

    monkeypatch.setattr(figure_window, "plain_frame", counting)
    return counted


def goal_of(session, code: str) -> Goal:  # type: ignore[no-untyped-def]
    return session.scalars(select(Goal).where(Goal.code == code)).one()


def test_a_figure_recorded_after_a_review_is_in_the_next_one_read_by_id(  # type: ignore[no-untyped-def]
        session_factory, national, full_reads):
    assert reviewed(session_factory).loc[national[0], "status"] == "on_track"
    with session_factory() as session, session.begin():
        record_figure(session, goal_of(session, national[0]), *month(2021, 6), 120.0,
                      reported_by="ana", recorded_at=at(date(2021, 7, 10)))
    assert reviewed(session_factory).loc[national[0], "status"] == "off_track"
    assert full_reads.count("full") == 1  # the first review only: then the new rows by id


def test_a_correction_recorded_after_a_review_wins_in_the_next_one(  # type: ignore[no-untyped-def]
        session_factory, national, full_reads):
    reviewed(session_factory)
    with session_factory() as session, session.begin():
        record_figure(session, goal_of(session, national[1]), *month(2021, 5), 130.0,
                      reported_by="ana", recorded_at=at(date(2021, 7, 12)), note="typo")
    assert reviewed(session_factory).loc[national[1], "status"] == "off_track"
    with session_factory() as session, session.begin():  # and corrected back
        record_figure(session, goal_of(session, national[1]), *month(2021, 5), 85.0,
                      reported_by="ana", recorded_at=at(date(2021, 7, 13)))
    assert reviewed(session_factory).loc[national[1], "status"] == "on_track"
    assert full_reads.count("full") == 1


def test_a_trajectory_approved_after_a_review_is_used_in_the_next_one(  # type: ignore[no-untyped-def]
        session_factory, national, full_reads):
    assert reviewed(session_factory).loc[national[0], "status"] == "on_track"
    with session_factory() as session, session.begin():
        harder = propose(session, goal_of(session, national[0]), Shape.LINEAR,
                         [(date(2020, 6, 30), 100.0), (date(2021, 6, 30), 50.0)],
                         proposed_by="analyst", rationale="harder", based_on=None,
                         at=at(date(2021, 7, 1)))
        approve(session, harder, approved_by="governor", at=at(date(2021, 7, 2)))
    assert reviewed(session_factory).loc[national[0], "status"] == "off_track"
    assert full_reads.count("full") == 1  # the goals and plans read again, not the figures


# SQLite has one writer at a time: its ids are taken in commit order, so only PostgreSQL can
# hand a lower id to a transaction that commits later.
@pytest.mark.backends("postgresql")
def test_a_figure_committed_by_a_write_in_flight_during_a_review_is_in_the_next(  # type: ignore[no-untyped-def]
        session_factory, national, database_url, monkeypatch):
    monkeypatch.setattr(figure_window, "LAG", 0)  # only the in-flight guard can catch it
    early = session_factory()  # takes a lower id, commits after a later writer and a review
    early.begin()
    record_figure(early, goal_of(early, national[0]), *month(2021, 6), 120.0,
                  reported_by="ana", recorded_at=at(date(2021, 7, 10)))
    early.flush()
    with session_factory() as session, session.begin():
        record_figure(session, goal_of(session, national[1]), *month(2021, 6), 92.0,
                      reported_by="ana", recorded_at=at(date(2021, 7, 10)))
    assert reviewed(session_factory).loc[national[0], "status"] == "on_track"
    early.commit()
    early.close()
    assert reviewed(session_factory).loc[national[0], "status"] == "off_track"


@pytest.mark.backends("postgresql")
def test_a_write_in_flight_when_a_review_starts_is_waited_for_and_the_review_kept(  # type: ignore[no-untyped-def]
        session_factory, national, full_reads, monkeypatch):
    """A save in flight (a lower id not yet committed) that ends within ``SETTLE_WAIT``: the
    review waits for it, sees its figure, and keeps what it read (the next one reads by id)."""
    monkeypatch.setattr(figure_window, "LAG", 0)  # only the in-flight guard can catch it
    assert reviewed(session_factory).loc[national[0], "status"] == "on_track"
    early = session_factory()
    early.begin()
    record_figure(early, goal_of(early, national[0]), *month(2021, 6), 120.0,
                  reported_by="ana", recorded_at=at(date(2021, 7, 10)))
    early.flush()
    with session_factory() as session, session.begin():  # a later id, committed first
        record_figure(session, goal_of(session, national[1]), *month(2021, 6), 92.0,
                      reported_by="ana", recorded_at=at(date(2021, 7, 10)))
    ending = threading.Timer(0.3, lambda: (early.commit(), early.close()))
    ending.start()
    assert reviewed(session_factory).loc[national[0], "status"] == "off_track"
    ending.join()
    assert reviewed(session_factory).loc[national[0], "status"] == "off_track"
    assert full_reads.count("full") == 1  # the first review's: every later one read by id


def test_history_backfilled_after_a_review_counts_from_the_day_it_became_known(  # type: ignore[no-untyped-def]
        session_factory, national, full_reads):
    """Stored today with a higher id, known on a day before the review: in the next review as
    of that date, read by id; and known a week before when it became known before that."""
    assert reviewed(session_factory).loc[national[0], "status"] == "on_track"
    with session_factory() as session, session.begin():
        record_figure(session, goal_of(session, national[0]), *month(2021, 6), 120.0,
                      reported_by="ana", known_on=date(2021, 7, 10))
        record_figure(session, goal_of(session, national[1]), *month(2021, 5), 130.0,
                      reported_by="ana", known_on=WEEK_AGO - timedelta(days=3))
    statuses = reviewed(session_factory)
    assert statuses.loc[national[0], "status"] == statuses.loc[national[1], "status"] == (
        "off_track")
    assert full_reads.count("full") == 1
