"""After a write: an ``implausible`` flag on each figure stored with a warning (and its note),
and the data-quality checks on the goals written, so typed and imported figures are looked at
as pulled ones are."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from delivery.clock import stamp_now
from delivery.i18n import _
from delivery.models import DataQualityFlag, Figure
from delivery.quality.flags import run_checks

IMPLAUSIBLE = "implausible"


def flag_implausible(session: Session, warned: pd.DataFrame, *, actor: str,
                     as_of: date) -> int:
    """Raise an ``implausible`` flag on the stored figure of each row of ``warned`` (goal_id,
    period_start, warning, note); a figure already flagged is not flagged again. Returns how
    many were raised."""
    if warned.empty:
        return 0
    keys = {(int(g), s) for g, s in zip(warned["goal_id"], warned["period_start"], strict=True)}
    top = (select(Figure.goal_id, Figure.period_start, func.max(Figure.revision).label("rev"))
           .where(or_(*(and_(Figure.goal_id == g, Figure.period_start == s) for g, s in keys)))
           .group_by(Figure.goal_id, Figure.period_start).subquery())
    figures = {(f.goal_id, f.period_start): f for f in session.scalars(
        select(Figure).join(top, and_(Figure.goal_id == top.c.goal_id,
                                      Figure.period_start == top.c.period_start,
                                      Figure.revision == top.c.rev)))}
    flagged = set(session.scalars(select(DataQualityFlag.figure_id).where(
        DataQualityFlag.kind == IMPLAUSIBLE,
        DataQualityFlag.figure_id.in_([f.id for f in figures.values()]))))
    raised, now = 0, stamp_now(session)  # on the pinned review date while one is pinned
    for row in warned.itertuples(index=False):
        figure = figures.get((int(row.goal_id), row.period_start))
        if figure is None or figure.id in flagged:
            continue
        flagged.add(figure.id)
        session.add(DataQualityFlag(
            goal_id=figure.goal_id, figure_id=figure.id, kind=IMPLAUSIBLE,
            reason=_("Stored with a note: {warning}. The reporter's note: {note}").format(
                warning=row.warning, note=row.note),
            evidence={"period_end": figure.period_end.isoformat(), "as_of": as_of.isoformat(),
                      "raised_by": actor, "figure_value": figure.value,
                      "figure_revision": figure.revision, "note": row.note},
            raised_at=now))
        raised += 1
    session.flush()
    return raised


def check_written(session: Session, written: pd.DataFrame, *, actor: str, as_of: date) -> int:
    """The data-quality checks on the goals of ``written`` (goal_id, period_end), from the
    earliest period written; returns how many flags they raised."""
    if written.empty:
        return 0
    since = min(written["period_end"])
    goal_ids = sorted({int(g) for g in written["goal_id"]})
    return len(run_checks(session, goal_ids, as_of=as_of, actor=actor, since=since))
