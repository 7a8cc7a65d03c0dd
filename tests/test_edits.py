from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import event, func, select

from delivery.access import AccessDenied, Viewer
from delivery.clock import pin_review_date
from delivery.edits import (
    GoalConflict,
    report_figure,
    save_trajectory,
    update_commitment,
    update_goal,
)
from delivery.models import AuditEntry, Figure, Goal, Trajectory, User
from delivery.trajectory_versions import TrajectoryConflict
from delivery.vocabulary import CommitmentState, Shape
from tests.personas import build_government, fast_password_hashing  # noqa: F401

PLAN = [(date(2022, 1, 31), 100.0), (date(2023, 12, 31), 65.0)]
PLANNING_DAY = date(2022, 6, 30)  # PLAN changes only the personas' future as seen that day


@pytest.fixture
def gov(db):
    world = build_government(db)
    pin_review_date(db, PLANNING_DAY)
    return world


def person(session, gov, persona):
    return Viewer.of(session.get(User, gov.users[persona]))


def test_an_analyst_edits_a_goal_and_the_audit_says_who(db, gov):
    ana = person(db, gov, "analyst")
    goal = update_goal(db, ana, gov.goals["homicides"], {"target_value": 65.0}, 1)
    assert goal.target_value == 65.0 and goal.version == 2
    entry = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "Goal")
                       .order_by(AuditEntry.id.desc())).first()
    assert entry.actor == "ana" and entry.after["target_value"] == 65.0


@pytest.mark.parametrize("persona", ["governor", "secretariat", "other_secretariat"])
def test_only_editors_may_edit_goals_and_trajectories(db, gov, persona):
    who = person(db, gov, persona)
    with pytest.raises(AccessDenied):
        update_goal(db, who, gov.goals["homicides"], {"target_value": 1.0}, 1)
    with pytest.raises(AccessDenied):
        save_trajectory(db, who, gov.goals["homicides"], Shape.LINEAR, PLAN, rationale="x",
                        based_on=1)
    assert db.get(Goal, gov.goals["homicides"]).target_value == 70.0


def test_a_goal_edit_based_on_an_old_version_is_refused_showing_the_other_change(db, gov):
    ana = person(db, gov, "analyst")
    update_goal(db, ana, gov.goals["homicides"], {"target_value": 65.0}, 1)
    root = person(db, gov, "admin")
    with pytest.raises(GoalConflict) as caught:
        update_goal(db, root, gov.goals["homicides"], {"name": "Fewer homicides"}, 1)
    message = str(caught.value)
    assert "based on version 1" in message and "ana saved it" in message
    assert "target value: 70.0 → 65.0" in message
    assert db.get(Goal, gov.goals["homicides"]).name == "Goal SDS-HOM"


def test_fields_outside_the_editable_list_are_refused(db, gov):
    with pytest.raises(ValueError, match="owner_id"):
        update_goal(db, person(db, gov, "analyst"), gov.goals["homicides"], {"owner_id": 3}, 1)


def test_a_secretariat_reports_a_figure_for_its_own_goal_only(db, gov):
    sonia = person(db, gov, "secretariat")
    counts = report_figure(db, sonia, gov.goals["homicides"], date(2021, 1, 1),
                           date(2021, 1, 31), 88.0)  # a month over on the review date
    assert counts.new == 1
    figure = db.scalars(select(Figure).where(Figure.period_start == date(2021, 1, 1))).one()
    assert figure.reported_by == "sonia"
    before = db.scalar(select(func.count(Figure.id)))
    for goal in ("prison", "literacy"):  # one it sees through the pact, one it does not see
        with pytest.raises(AccessDenied):
            report_figure(db, sonia, gov.goals[goal], date(2021, 1, 1), date(2021, 1, 31), 1.0)
    assert db.scalar(select(func.count(Figure.id))) == before


def test_a_secretariat_updates_its_own_commitments_only(db, gov):
    sonia = person(db, gov, "secretariat")
    done = update_commitment(db, sonia, gov.commitments["sds"], "done", on=date(2023, 1, 20))
    assert done.state == CommitmentState.DONE and done.closed_on == date(2023, 1, 20)
    with pytest.raises(AccessDenied):
        update_commitment(db, sonia, gov.commitments["see"], "done", on=date(2023, 1, 20))


