"""The memo and the follow-up as PDF (read back with PDFium) and as Excel (read back with
openpyxl), and the escaping that keeps a spreadsheet from running typed text as a formula."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from delivery.briefing import (
    briefing_pdf,
    briefing_xlsx,
    followup_pdf,
    followup_xlsx,
    meeting_pack,
    spreadsheet_safe,
)
from delivery.briefing.charts import nice_ticks
from delivery.i18n import use_locale
from tests.briefing.conftest import FORMULA, HELD_ON, World


def pdf_text(data: bytes) -> tuple[int, str]:
    """(pages, the text of every page with its whitespace collapsed)."""
    doc = pdfium.PdfDocument(data)
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return len(doc), " ".join(text.split())


def test_the_memo_holds_the_meeting_every_agenda_item_and_the_commitments(
        db, world: World) -> None:
    data = briefing_pdf(meeting_pack(db, world.meeting.id, HELD_ON))
    assert data.startswith(b"%PDF")
    pages, text = pdf_text(data)
    for expected in ["BRIEFING MEMO", "Weekly review: safer streets", "Carnival security",
                     "Goal G-BEHIND", "Data quality, G-BEHIND: jump",
                     "December jumped by 20%.", "Bring the plan.",
                     "Patrol plan for the ten worst areas", "7 days overdue",
                     "Prepared by the delivery unit on 9 Jan 2023", f"Page 1 of {pages}"]:
        assert expected in text, expected
    assert "1 slipping" not in text and "1 on track, 0 slipping and 1 off track" in text


def test_the_follow_up_holds_attendance_decisions_and_every_commitment_made(
        db, world: World) -> None:
    data = followup_pdf(meeting_pack(db, world.meeting.id, date(2023, 1, 16)))
    assert data.startswith(b"%PDF")
    _, text = pdf_text(data)
    for expected in ["FOLLOW-UP NOTE", "Weekly review: safer streets", "Governor, Delivery unit",
                     "Secretary", "Move two battalions to the worst areas.", "Chief of police",
                     "1 Feb 2023", "HYPERLINK", "Hire 40 analysts", "Done 12 Jan 2023",
                     "Patrols to double."]:
        assert expected in text, expected


def test_the_workbooks_open_with_their_sheets(db, world: World) -> None:
    pack = meeting_pack(db, world.meeting.id, HELD_ON)
    briefing = load_workbook(BytesIO(briefing_xlsx(pack)))
    followup = load_workbook(BytesIO(followup_xlsx(pack)))
    assert briefing.sheetnames == ["Meeting", "Agenda", "Goals", "Commitments"]
    assert followup.sheetnames == ["Meeting", "Attendance", "Decisions", "Commitments made",
                                   "Followed up"]
    agenda = briefing["Agenda"]
    assert [agenda.cell(row=r, column=2).value for r in range(2, 6)] == [
        # a flag's and a commitment's items are worded from them, in the reader's language
        "Carnival security", "Goal G-BEHIND", "Data quality, G-BEHIND: jump",
        "Patrol plan for the ten worst areas"]
    assert agenda.freeze_panes == "A2" and agenda["A1"].font.bold
    assert agenda.column_dimensions["B"].width == 42


def test_numbers_stay_numbers_and_dates_stay_dates(db, world: World) -> None:
    goals = load_workbook(BytesIO(briefing_xlsx(
        meeting_pack(db, world.meeting.id, HELD_ON))))["Goals"]
    header = [c.value for c in goals[1]]
    row = {h: c.value for h, c in zip(header, goals[2], strict=True)}
    assert row["Code"] == "G-BEHIND"
    assert row["Latest"] == 99 and isinstance(row["Latest"], int | float)
    assert isinstance(row["Period end"], datetime) and row["Period end"].date() == date(2022, 12,
                                                                                       28)
    assert goals.cell(row=2, column=header.index("Target date") + 1).number_format == \
        "yyyy-mm-dd"


def test_a_formula_typed_as_a_commitment_is_written_as_text(db, world: World) -> None:
    sheet = load_workbook(BytesIO(followup_xlsx(
        meeting_pack(db, world.meeting.id, date(2023, 1, 16)))))["Commitments made"]
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + FORMULA


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+2", "'=1+2"),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Patrols = 2", "Patrols = 2"),
    ("", ""),
    (-1, -1),
    (2.5, 2.5),
    (date(2023, 1, 9), date(2023, 1, 9)),
    (None, None),
], ids=["equals", "plus", "minus", "at", "tab", "carriage-return", "inner-equals", "empty",
        "negative-number", "number", "date", "empty-cell"])
def test_spreadsheet_safe_escapes_only_text_a_spreadsheet_would_run(value, expected) -> None:
    assert spreadsheet_safe(value) == expected


@pytest.mark.parametrize(("low", "high", "ticks"), [
    (0, 8000, [0, 2000, 4000, 6000, 8000]),
    (110, 200, [100, 125, 150, 175, 200]),
    (5, 5, [4, 6, 8, 10]),
], ids=["round", "offset", "flat"])
def test_chart_ticks_are_round_and_cover_the_values(low, high, ticks) -> None:
    assert nice_ticks(low, high) == ticks


def test_the_documents_speak_the_readers_language(db, world: World) -> None:
    with use_locale("pt_BR"):
        _pages, memo = pdf_text(briefing_pdf(meeting_pack(db, world.meeting.id, HELD_ON)))
        _pages, note = pdf_text(followup_pdf(meeting_pack(db, world.meeting.id, HELD_ON)))
        book = load_workbook(BytesIO(briefing_xlsx(meeting_pack(db, world.meeting.id,
                                                                 HELD_ON))))
    for expected in ["NOTA DE BRIEFING", "Resumo", "Pauta", "7 dias de atraso",
                     "Elaborado pela unidade de entrega em 09/01/2023", "Página 1 de",
                     "Das 2 metas de Safer streets, 1 no rumo, 0 em risco e 1 atrasada",
                     "Segunda-feira 09/01/2023", "ÚLTIMO DADO", "Anexo"]:
        assert expected in memo, expected
    for expected in ["NOTA DE ENCAMINHAMENTOS", "Presença", "Decisões"]:
        assert expected in note, expected
    assert "Summary" not in memo and "Prepared by" not in memo
    assert book.sheetnames[:3] == ["Reunião", "Pauta", "Metas"]
