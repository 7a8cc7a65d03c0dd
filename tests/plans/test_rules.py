"""The pure rules of delivery plans, case by case."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from delivery.plans.rules import (
    heat_map,
    initiative_slip,
    initiative_status,
    milestone_status,
    milestone_statuses,
    money_ahead_of_work,
    physical_as_of,
    review_overdue,
    risk_band,
    risk_score,
    slip_days,
    spent_share,
    status_of,
)
from delivery.plans.vocabulary import MilestoneStatus as S
from delivery.plans.vocabulary import RiskStatus

D = date.fromisoformat
AS_OF = D("2023-01-16")

# baseline, forecast, actual, tolerance, status, slip
MILESTONES = [
    ("2023-01-10", "2023-01-10", "2023-01-09", 0, S.DONE_ON_TIME, -1),
    ("2023-01-10", "2023-01-10", "2023-01-10", 0, S.DONE_ON_TIME, 0),
    ("2022-12-01", "2023-01-05", "2023-01-05", 30, S.DONE_LATE, 35),
    ("2023-01-10", "2023-01-10", None, 0, S.LATE, 6),
    ("2023-01-10", "2023-02-20", None, 60, S.LATE, 41),  # baseline passed, forecast not yet
    ("2023-03-01", "2023-01-12", None, 0, S.LATE, -44),  # forecast passed, not done
    ("2023-03-01", "2023-05-01", None, 30, S.AT_RISK, 61),
    ("2023-03-01", "2023-03-31", None, 30, S.NOT_DUE, 30),  # within tolerance
    ("2023-01-20", "2023-01-20", None, 0, S.DUE, 0),
    ("2023-01-30", "2023-01-30", None, 0, S.DUE, 0),  # exactly 14 days ahead
    ("2023-01-31", "2023-01-31", None, 0, S.NOT_DUE, 0),
    ("2023-01-16", "2023-01-16", None, 0, S.DUE, 0),  # today is not yet late
    ("2023-01-20", "2023-01-20", "2023-02-01", 0, S.DUE, 0),  # actual after as-of: unknown yet
]
IDS = ["early", "on the day", "done late", "late", "baseline passed", "forecast passed",
       "beyond tolerance", "within tolerance", "due", "due in 14 days", "due in 15 days",
       "due today", "actual in the future"]


@pytest.mark.parametrize(("baseline", "forecast", "actual", "tolerance", "status", "slip"),
                         MILESTONES, ids=IDS)
def test_milestone_status_and_slip(baseline, forecast, actual, tolerance, status, slip) -> None:
    args = (D(baseline), D(forecast), D(actual) if actual else None)
    assert milestone_status(*args, AS_OF, tolerance_days=tolerance) == status
    assert slip_days(*args, AS_OF) == slip


def test_the_column_rule_agrees_with_the_milestone_rule_on_every_case() -> None:
    def column(i: int) -> np.ndarray:
        return np.array([np.datetime64(row[i]) if row[i] else np.datetime64("NaT")
                         for row in MILESTONES], dtype="datetime64[D]")

    severity, slips = milestone_statuses(column(0), column(1), column(2),
                                         np.array([row[3] for row in MILESTONES]), AS_OF)
    assert [status_of(s) for s in severity] == [row[4] for row in MILESTONES]
    assert slips.tolist() == [row[5] for row in MILESTONES]


@pytest.mark.parametrize(("statuses", "worst"), [
    ([], None),
    ([S.DONE_ON_TIME, S.NOT_DUE], S.NOT_DUE),
    ([S.DUE, S.DONE_LATE], S.DUE),
    ([S.AT_RISK, S.DUE, S.DONE_ON_TIME], S.AT_RISK),
    ([S.AT_RISK, S.LATE], S.LATE),
], ids=["none", "not due", "due", "at risk", "late"])
def test_an_initiative_is_as_bad_as_its_worst_milestone(statuses, worst) -> None:
    assert initiative_status(statuses) == worst


@pytest.mark.parametrize(("slips", "slip"), [
    ([], 0), ([(-5, False), (-2, False)], 0), ([(3, False), (41, False), (-44, False)], 41),
    ([(257, True), (120, False)], 120), ([(20, True), (5, True)], 20),
], ids=["none", "ahead", "worst", "open ones count", "all done"])
def test_an_initiative_slips_as_its_most_slipped_open_milestone(slips, slip) -> None:
    assert initiative_slip(slips) == slip


@pytest.mark.parametrize(("amounts", "physical", "share", "ahead"), [
    ([(100.0, 80.0, 1.0)], 30.0, 0.8, True),      # 80% spent, 30% built
    ([(100.0, 80.0, 1.0)], 65.0, 0.8, False),     # 15 points: within the margin
    ([(100.0, 50.0, 0.5), (100.0, 0.0, 1.0)], 10.0, 25 / 150, False),
    ([(0.0, 0.0, 1.0)], 10.0, None, False),       # nothing appropriated: unknown
    ([(100.0, 90.0, 1.0)], None, 0.9, False),     # no physical report: unknown
], ids=["money ahead", "within margin", "shares weigh", "no budget", "no report"])
def test_money_running_ahead_of_work_is_flagged(amounts, physical, share, ahead) -> None:
    got = spent_share(amounts)
    assert got == pytest.approx(share) if share is not None else got is None
    assert money_ahead_of_work(physical, got) is ahead


def test_the_physical_completion_is_the_last_reported_by_the_date() -> None:
    reports = [(D("2022-06-30"), 20.0), (D("2022-12-31"), 45.0), (D("2023-03-31"), 60.0)]
    assert physical_as_of(reports, AS_OF) == 45.0
    assert physical_as_of(reports, D("2022-01-01")) is None


@pytest.mark.parametrize(("p", "i", "score", "band"), [
    (1, 1, 1, "low"), (2, 3, 6, "low"), (2, 4, 8, "medium"), (3, 5, 15, "high"),
    (5, 5, 25, "high"),
], ids=["minimal", "low", "medium", "high", "maximal"])
def test_risk_score_and_band(p, i, score, band) -> None:
    assert risk_score(p, i) == score
    assert risk_band(score) == band


@pytest.mark.parametrize(("p", "i"), [(0, 3), (3, 6)], ids=["zero", "six"])
def test_a_score_outside_one_to_five_is_refused(p, i) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        risk_score(p, i)


def test_the_heat_map_counts_risks_by_probability_and_impact() -> None:
    grid = heat_map([(5, 4), (5, 4), (1, 1)])
    assert grid[4][3] == 2 and grid[0][0] == 1 and sum(map(sum, grid)) == 3


@pytest.mark.parametrize(("status", "review_on", "overdue"), [
    (RiskStatus.OPEN, "2023-01-15", True), (RiskStatus.OPEN, "2023-01-16", False),
    (RiskStatus.OPEN, None, False), (RiskStatus.CLOSED, "2022-01-01", False),
], ids=["passed", "today", "no date", "closed"])
def test_an_open_risk_past_its_review_date_is_overdue(status, review_on, overdue) -> None:
    assert review_overdue(status, D(review_on) if review_on else None, AS_OF) is overdue
