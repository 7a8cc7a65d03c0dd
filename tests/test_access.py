from __future__ import annotations

import pytest
from sqlalchemy import select

from delivery import access
from delivery.access import ANONYMOUS, Viewer
from delivery.models import BudgetAccount, Commitment, GoalAccountLink, Pact, User
from tests.personas import build_government, fast_password_hashing  # noqa: F401


@pytest.fixture
def gov(db):
    return build_government(db)


def viewer(db, gov, persona):
    if persona == "nobody":
        return ANONYMOUS
    return Viewer.of(db.get(User, gov.users[persona]))


EVERYTHING = {"homicides", "firearms", "prison", "literacy", "dropout"}
SEES = {
    "analyst": EVERYTHING,
    "governor": EVERYTHING,
    "admin": EVERYTHING,
    "secretariat": {"homicides", "firearms", "prison"},  # own two + SJDH's, via the pact
    "other_secretariat": {"literacy", "dropout"},
    "nobody": {"homicides", "dropout"},  # the public ones
}


@pytest.mark.parametrize("persona", SEES, ids=str)
def test_each_person_sees_exactly_their_goals(db, gov, persona):
    who = viewer(db, gov, persona)
    names = {n for n, i in gov.goals.items() if i in access.visible_goal_ids(db, who)}
    assert names == SEES[persona]
    for name, goal_id in gov.goals.items():
        assert access.can_see_goal(db, who, goal_id) == (name in SEES[persona])


@pytest.mark.parametrize(("persona", "pacts"), [
    ("governor", {"life", "education"}), ("secretariat", {"life"}),
    ("other_secretariat", {"education"}), ("nobody", set()),
])
def test_pacts_are_seen_by_their_members_and_the_whole_government_roles(db, gov, persona, pacts):
    who = viewer(db, gov, persona)
    seen = set(db.scalars(select(Pact.code).where(access.pact_scope(who))))
    assert seen == {{"life": "PPV", "education": "PPE"}[p] for p in pacts}


@pytest.mark.parametrize(("persona", "reports_on"), [
    ("analyst", EVERYTHING), ("admin", EVERYTHING), ("governor", set()),
    ("secretariat", {"homicides", "firearms"}),  # not SJDH's goal, though it sees it
    ("other_secretariat", {"literacy", "dropout"}), ("nobody", set()),
])
def test_figures_are_reported_by_editors_and_by_the_owning_secretariat(db, gov, persona,
                                                                        reports_on):
    who = viewer(db, gov, persona)
    allowed = {n for n, i in gov.goals.items() if access.can_report_figures(db, who, i)}
    assert allowed == reports_on


@pytest.mark.parametrize(("persona", "updates"), [
    ("analyst", {"sds", "see"}), ("governor", set()), ("secretariat", {"sds"}),
    ("other_secretariat", {"see"}), ("nobody", set()),
])
def test_commitments_are_updated_by_editors_and_by_the_owning_secretariat(db, gov, persona,
                                                                          updates):
    who = viewer(db, gov, persona)
    allowed = {n for n, i in gov.commitments.items()
               if access.can_update_commitment(db, who, i)}
    assert allowed == updates
    seen = set(db.scalars(select(Commitment.id).where(access.commitment_scope(who))))
    assert {n for n, i in gov.commitments.items() if i in seen} >= updates


@pytest.mark.parametrize("persona", SEES, ids=str)
def test_only_analysts_and_admins_edit_the_strategy_and_read_the_audit(db, gov, persona):
    who = viewer(db, gov, persona)
    editor = persona in {"analyst", "admin"}
    assert access.can_edit_goal(who) == access.can_edit_trajectory(who) == editor
    assert access.can_read_audit(who) == editor
    assert access.can_manage_users(who) == (persona == "admin")


@pytest.mark.parametrize("junk", ["1", 1.0, True, None, [1], {"id": 1}, -5, 10**12],
                         ids=repr)
def test_ids_that_are_not_real_ints_never_match(db, gov, junk):
    analyst = viewer(db, gov, "analyst")
    assert not access.can_see_goal(db, analyst, junk)
    assert not access.can_report_figures(db, analyst, junk)
    assert not access.can_update_commitment(db, analyst, junk)


def test_a_secretariat_sees_its_own_accounts_and_those_of_goals_it_sees(db, gov):
    own = BudgetAccount(code="1.1", name="Policing", fiscal_year=2022,
                        secretariat_id=gov.secretariats["SDS"])
    other = BudgetAccount(code="2.1", name="Schools", fiscal_year=2022,
                          secretariat_id=gov.secretariats["SEE"])
    prisons = BudgetAccount(code="3.1", name="Prisons", fiscal_year=2022,
                            secretariat_id=gov.secretariats["SJDH"])
    db.add_all([own, other, prisons])
    db.flush()
    db.add(GoalAccountLink(goal_id=gov.goals["prison"], account_id=prisons.id))
    db.flush()
    who = viewer(db, gov, "secretariat")
    seen = set(db.scalars(select(BudgetAccount.code).where(access.account_scope(who))))
    assert seen == {"1.1", "3.1"}


def test_a_secretariat_user_without_a_secretariat_sees_nothing(db, gov):
    lost = Viewer(user_id=99, username="lost", role=access.Role.SECRETARIAT)
    assert access.visible_goal_ids(db, lost) == set()
    assert access.visible_pact_ids(db, lost) == set()
