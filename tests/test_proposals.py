"""Deciding on proposed trajectory versions: another editor approves or rejects, the proposer
and the governor do not, and a decision never touches the milestones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from delivery.access import AccessDenied, Viewer
from delivery.clock import pin_review_date, stamp_now
from delivery.edits import save_trajectory
from delivery.models import Trajectory, User
from delivery.proposals import approve_trajectory, pending_proposal, reject_trajectory
from delivery.trajectory_versions import AlreadyDecided, in_force
from delivery.vocabulary import Shape
from tests.personas import build_government, fast_password_hashing  # noqa: F401

NEW_PLAN = [(date(2022, 1, 31), 100.0), (date(2022, 12, 31), 80.0), (date(2023, 12, 31), 60.0)]
PLANNING_DAY = date(2022, 6, 30)  # the personas' promise runs 2022-2023: its future is ahead


@pytest.fixture
def gov(db):
    world = build_government(db)
    pin_review_date(db, PLANNING_DAY)
    return world


def person(session, gov, persona):
    return Viewer.of(session.get(User, gov.users[persona]))


def proposed(db, gov, persona="analyst", plan=NEW_PLAN, restates_past=False):
    goal_id = gov.goals["homicides"]
    latest = db.scalars(select(Trajectory.version).where(Trajectory.goal_id == goal_id)
                        .order_by(Trajectory.version.desc())).first()
    return save_trajectory(db, person(db, gov, persona), goal_id, Shape.MILESTONES, plan,
                           rationale="Faster after the task force", based_on=latest,
                           restates_past=restates_past)


def test_another_editor_approves_and_the_version_is_in_force_untouched(db, gov):
    mine = proposed(db, gov)
    pending = pending_proposal(db, mine.goal_id)
    assert pending is not None and pending.trajectory.id == mine.id
    assert list(pending.comparison["proposed"]) == [100.0, 80.0, 60.0]
    assert pending.comparison["in_force"].notna().all()
    at = datetime(2023, 1, 16, 10, tzinfo=UTC)
    approved = approve_trajectory(db, person(db, gov, "admin"), mine.id, at=at)
    assert approved.approved_by == "root" and approved.milestones() == NEW_PLAN
    assert in_force(db, mine.goal_id, date(2023, 1, 16)).id == mine.id
    assert pending_proposal(db, mine.goal_id) is None


def test_the_proposer_may_not_approve_their_own_version(db, gov):
    mine = proposed(db, gov)
    with pytest.raises(AccessDenied, match="You proposed this version"):
        approve_trajectory(db, person(db, gov, "analyst"), mine.id)
    assert mine.approved_at is None


@pytest.mark.parametrize("persona", ["governor", "secretariat", "other_secretariat"])
def test_only_editors_decide_on_proposals(db, gov, persona):
    mine = proposed(db, gov)
    with pytest.raises(AccessDenied):
        approve_trajectory(db, person(db, gov, persona), mine.id)
    with pytest.raises(AccessDenied):
        reject_trajectory(db, person(db, gov, persona), mine.id, "no")


@pytest.mark.parametrize("forged", ["1", None, 2**40, True, 999_999], ids=str)
def test_a_forged_trajectory_id_is_refused(db, gov, forged):
    with pytest.raises(AccessDenied):
        approve_trajectory(db, person(db, gov, "admin"), forged)


def test_a_rejection_needs_a_reason_keeps_the_points_and_the_old_version_in_force(db, gov):
    before = in_force(db, gov.goals["homicides"], date(2030, 1, 1)).id
    mine = proposed(db, gov)
    admin = person(db, gov, "admin")
    with pytest.raises(ValueError, match="reason: say why"):
        reject_trajectory(db, admin, mine.id, "   ")
    rejected = reject_trajectory(db, admin, mine.id, "Not before the census figures")
    assert rejected.rejected_by == "root" and rejected.rejection_reason.startswith("Not before")
    assert rejected.milestones() == NEW_PLAN and rejected.approved_at is None
    assert in_force(db, mine.goal_id, date(2030, 1, 1)).id == before
    assert pending_proposal(db, mine.goal_id) is None
    with pytest.raises(ValueError, match="already rejected"):
        reject_trajectory(db, admin, mine.id, "again")
    with pytest.raises(ValueError, match="already rejected by root at 2022-06-30 .*census"):
        approve_trajectory(db, admin, mine.id)


def test_a_new_proposal_withdraws_the_open_one_which_can_then_not_be_approved(db, gov):
    first = proposed(db, gov)
    second = proposed(db, gov, "admin")
    assert first.withdrawn_by == "root" and first.withdrawn_at.date() == PLANNING_DAY
    with pytest.raises(AlreadyDecided, match="version 2 was already withdrawn by root at "
                                             "2022-06-30 .* newer version"):
        approve_trajectory(db, person(db, gov, "admin"), first.id)
    assert pending_proposal(db, first.goal_id).trajectory.id == second.id
    assert db.scalar(select(func.count()).where(  # at most one open proposal per goal
        Trajectory.goal_id == first.goal_id, Trajectory.approved_at.is_(None),
        Trajectory.rejected_at.is_(None), Trajectory.withdrawn_at.is_(None))) == 1


def test_a_decision_in_the_pinned_demo_is_stamped_on_its_day(db, gov):
    pin_review_date(db, date(2023, 1, 16))
    assert stamp_now(db, datetime(2026, 5, 4, 9, 30, tzinfo=UTC)) == datetime(
        2023, 1, 16, 9, 30, tzinfo=UTC)
    mine = proposed(db, gov, restates_past=True)  # 2022-12-31 is past on 2023-01-16
    approve_trajectory(db, person(db, gov, "admin"), mine.id)
    assert in_force(db, mine.goal_id, date(2023, 1, 16)).id == mine.id
