"""The plans board from the database: statuses, slip, physical against financial, scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.access import Viewer
from delivery.models import Initiative, User
from delivery.plans.access import initiative_scope
from delivery.plans.board import BoardFilters, milestones_ahead, plan_board
from tests.plans.conftest import AS_OF, Plans


def _viewer(db: Session, plans: Plans, persona: str) -> Viewer:
    return Viewer.of(db.get(User, plans.gov.users[persona]))


def test_the_board_puts_the_late_initiative_first_with_its_slip(db: Session, plans: Plans) -> None:
    board = plan_board(db, AS_OF)
    assert board["code"].tolist() == ["SDS-DELEG", "SEE-ETI"]
    first, second = board.iloc[0], board.iloc[1]
    assert (first["status"], first["slip"], first["late"], first["at_risk"]) == (
        "late", 92, 1, 1)  # opening forecast 92 days past its baseline
    assert (second["status"], second["due"]) == ("due", 1)


def test_money_running_ahead_of_work_is_flagged_from_the_budget_links(
        db: Session, plans: Plans) -> None:
    row = plan_board(db, AS_OF).set_index("code").loc["SDS-DELEG"]
    assert row["financial_share"] == 0.7 and row["physical_pct"] == 20.0
    assert row["money_ahead"]


def test_filters_and_late_only(db: Session, plans: Plans) -> None:
    assert plan_board(db, AS_OF, filters=BoardFilters(secretariat="SEE"))["code"].tolist() == [
        "SEE-ETI"]
    assert plan_board(db, AS_OF, filters=BoardFilters(pact="PPV"))["code"].tolist() == [
        "SDS-DELEG"]
    assert plan_board(db, AS_OF, filters=BoardFilters(late_only=True))["code"].tolist() == [
        "SDS-DELEG"]
    assert plan_board(db, AS_OF, filters=BoardFilters(pillar="SEG"))["code"].tolist() == [
        "SDS-DELEG", "SEE-ETI"]
    assert plan_board(db, AS_OF, filters=BoardFilters(stage="planned")).empty


def test_as_of_an_earlier_date_nothing_was_late(db: Session, plans: Plans) -> None:
    board = plan_board(db, date(2022, 6, 1)).set_index("code")
    assert board.loc["SDS-DELEG", "late"] == 0


def test_the_review_lists_milestones_late_or_due_within_14_days(db: Session,
                                                               plans: Plans) -> None:
    ahead = milestones_ahead(db, AS_OF)
    assert ahead["name"].tolist() == ["Works contract", "First 50 schools"]
    assert ahead["initiative_code"].tolist() == ["SDS-DELEG", "SEE-ETI"]


def test_a_secretariat_sees_its_own_and_its_pacts_initiatives_only(db: Session,
                                                                  plans: Plans) -> None:
    def seen(persona: str) -> set[str]:
        viewer = _viewer(db, plans, persona)
        return set(db.scalars(select(Initiative.code).where(initiative_scope(viewer))))

    assert seen("secretariat") == {"SDS-DELEG"}
    assert seen("other_secretariat") == {"SEE-ETI"}
    assert seen("governor") == {"SDS-DELEG", "SEE-ETI"}


def test_a_pact_meeting_agenda_takes_late_milestones_and_high_risks_once(db: Session,
                                                                       plans: Plans) -> None:
    from delivery.meetings import build_agenda
    from delivery.models import ReviewMeeting
    from delivery.vocabulary import AgendaKind

    meeting = db.scalar(select(ReviewMeeting).where(ReviewMeeting.title == "Pact for Life review"))
    topics = [i.title for i in build_agenda(db, meeting, AS_OF) if i.kind == AgendaKind.TOPIC]
    assert topics == ["Late milestone: Works contract (Police stations)",
                      "Risk 16: Land not released (Police stations)"]
    again = [i.title for i in build_agenda(db, meeting, AS_OF) if i.kind == AgendaKind.TOPIC]
    assert again == topics  # built twice, listed once


@pytest.mark.parametrize(("locale", "words"), [
    ("pt_BR", ["Marco atrasado: Works contract (Police stations)", "Risco 16: Land not released"]),
    ("es", ["Hito atrasado: Works contract (Police stations)", "Riesgo 16: Land not released"]),
])
def test_an_agenda_built_in_english_reads_in_the_readers_language(
        db: Session, plans: Plans, locale: str, words: list[str]) -> None:
    """A scheduled job builds the agenda in English; the plan topics point at their milestone
    and risk and are worded again for whoever reads them (names are data, kept as typed)."""
    from delivery.agenda_texts import agenda_texts
    from delivery.i18n import use_locale
    from delivery.meetings import build_agenda
    from delivery.models import ReviewMeeting
    from delivery.vocabulary import AgendaKind

    meeting = db.scalar(select(ReviewMeeting).where(ReviewMeeting.title == "Pact for Life review"))
    with use_locale("en"):
        topics = [i for i in build_agenda(db, meeting, AS_OF) if i.kind == AgendaKind.TOPIC]
    assert [i.milestone_id is not None for i in topics] == [True, False]
    assert [i.risk_id is not None for i in topics] == [False, True]
    with use_locale(locale):
        texts = agenda_texts(db, topics, AS_OF)
    assert [texts[i.id].title for i in topics][0] == words[0]
    assert texts[topics[1].id].title.startswith(words[1])
    note = texts[topics[0].id].note  # its forecast date in the reader's format, and the slip
    assert "2022" in note and "46" in note and "forecast" not in note
