"""One callback for every table whose headers sort it (``sorting.sort_header`` with a
``table`` name): a page registers the table once (its sort keys, default order, how to read
its rows again and how to draw them), puts ``sortable(...)`` where the table goes, and a click
on a header reads the rows again for the person who clicked, by the page's own access rules, and
draws them in the new order.

The rows are read again rather than sent back by the browser: what comes from the browser is
only the table's name, the clicked column and a small ``context`` (a pact's code, a routine),
each checked by the loader as the page checks it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
import pandas as pd
from dash import ALL, MATCH, Dash, Input, Output, State, ctx, dcc, html
from sqlalchemy.orm import Session

from dashboards.auth import SIGNED_IN
from dashboards.components.sorting import TABLE_SORT, next_sort, sorted_frame
from dashboards.context import current_viewer, read_session
from delivery.access import Viewer

# the callback gate (dashboards.auth) reads a callback's access from its module: every
# loader checks the page's own rule again, so being signed in is enough to ask
ACCESS = SIGNED_IN
SORT, SORT_BY, BODY = TABLE_SORT, "sortable-sort-by", "sortable-body"

Keys = dict[str, Callable[[dict[str, Any]], Any]]


@dataclass(frozen=True)
class SortableTable:
    """``draw(frame, sort)`` builds the table (headers with ``sort_header(...,
    table=name)``); ``load(session, viewer, context)`` reads its rows again (an empty frame
    when the context is not the viewer's to see)."""

    name: str
    keys: Keys
    default: dict[str, Any]
    draw: Callable[[pd.DataFrame, dict[str, Any]], Any]
    load: Callable[[Session, Viewer, Any], pd.DataFrame]


TABLES: dict[str, SortableTable] = {}


def register_table(table: SortableTable) -> SortableTable:
    TABLES[table.name] = table
    return table


def sortable(table: SortableTable, frame: pd.DataFrame, context: Any = None) -> html.Div:
    """The table drawn in its default order, with what a header's click needs."""
    sort = dict(table.default)
    return html.Div([
        dcc.Store(id={"type": SORT_BY, "table": table.name},
                  data={"sort": sort, "context": context}),
        html.Div(table.draw(sorted_frame(frame, sort, table.keys), sort),
                 id={"type": BODY, "table": table.name}),
    ], className=f"sortable sortable-{table.name}")


def resorted(name: Any, clicked: Any, stored: Any) -> tuple[Any, dict[str, Any]] | None:
    """The table ``name`` drawn anew after a click on ``clicked``, and what to store; None
    for a name no page registered."""
    table = TABLES.get(name) if isinstance(name, str) else None
    if table is None:
        return None
    stored = stored if isinstance(stored, dict) else {}
    sort = next_sort(stored.get("sort"), clicked, list(table.keys), table.default)
    context = stored.get("context")
    with read_session() as session:
        frame = table.load(session, current_viewer(), context)
    return (table.draw(sorted_frame(frame, sort, table.keys), sort),
            {"sort": sort, "context": context})


def register(app: Dash) -> None:
    """The one callback, on ``app`` itself: Dash hands module-level ``@callback``s to the first
    app built in a process only, and this module (unlike a page's) is not run again for the
    next (the tests build one app per database)."""
    app.callback(Output({"type": BODY, "table": MATCH}, "children"),
                 Output({"type": SORT_BY, "table": MATCH}, "data"),
                 Input({"type": SORT, "table": MATCH, "col": ALL}, "n_clicks"),
                 State({"type": SORT_BY, "table": MATCH}, "data"),
                 prevent_initial_call=True)(sort_table)


def sort_table(_clicks: Any, stored: Any) -> tuple[Any, Any]:
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
        return dash.no_update, dash.no_update  # headers drawn anew, not clicked
    drawn = resorted(trigger.get("table"), trigger.get("col"), stored)
    return (dash.no_update, dash.no_update) if drawn is None else drawn
