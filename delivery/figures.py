"""Recording progress figures as revisions, and reading what was known on a given date.

Nothing here updates or deletes a figure row. Recording a value for a goal and period that already
has one adds the next revision, unless the value is the same (then nothing is written), so
re-importing a file changes nothing.

Each revision has two times: ``recorded_at``, the moment it was stored (the audit trail's), and
``known_on``, the day it became known, which every "as of" question reads. They fall on the same
day unless an import backfills history with the days its figures were published.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from delivery.clock import review_date
from delivery.db import query_frame
from delivery.i18n import _
from delivery.models import AuditEntry, Figure, Goal

# Relative difference under which two values are the same figure (float noise from Excel, CSV).
SAME_VALUE = 1e-9

FIGURE_COLUMNS = ["goal_id", "period_start", "period_end", "value", "is_provisional"]


@dataclass(frozen=True)
class RecordCounts:
    new: int = 0
    revised: int = 0
    consolidated: int = 0
    unchanged: int = 0
    backfilled: int = 0  # of those written, known before the review date: history moved in
    known_from: date | None = None  # the earliest and latest known_on of the backfilled
    known_to: date | None = None

    @property
    def written(self) -> int:
        return self.new + self.revised + self.consolidated

    def __add__(self, other: RecordCounts) -> RecordCounts:
        days = [d for d in (self.known_from, self.known_to, other.known_from, other.known_to)
                if d is not None]
        return RecordCounts(
            self.new + other.new,
            self.revised + other.revised,
            self.consolidated + other.consolidated,
            self.unchanged + other.unchanged,
            self.backfilled + other.backfilled,
            min(days) if days else None,
            max(days) if days else None,
        )


def known_by(as_of: date | datetime) -> datetime:
    """The exclusive cut-off of a stored moment for "what the unit knew on ``as_of``" (all of
    that day): for rows dated by when they were saved (trajectories, flags), not figures."""
    if isinstance(as_of, datetime):
        return as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    return datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=UTC)


def known_day(as_of: date | datetime) -> date:
    """The last ``known_on`` of the figures the unit knew on ``as_of``."""
    return as_of.date() if isinstance(as_of, datetime) else as_of


def known_on_or_before(as_of: date | datetime) -> ColumnElement[bool]:
    """The figures known on ``as_of``."""
    return Figure.known_on <= known_day(as_of)


def known_after(start: date, as_of: date) -> ColumnElement[bool]:
    """The figures that became known after the day ``start`` up to ``as_of``."""
    return and_(Figure.known_on > start, Figure.known_on <= as_of)


def plan_revisions(
    incoming: pd.DataFrame, latest: pd.DataFrame
) -> tuple[pd.DataFrame, RecordCounts]:
    """Decide, per incoming (goal, period), whether it is new, a revision, a consolidation or
    unchanged against the latest stored revision. Returns the rows to insert and the counts.

    ``incoming`` has FIGURE_COLUMNS, one row per goal and period_start (other columns, such as
    ``known_on`` or ``note``, are carried along); ``latest`` has goal_id, period_start,
    revision, value, is_provisional for the current revision of stored periods. The rows to
    insert carry their new ``revision`` and an ``outcome`` (new, revised or consolidated).
    A provisional re-report of a consolidated figure with the same value changes nothing.
    """
    duplicated = incoming.duplicated(["goal_id", "period_start"], keep=False)
    if duplicated.any():
        first = incoming[duplicated].iloc[0]
        raise ValueError(
            f"goal {first.goal_id} has more than one figure for the period starting "
            f"{first.period_start}"
        )
    merged = incoming.merge(
        latest.rename(columns={"value": "old_value", "is_provisional": "old_provisional"}),
        on=["goal_id", "period_start"],
        how="left",
    )
    extra = [c for c in incoming.columns if c not in FIGURE_COLUMNS]  # e.g. known_on
    exists = merged["revision"].notna().to_numpy()
    same = exists & same_values(merged["value"].to_numpy(dtype=float),
                                merged["old_value"].to_numpy(dtype=float))
    old_prov = merged["old_provisional"].fillna(False).to_numpy(dtype=bool)
    new_prov = merged["is_provisional"].to_numpy(dtype=bool)
    consolidated = exists & same & old_prov & ~new_prov
    unchanged = exists & same & ~consolidated
    revised = exists & ~same
    merged["revision"] = np.where(exists, merged["revision"].fillna(0) + 1, 1).astype(int)
    merged["outcome"] = np.select([~exists, consolidated], ["new", "consolidated"], "revised")
    to_write = merged.loc[~unchanged, [*FIGURE_COLUMNS, "revision", "outcome", *extra]]
    counts = RecordCounts(
        new=int((~exists).sum()),
        revised=int(revised.sum()),
        consolidated=int(consolidated.sum()),
        unchanged=int(unchanged.sum()),
    )
    return to_write, counts


def same_values(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Whether each new value is the stored one, within float noise.

    Only finite values are compared with a tolerance: against a stored infinity the tolerance
    is itself infinite, and a NaN equals nothing, so a bad stored value (Infinity, NaN, 1e300)
    would otherwise make every later correction look "already recorded", or never be equal.
    """
    new, old = np.asarray(new, dtype=float), np.asarray(old, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        finite = np.isfinite(new) & np.isfinite(old)
        close = np.abs(new - old) <= SAME_VALUE * np.maximum(1.0, np.abs(old))
        return np.where(finite, close, new == old)


def latest_revisions(session: Session, goal_ids: list[int]) -> pd.DataFrame:
    """The current (highest) revision of every stored period of the given goals."""
    columns = ["goal_id", "period_start", "revision", "value", "is_provisional"]
    frames = []
    for chunk in _chunks(sorted(set(goal_ids)), 500):
        top = (
            select(Figure.goal_id, Figure.period_start, func.max(Figure.revision).label("rev"))
            .where(Figure.goal_id.in_(chunk))
            .group_by(Figure.goal_id, Figure.period_start)
            .subquery()
        )
        query = select(*(getattr(Figure, c) for c in columns)).join(
            top,
            and_(
                Figure.goal_id == top.c.goal_id,
                Figure.period_start == top.c.period_start,
                Figure.revision == top.c.rev,
            ),
        )
        rows = session.execute(query).all()
        if rows:
            frames.append(pd.DataFrame(rows, columns=columns))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.concat(frames, ignore_index=True)


def record_figures(
    session: Session,
    incoming: pd.DataFrame,
    *,
    reported_by: str,
    source: str = "",
    recorded_at: datetime | None = None,
    known_on: date | None = None,
    note: str = "",
    dry_run: bool = False,
    latest: pd.DataFrame | None = None,
) -> RecordCounts:
    """Record figures (a frame with FIGURE_COLUMNS, and optionally a ``known_on`` column of
    dates and a ``note`` column when each figure has its own) as new revisions where they
    differ.

    ``known_on`` (one day for every row without its own) defaults to the day of
    ``recorded_at`` when that is given, else to the review date (today, or the pinned day).
    ``recorded_at`` is the moment of storing: the code's to pass, for a whole run at once;
    never a person's. Runs inside the caller's transaction; with ``dry_run`` it only counts.
    ``latest`` is ``latest_revisions`` of the goals when the caller has read it already.
    """
    return record_figures_by_row(session, incoming, reported_by=reported_by, source=source,
                                 recorded_at=recorded_at, known_on=known_on, note=note,
                                 dry_run=dry_run, latest=latest)[1]


def record_figures_by_row(
    session: Session,
    incoming: pd.DataFrame,
    *,
    reported_by: str,
    source: str = "",
    recorded_at: datetime | None = None,
    known_on: date | None = None,
    note: str = "",
    dry_run: bool = False,
    latest: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, RecordCounts]:
    """``record_figures``, also returning the rows written (each with its ``revision`` and
    ``outcome``); a ``note`` column gives each row its own note instead of ``note``."""
    if incoming.empty:
        return incoming.assign(revision=[], outcome=[]), RecordCounts()
    columns = [*FIGURE_COLUMNS, *(c for c in ("known_on", "note") if c in incoming.columns)]
    if latest is None:
        latest = latest_revisions(session, incoming["goal_id"].tolist())
    to_write, counts = plan_revisions(incoming[columns], latest)
    now = recorded_at or datetime.now(UTC)
    today = review_date(session, now.date())
    default = known_on or (recorded_at.date() if recorded_at else today)
    days = ([_day(d, default) for d in to_write["known_on"].tolist()]
            if "known_on" in to_write.columns else [default] * len(to_write))
    earlier = [d for d in days if d < today]
    counts = replace(counts, backfilled=len(earlier), known_from=min(earlier, default=None),
                     known_to=max(earlier, default=None))
    if not dry_run and len(to_write):
        _insert(session, to_write, source=source, reported_by=reported_by, note=note,
                recorded_at=now, known_on=days)
    return to_write, counts


def audit_backfill(session: Session, counts: RecordCounts, *, actor: str, file: str) -> None:
    """One audit-trail entry for figures recorded as known before the review date (history
    moved in): who, how many, the days they became known, from which file. Nothing if none."""
    if not counts.backfilled:
        return
    assert counts.known_from is not None and counts.known_to is not None
    session.add(AuditEntry(
        actor=actor, action="backfill", object_type="Figure", object_id=file[:120],
        before=None, after={"figures": counts.backfilled, "file": file,
                            "known_from": counts.known_from.isoformat(),
                            "known_to": counts.known_to.isoformat()}))
    session.flush()


INSERT_COLUMNS = [
    "goal_id", "period_start", "period_end", "revision", "value", "is_provisional",
    "source", "reported_by", "recorded_at", "known_on", "note",
]


def _insert(session: Session, rows: pd.DataFrame, *, source: str, reported_by: str, note: str,
            recorded_at: datetime, known_on: list[date]) -> None:
    """Append figure rows with one driver-level executemany of plain tuples.

    Millions of figures arrive at once; the ORM's per-row parameter handling would cost ten
    times the insert itself. SQLAlchemy's own type conversion is still applied, once per
    distinct date rather than per row, so the stored text is what the ORM would store.
    """
    connection = session.connection()
    dialect = connection.dialect
    table = Figure.__table__

    def converted(column: str, values: list) -> list:  # type: ignore[type-arg]
        convert = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        if convert is None:
            return values
        cache: dict = {}  # type: ignore[type-arg]
        return [cache[v] if v in cache else cache.setdefault(v, convert(v)) for v in values]

    n = len(rows)
    stamp = converted("recorded_at", [recorded_at])[0]
    tuples = list(zip(
        rows["goal_id"].astype(int).tolist(),
        converted("period_start", rows["period_start"].tolist()),
        converted("period_end", rows["period_end"].tolist()),
        rows["revision"].astype(int).tolist(),
        rows["value"].astype(float).tolist(),
        rows["is_provisional"].astype(bool).tolist(),
        [source] * n, [reported_by] * n, [stamp] * n, converted("known_on", known_on),
        rows["note"].fillna("").astype(str).tolist() if "note" in rows else [note] * n,
        strict=True,
    ))
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(INSERT_COLUMNS)}) "
           f"VALUES ({', '.join([marker] * len(INSERT_COLUMNS))})")
    for chunk in _chunks(tuples, 50_000):
        connection.exec_driver_sql(sql, chunk)


