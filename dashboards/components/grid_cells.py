"""Editable AG Grid columns that show and read numbers and dates as the reader writes them
(``1.234,5``, ``31/01/2023`` in pt_BR) while the grid's data stays numbers and ISO dates, the
same the domain has always received. The functions named here live in
``assets/grid_formats.js``, fed by ``dashboards/grid_locales.py``; a refused cell's message goes
to the element ``grid_options`` names (``grid_problem`` draws it)."""

from __future__ import annotations

from typing import Any

from dash import html

# Typed with the plain text editor starting from the shown text (the number editor would
# refuse a comma, and AG Grid's date types would bring the browser's calendar and format).
_TEXT_EDITOR = {"cellEditor": "agTextCellEditor", "cellEditorParams": {"useFormatter": True},
                "cellDataType": False}


def number_column(field: str, header: str, **extra: Any) -> dict[str, Any]:
    """An editable column of numbers in the reader's format."""
    return {"field": field, "headerName": header, "editable": True, "type": "numericColumn",
            "valueFormatter": {"function": "localNumber(params.value)"},
            "valueParser": {"function": "readLocalNumber(params)"}, **_TEXT_EDITOR, **extra}


def date_column(field: str, header: str, **extra: Any) -> dict[str, Any]:
    """An editable column of dates (ISO in the data) in the reader's format."""
    return {"field": field, "headerName": header, "editable": True,
            "valueFormatter": {"function": "localDate(params.value)"},
            "valueParser": {"function": "readLocalDate(params)"}, **_TEXT_EDITOR, **extra}


def grid_options(problem_id: str, **extra: Any) -> dict[str, Any]:
    """``dashGridOptions`` of an editable grid whose refused cells are told in ``problem_id``."""
    return {"singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True,
            "context": {"problem": problem_id}, **extra}


def grid_problem(problem_id: str) -> html.Div:
    """Where a refused cell is told: read out when it changes."""
    live: dict[str, Any] = {"aria-live": "polite"}
    return html.Div(id=problem_id, role="status", className="small text-danger grid-problem",
                    **live)
