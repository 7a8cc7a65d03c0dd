"""Moving a forecast: a reason required, the baseline kept, every move a revision, only on
one's own initiatives."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from delivery.access import AccessDenied, Viewer
from delivery.clock import pin_review_date
from delivery.models import Milestone, ProgressReport, User
from delivery.plans.board import plan_board
from delivery.plans.edits import PlanEditError, move_forecast, record_actual, report_progress
from tests.plans.conftest import AS_OF, Plans


def _viewer(db: Session, plans: Plans, persona: str) -> Viewer:
    return Viewer.of(db.get(User, plans.gov.users[persona]))


def test_a_secretariat_moves_its_own_forecast_with_a_reason(db: Session, plans: Plans) -> None:
    pin_review_date(db, AS_OF)  # the move is stamped on the review date, as in the demo
    sonia = _viewer(db, plans, "secretariat")
    opening = plans.milestones["Opening"]
    revision = move_forecast(db, sonia, opening, "2023-11-30", "  Rains delayed the works ")
    milestone = db.get(Milestone, opening)
    assert (milestone.forecast_on, milestone.baseline_on) == (date(2023, 11, 30),
                                                             date(2023, 6, 30))
    assert (revision.reason, revision.changed_by) == ("Rains delayed the works", "sonia")
    assert plan_board(db, AS_OF).set_index("code").loc["SDS-DELEG", "slip"] == 153
    assert move_forecast(db, sonia, opening, "2023-11-30", "again") is None
    before = plan_board(db, date(2023, 1, 15)).set_index("code").loc["SDS-DELEG", "slip"]
    assert before == 45  # the day before the move was not known: the late contract is worst


@pytest.mark.parametrize(("forecast", "reason", "field"), [
    ("2023-11-30", "", "reason"), ("2023-11-30", "   ", "reason"), ("2023-11-30", None, "reason"),
    ("30/11/2023", "late", "forecast"), ("20230-01-01", "late", "forecast"),
    (None, "late", "forecast"),
], ids=["empty reason", "blank reason", "no reason", "not iso", "typo", "no date"])
def test_a_move_without_a_reason_or_a_date_is_refused_naming_the_field(
        db: Session, plans: Plans, forecast, reason, field) -> None:
    sonia = _viewer(db, plans, "secretariat")
    with pytest.raises(PlanEditError) as refused:
        move_forecast(db, sonia, plans.milestones["Opening"], forecast, reason)
    assert refused.value.field == field
    assert db.get(Milestone, plans.milestones["Opening"]).forecast_on == date(2023, 9, 30)


@pytest.mark.parametrize("persona", ["other_secretariat", "governor"])
def test_others_cannot_move_a_secretariats_forecast(db: Session, plans: Plans,
                                                    persona: str) -> None:
    with pytest.raises(AccessDenied):
        move_forecast(db, _viewer(db, plans, persona), plans.milestones["Opening"],
                      "2024-01-01", "not mine")
    assert db.get(Milestone, plans.milestones["Opening"]).forecast_on == date(2023, 9, 30)


@pytest.mark.parametrize("forged", ["1", 2**40, True, None, [1]], ids=str)
def test_forged_ids_change_nothing(db: Session, plans: Plans, forged) -> None:
    with pytest.raises(AccessDenied):
        move_forecast(db, _viewer(db, plans, "analyst"), forged, "2024-01-01", "x")


def test_an_analyst_moves_any_forecast(db: Session, plans: Plans) -> None:
    move_forecast(db, _viewer(db, plans, "analyst"), plans.milestones["First 50 schools"],
                  "2023-02-10", "Contract signed late")
    assert db.get(Milestone, plans.milestones["First 50 schools"]).forecast_on == date(2023, 2, 10)


def test_actual_dates_and_progress_are_checked(db: Session, plans: Plans) -> None:
    sonia = _viewer(db, plans, "secretariat")
    with pytest.raises(PlanEditError, match="after today"):
        record_actual(db, sonia, plans.milestones["Works contract"], "2023-02-01", AS_OF)
    record_actual(db, sonia, plans.milestones["Works contract"], "2023-01-12", AS_OF)
    assert db.get(Milestone, plans.milestones["Works contract"]).actual_on == date(2023, 1, 12)
    with pytest.raises(PlanEditError, match="0 to 100"):
        report_progress(db, sonia, plans.initiatives["stations"], "2023-01-15", 120)
    with pytest.raises(PlanEditError, match="not a number"):
        report_progress(db, sonia, plans.initiatives["stations"], "2023-01-15", "lots")
    with pytest.raises(AccessDenied):
        report_progress(db, sonia, plans.initiatives["schools"], "2023-01-15", 10)
    report_progress(db, sonia, plans.initiatives["stations"], "2023-01-15", 35)
    assert db.query(ProgressReport).count() == 2


def test_an_actual_date_or_progress_given_again_writes_nothing(db: Session, plans: Plans) -> None:
    sonia = _viewer(db, plans, "secretariat")
    works = plans.milestones["Works contract"]
    assert record_actual(db, sonia, works, "2023-01-12", AS_OF) is True
    assert record_actual(db, sonia, works, "2023-01-12", AS_OF) is False
    first = report_progress(db, sonia, plans.initiatives["stations"], "2023-01-15", 35)
    assert first is not None
    assert report_progress(db, sonia, plans.initiatives["stations"], "2023-01-15", "35") is None
    corrected = report_progress(db, sonia, plans.initiatives["stations"], "2023-01-15", 30)
    assert corrected is not None and corrected.id != first.id  # a correction is a new report
    assert db.query(ProgressReport).count() == 3


@pytest.mark.parametrize(("value", "reason"), [
    (float("nan"), "0 to 100"), (float("inf"), "0 to 100"), (-1, "0 to 100"),
    ("1e400", "0 to 100"), ("x" * 10_000, "not a number")], ids=str)
def test_hostile_progress_is_refused_naming_the_field(db: Session, plans: Plans, value,
                                                      reason) -> None:
    with pytest.raises(PlanEditError, match=reason) as refused:
        report_progress(db, _viewer(db, plans, "secretariat"), plans.initiatives["stations"],
                        "2023-01-15", value)
    assert refused.value.field == "physical_pct" and len(str(refused.value)) < 200


def test_a_secretariat_rescores_its_own_risk(db: Session, plans: Plans) -> None:
    from delivery.models import Risk
    from delivery.plans.edits import update_risk

    sonia = _viewer(db, plans, "secretariat")
    risk = db.query(Risk).one()
    assert update_risk(db, sonia, risk.id, probability="2", impact=4, status="open",
                       mitigation=" Decree signed ", review_on="2023-02-15") is True
    assert (risk.probability, risk.impact, risk.mitigation, risk.review_on) == (
        2, 4, "Decree signed", date(2023, 2, 15))
    assert update_risk(db, sonia, risk.id, probability=2, impact=4, status="open",
                       mitigation="Decree signed", review_on="2023-02-15") is False
    with pytest.raises(AccessDenied):
        update_risk(db, _viewer(db, plans, "other_secretariat"), risk.id, probability=5,
                    impact=5, status="open")
    assert risk.probability == 2


@pytest.mark.parametrize(("changes", "field"), [
    ({"probability": 6}, "probability"), ({"impact": 0}, "impact"),
    ({"impact": 2.5}, "impact"), ({"probability": float("nan")}, "probability"),
    ({"probability": "lots"}, "probability"), ({"status": "gone"}, "status"),
    ({"review_on": "31/12/2023"}, "review_on"), ({"review_on": "9999-99-99"}, "review_on"),
    ({"mitigation": "x" * 5000}, "mitigation"),
], ids=lambda v: str(v)[:30])
def test_a_bad_risk_update_is_refused_naming_the_field(db: Session, plans: Plans, changes,
                                                       field) -> None:
    from delivery.models import Risk
    from delivery.plans.edits import update_risk

    risk = db.query(Risk).one()
    wanted = {"probability": 3, "impact": 3, "status": "open", **changes}
    with pytest.raises(PlanEditError) as refused:
        update_risk(db, _viewer(db, plans, "secretariat"), risk.id, **wanted)
    assert refused.value.field == field
    assert (risk.probability, risk.impact) == (4, 4)


def test_the_forms_offer_only_what_the_person_may_change(db: Session, plans: Plans) -> None:
    from delivery.plans.choices import plan_choices

    sonia = plan_choices(db, _viewer(db, plans, "secretariat"))
    assert [label for _i, label in sonia.initiatives] == ["SDS-DELEG · Police stations"]
    assert [label for _i, label in sonia.milestones] == [
        "SDS-DELEG · Works contract", "SDS-DELEG · Opening"]  # Design is done
    assert [label for _i, label in sonia.risks] == ["SDS-DELEG · Land not released"]
    assert len(plan_choices(db, _viewer(db, plans, "analyst")).initiatives) == 2
    assert not plan_choices(db, _viewer(db, plans, "governor"))
