"""After a save, the weekly review grades again only the goals it changed
(``delivery.regrade``), and what it gives is what grading every goal afresh gives."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import select

from delivery import regrade, review, review_grades
from delivery.demo import load_demo
from delivery.figures import record_figure
from delivery.models import Figure, Goal
from delivery.trajectory_versions import approve, latest_version, propose
from delivery.vocabulary import Direction, Frequency, Shape
from tests.factories import make_goal

AS_OF = date(2021, 7, 14)
DEMO_DAY = date(2023, 1, 16)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def month(year: int, m: int) -> tuple[date, date]:
    start = date(year, m, 1)
    return start, date(year + m // 12, m % 12 + 1, 1) - timedelta(days=1)


@pytest.fixture
def graded(monkeypatch):  # type: ignore[no-untyped-def]
    """The goal ids of every grading pass (now and a week earlier) the review makes."""
    passes: list[list[int]] = []
    grade = review_grades.grade_goals

    def counting(goals, *args):  # type: ignore[no-untyped-def]
        passes.append(sorted(goals["goal_id"].tolist()))
        return grade(goals, *args)

    monkeypatch.setattr(review_grades, "grade_goals", counting)
    monkeypatch.setattr(regrade, "SMALL", 0)  # these portfolios are small: patched all the same
    review.forget()
    yield passes
    review.forget()


@pytest.fixture
def portfolio(session_factory):  # type: ignore[no-untyped-def]
    """Monthly, quarterly, yearly, stale, never reported and range goals, committed (and
    fillers: eleven goals, so that two changed are under ``regrade.SHARE``)."""
    with session_factory() as session, session.begin():
        goals = {"monthly": make_goal(session, baseline_date=date(2020, 6, 30),
                                      target_date=date(2022, 6, 30)),
                 "other": make_goal(session, baseline_date=date(2020, 6, 30),
                                    target_date=date(2022, 6, 30)),
                 "quarterly": make_goal(session, frequency=Frequency.QUARTERLY,
                                        direction=Direction.UP, baseline_value=10.0,
                                        baseline_date=date(2019, 12, 31), target_value=50.0,
                                        target_date=date(2022, 12, 31)),
                 "yearly": make_goal(session, frequency=Frequency.YEARLY,
                                     baseline_date=date(2018, 12, 31)),
                 "stale": make_goal(session), "never": make_goal(session),
                 "range": make_goal(session, direction=Direction.RANGE, baseline_value=6.0,
                                    target_value=3.0, target_low=2.0, target_high=4.0),
                 **{f"filler{n}": make_goal(session) for n in range(4)}}
        for goal in (goals["monthly"], goals["other"]):
            for m in range(1, 6):
                start, end = month(2021, m)
                record_figure(session, goal, start, end, 100.0 - 3 * m, reported_by="a",
                              recorded_at=at(end + timedelta(days=5)))
        for q, value in enumerate([12.0, 15.0, 16.0, 20.0, 21.0]):
            start = date(2020 + (q // 4), q % 4 * 3 + 1, 1)
            end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()
            record_figure(session, goals["quarterly"], start, end, value, reported_by="a",
                          recorded_at=at(end + timedelta(days=10)))
        record_figure(session, goals["yearly"], date(2020, 1, 1), date(2020, 12, 31), 85.0,
                      reported_by="a", recorded_at=at(date(2021, 2, 1)))
        record_figure(session, goals["stale"], *month(2019, 3), 95.0, reported_by="a",
                      recorded_at=at(date(2019, 4, 5)))
        ids = {name: goal.id for name, goal in goals.items()}
    return ids


def same_as_afresh(session_factory, as_of: date = AS_OF, scope=None):  # type: ignore[no-untyped-def]
    """The review's grades (patched when a base is kept), checked against a full pass."""
    review_grades._GRADES.clear()  # the grades by data version: what is tested is the patching
    with session_factory() as session:
        patched = review.review_grades(session, as_of, scope)
        afresh = review_grades._grade_review(session, as_of, scope)
    for part in fields(review.ReviewGrades):
        pd.testing.assert_frame_equal(getattr(patched, part.name), getattr(afresh, part.name),
                                      obj=part.name)
    return patched