def test_two_people_saving_a_trajectory_from_the_same_version_one_wins_one_is_told(
        session_factory):
    with session_factory() as setup, setup.begin():
        gov = build_government(setup)
        pin_review_date(setup, PLANNING_DAY)
        ana, root = person(setup, gov, "analyst"), person(setup, gov, "admin")
    goal_id = gov.goals["homicides"]
    # Ana and Root both open the trajectory editor on version 1, in their own connections.
    with session_factory() as first, session_factory() as second:
        with first.begin():
            save_trajectory(first, ana, goal_id, Shape.LINEAR, PLAN, rationale="new data",
                            based_on=1)
        with pytest.raises(TrajectoryConflict) as caught, second.begin():
            save_trajectory(second, root, goal_id, Shape.S_CURVE, PLAN, rationale="mine",
                            based_on=1)
    assert "ana saved version 2" in str(caught.value) and "new data" in str(caught.value)
    with session_factory() as check:
        versions = check.scalars(select(Trajectory).where(Trajectory.goal_id == goal_id)
                                 .order_by(Trajectory.version)).all()
    assert [(t.version, t.proposed_by) for t in versions] == [(1, "ana"), (2, "ana")]


def test_two_trajectory_saves_at_the_same_instant_end_with_one_saved_and_one_conflict(
        session_factory):
    """Both pass the version check before either commits: the database decides."""
    with session_factory() as setup, setup.begin():
        gov = build_government(setup)
        pin_review_date(setup, PLANNING_DAY)
        ana, root = person(setup, gov, "analyst"), person(setup, gov, "admin")
    goal_id = gov.goals["prison"]
    outcome: dict[str, object] = {}
    with session_factory() as first:
        first.begin()
        save_trajectory(first, ana, goal_id, Shape.LINEAR, PLAN, rationale="ana's", based_on=1)

        def second_save() -> None:
            with session_factory() as second:
                try:
                    with second.begin():
                        save_trajectory(second, root, goal_id, Shape.STEP, PLAN,
                                        rationale="root's", based_on=1)
                    outcome["second"] = "saved"
                except TrajectoryConflict as exc:
                    outcome["second"] = exc

        other = threading.Thread(target=second_save)
        other.start()
        other.join(timeout=1)  # it is now waiting on Ana's uncommitted version 2
        first.commit()
        other.join(timeout=30)
    assert isinstance(outcome["second"], TrajectoryConflict), outcome
    with session_factory() as check:
        versions = check.scalars(select(Trajectory.rationale).where(Trajectory.goal_id == goal_id)
                                 .order_by(Trajectory.version)).all()
    assert versions == ["original promise", "ana's"]


def test_a_goal_saved_by_someone_else_between_read_and_write_is_a_conflict(session_factory):
    with session_factory() as setup, setup.begin():
        gov = build_government(setup)
        ana, root = person(setup, gov, "analyst"), person(setup, gov, "admin")
    goal_id = gov.goals["firearms"]
    with session_factory() as first, session_factory() as second:
        with second.begin():
            update_goal(second, root, goal_id, {"unit": "guns"}, 1)
        with pytest.raises(GoalConflict, match="root saved it"), first.begin():
            update_goal(first, ana, goal_id, {"target_value": 50.0}, 1)
    with session_factory() as check:
        goal = check.get(Goal, goal_id)
        assert (goal.unit, goal.target_value, goal.version) == ("guns", 70.0, 2)


def test_a_goal_saved_by_someone_else_after_the_check_but_before_the_write_is_a_conflict(
        session_factory):
    """The version check in the UPDATE itself catches the narrowest race."""
    with session_factory() as setup, setup.begin():
        gov = build_government(setup)
        ana, root = person(setup, gov, "analyst"), person(setup, gov, "admin")
    goal_id = gov.goals["dropout"]

    def root_saves_first(session, _context, _instances):  # type: ignore[no-untyped-def]
        if session.info.pop("race", None) is None:
            return
        with session_factory() as other, other.begin():
            update_goal(other, root, goal_id, {"unit": "pupils"}, 1)

    with session_factory() as first:
        first.info["race"] = True
        event.listen(first, "before_flush", root_saves_first)
        with pytest.raises(GoalConflict, match="root saved it"), first.begin():
            update_goal(first, ana, goal_id, {"target_value": 50.0}, 1)
    with session_factory() as check:
        goal = check.get(Goal, goal_id)
        assert (goal.unit, goal.target_value, goal.version) == ("pupils", 70.0, 2)
