"""Tables sorted by a click on a column's header, for tables that are not AG Grid (rows with
their own controls): each header is a button (reachable by keyboard, announced by screen
readers with ``aria-sort``), the sort kept in a store and applied on the server. Pure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from dash import html

from delivery.i18n import _


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
                class_name: str = "") -> html.Th:
    """A header cell whose button sorts by ``key``."""
    state = ("none" if sort.get("col") != key else
             "ascending" if sort.get("asc", True) else "descending")
    # the arrow is drawn by CSS (.sort-ascending::after), so the header's text stays its label
    # (a phone's stacked cards repeat it before each value)
    return html.Th(html.Button(
        label, id={"type": id_type, "col": key}, type="button",
        className=f"sort-button sort-{state}",
        title=_("Sort by {column}").format(column=label)),
        className=class_name, **{"aria-sort": state})


def sorted_rows(rows: list[dict[str, Any]], sort: dict[str, Any],
                keys: dict[str, Callable[[dict[str, Any]], Any]]) -> list[dict[str, Any]]:
    """``rows`` in the order of ``sort`` (a stable sort on ``keys[col]``)."""
    key = keys.get(sort.get("col", ""))
    if key is None:
        return rows
    return sorted(rows, key=key, reverse=not sort.get("asc", True))
