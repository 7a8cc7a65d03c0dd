"""The memo's section per initiative on the agenda: late milestones, money against work,
high risks; in each language; none when no initiative serves an agenda goal."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from delivery.briefing import briefing_pdf, meeting_pack
from delivery.i18n import use_locale
from delivery.models import (
    BudgetAccount,
    Initiative,
    InitiativeAccount,
    InitiativeGoal,
    Milestone,
    ProgressReport,
    Risk,
    Secretariat,
)
from delivery.plans.vocabulary import Stage
from tests.briefing.conftest import HELD_ON, World
from tests.briefing.test_documents import pdf_text
from tests.plans.conftest import D


@pytest.fixture
def works(db: Session, world: World) -> Initiative:
    """Police stations serving the goal on the agenda: one milestone late, 70% spent against
    20% done, a risk scored 16; and an initiative serving no goal on the agenda."""
    sec = Secretariat(code="SDS", name="Defesa Social")
    db.add(sec)
    db.flush()
    stations = Initiative(
        code="SDS-DELEG", name="Police stations", secretariat_id=sec.id,
        responsible="Chief of police", stage=Stage.IN_PROGRESS, tolerance_days=15,
        goals=[InitiativeGoal(goal_id=world.behind.id)],
        milestones=[Milestone(name="Works contract", position=1, baseline_on=D("2022-12-01"),
                              forecast_on=D("2022-12-01"), owner="Engineer"),
                    Milestone(name="Design", position=0, baseline_on=D("2022-03-01"),
                              forecast_on=D("2022-03-01"), actual_on=D("2022-02-25"))],
        progress=[ProgressReport(on=D("2022-12-31"), physical_pct=20.0, reported_by="sonia")])
    other = Initiative(code="SDS-OTHER", name="Unrelated works", secretariat_id=sec.id)
    account = BudgetAccount(code="4101", name="Police buildings", fiscal_year=2022,
                            appropriated=1000, spent=700)
    db.add_all([stations, other, account])
    db.flush()
    db.add_all([InitiativeAccount(initiative_id=stations.id, account_id=account.id),
                Risk(initiative_id=stations.id, description="Land not released",
                     probability=4, impact=4, owner="Mayor", mitigation="Decree",
                     review_on=D("2023-01-02")),
                Risk(initiative_id=stations.id, description="Small worry", probability=1,
                     impact=2)])
    db.flush()
    return stations


def test_the_pack_holds_each_initiative_serving_an_agenda_goal(db: Session, world: World,
                                                               works: Initiative) -> None:
    [brief] = meeting_pack(db, world.meeting.id, HELD_ON).initiatives
    assert (brief.code, brief.status, brief.slip, brief.goal_codes) == (
        "SDS-DELEG", "late", 39, ["G-BEHIND"])
    assert [m.name for m in brief.late] == ["Works contract"]
    assert brief.money_ahead and brief.gap == pytest.approx(50.0)
    assert [(r.description, r.score, r.review_overdue) for r in brief.risks] == [
        ("Land not released", 16, True)]


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", ["Delivery plans on the agenda", "SDS-DELEG · Police stations",
            "Late, 39 days of slip", "money ahead of work by 50 points", "Works contract",
            "1 Dec 2022", "Land not released (review overdue)", "Decree"]),
    ("pt_BR", ["Planos de entrega na pauta", "SDS-DELEG · Police stations",
               "39 dias de atraso", "dinheiro à frente da obra em 50 pontos",
               "01/12/2022", "revisão vencida"]),
    ("es", ["Planes de entrega en la agenda", "39 días de retraso",
            "dinero por delante de la obra en 50 puntos", "revisión vencida"]),
], ids=["en", "pt_BR", "es"])
def test_the_memo_prints_a_section_per_initiative_in_the_readers_language(
        db: Session, world: World, works: Initiative, locale: str, expected: list[str]) -> None:
    with use_locale(locale):
        _pages, text = pdf_text(briefing_pdf(meeting_pack(db, world.meeting.id, HELD_ON)))
    for words in expected:
        assert words in text, words
    assert "Small worry" not in text and "Unrelated works" not in text


def test_a_memo_without_initiatives_has_no_plans_section(db: Session, world: World) -> None:
    pack = meeting_pack(db, world.meeting.id, HELD_ON)
    assert pack.initiatives == []
    _pages, text = pdf_text(briefing_pdf(pack))
    assert "Delivery plans on the agenda" not in text