def record_figure(
    session: Session,
    goal: Goal,
    period_start: date,
    period_end: date,
    value: float,
    *,
    reported_by: str,
    provisional: bool = False,
    source: str = "",
    note: str = "",
    recorded_at: datetime | None = None,
    known_on: date | None = None,
) -> RecordCounts:
    """Record one figure; see ``record_figures``."""
    frame = pd.DataFrame(
        [[goal.id, period_start, period_end, float(value), provisional]], columns=FIGURE_COLUMNS
    )
    return record_figures(
        session, frame, reported_by=reported_by, source=source, note=note,
        recorded_at=recorded_at, known_on=known_on,
    )


REVISION_TAKEN = ("uq_figure_goal_id_period_start_revision",  # PostgreSQL's name for it
                  "figure.goal_id, figure.period_start, figure.revision")  # SQLite's words


def revision_taken(error: Exception) -> bool:
    """Whether ``error`` is another save of the same goal and period having committed the
    revision number this one chose (two people saving it at once): nothing of this one was
    written, and the same save tried again takes the next number."""
    return isinstance(error, IntegrityError) and any(
        name in str(getattr(error, "orig", error)) for name in REVISION_TAKEN)


def in_force_query(as_of: date | datetime | None = None) -> Select[tuple[int, date, int]]:
    """(goal_id, period_start, revision) of the revision in force for each period: the latest
    known on ``as_of``, or the latest of all when ``as_of`` is None."""
    query = select(
        Figure.goal_id, Figure.period_start, func.max(Figure.revision).label("revision")
    ).group_by(Figure.goal_id, Figure.period_start)
    if as_of is not None:
        query = query.where(known_on_or_before(as_of))
    return query


