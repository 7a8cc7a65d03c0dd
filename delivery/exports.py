"""Figures out of the database as a flat table (CSV export, briefing packs), and the one rule
for every cell the product writes into a file a spreadsheet opens (CSV and Excel alike).

Text typed by people (goal codes, sources, notes) must never run as a formula when the file is
opened: every text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
a leading single quote, as OWASP's CSV-injection advice says. Numbers stay numbers (a negative
value is not text and is not touched), dates stay dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from delivery.db import query_frame
from delivery.figures import in_force_query, known_on_or_before
from delivery.models import Figure, Goal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as it may go into a cell: text that a spreadsheet would read as a formula gets
    a leading single quote; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text (no index), every text cell made spreadsheet-safe."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_safe)
    return safe.to_csv(index=False)


EXPORT_COLUMNS = [
    "goal_code", "period_start", "period_end", "value", "revision", "is_provisional",
    "source", "reported_by", "recorded_at", "known_on", "note",
]


def figures_frame(
    session: Session,
    *,
    goal_codes: list[str] | None = None,
    as_of: date | None = None,
    all_revisions: bool = False,
) -> pd.DataFrame:
    """Figures with their goal code: every revision, or the one in force (today or ``as_of``);
    with ``as_of``, only what was known on that day (``known_on``), revisions included.

    Raises LookupError naming any goal code that does not exist.
    """
    query = select(
        Goal.code.label("goal_code"), Figure.period_start, Figure.period_end, Figure.value,
        Figure.revision, Figure.is_provisional, Figure.source, Figure.reported_by,
        Figure.recorded_at, Figure.known_on, Figure.note,
    ).join(Goal, Goal.id == Figure.goal_id)
    if goal_codes:
        found = set(session.scalars(select(Goal.code).where(Goal.code.in_(goal_codes))))
        missing = sorted(set(goal_codes) - found)
        if missing:
            raise LookupError(f"no goal with code {', '.join(missing)}")
        query = query.where(Goal.code.in_(goal_codes))
    if all_revisions and as_of is not None:
        query = query.where(known_on_or_before(as_of))
    if not all_revisions:
        top = in_force_query(as_of).subquery()
        query = query.join(top, and_(
            Figure.goal_id == top.c.goal_id,
            Figure.period_start == top.c.period_start,
            Figure.revision == top.c.revision,
        ))
    query = query.order_by(Goal.code, Figure.period_start, Figure.revision)
    return query_frame(session, query, EXPORT_COLUMNS)
