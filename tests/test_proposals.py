"""Deciding on proposed trajectory versions: another editor approves or rejects, the proposer
and the governor do not, and a decision never touches the milestones."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from delivery.access import AccessDenied, Viewer
from delivery.clock import pin_review_date, stamp_now
from delivery.edits import save_trajectory
from delivery.i18n.formats import set_time_zone, time_zone
from delivery.models import AuditEntry, Trajectory, User
from delivery.proposals import approve_trajectory, decide, pending_proposal, reject_trajectory
from delivery.trajectory_versions import AlreadyDecided, in_force
from delivery.users import create_user
from delivery.vocabulary import Role, Shape
from tests.personas import build_government, fast_password_hashing  # noqa: F401
from tests.races import while_first_is_open

NEW_PLAN = [(date(2022, 1, 31), 100.0), (date(2022, 12, 31), 80.0), (date(2023, 12, 31), 60.0)]
PLANNING_DAY = date(2022, 6, 30)  # the personas' promise runs 2022-2023: its future is ahead


@pytest.fixture(autouse=True)
def moments_in_utc():  # type: ignore[no-untyped-def]
    """The refusals name when a decision was taken, in the site's time zone: read here in UTC,
    the zone the stamped moments below are written in."""
    before = time_zone()
    set_time_zone("UTC")  # for the whole process: the races below decide in other threads
    yield
    set_time_zone(before)


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
    with pytest.raises(ValueError, match="already rejected by root at 30 Jun 2022 .*census"):
        approve_trajectory(db, admin, mine.id)


def test_a_new_proposal_withdraws_the_open_one_which_can_then_not_be_approved(db, gov):
    first = proposed(db, gov)
    second = proposed(db, gov, "admin")
    assert first.withdrawn_by == "root" and first.withdrawn_at.date() == PLANNING_DAY
    with pytest.raises(AlreadyDecided, match="version 2 was already withdrawn by root at "
                                             "30 Jun 2022 .* newer version"):
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


def test_a_change_without_a_reason_is_refused(db, gov):
    goal_id = gov.goals["homicides"]
    for blank in ("", "   \n", None):
        with pytest.raises(ValueError, match="^reason: say why the trajectory of goal SDS-HOM"):
            save_trajectory(db, person(db, gov, "analyst"), goal_id, Shape.LINEAR, NEW_PLAN,
                            rationale=blank, based_on=1)
    assert pending_proposal(db, goal_id) is None


PAST_EDITS = [  # milestones as proposed on the planning day (2022-06-30); None: accepted
    ([(date(2022, 1, 31), 100.0), (date(2023, 12, 31), 60.0)], None),
    ([(date(2022, 1, 31), 95.0), (date(2023, 12, 31), 70.0)],
     r"milestone 31 Jan 2022 \(100 → 95\)"),
    ([(date(2022, 1, 31), 100.0), (date(2022, 3, 31), 90.0), (date(2023, 12, 31), 70.0)],
     r"milestone 31 Mar 2022 \(97\.4678 → 90\)"),
    ([(date(2022, 1, 31), 100.0), (date(2022, 6, 30), 97.0), (date(2023, 12, 31), 70.0)], None),
    ([(date(2022, 1, 31), 100.0), (date(2022, 9, 30), 80.0), (date(2023, 12, 31), 70.0)], None),
]


@pytest.mark.parametrize(("plan", "refusal"), PAST_EDITS,
                         ids=["future-only", "moves-a-past-one", "adds-one-off-the-path",
                              "adds-one-on-the-review-date", "adds-one-ahead"])
def test_the_past_changes_only_when_the_proposal_says_it_restates_it(db, gov, plan, refusal):
    if refusal is None:
        version = proposed(db, gov, plan=plan, restates_past=True)
        assert version.restates_past is False  # nothing past changed: nothing to show
        return
    with pytest.raises(ValueError, match=f"{refusal}.* before 30 Jun 2022; .*restate the past"):
        proposed(db, gov, plan=plan)
    version = proposed(db, gov, plan=plan, restates_past=True)
    assert version.restates_past is True and version.milestones() == plan


@pytest.mark.parametrize("first_action", ["approve", "reject"])
def test_approve_and_reject_at_once_one_wins_and_the_other_is_told_who(session_factory,
                                                                        first_action):
    with session_factory() as setup, setup.begin():
        gov = build_government(setup)
        pin_review_date(setup, PLANNING_DAY)
        create_user(setup, "bia", "correct horse battery", Role.ANALYST)
        version_id = proposed(setup, gov).id
    decisions = {"approve": lambda s: decide(s, person(s, gov, "admin"), version_id, "approve"),
                 "reject": lambda s: decide(s, Viewer.of(s.scalars(select(User).where(
                     User.username == "bia")).one()), version_id, "reject", "Census first")}
    second_action = "reject" if first_action == "approve" else "approve"
    _, told, waited = while_first_is_open(session_factory, decisions[first_action],
                                          decisions[second_action])
    assert waited  # the second decision really met the first one's uncommitted change
    winner = {"approve": "approved by root", "reject": "rejected by bia"}[first_action]
    assert isinstance(told, AlreadyDecided) and f"already {winner} at 30 Jun 2022" in str(told)
    with session_factory() as check:
        version = check.get(Trajectory, version_id)
        assert (version.approved_at is not None) == (first_action == "approve")
        assert (version.rejected_at is not None) == (first_action == "reject")
        entries = check.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "Trajectory", AuditEntry.object_id == str(version_id),
            AuditEntry.action == "update")).all()
    assert len(entries) == 1 and entries[0].actor == {"approve": "root",
                                                      "reject": "bia"}[first_action]
