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
