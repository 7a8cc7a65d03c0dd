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
from delivery.briefing.pdf import KIND_WORDS
from delivery.exports import spreadsheet_safe
from delivery.i18n import _, current_locale
from delivery.vocabulary import CommitmentState, MeetingState, Status

HEADER_FILL = PatternFill("solid", fgColor="EAECEF")
DATE_FORMAT, NUMBER_FORMAT = "yyyy-mm-dd", "#,##0.00"


def briefing_xlsx(pack: MeetingPack) -> bytes:
    """The briefing memo's tables: Meeting, Agenda, Goals, Commitments."""
    book = Workbook()
    counts = pack.status_counts
    _sheet(book.active, _("Meeting"), [_("Field"), _("Value")], [
        (_("Meeting"), pack.title), (_("Date"), pack.held_on),
        (_("State"), MeetingState(pack.state).label),
        (_("Scope"), pack.scope), (_("Invited"), ", ".join(pack.invited)),
        (_("Figures as of"), pack.as_of), (_("Prepared by"), _(pack.issuer)),
        *[(_("Goals: {status}").format(status=s.label.lower()), counts.get(s.value, 0))
          for s in Status],
        (_("Commitments overdue"), len(pack.overdue)),
    ], [24, 70])
    _sheet(book.create_sheet(), _("Agenda"), [
        _("No"), _("Item"), _("Type"), _("Goal code"), _("Status"), _("Lead"), _("Latest"),
        _("Planned"), _("Target"), _("Unit"), _("Flag reason"), _("Commitment"), _("Owner"),
        _("Due"), _("Days overdue"), _("Note")], [
        (i.number, i.title, _(KIND_WORDS.get(i.kind, i.kind)), i.goal.code if i.goal else None,
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
    _sheet(book.create_sheet(), _("Goals"), [
        _("Code"), _("Goal"), _("Lead"), _("Status"), _("Reason"), _("Latest"), _("Period end"),
        _("Planned"), _("Target"), _("Target date"), _("Unit"), _("Agenda item")], [
        (g.code, g.name, g.owner, Status(g.status).label, g.reason, g.latest_value,
         g.latest_on, g.planned, g.target_value, g.target_date, g.unit, g.item_number)
        for g in pack.scope_goals],
        [22, 36, 28, 12, 60, 11, 12, 11, 11, 12, 14, 11])
    _commitments(book.create_sheet(), _("Commitments"), pack.carried)
    return _bytes(book)


def followup_xlsx(pack: MeetingPack) -> bytes:
    """The follow-up's tables: Meeting, Attendance, Decisions, Commitments made, Followed up."""
    book = Workbook()
    _sheet(book.active, _("Meeting"), [_("Field"), _("Value")], [
        (_("Meeting"), pack.title), (_("Date"), pack.held_on),
        (_("State"), MeetingState(pack.state).label),
        (_("Cancelled because"), pack.cancelled_reason or None), (_("Scope"), pack.scope),
        (_("Minutes closed by"), pack.closed_by), (_("Notes"), pack.notes or None),
        (_("As of"), pack.as_of), (_("Prepared by"), _(pack.issuer)),
    ], [24, 70])
    present = set(pack.attendees)
    people = list(dict.fromkeys([*pack.invited, *pack.attendees]))
    _sheet(book.create_sheet(), _("Attendance"), [_("Person"), _("Invited"), _("Present")], [
        (p, _("yes") if p in pack.invited else _("no"), _("yes") if p in present else _("no"))
        for p in people], [44, 10, 10])
    _sheet(book.create_sheet(), _("Decisions"), [
        _("No"), _("Decision"), _("Agenda item"), _("Goal code"), _("Recorded by")], [
        (n, d.text, d.item_title, d.goal_code, d.recorded_by)
        for n, d in enumerate(pack.decisions, 1)], [5, 70, 36, 22, 16])
    _commitments(book.create_sheet(), _("Commitments made"), pack.made)
    _commitments(book.create_sheet(), _("Followed up"), pack.carried)
    return _bytes(book)


def _commitments(sheet, title: str, rows: list[CommitmentData]) -> None:  # type: ignore[no-untyped-def]
    _sheet(sheet, title, [
        _("Commitment"), _("Owner"), _("Due"), _("State"), _("Closed on"), _("Days overdue"),
        _("Goal code"), _("Made at"), _("Made on"), _("Closing note")], [
        (c.description, c.owner, c.due_on, CommitmentState(c.state).label, c.closed_on,
         c.days_overdue if c.is_open else None, c.goal_code, c.made_at, c.made_on,
         c.closing_note or None) for c in rows],
        [50, 30, 12, 9, 12, 12, 22, 36, 12, 30])


def _sheet(sheet, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]],  # type: ignore[no-untyped-def]
           widths: Sequence[int]) -> None:
    """Write a table: a bold, shaded, frozen header row, set widths, safe text, typed cells."""
    sheet.title = title[:31]  # a sheet's name has at most 31 characters
    date_format = DATE_FORMAT if current_locale() == "en" else "dd/mm/yyyy"
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
                cell.number_format = date_format
            elif isinstance(cell.value, float):
                cell.number_format = NUMBER_FORMAT
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str))
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def table_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
               widths: Sequence[int]) -> bytes:
    """One table as a workbook of one sheet, written as the meeting documents' tables are
    (bold frozen header, safe text, typed cells): the product's downloads of a screen's table."""
    book = Workbook()
    _sheet(book.active, title, header, rows, widths)
    return _bytes(book)


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
