from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from delivery import data_version, review_grades
from delivery.clock import pin_review_date
from delivery.figures import record_figure
from delivery.models import Goal
from delivery.review import weekly_review
from tests.factories import make_goal

AS_OF = date(2021, 6, 30)
RECORDED = datetime(2021, 6, 1, tzinfo=UTC)


def version(factory) -> str | None:  # type: ignore[no-untyped-def]
    with factory() as session:
        return data_version.current(session)


@pytest.fixture
def goal_code(session_factory) -> str:  # type: ignore[no-untyped-def]
    """A goal on track as of AS_OF (halfway down its straight line, 85 in May 2021)."""
    with session_factory() as session, session.begin():
        goal = make_goal(session)
        record_figure(session, goal, date(2021, 5, 1), date(2021, 5, 31), 85.0,
                      reported_by="ana", recorded_at=RECORDED)
        return goal.code


def test_a_migrated_database_has_a_version(session_factory) -> None:  # type: ignore[no-untyped-def]
    assert version(session_factory) is not None


def test_a_committed_figure_moves_the_version(session_factory, goal_code) -> None:  # type: ignore[no-untyped-def]
    was = version(session_factory)
    with session_factory() as session, session.begin():
        goal = session.query(Goal).filter_by(code=goal_code).one()
        record_figure(session, goal, date(2021, 6, 1), date(2021, 6, 30), 84.0,
                      reported_by="ana", recorded_at=RECORDED)
    assert int(version(session_factory)) == int(was) + 1


def test_a_rolled_back_write_and_a_write_elsewhere_leave_it(session_factory, goal_code) -> None:  # type: ignore[no-untyped-def]
    was = version(session_factory)
    with session_factory() as session:
        session.query(Goal).filter_by(code=goal_code).one().name = "Renamed"
        session.flush()
        session.rollback()
    with session_factory() as session, session.begin():
        pin_review_date(session, AS_OF)  # site facts are not the data behind the screens
    assert version(session_factory) == was


def test_a_session_with_writes_not_yet_committed_has_no_version(session_factory, goal_code) -> None:  # type: ignore[no-untyped-def]
    with session_factory() as session:
        session.query(Goal).filter_by(code=goal_code).one().name = "Renamed"
        assert data_version.current(session) is None
        session.flush()
        assert data_version.current(session) is None
        session.rollback()


def test_the_weekly_review_is_kept_until_a_figure_changes_it(session_factory, goal_code,  # type: ignore[no-untyped-def]
                                                             monkeypatch) -> None:
    passes = []
    grade = review_grades._regrade  # every grading pass, full or patched, goes through it
    monkeypatch.setattr(review_grades, "_regrade", lambda *a: passes.append(1) or grade(*a))

    def status() -> str:
        with session_factory() as session:
            statuses = weekly_review(session, AS_OF).statuses
            return statuses.set_index("code").loc[goal_code, "status"]

    assert status() == "on_track"
    assert status() == "on_track"
    assert len(passes) == 1  # the second review came from the cache
    with session_factory() as session, session.begin():
        goal = session.query(Goal).filter_by(code=goal_code).one()
        record_figure(session, goal, date(2021, 6, 1), date(2021, 6, 30), 99.0,
                      reported_by="ana", recorded_at=RECORDED)
    assert status() == "off_track"
    assert len(passes) == 2


def test_a_reader_changing_the_review_does_not_change_what_is_kept(session_factory,  # type: ignore[no-untyped-def]
                                                                     goal_code) -> None:
    with session_factory() as session:
        read = weekly_review(session, AS_OF).statuses
        read["status"] = "changed by a reader"
        statuses = weekly_review(session, AS_OF).statuses
    assert statuses.set_index("code").loc[goal_code, "status"] == "on_track"


def plan(factory):  # type: ignore[no-untyped-def]
    with factory() as session:
        return data_version.plan(session)


def test_a_figure_leaves_the_plan_version_and_a_goal_moves_it(session_factory, goal_code) -> None:  # type: ignore[no-untyped-def]
    was = plan(session_factory)
    with session_factory() as session, session.begin():
        goal = session.query(Goal).filter_by(code=goal_code).one()
        record_figure(session, goal, date(2021, 6, 1), date(2021, 6, 30), 84.0,
                      reported_by="ana", recorded_at=RECORDED)
    assert plan(session_factory) == was
    with session_factory() as session, session.begin():
        session.query(Goal).filter_by(code=goal_code).one().name = "Renamed"
    database, version = plan(session_factory)
    assert database == was[0] and int(version) == int(was[1]) + 1


def test_a_session_with_writes_not_yet_committed_has_no_plan_version(session_factory,  # type: ignore[no-untyped-def]
                                                                     goal_code) -> None:
    with session_factory() as session:
        goal = session.query(Goal).filter_by(code=goal_code).one()
        record_figure(session, goal, date(2021, 6, 1), date(2021, 6, 30), 84.0,
                      reported_by="ana", recorded_at=RECORDED)
        assert data_version.plan(session) is None
        session.rollback()
