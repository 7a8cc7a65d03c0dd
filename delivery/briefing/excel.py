"""The two meeting documents as Excel workbooks, one sheet per table of the PDF.

Text typed by people (titles, descriptions, owners, notes) goes into cells that a spreadsheet
must never run: every text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with a single quote by ``delivery.exports.spreadsheet_safe``, the one rule
for every file the product writes. Numbers stay numbers and dates stay dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from delivery.briefing.pack import CommitmentData, MeetingPack
from delivery.exports import spreadsheet_safe
from delivery.vocabulary import Status

HEADER_FILL = PatternFill("solid", fgColor="EAECEF")
DATE_FORMAT, NUMBER_FORMAT = "yyyy-mm-dd", "#,##0.00"


def briefing_xlsx(pack: MeetingPack) -> bytes:
    """The briefing memo's tables: Meeting, Agenda, Goals, Commitments."""
    book = Workbook()
    counts = pack.status_counts
    _sheet(book.active, "Meeting", ["Field", "Value"], [
        ("Meeting", pack.title), ("Date", pack.held_on), ("State", pack.state),
        ("Scope", pack.scope), ("Invited", ", ".join(pack.invited)),
        ("Figures as of", pack.as_of), ("Prepared by", pack.issuer),
        *[(f"Goals {s.label.lower()}", counts.get(s.value, 0)) for s in Status],
        ("Commitments overdue", len(pack.overdue)),
    ], [24, 70])
    _sheet(book.create_sheet(), "Agenda", [
        "No", "Item", "Type", "Goal code", "Status", "Lead", "Latest", "Planned", "Target",
        "Unit", "Flag reason", "Commitment", "Owner", "Due", "Days overdue", "Note"], [
        (i.number, i.title, i.kind, i.goal.code if i.goal else None,
         Status(i.goal.status).label if i.goal else None, i.goal.owner if i.goal else None,
         i.goal.latest_value if i.goal else None, i.goal.planned if i.goal else None,
         i.goal.target_value if i.goal else None, i.goal.unit if i.goal else None,
         i.flag.reason if i.flag else None,
         i.commitment.description if i.commitment else None,
         i.commitment.owner if i.commitment else None,
         i.commitment.due_on if i.commitment else None,
         i.commitment.days_overdue if i.commitment else None, i.note or None)
        for i in pack.items],
        [5, 42, 11, 22, 12, 28, 11, 11, 11, 14, 40, 40, 26, 12, 12, 40])
    _sheet(book.create_sheet(), "Goals", [
        "Code", "Goal", "Lead", "Status", "Reason", "Latest", "Period end", "Planned",
        "Target", "Target date", "Unit", "Agenda item"], [
        (g.code, g.name, g.owner, Status(g.status).label, g.reason, g.latest_value,
         g.latest_on, g.planned, g.target_value, g.target_date, g.unit, g.item_number)
        for g in pack.scope_goals],
        [22, 36, 28, 12, 60, 11, 12, 11, 11, 12, 14, 11])
    _commitments(book.create_sheet(), "Commitments", pack.carried)
    return _bytes(book)


def followup_xlsx(pack: MeetingPack) -> bytes:
    """The follow-up's tables: Meeting, Attendance, Decisions, Commitments made, Followed up."""
    book = Workbook()
    _sheet(book.active, "Meeting", ["Field", "Value"], [
        ("Meeting", pack.title), ("Date", pack.held_on), ("State", pack.state),
        ("Cancelled because", pack.cancelled_reason or None), ("Scope", pack.scope),
        ("Minutes closed by", pack.closed_by), ("Notes", pack.notes or None),
        ("As of", pack.as_of), ("Prepared by", pack.issuer),
    ], [24, 70])
    present = set(pack.attendees)
    people = list(dict.fromkeys([*pack.invited, *pack.attendees]))
    _sheet(book.create_sheet(), "Attendance", ["Person", "Invited", "Present"], [
        (p, "yes" if p in pack.invited else "no", "yes" if p in present else "no")
        for p in people], [44, 10, 10])
    _sheet(book.create_sheet(), "Decisions", [
        "No", "Decision", "Agenda item", "Goal code", "Recorded by"], [
        (n, d.text, d.item_title, d.goal_code, d.recorded_by)
        for n, d in enumerate(pack.decisions, 1)], [5, 70, 36, 22, 16])
    _commitments(book.create_sheet(), "Commitments made", pack.made)
    _commitments(book.create_sheet(), "Followed up", pack.carried)
    return _bytes(book)


def _commitments(sheet, title: str, rows: list[CommitmentData]) -> None:  # type: ignore[no-untyped-def]
    _sheet(sheet, title, [
        "Commitment", "Owner", "Due", "State", "Closed on", "Days overdue", "Goal code",
        "Made at", "Made on", "Closing note"], [
        (c.description, c.owner, c.due_on, c.state, c.closed_on,
         c.days_overdue if c.is_open else None, c.goal_code, c.made_at, c.made_on,
         c.closing_note or None) for c in rows],
        [50, 30, 12, 9, 12, 12, 22, 36, 12, 30])


def _sheet(sheet, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]],  # type: ignore[no-untyped-def]
           widths: Sequence[int]) -> None:
    """Write a table: a bold, shaded, frozen header row, set widths, safe text, typed cells."""
    sheet.title = title
    sheet.append([spreadsheet_safe(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top")
    for row in rows:
        sheet.append([spreadsheet_safe(_plain(v)) for v in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime | date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, float):
                cell.number_format = NUMBER_FORMAT
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str))
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _plain(value: Any) -> Any:
    """Python scalars for openpyxl: no NaN, no numpy numbers."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str | date):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()
