"""Records (JSON objects, SQL rows) as the text table an import mapping reads.

Every cell becomes the text a person would read (``""`` for null), as when a CSV file is read,
so that the same mapping files serve files, APIs and queries. Nested objects are flattened to
dotted column names (``location.state``); lists are kept as JSON text. The table's index is
each record's position in the pull (1 = the first), which rejections quote as the "row".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import pandas as pd

from delivery.importing import RowError


def records_table(records: Iterable[Any], name: str) -> tuple[pd.DataFrame, list[RowError]]:
    """The records as a text table, and a RowError for each record that is not an object."""
    rows: list[dict[str, str]] = []
    positions: list[int] = []
    errors: list[RowError] = []
    for position, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            errors.append(RowError(name, position, "", "the record is not an object but "
                                   f"{_kind(record)}: {json.dumps(record, default=str)[:80]}"))
            continue
        rows.append(_flat(record))
        positions.append(position)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    table = pd.DataFrame([[row.get(c, "") for c in columns] for row in rows], columns=columns,
                         index=pd.Index(positions, dtype="int64"), dtype=object)
    return table, errors


def rows_table(columns: list[str], rows: Iterable[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows of a query result (tuples in column order) as a text table numbered from 1."""
    body = [[cell_text(value) for value in row] for row in rows]
    return pd.DataFrame(body, columns=columns, index=pd.RangeIndex(1, len(body) + 1),
                        dtype=object)


def cell_text(value: Any) -> str:
    """A value as a person reads it: whole floats without ``.0``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _flat(record: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flat(value, f"{name}."))
        else:
            flat[name] = cell_text(value)
    return flat


def _kind(value: Any) -> str:
    return {list: "a list", str: "a text", int: "a number", float: "a number",
            bool: "true/false", type(None): "null"}.get(type(value), type(value).__name__)
