"""Delivery plans in "my work": milestones late or due soon, and open high risks, for the
secretariat that answers for them; done or closed things leave."""

from __future__ import annotations

from datetime import date

import pytest

from delivery.access import Viewer
from delivery.clock import pin_review_date
from delivery.i18n import use_locale
from delivery.inbox import SOURCES, inbox, milestones_owned, risks_open
from delivery.inbox.text import kind_name, title, when
from delivery.models import Goal, Initiative, Milestone, Risk, User
from delivery.plans.edits import move_forecast, record_actual
from delivery.plans.vocabulary import RiskStatus, Stage
from tests.personas import build_government, fast_password_hashing  # noqa: F401
from tests.plans.conftest import add_plans


@pytest.fixture
def plans(db):
    pin_review_date(db, date(2023, 1, 5))
    db.flush()
    return add_plans(db, build_government(db))


def person(db, plans, persona: str) -> Viewer:
    return Viewer.of(db.get(User, plans.gov.users[persona]))


def of_kind(items, kind: str) -> dict[str, object]:
    return {i.thing: i for i in items if i.kind == kind}


def test_plans_are_a_registered_source():
    assert milestones_owned in SOURCES and risks_open in SOURCES


def test_a_secretariat_sees_its_late_milestones_and_its_high_risk(db, plans):
    sonia = person(db, plans, "secretariat")
    items = inbox(db, sonia, date(2023, 1, 16))
    milestones = of_kind(items, "milestone")
    # "Works contract" was due on 1 Dec 2022; "Design" is done; "Opening" is months away
    works = f"milestone:{plans.milestones['Works contract']}"
    assert set(milestones) == {works}
    item = milestones[works]
    assert item.is_overdue and item.days_late == 46 and item.href == "/initiative/SDS-DELEG"
    assert item.secretariat_id == plans.gov.secretariats["SDS"]
    [risk] = of_kind(items, "risk").values()
    assert risk.count == 16 and risk.due_on == date(2023, 1, 10) and risk.is_overdue
    # SEE's milestone and nothing of SDS's reach Edu; the unit and the governor lead none
    edu = person(db, plans, "other_secretariat")
    assert of_kind(inbox(db, edu, date(2023, 1, 16)), "risk") == {}
    for persona in ("analyst", "governor", "admin"):
        mine = inbox(db, person(db, plans, persona), date(2023, 1, 16))
        assert not of_kind(mine, "milestone") and not of_kind(mine, "risk")


def test_a_milestone_comes_a_week_ahead_and_is_overdue_after_its_date(db, plans):
    edu = person(db, plans, "other_secretariat")
    schools = f"milestone:{plans.milestones['First 50 schools']}"  # due 25 Jan 2023
    assert schools not in of_kind(inbox(db, edu, date(2023, 1, 17)), "milestone")
    [soon] = of_kind(inbox(db, edu, date(2023, 1, 18)), "milestone").values()
    assert soon.thing == schools and soon.days_late == -7 and not soon.is_overdue
    [late] = of_kind(inbox(db, edu, date(2023, 1, 27)), "milestone").values()
    assert late.days_late == 2 and late.is_overdue


def test_a_milestone_done_leaves_from_its_actual_date(db, plans):
    edu = person(db, plans, "other_secretariat")
    milestone_id = plans.milestones["First 50 schools"]
    record_actual(db, edu, milestone_id, "2023-01-24", today=date(2023, 1, 24))
    assert of_kind(inbox(db, edu, date(2023, 1, 27)), "milestone") == {}
    assert f"milestone:{milestone_id}" in of_kind(inbox(db, edu, date(2023, 1, 23)),
                                                  "milestone")


def test_a_forecast_moved_ahead_of_its_baseline_still_counts_from_the_earlier_date(db, plans):
    edu = person(db, plans, "other_secretariat")
    milestone_id = plans.milestones["First 50 schools"]
    move_forecast(db, edu, milestone_id, "2023-03-31", "contractor late")
    db.get(Initiative, plans.initiatives["schools"]).tolerance_days = 90
    db.flush()
    # the plan rule: late once the baseline (25 Jan) has passed, whatever the forecast says
    [item] = of_kind(inbox(db, edu, date(2023, 1, 27)), "milestone").values()
    assert item.due_on == date(2023, 1, 25) and item.is_overdue


def test_cancelled_initiatives_and_closed_or_low_risks_leave(db, plans):
    sonia = person(db, plans, "secretariat")
    risk = db.query(Risk).one()
    risk.status = RiskStatus.MITIGATED
    db.flush()
    assert of_kind(inbox(db, sonia, date(2023, 1, 16)), "risk") == {}
    risk.status, risk.probability = RiskStatus.OPEN, 2  # 2 x 4 = 8: medium
    db.flush()
    assert of_kind(inbox(db, sonia, date(2023, 1, 16)), "risk") == {}
    stations = db.get(Initiative, plans.initiatives["stations"])
    stations.stage, stations.cancel_reason = Stage.CANCELLED, "no land"
    risk.probability = 5
    db.flush()
    items = inbox(db, sonia, date(2023, 1, 16))
    assert of_kind(items, "milestone") == {} and of_kind(items, "risk") == {}


def test_a_high_risk_on_a_goal_goes_to_its_owner_or_to_the_unit(db, plans):
    goal = db.get(Goal, plans.gov.goals["literacy"])
    db.add(Risk(goal_id=goal.id, description="Teachers strike", probability=5, impact=3))
    db.flush()
    edu, ana = person(db, plans, "other_secretariat"), person(db, plans, "analyst")
    [risk] = of_kind(inbox(db, edu, date(2023, 1, 16)), "risk").values()
    assert risk.undated and risk.href == "/goal/SEE-ALFA" and not risk.is_overdue
    assert of_kind(inbox(db, ana, date(2023, 1, 16)), "risk") == {}
    goal.owner_id = None
    db.flush()
    assert of_kind(inbox(db, edu, date(2023, 1, 16)), "risk") == {}
    assert len(of_kind(inbox(db, ana, date(2023, 1, 16)), "risk")) == 1


def test_the_words_are_in_the_readers_language(db, plans):
    sonia = person(db, plans, "secretariat")
    items = inbox(db, sonia, date(2023, 1, 16))
    [milestone] = of_kind(items, "milestone").values()
    [risk] = of_kind(items, "risk").values()
    assert title(milestone) == "Police stations: milestone Works contract"
    assert when(milestone).startswith("46 days overdue")
    assert title(risk) == "Police stations: risk scored 16: Land not released"
    assert when(risk).startswith("review 6 days overdue")
    with use_locale("pt_BR"):
        assert kind_name(milestone) == "Marco" and kind_name(risk) == "Risco alto"
        assert "marco Works contract" in title(milestone)
        assert when(risk).startswith("revisão atrasada há 6 dias")
    with use_locale("es"):
        assert kind_name(milestone) == "Hito" and kind_name(risk) == "Riesgo alto"
        assert "hito Works contract" in title(milestone)


def test_milestone_rows_hold_only_open_milestones(db, plans):
    done = db.get(Milestone, plans.milestones["Design"])
    assert done.actual_on is not None
    assert all(i.thing != f"milestone:{done.id}"
               for i in milestones_owned(db, person(db, plans, "secretariat"),
                                         date(2023, 2, 27), ahead_days=365))
