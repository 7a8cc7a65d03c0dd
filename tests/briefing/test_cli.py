"""``delivery briefing MEETING_ID --out DIR``: the four files, and a clear error for a meeting
that does not exist."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from openpyxl import load_workbook

from delivery.cli import main
from delivery.clock import pin_review_date
from delivery.models import AgendaItem, Commitment, ReviewMeeting
from delivery.vocabulary import AgendaKind, MeetingState
from tests.factories import make_goal


def test_it_writes_the_memo_and_the_follow_up_as_pdf_and_excel(
        database_url, session_factory, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    with session_factory() as session, session.begin():
        goal = make_goal(session)
        meeting = ReviewMeeting(held_on=date(2023, 1, 9), title="Weekly review: safety",
                                objective_id=goal.objective_id, state=MeetingState.HELD,
                                agenda_items=[AgendaItem(position=0, kind=AgendaKind.TOPIC,
                                                         title="Carnival", added_by="ana")],
                                commitments=[Commitment(goal_id=goal.id, owner="Chief",
                                                        description="+Patrols",
                                                        due_on=date(2023, 1, 20))])
        session.add(meeting)
        pin_review_date(session, date(2023, 1, 16))
        session.flush()
        meeting_id = meeting.id
    result = CliRunner().invoke(main, ["briefing", str(meeting_id), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    stem = f"meeting-{meeting_id}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{stem}-briefing-2023-01-09.pdf", f"{stem}-briefing-2023-01-09.xlsx",
        f"{stem}-followup-2023-01-09.pdf", f"{stem}-followup-2023-01-09.xlsx"]
    assert "(as of 2023-01-09)" in result.output and "(as of 2023-01-16)" in result.output
    assert (tmp_path / f"{stem}-briefing-2023-01-09.pdf").read_bytes().startswith(b"%PDF")
    made = load_workbook(tmp_path / f"{stem}-followup-2023-01-09.xlsx")["Commitments made"]
    assert made["A2"].value == "'+Patrols"


def test_a_missing_meeting_stops_with_its_id_named(database_url, session_factory, monkeypatch,
                                                   tmp_path) -> None:
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["briefing", "4242", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "meeting: no meeting with id 4242" in result.output
    assert list(tmp_path.iterdir()) == []