def goal(session, goal_id: int) -> Goal:  # type: ignore[no-untyped-def]
    return session.get(Goal, goal_id)


def test_a_saved_figure_regrades_its_goal_alone(session_factory, portfolio, graded):  # type: ignore[no-untyped-def]
    same_as_afresh(session_factory)
    assert len(graded[0]) == len(portfolio)  # the first review grades every goal
    graded.clear()
    with session_factory() as session, session.begin():
        record_figure(session, goal(session, portfolio["monthly"]), *month(2021, 6), 120.0,
                      reported_by="ana", recorded_at=at(date(2021, 7, 10)))
    statuses = same_as_afresh(session_factory).statuses.set_index("goal_id")
    assert statuses.loc[portfolio["monthly"], "status"] == "off_track"
    assert graded[:2] == [[portfolio["monthly"]]] * 2  # now and a week ago: that goal only


def test_corrections_regrade_their_goals_and_come_out_as_a_full_pass(  # type: ignore[no-untyped-def]
        session_factory, portfolio, graded):
    same_as_afresh(session_factory)
    with session_factory() as session, session.begin():
        record_figure(session, goal(session, portfolio["other"]), *month(2021, 5), 130.0,
                      reported_by="ana", recorded_at=at(date(2021, 7, 12)), note="typo")
        record_figure(session, goal(session, portfolio["yearly"]), date(2020, 1, 1),
                      date(2020, 12, 31), 99.0, reported_by="ana",
                      recorded_at=at(date(2021, 7, 1)))
    graded.clear()
    first = same_as_afresh(session_factory)
    assert graded[0] == sorted([portfolio["other"], portfolio["yearly"]])
    assert set(first.changes["goal_id"]) >= {portfolio["other"]}  # worse than a week ago
    with session_factory() as session, session.begin():  # and corrected back
        record_figure(session, goal(session, portfolio["other"]), *month(2021, 5), 85.0,
                      reported_by="ana", recorded_at=at(date(2021, 7, 13)))
    graded.clear()
    statuses = same_as_afresh(session_factory).statuses.set_index("goal_id")
    assert statuses.loc[portfolio["other"], "status"] == "on_track"
    assert graded[0] == [portfolio["other"]]


def test_a_trajectory_approved_in_the_week_regrades_its_goal_now_and_a_week_ago(  # type: ignore[no-untyped-def]
        session_factory, portfolio, graded):
    same_as_afresh(session_factory)
    with session_factory() as session, session.begin():
        harder = propose(session, goal(session, portfolio["monthly"]), Shape.LINEAR,
                         [(date(2020, 6, 30), 100.0), (date(2021, 6, 30), 50.0)],
                         proposed_by="analyst", rationale="harder", based_on=None,
                         at=at(AS_OF - timedelta(days=3)))
        approve(session, harder, approved_by="governor", at=at(AS_OF - timedelta(days=1)))
    graded.clear()
    grades = same_as_afresh(session_factory)
    assert graded[:2] == [[portfolio["monthly"]]] * 2
    assert grades.statuses.set_index("goal_id").loc[portfolio["monthly"], "status"] == (
        "off_track")


def test_a_changed_rule_and_a_new_goal_are_graded_and_a_scope_keeps_its_own(  # type: ignore[no-untyped-def]
        session_factory, portfolio, graded):
    scope = [portfolio[name] for name in ("monthly", "quarterly", "filler0", "filler1",
                                          "filler2", "filler3")]
    same_as_afresh(session_factory)
    same_as_afresh(session_factory, scope=scope)
    with session_factory() as session, session.begin():
        goal(session, portfolio["quarterly"]).target_value = 25.0
        added = make_goal(session, baseline_date=date(2020, 6, 30))
        record_figure(session, added, *month(2021, 6), 80.0, reported_by="ana",
                      recorded_at=at(date(2021, 7, 9)))
        added_id = added.id
    graded.clear()
    statuses = same_as_afresh(session_factory).statuses
    assert graded[0] == sorted([portfolio["quarterly"], added_id])
    assert added_id in set(statuses["goal_id"])
    graded.clear()
    scoped = same_as_afresh(session_factory, scope=scope).statuses
    assert graded[0] == [portfolio["quarterly"]] and sorted(scoped["goal_id"]) == sorted(scope)


