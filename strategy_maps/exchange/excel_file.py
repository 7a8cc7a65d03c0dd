"""The map as an Excel workbook an analyst can fill in: an "About" sheet, then one sheet per
section with the field names in the first row. Rows are numbered as Excel numbers them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from delivery.exports import spreadsheet_safe
from delivery.importing.limits import FileTooLarge, check_workbook_size
from strategy_maps.exchange.document import MapDocument, Problem, read_document
from strategy_maps.exchange.plan_sections import PLAN_SECTIONS, read_plan_rows
from strategy_maps.exchange.schema import SECTIONS

ABOUT = "About"
PLAN_HELP = {
    "initiatives": "Delivery initiatives, as in `delivery plans import`: goals as "
                   "GOAL=weight;GOAL=weight, accounts as CODE/YEAR=share.",
    "milestones": "Milestones of each initiative (matched by initiative and name); the "
                  "baseline never changes, a moved forecast needs a reason.",
    "risks": "Risks of an initiative or a goal (matched by description): probability and "
             "impact 1 to 5.",
}


def write_workbook(doc: MapDocument, path: Path) -> None:
    """Write the document to ``path`` (.xlsx): one sheet per section, even when empty."""
    book = Workbook()
    about = book.active
    about.title = ABOUT
    about.append(["Delivery Tracker strategy map: fill in the sheets and load the file with "
                  "`delivery map import FILE`. Rows are matched by code; nothing is deleted."])
    about.append([])
    about.append(["sheet", "column", "required", "what it holds"])
    for section in SECTIONS:
        about.append([section.sheet, "", "", section.help])
        for f in section.fields:
            choices = f" ({', '.join(f.choices)})" if f.choices else ""
            about.append(["", f.name, "yes" if f.required else "", f.help + choices])
        sheet = book.create_sheet(section.sheet)
        sheet.append([f.name for f in section.fields])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in doc.rows[section.key]:
            sheet.append([_cell(row[f.name]) for f in section.fields])
        for i, f in enumerate(section.fields, start=1):
            column = sheet.column_dimensions[get_column_letter(i)]
            column.width = max(12, len(f.name) + 2)
            # Codes typed as text stay text (0412.4135 is not a number); dates look like dates.
            number_format = {"date": "yyyy-mm-dd", "text": "@"}.get(f.type)
            if number_format:
                column.number_format = number_format
                for cell in sheet[get_column_letter(i)][1:]:
                    cell.number_format = number_format
    for plan in PLAN_SECTIONS:
        about.append([plan.sheet, "", "", PLAN_HELP[plan.key]])
        sheet = book.create_sheet(plan.sheet)
        sheet.append(list(plan.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in doc.plans.get(plan.key, []):
            sheet.append([spreadsheet_safe(row[n]) if isinstance(row[n], str) else row[n]
                          for n in plan.columns])
        for i, name in enumerate(plan.columns, start=1):
            letter = get_column_letter(i)
            sheet.column_dimensions[letter].width = max(12, len(name) + 2)
            number_format = "yyyy-mm-dd" if name in plan.dates else (
                None if name in plan.whole else "@")
            if number_format:
                sheet.column_dimensions[letter].number_format = number_format
                for cell in sheet[letter][1:]:
                    cell.number_format = number_format
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 26
    about.column_dimensions["D"].width = 90
    book.save(path)


def read_workbook(path: Path, known: dict[str, set] | None = None
                  ) -> tuple[MapDocument, list[Problem]]:
    """Read a workbook into a checked document. A missing sheet is an empty section; blank
    rows are skipped; a column without a heading is ignored."""
    try:
        check_workbook_size(path)
    except FileTooLarge as exc:
        return MapDocument(), [Problem("file", None, None, f"refused: {exc}")]
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        return MapDocument(), [Problem("file", None, None, f"not an Excel workbook: {exc}")]
    raw: dict[str, list] = {}
    problems: list[Problem] = []
    sheets = {name.strip().lower(): name for name in book.sheetnames}
    for section in SECTIONS:
        name = sheets.get(section.sheet.lower())
        if name is None:
            continue
        rows = book[name].iter_rows(values_only=True)
        header = [str(h).strip().lower() if h is not None else None for h in next(rows, ())]
        raw[section.key] = []
        for number, values in enumerate(rows, start=2):
            cells = {h: v for h, v in zip(header, values, strict=False) if h is not None}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
                continue
            raw[section.key].append((number, cells))
    plan_raw: dict[str, list] = {}
    for plan in PLAN_SECTIONS:
        name = sheets.get(plan.sheet.lower())
        if name is not None:
            plan_raw[plan.key] = _sheet_rows(book[name])
    book.close()
    document, more = read_document(raw, known)
    document.plan_cells, plan_problems = read_plan_rows(plan_raw)
    return document, problems + more + plan_problems


def _sheet_rows(sheet: Any) -> list[tuple[int, dict]]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip().lower() if h is not None else None for h in next(rows, ())]
    found = []
    for number, values in enumerate(rows, start=2):
        cells = {h: v for h, v in zip(header, values, strict=False) if h is not None}
        if any(v is not None and not (isinstance(v, str) and not v.strip())
               for v in cells.values()):
            found.append((number, cells))
    return found


def _cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value
