"""Reading the audit trail, for the people allowed to (admins and analysts).

The trail has two sources, read here as one list, newest first:
- ``audit_entry`` rows, written by the flush hook in ``delivery.audit`` for every change to the
  strategy map, goals, trajectories, pacts, budget links, commitments and users;
- figure revisions: figures are never updated, each revision row carries who reported it and
  when, so the figure table already is its own audit trail. A revision shows as action
  ``report`` (the first) or ``revise``, with the previous revision as "before". Listed by when
  they were stored (``recorded_at``); the day each became known (``known_on``) is among its
  values. A backfill (an import of figures known before the day they were stored) also writes
  one ``audit_entry`` of type Figure, action ``backfill``: who, how many, the days, the file.

Both are append-only: the database refuses UPDATE and DELETE on ``audit_entry`` (migration 0002)
and nothing in the code updates or deletes a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, or_, select, union
from sqlalchemy.orm import Session, aliased

from delivery.access import Viewer, can_read_audit, require
from delivery.audit import AUDITED
from delivery.dates import parse_day
from delivery.models import AuditEntry, Figure

FIGURE = "Figure"
OBJECT_TYPES = sorted([cls.__name__ for cls in AUDITED] + [FIGURE])


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    # where the row comes from ("e": audit_entry, "f": figure) and its id there: with ``at``,
    # the row's place in the trail (see ``Cursor``)
    source: str = "e"
    row_id: int = 0

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, SOURCES.index(self.source), self.row_id)


SOURCES = ("e", "f")  # ties on ``at`` put figures (rank 1) before entries (rank 0)


@dataclass(frozen=True, order=True)
class Cursor:
    """A row's place in the trail, newest first: (at, source rank, id), compared as a tuple.
    A page "before" a cursor holds the rows strictly older than it."""

    at: datetime
    rank: int
    row_id: int

    def text(self) -> str:
        return f"{self.at.astimezone(UTC).isoformat()}|{SOURCES[self.rank]}|{self.row_id}"

    @classmethod
    def parse(cls, text: Any) -> Cursor | None:
        """A cursor sent back by a browser; None for anything that is not one."""
        if not isinstance(text, str) or len(text) > 80 or text.count("|") != 2:
            return None
        at, source, row_id = text.split("|")
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            return None
        if source not in SOURCES or not row_id.isdigit() or int(row_id) >= 2**31:
            return None
        return cls(_aware(moment).astimezone(UTC), SOURCES.index(source), int(row_id))

    def older(self, at: Any, row_id: Any, rank: int) -> ColumnElement[bool]:
        """The rows of one source (``rank``) that come after this cursor, newest first."""
        at_value = self.at
        same = at == at_value
        if rank < self.rank:
            tie: ColumnElement[bool] = same
        elif rank == self.rank:
            tie = and_(same, row_id < self.row_id)
        else:
            return at < at_value
        return or_(at < at_value, tie)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def day_bounds(since: date | None, until: date | None,
               zone: str) -> tuple[datetime | None, datetime | None]:
    """The instants (UTC) from the start of ``since`` to the end of ``until``, both days as
    lived in the time zone ``zone`` (either may be None: no bound)."""
    here = ZoneInfo(zone)
    start = (datetime.combine(since, time.min, here).astimezone(UTC) if since else None)
    end = (datetime.combine(until + timedelta(days=1), time.min, here).astimezone(UTC)
           if until else None)
    return start, end


def _entries(session: Session, object_type: str | None, object_id: str | None,
             actor: str | None, limit: int, start: datetime | None = None,
             end: datetime | None = None, after: Cursor | None = None) -> list[AuditRow]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if after is not None:
        query = query.where(after.older(AuditEntry.at, AuditEntry.id, 0))
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if end is not None:
        query = query.where(AuditEntry.at < end)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    return [AuditRow(_aware(e.at), e.actor, e.action, e.object_type, e.object_id, e.before,
                     e.after, "e", e.id) for e in session.scalars(query)]


def _figure_values(figure: Figure) -> dict[str, Any]:
    return {"value": figure.value, "revision": figure.revision,
            "is_provisional": figure.is_provisional, "source": figure.source,
            "note": figure.note, "period_end": figure.period_end.isoformat(),
            "known_on": figure.known_on.isoformat()}


def _figures(session: Session, object_id: str | None, actor: str | None,
             limit: int, start: datetime | None = None,
             end: datetime | None = None, after: Cursor | None = None) -> list[AuditRow]:
    previous = aliased(Figure)
    query = (
        select(Figure, previous)
        .outerjoin(previous, and_(previous.goal_id == Figure.goal_id,
                                  previous.period_start == Figure.period_start,
                                  previous.revision == Figure.revision - 1))
        .order_by(Figure.recorded_at.desc(), Figure.id.desc())
        .limit(limit)
    )
    if object_id:  # "goal id" for all of a goal's figures, "goal id/period start" for one
        goal, _, period = object_id.partition("/")
        try:  # typed by a person: anything that is not an id and a date matches nothing
            goal_id = int(goal) if goal.isdigit() and int(goal) < 2**31 else None
            period_start = parse_day(period) if period else None
        except ValueError:
            return []
        if goal_id is None:
            return []
        query = query.where(Figure.goal_id == goal_id)
        if period_start is not None:
            query = query.where(Figure.period_start == period_start)
    if after is not None:
        query = query.where(after.older(Figure.recorded_at, Figure.id, 1))
    if actor:
        query = query.where(Figure.reported_by == actor)
    if start is not None:
        query = query.where(Figure.recorded_at >= start)
    if end is not None:
        query = query.where(Figure.recorded_at < end)
    return [
        AuditRow(_aware(f.recorded_at), f.reported_by, "report" if f.revision == 1 else "revise",
                 FIGURE, f"{f.goal_id}/{f.period_start.isoformat()}",
                 _figure_values(p) if p is not None else None, _figure_values(f), "f", f.id)
        for f, p in session.execute(query).all()
    ]


def audit_trail(session: Session, viewer: Viewer, *, object_type: str | None = None,
                object_id: str | None = None, actor: str | None = None,
                start: datetime | None = None, end: datetime | None = None,
                limit: int = 200) -> list[AuditRow]:
    """The newest ``limit`` changes, optionally of one type of object, one object, one person,
    made from ``start`` (included) to ``end`` (excluded; see ``day_bounds``).

    Raises AccessDenied unless the viewer may read the trail.
    """
    require(can_read_audit(viewer), "Only administrators and analysts may read the audit trail.")
    object_id = (object_id or "").strip() or None
    rows = _entries(session, object_type, object_id, actor, limit, start, end)  # backfills
    if object_type in (None, FIGURE):
        rows += _figures(session, object_id, actor, limit, start, end)
    rows.sort(key=lambda r: r.cursor, reverse=True)
    return rows[:limit]


def audit_page(session: Session, viewer: Viewer, *, object_type: str | None = None,
               object_id: str | None = None, actor: str | None = None,
               start: datetime | None = None, end: datetime | None = None, limit: int = 30,
               after: Cursor | None = None) -> tuple[list[AuditRow], Cursor | None]:
    """One page of the trail (filters as ``audit_trail``): the newest ``limit`` changes older
    than ``after`` (from the newest when None), and the cursor of the next page (None on the
    last). Each source is read with a keyset query (``at``, id): a page costs the same at the
    ten-thousandth change as at the first."""
    require(can_read_audit(viewer), "Only administrators and analysts may read the audit trail.")
    object_id = (object_id or "").strip() or None
    rows = _entries(session, object_type, object_id, actor, limit + 1, start, end, after)
    if object_type in (None, FIGURE):
        rows += _figures(session, object_id, actor, limit + 1, start, end, after)
    rows.sort(key=lambda r: r.cursor, reverse=True)
    return rows[:limit], (rows[limit - 1].cursor if len(rows) > limit else None)


def audit_actors(session: Session, viewer: Viewer) -> list[str]:
    """Everyone who appears in the trail, for filtering by person."""
    require(can_read_audit(viewer), "Only administrators and analysts may read the audit trail.")
    names = union(select(AuditEntry.actor), select(Figure.reported_by)).subquery()
    return sorted(n for n in session.scalars(select(names.c[0]).distinct()) if n)
