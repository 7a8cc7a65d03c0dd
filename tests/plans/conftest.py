"""The personas' small government with two initiatives: SDS's police stations (Pact for Life,
one milestone late, money ahead of work) and SEE's full-time schools (on time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from delivery.models import (
    BudgetAccount,
    Initiative,
    InitiativeAccount,
    InitiativeGoal,
    Milestone,
    ProgressReport,
    Risk,
)
from delivery.plans.vocabulary import Stage
from tests.personas import (
    Government,
    build_government,
    fast_password_hashing,  # noqa: F401
)

AS_OF = date(2023, 1, 16)
D = date.fromisoformat


@dataclass
class Plans:
    gov: Government
    initiatives: dict[str, int]
    milestones: dict[str, int]


def _milestone(name: str, baseline: str, forecast: str, actual: str | None = None,
               position: int = 0) -> Milestone:
    return Milestone(name=name, position=position, baseline_on=D(baseline),
                     forecast_on=D(forecast), actual_on=D(actual) if actual else None,
                     owner="Engineer")


def build_plans(session: Session) -> Plans:
    return add_plans(session, build_government(session))


def add_plans(session: Session, gov: Government) -> Plans:
    """The two initiatives, on the personas' government ``gov`` (flushed, not committed)."""
    stations = Initiative(
        code="SDS-DELEG", name="Police stations", secretariat_id=gov.secretariats["SDS"],
        responsible="Chief of police", pact_id=gov.pacts["life"], starts_on=D("2022-01-01"),
        ends_on=D("2023-12-31"), stage=Stage.IN_PROGRESS, tolerance_days=15,
        goals=[InitiativeGoal(goal_id=gov.goals["homicides"], weight=1.0)],
        milestones=[_milestone("Design", "2022-03-01", "2022-03-01", "2022-02-25", 1),
                    _milestone("Works contract", "2022-12-01", "2022-12-01", None, 2),
                    _milestone("Opening", "2023-06-30", "2023-09-30", None, 3)],
        progress=[ProgressReport(on=D("2022-12-31"), physical_pct=20.0, reported_by="sonia")])
    schools = Initiative(
        code="SEE-ETI", name="Full-time schools", secretariat_id=gov.secretariats["SEE"],
        responsible="Director", pact_id=gov.pacts["education"], stage=Stage.IN_PROGRESS,
        goals=[InitiativeGoal(goal_id=gov.goals["literacy"], weight=0.5)],
        milestones=[_milestone("First 50 schools", "2023-01-25", "2023-01-25", None, 1)])
    session.add_all([stations, schools])
    account = BudgetAccount(code="4101", name="Police buildings", fiscal_year=2022,
                            appropriated=1000, spent=700)
    session.add(account)
    session.flush()
    session.add(InitiativeAccount(initiative_id=stations.id, account_id=account.id, share=1.0))
    session.add(Risk(initiative_id=stations.id, description="Land not released", probability=4,
                     impact=4, owner="Chief", review_on=D("2023-01-10")))
    session.flush()
    milestones = {m.name: m.id for i in (stations, schools) for m in i.milestones}
    return Plans(gov, {"stations": stations.id, "schools": schools.id}, milestones)


@pytest.fixture
def plans(db: Session) -> Plans:
    return build_plans(db)
