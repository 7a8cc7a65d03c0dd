"""The catalogue's downloads: the goals a view shows, in the order shown, as CSV or Excel.

Headers and statuses in the reader's language; codes, names and values as stored (numbers stay
numbers); every text cell made spreadsheet-safe by ``delivery.exports`` (CSV) or the briefing
workbooks' writer (Excel), the one rule for every file the product writes.
"""

from __future__ import annotations

import pandas as pd

from delivery.briefing.excel import table_xlsx
from delivery.catalogue.grid import GRID_COLUMNS
from delivery.exports import csv_text
from delivery.i18n import _, _l
from delivery.vocabulary import Frequency, Status

HEADERS = {
    "code": _l("Code"), "name": _l("Goal"), "pillar": _l("Pillar"),
    "objective": _l("Objective"), "owner_code": _l("Secretariat"), "pacts": _l("Pacts"),
    "frequency": _l("Frequency"), "unit": _l("Unit"), "latest_period_end": _l("Latest period"),
    "latest_value": _l("Latest"), "planned": _l("Planned"), "shortfall": _l("Shortfall"),
    "status": _l("Status"), "days_late": _l("Days late"),
}
FREQUENCY_LABELS = {
    Frequency.WEEKLY.value: _l("weekly"), Frequency.MONTHLY.value: _l("monthly"),
    Frequency.QUARTERLY.value: _l("quarterly"), Frequency.YEARLY.value: _l("yearly"),
}
WIDTHS = [14, 48, 24, 30, 12, 14, 12, 10, 14, 12, 12, 11, 16, 10]


def header(column: str) -> str:
    return str(HEADERS[column])


def frequency_label(value: str) -> str:
    label = FREQUENCY_LABELS.get(value)
    return str(label) if label is not None else value


def shown_table(shown: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``filter_goals`` as a download writes them: the grid's columns, headed in
    the reader's language, statuses and frequencies as words, dates as dates."""
    table = shown[GRID_COLUMNS].copy()
    table["status"] = [Status(s).label for s in table["status"]]
    table["frequency"] = [frequency_label(f) for f in table["frequency"]]
    table["latest_period_end"] = pd.to_datetime(table["latest_period_end"]).dt.date
    table["shortfall"] = table["shortfall"].astype(float).round(4)
    table["owner_code"] = table["owner_code"].fillna("")
    return table.rename(columns={c: header(c) for c in GRID_COLUMNS})


def goals_csv(shown: pd.DataFrame) -> str:
    return csv_text(shown_table(shown))


def goals_xlsx(shown: pd.DataFrame) -> bytes:
    table = shown_table(shown).astype(object).where(lambda t: t.notna(), None)
    rows = list(table.itertuples(index=False, name=None))
    return table_xlsx(_("Goals"), list(table.columns), rows, WIDTHS)