def figures_as_of(session: Session, goal_id: int, as_of: date | datetime) -> list[Figure]:
    """The goal's figures as the unit knew them on ``as_of``: one per period, oldest first."""
    top = in_force_query(as_of).where(Figure.goal_id == goal_id).subquery()
    query = (
        select(Figure)
        .join(
            top,
            and_(
                Figure.goal_id == top.c.goal_id,
                Figure.period_start == top.c.period_start,
                Figure.revision == top.c.revision,
            ),
        )
        .order_by(Figure.period_start)
    )
    return list(session.scalars(query))


def revisions(session: Session, goal_id: int, period_start: date) -> list[Figure]:
    """Every revision recorded for one goal and period, first to last."""
    query = (
        select(Figure)
        .where(Figure.goal_id == goal_id, Figure.period_start == period_start)
        .order_by(Figure.revision)
    )
    return list(session.scalars(query))


def latest_figure_per_goal(session: Session, as_of: date | datetime,
                           goal_ids: Collection[int] | None = None) -> pd.DataFrame:
    """For every goal with figures (of ``goal_ids`` if given): its latest period up to
    ``as_of``, at the revision known then.

    One indexed lookup per goal (a correlated subquery), so it stays fast with millions of
    figures, on SQLite and PostgreSQL alike.
    """
    last_day = known_day(as_of)
    inner = (
        select(Figure.id)
        .where(
            Figure.goal_id == Goal.id,
            Figure.period_end <= last_day,
            Figure.known_on <= last_day,
        )
        .order_by(Figure.period_end.desc(), Figure.revision.desc())
        .limit(1)
        .correlate(Goal)
        .scalar_subquery()
    )
    query = select(
        Figure.goal_id, Figure.period_start, Figure.period_end, Figure.value,
        Figure.is_provisional, Figure.revision,
    ).join(Goal, Figure.id == inner)
    if goal_ids is not None:
        query = query.where(Goal.id.in_(list(goal_ids)))
    return query_frame(
        session, query,
        ["goal_id", "period_start", "period_end", "value", "is_provisional", "revision"],
    )


def _day(value: object, default: date) -> date:
    """A row's known_on as a plain date (pandas hands Timestamps, NaT or None)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return default
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def _chunks(items: list, size: int):  # type: ignore[no-untyped-def]
    for start in range(0, len(items), size):
        yield items[start : start + size]


# A figure typed on a screen is stored with this source: the same words in every database
# whoever typed it, worded for each reader when shown (``source_text``).
SCREEN_SOURCE = "reported by "


def screen_source(username: str | None) -> str:
    return SCREEN_SOURCE + (username or "")


def source_text(source: str) -> str:
    """A figure's source as a reader reads it: a screen's ``reported by ana`` in their
    language; any other source (a file, a pull, a client's text) as stored."""
    if source.startswith(SCREEN_SOURCE):
        return _("reported by {user}").format(user=source.removeprefix(SCREEN_SOURCE))
    return source
