"""Entering figures by hand, several at once (the analyst workspace) or one (the report page):
which goals a person reports on, the rows they typed, checked row by row, and what each row
became. The rows go through ``delivery.edits.report_figures`` together (rights checked, a changed
value is a new revision, the same value writes nothing), in one insert however many there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, select, true
from sqlalchemy.orm import Session

from delivery.access import Viewer, can_report_figures, goal_scope, require
from delivery.clock import review_date
from delivery.dates import DateError, parse_day
from delivery.db import query_frame
from delivery.edits import NOT_YOURS, report_figures
from delivery.figures import in_force_query, latest_revisions
from delivery.i18n import _, formats
from delivery.models import Figure, Goal
from delivery.plausibility import admit_figures, field_label

MAX_NOTE = 500


class FigureRowsInvalid(ValueError):
    """Some rows could not be read; nothing was stored. ``errors`` names each row and field."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class FigureRow:
    number: int  # as numbered on screen, from 1
    period_start: date
    period_end: date
    value: float
    provisional: bool
    note: str


@dataclass(frozen=True)
class RowOutcome:
    row: FigureRow
    revision: int
    written: bool
    consolidated: bool

    @property
    def message(self) -> str:
        if not self.written:
            return _("already recorded as revision {revision}: nothing changed").format(
                revision=self.revision)
        if self.consolidated:
            return _("recorded as revision {revision} (no longer provisional)").format(
                revision=self.revision)
        return _("recorded as revision {revision}").format(revision=self.revision)


def reportable_goals(session: Session, viewer: Viewer) -> list[tuple[int, str, str]]:
    """(id, code, name) of the goals the viewer reports on: every goal for editors, its own
    for a secretariat, none for others; by code."""
    where: ColumnElement[bool]
    if viewer.is_editor:
        where = true()
    elif viewer.own_secretariat is not None:
        where = Goal.owner_id == viewer.own_secretariat
    else:
        return []
    query = select(Goal.id, Goal.code, Goal.name).where(where, goal_scope(viewer))
    return [tuple(row) for row in session.execute(query.order_by(Goal.code)).all()]  # type: ignore[misc]


def _day(text: Any, field: str) -> date:
    text = str(text or "").strip()
    if not text:
        raise ValueError(_("{field}: missing").format(field=field_label(field)))
    try:
        return parse_day(text)
    except DateError as exc:
        raise ValueError(_("{field}: {reason}").format(field=field_label(field),
                                                       reason=exc)) from None


def _value(raw: Any) -> float:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValueError(_("{field}: missing").format(field=field_label("value")))
    not_a_number = _("{field}: {text} is not a number").format(field=field_label("value"),
                                                              text=repr(raw))
    if isinstance(raw, bool):
        raise ValueError(not_a_number)
    try:
        number = float(str(raw).strip().replace(",", "")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise ValueError(not_a_number) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(not_a_number)
    return number


def read_row(number: int, row: dict[str, Any]) -> FigureRow:
    """One typed row; ValueError naming the row and the field."""
    try:
        start, end = _day(row.get("period_start"), "period_start"), _day(row.get("period_end"),
                                                                           "period_end")
        if end < start:
            raise ValueError(_("{field}: before the period start").format(
                field=field_label("period_end")))
        note = str(row.get("note") or "").strip()
        if len(note) > MAX_NOTE:
            raise ValueError(_("{field}: {length} characters, at most {most}").format(
                field=field_label("note"), length=formats.number(len(note)),
                most=formats.number(MAX_NOTE)))
        return FigureRow(number, start, end, _value(row.get("value")),
                         bool(row.get("provisional")), note)
    except ValueError as error:
        raise ValueError(_("row {number}: {error}").format(number=number, error=error)) from None


def _blank(row: dict[str, Any]) -> bool:
    keys = ("period_start", "period_end", "value", "note")
    return all(row.get(k) in (None, "") for k in keys)


def read_rows(rows: Sequence[dict[str, Any]] | None) -> list[FigureRow]:
    """Every non-blank row read, or FigureRowsInvalid listing every row that is not right."""
    read, errors, seen = [], [], {}
    for number, row in enumerate(rows or [], start=1):
        if _blank(row):
            continue
        try:
            figure = read_row(number, row)
        except ValueError as error:
            errors.append(str(error))
            continue
        if figure.period_start in seen:
            errors.append(_("row {number}: {field}: {date} is already in row {other}").format(
                number=number, field=field_label("period_start"),
                date=formats.day(figure.period_start), other=seen[figure.period_start]))
            continue
        seen[figure.period_start] = number
        read.append(figure)
    if not read and not errors:
        errors.append(_("no figure to save: fill in at least one row"))
    if errors:
        raise FigureRowsInvalid(errors)
    return read


def enter_figures(session: Session, viewer: Viewer, goal_id: object,
                  rows: Sequence[dict[str, Any]] | None) -> list[RowOutcome]:
    """Record the typed rows for one goal in the caller's transaction, all or nothing.

    Raises FigureRowsInvalid (nothing stored) when a row is not right, AccessDenied when the
    viewer does not report on the goal.
    """
    read = read_rows(rows)
    require(can_report_figures(session, viewer, goal_id), NOT_YOURS)
    assert isinstance(goal_id, int)
    _admit_all(session, goal_id, read)
    frame = pd.DataFrame([{"period_start": r.period_start, "period_end": r.period_end,
                           "value": r.value, "is_provisional": r.provisional, "note": r.note}
                          for r in read])
    written, _counts = report_figures(session, viewer, goal_id, frame)
    outcome = dict(zip(written["period_start"], written["outcome"], strict=True))
    latest = latest_revisions(session, [goal_id])
    revision = dict(zip(pd.to_datetime(latest["period_start"]).dt.date,
                        latest["revision"].astype(int), strict=True))
    return [RowOutcome(row, revision[row.period_start], row.period_start in outcome,
                       outcome.get(row.period_start) == "consolidated") for row in read]


def _admit_all(session: Session, goal_id: int, rows: list[FigureRow]) -> None:
    """The plausibility check on every row at once (a jump is judged against the row before
    it too); FigureRowsInvalid naming each refused row, nothing stored."""
    frame = pd.DataFrame({"goal_id": goal_id, "period_start": [r.period_start for r in rows],
                          "period_end": [r.period_end for r in rows],
                          "value": [r.value for r in rows], "note": [r.note for r in rows]})
    verdict = admit_figures(session, frame, as_of=review_date(session))
    errors = [_("row {number}: {field}: {error}").format(number=row.number,
                                                         field=field_label(field), error=error)
              for row, field, error
              in zip(rows, verdict["field"], verdict["error"], strict=True) if error is not None]
    if errors:
        raise FigureRowsInvalid(errors)


def recent_figures(session: Session, goal_id: int, limit: int = 8) -> pd.DataFrame:
    """The goal's latest periods at their current revision, newest first: period_start,
    period_end, value, is_provisional, revision, reported_by, known_on."""
    top = in_force_query().where(Figure.goal_id == goal_id).subquery()
    columns = ["period_start", "period_end", "value", "is_provisional", "revision",
               "reported_by", "known_on"]
    query = (select(*(getattr(Figure, c) for c in columns))
             .join(top, and_(Figure.goal_id == top.c.goal_id,
                             Figure.period_start == top.c.period_start,
                             Figure.revision == top.c.revision))
             .order_by(Figure.period_start.desc()).limit(limit))
    return query_frame(session, query, columns)
