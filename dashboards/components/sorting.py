"""Tables sorted by a click on a column's header, for tables that are not AG Grid (rows with
their own controls): each header is a button (reachable by keyboard, announced by screen
readers with ``aria-sort``), the sort kept in a store and applied on the server. Pure."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from dash import html

from delivery.i18n import _

TABLE_SORT = "sortable-sort"  # the header buttons of tables that ``sortable`` sorts


def next_sort(sort: Any, clicked: str, columns: Sequence[str], default: dict[str, Any]
              ) -> dict[str, Any]:
    """The sort after a click on ``clicked``: the same column again flips the order, another
    starts ascending; anything odd from the browser falls back to ``default``."""
    if clicked not in columns:
        return dict(default)
    current = sort if isinstance(sort, dict) else default
    if current.get("col") == clicked:
        return {"col": clicked, "asc": not bool(current.get("asc", True))}
    return {"col": clicked, "asc": True}


def sort_header(label: str, key: str, sort: dict[str, Any], id_type: str, *,
                class_name: str = "", table: str | None = None, note: str = "") -> html.Th:
    """A header cell whose button sorts by ``key`` (of the table named ``table``, when one
    callback serves several tables: ``dashboards.components.sortable``); ``note`` explains the
    column beside the button's "Sort by"."""
    state = ("none" if sort.get("col") != key else
             "ascending" if sort.get("asc", True) else "descending")
    ident = {"type": id_type, "col": key} if table is None else {"type": id_type,
                                                                  "table": table, "col": key}
    title = _("Sort by {column}").format(column=label)
    # the arrow is drawn by CSS (.sort-ascending::after), so the header's text stays its label
    # (a phone's stacked cards repeat it before each value)
    return html.Th(html.Button(
        label, id=ident, type="button", className=f"sort-button sort-{state}",
        title=f"{note} · {title}" if note else title),
        className=class_name, **{"aria-sort": state})


def sorted_rows(rows: list[dict[str, Any]], sort: dict[str, Any],
                keys: dict[str, Callable[[dict[str, Any]], Any]]) -> list[dict[str, Any]]:
    """``rows`` in the order of ``sort`` (a stable sort on ``keys[col]``)."""
    key = keys.get(sort.get("col", ""))
    if key is None:
        return rows
    return sorted(rows, key=key, reverse=not sort.get("asc", True))


# Sort keys on a table's own values (never on the text shown, which is formatted for the
# reader's language: "1.234,5" and "9 de jan." do not sort as text). A key of None is a
# missing value: those rows go last whichever the direction.

def text_key(value: Any) -> str | None:
    """Text without case or accents, so "Ética" sorts beside "etapa" in every language (the
    stored text, not a translation)."""
    if _missing(value) or str(value).strip() == "":
        return None
    folded = unicodedata.normalize("NFKD", str(value).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def number_key(value: Any) -> float | None:
    if _missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def date_key(value: Any) -> date | None:
    """A day (datetimes by their day; an ISO text read as one; anything else missing)."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def rank_key(order: Sequence[Any]) -> Callable[[Any], int]:
    """A value's place in ``order`` (statuses worst first, states most urgent first); any
    other value after them."""
    place = {value: n for n, value in enumerate(order)}
    return lambda value: place.get(value, len(order)) if isinstance(value, str) else len(order)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def sorted_records(rows: list[dict[str, Any]], sort: dict[str, Any],
                   keys: dict[str, Callable[[dict[str, Any]], Any]]) -> list[dict[str, Any]]:
    """``rows`` in the order of ``sort``, a stable sort on ``keys[col]`` with missing values
    (a key of None) last either way; an unknown column leaves the order as given."""
    key = keys.get(sort.get("col", "")) if isinstance(sort, dict) else None
    if key is None:
        return list(rows)
    known = [(k, r) for r in rows if (k := key(r)) is not None]
    missing = [r for r in rows if key(r) is None]
    known.sort(key=lambda pair: pair[0], reverse=not sort.get("asc", True))
    return [r for _k, r in known] + missing


def sorted_frame(frame: pd.DataFrame, sort: dict[str, Any],
                 keys: dict[str, Callable[[dict[str, Any]], Any]]) -> pd.DataFrame:
    """``frame``'s rows in the order of ``sort`` (see ``sorted_records``), same columns."""
    if frame.empty:
        return frame
    rows = sorted_records(frame.to_dict("records"), sort, keys)
    return pd.DataFrame(rows, columns=frame.columns)


def headers(sort: dict[str, Any] | None, table: str | None
            ) -> Callable[..., html.Th]:
    """``th(label, key, class_name="", note="")``: a plain header cell, or with ``table`` one
    whose button sorts that table (``dashboards.components.sortable``)."""
    def th(label: str, key: str, class_name: str = "", note: str = "") -> html.Th:
        if table is None:
            return html.Th(label, className=class_name, title=note or None)
        return sort_header(label, key, sort or {}, TABLE_SORT, class_name=class_name,
                           table=table, note=note)
    return th
