"""Writes through the API: figures, one or many, by the same rules as every other way in
(``figure_entry.read_row`` reads each row with the screens' messages, ``delivery.plausibility``
judges them, ``edits.report_many`` stores them as revisions), and commitment updates.

A push is all or nothing: any refused row and nothing is stored; every refused row is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.access import AccessDenied, Viewer, can_report_figures
from delivery.clock import review_date
from delivery.edits import NOT_YOURS, report_many
from delivery.figure_entry import FigureRow, read_row
from delivery.figures import latest_revisions
from delivery.i18n import _
from delivery.models import Goal
from delivery.plausibility import admit_figures

MAX_FIGURES = 5000  # per push; larger files go through `delivery import`


@dataclass(frozen=True)
class RowProblem:
    row: int  # from 1, as in the list sent
    field: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "pointer": f"/figures/{self.row - 1}"
                f"/{self.field}", "detail": self.detail}


class PushInvalid(ValueError):
    """Rows of a push cannot be stored; nothing was. ``problems`` names each."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"row {p.row}: {p.field}: {p.detail}" for p in problems))


class PushRefused(AccessDenied):
    """The token's person does not report on some goals of the push; nothing was stored."""

    def __init__(self, rows: list[int]) -> None:
        self.rows = rows
        super().__init__(NOT_YOURS)


@dataclass
class PushResult:
    new: int = 0
    revised: int = 0
    consolidated: int = 0
    unchanged: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"new": self.new, "revised": self.revised, "consolidated": self.consolidated,
                "unchanged": self.unchanged, "figures": self.rows}


def _split(error: ValueError) -> tuple[str, str]:
    """``row N: period start: reason`` -> (``period_start``, ``reason``)."""
    parts = str(error).split(": ", 2)
    if len(parts) == 3:
        return parts[1].replace(" ", "_"), parts[2]
    return "figure", str(error)


def read_push(items: Sequence[dict[str, Any]]) -> tuple[list[str], list[FigureRow]]:
    """(goal code, row) of every item, read as the screens read typed rows; PushInvalid
    naming every row and field that is not right."""
    if not items:
        raise PushInvalid([RowProblem(1, "figures", _("no figure to save: send at least one"))])
    if len(items) > MAX_FIGURES:
        raise PushInvalid([RowProblem(MAX_FIGURES + 1, "figures", _(
            "at most {n} figures per request").format(n=MAX_FIGURES))])
    codes, rows, problems = [], [], []
    seen: dict[tuple[str, date], int] = {}
    for number, item in enumerate(items, start=1):
        code = str(item.get("goal") or "").strip()
        if not code:
            problems.append(RowProblem(number, "goal", _("missing")))
            continue
        try:
            row = read_row(number, item)
        except ValueError as error:
            problems.append(RowProblem(number, *_split(error)))
            continue
        earlier = seen.setdefault((code, row.period_start), number)
        if earlier != number:
            problems.append(RowProblem(number, "period_start", _(
                "{day} of {goal} is already in row {row}").format(
                day=row.period_start.isoformat(), goal=code, row=earlier)))
            continue
        codes.append(code)
        rows.append(row)
    if problems:
        raise PushInvalid(problems)
    return codes, rows


def push_figures(session: Session, viewer: Viewer, items: Sequence[dict[str, Any]]
                 ) -> PushResult:
    """Store the figures of ``items`` (goal code, period_start, period_end, value,
    provisional, note) in the caller's transaction, all or nothing.

    PushInvalid (nothing stored) names each row that is not right; PushRefused when the
    viewer does not report on a goal named (or it does not exist).
    """
    codes, rows = read_push(items)
    ids = dict(session.execute(select(Goal.code, Goal.id).where(Goal.code.in_(set(codes)))).all())
    allowed: dict[str, int] = {c: i for c in set(codes) if (i := ids.get(c)) is not None
                               and can_report_figures(session, viewer, i)}
    refused = [r.number for c, r in zip(codes, rows, strict=True) if c not in allowed]
    if refused:
        raise PushRefused(refused)
    frame = pd.DataFrame({
        "goal_id": [allowed[c] for c in codes],
        "period_start": [r.period_start for r in rows], "period_end": [r.period_end for r in rows],
        "value": [r.value for r in rows], "is_provisional": [r.provisional for r in rows],
        "note": [r.note for r in rows]})
    stored = latest_revisions(session, sorted(set(allowed.values())))
    verdict = admit_figures(session, frame, as_of=review_date(session), stored=stored)
    problems = [RowProblem(r.number, str(f), str(e)) for r, f, e
                in zip(rows, verdict["field"], verdict["error"], strict=True) if e is not None]
    if problems:
        raise PushInvalid(problems)
    written, _counts = report_many(session, viewer, frame, checked=verdict, stored=stored,
                                   source=f"API, {viewer.username}")
    return _result(session, codes, rows, frame, written)


def _result(session: Session, codes: list[str], rows: list[FigureRow], frame: pd.DataFrame,
            written: pd.DataFrame) -> PushResult:
    outcome = {(int(g), s): o for g, s, o in zip(written["goal_id"], written["period_start"],
                                                 written["outcome"], strict=True)}
    latest = latest_revisions(session, sorted({int(g) for g in frame["goal_id"]}))
    revision = {(int(g), pd.Timestamp(s).date()): int(r) for g, s, r in zip(
        latest["goal_id"], latest["period_start"], latest["revision"], strict=True)}
    result = PushResult()
    for code, row, goal_id in zip(codes, rows, frame["goal_id"], strict=True):
        key = (int(goal_id), row.period_start)
        what = outcome.get(key, "unchanged")
        setattr(result, what, getattr(result, what) + 1)
        result.rows.append({"row": row.number, "goal": code,
                            "period_start": row.period_start.isoformat(),
                            "revision": revision[key], "outcome": what})
    return result