def test_many_changes_at_once_grade_every_goal_afresh(session_factory, portfolio, graded):  # type: ignore[no-untyped-def]
    same_as_afresh(session_factory)
    with session_factory() as session, session.begin():
        for name in ("monthly", "other", "stale", "never"):
            record_figure(session, goal(session, portfolio[name]), *month(2021, 6), 90.0,
                          reported_by="ana", recorded_at=at(date(2021, 7, 10)))
    graded.clear()
    same_as_afresh(session_factory)
    assert len(graded[0]) == len(portfolio)  # four of eleven: past regrade.SHARE


def test_on_the_demo_saves_corrections_and_a_replan_come_out_as_a_full_pass(  # type: ignore[no-untyped-def]
        session_factory, graded):
    load_demo(session_factory)
    same_as_afresh(session_factory, DEMO_DAY)
    with session_factory() as session, session.begin():
        rows = session.execute(select(Figure.goal_id, Figure.period_start, Figure.period_end,
                                      Figure.value).where(Figure.value > 0)
                               .order_by(Figure.period_end.desc(), Figure.goal_id)).all()
        latest = list({row.goal_id: row for row in reversed(rows[:60])}.values())[:4]
        for goal_id, start, end, value in latest[:3]:  # corrections of recent figures
            record_figure(session, goal(session, goal_id), start, end, float(value) * 1.5,
                          reported_by="ana", recorded_at=at(DEMO_DAY - timedelta(days=2)))
        replanned = goal(session, latest[3].goal_id)
        plan = propose(session, replanned, Shape.LINEAR,
                       [(replanned.baseline_date, replanned.baseline_value),
                        (replanned.target_date, replanned.target_value)],
                       proposed_by="analyst", rationale="straight",
                       based_on=latest_version(session, replanned).version,
                       restates_past=True, at=at(DEMO_DAY - timedelta(days=4)))
        approve(session, plan, approved_by="governor", at=at(DEMO_DAY - timedelta(days=3)))
        changed = {g for g, *_ in latest[:4]}
    graded.clear()
    same_as_afresh(session_factory, DEMO_DAY)
    assert set(graded[0]) == changed


def test_a_small_portfolio_is_graded_afresh_after_a_save(session_factory, portfolio):  # type: ignore[no-untyped-def]
    review.forget()
    same_as_afresh(session_factory)
    assert not regrade._BASES._answers  # nothing kept to patch: eleven goals, under SMALL
    review.forget()


def test_a_pass_graded_while_figures_were_being_written_is_not_patched_later():  # type: ignore[no-untyped-def]
    unsettled = regrade.Graded(*(pd.DataFrame(),) * 6, None, regrade.Seen(10, False,
                                                                         frozenset()))
    regrade.forget()
    regrade.keep(("somewhere",), unsettled)
    assert regrade.kept_base(("somewhere",)) is None


def test_rows_written_over_in_place_are_the_rows_put_together_again():  # type: ignore[no-untyped-def]
    kept = pd.DataFrame({"goal_id": [3, 1, 2], "status": pd.array(["a", "b", "c"], dtype="str"),
                         "value": [1.0, 2.0, 3.0]})
    fresh = pd.DataFrame({"goal_id": [2], "status": pd.array(["x"], dtype="str"),
                          "value": [9.0]})
    quick = regrade.patched(kept, fresh, {2}, kept["goal_id"])  # same goals: in place
    reordered = regrade.patched(kept, fresh, {2}, pd.Series([1, 2, 3]))  # put together
    pd.testing.assert_frame_equal(quick, pd.DataFrame({
        "goal_id": [3, 1, 2], "status": pd.array(["a", "b", "x"], dtype="str"),
        "value": [1.0, 2.0, 9.0]}))
    pd.testing.assert_frame_equal(reordered, quick.iloc[[1, 2, 0]].reset_index(drop=True))
    assert kept.loc[2, "status"] == "c"  # the kept frame untouched
