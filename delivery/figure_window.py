"""Every goal's recent figures, read once and judged as of several dates in pandas.

The weekly review grades every goal now and a week ago and draws twelve months of progress:
three reads of a figure table with millions of rows if each asked for itself. Here one read of
the figures known on ``as_of`` for the periods ending from ``start`` to ``as_of`` serves all
three. A goal with nothing in that window for a date (it reports yearly, or not lately) is
looked up on its own, so every answer is the one the full-table functions give
(``latest_figure_per_goal``, ``delivery.review_progress.progress_history``).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from delivery import data_version
from delivery.figures import known_after, known_on_or_before, latest_figure_per_goal
from delivery.models import Figure, Goal

COLUMNS = ["goal_id", "period_start", "revision", "period_end", "value", "is_provisional"]
KEYS = ["goal_id", "period_start", "revision"]  # one stored figure
LATEST_COLUMNS = ["goal_id", "period_end", "value", "is_provisional"]
CHUNK = 500  # goals per look-up of the goals the window does not cover
KINDS = {"goal_id": "int64", "revision": "int64", "value": "float64", "is_provisional": "bool",
         "period_start": "datetime64[D]", "period_end": "datetime64[D]"}


@dataclass(frozen=True)
class FigureWindow:
    """Every revision known on ``as_of`` of the figures for periods ending from ``start`` to
    ``as_of``: COLUMNS, the dates as datetime64."""

    start: date
    as_of: date
    figures: pd.DataFrame


def read_window(session: Session, start: date, as_of: date) -> FigureWindow:
    """One read of the figure table for the window (see ``FigureWindow``)."""
    # "of a goal" lets SQLite take the (goal, period end) index, a short range per goal;
    # without it, it scans every figure of every period
    query = _figures().where(Figure.goal_id.in_(select(Goal.id)), Figure.period_end >= start,
                             Figure.period_end <= as_of, known_on_or_before(as_of))
    return FigureWindow(start, as_of, plain_frame(session, query))


# -- the window kept between data changes -------------------------------------------------------
# Figures are only ever appended (a correction is a new revision row; nothing updates or
# deletes one), so the rows of a window read once stay right: after a write, only the rows
# with a higher id are read and added. That holds for a backfill too: its rows are new ids,
# whatever their known_on, and the read of newer rows asks the same "known on as_of" question.

LAG = 1000  # ids re-read below the highest kept: a PostgreSQL id is taken before its commit
WINDOWS_KEPT = 2
_WINDOWS: data_version.Kept[tuple[int, pd.DataFrame]] = data_version.Kept(WINDOWS_KEPT)


def kept_window(session: Session, start: date, as_of: date) -> FigureWindow:
    """What ``read_window`` gives, from the rows kept in this process for the database, start
    and day, plus the figures written since (a short read by id): a full read only the first
    time, or when PostgreSQL had writes in flight during the last read."""
    high, settled = high_water(session)
    database = data_version.plan(session)
    key = None if high is None or database is None else (
        data_version.database_url(session), database[0], start, as_of)
    kept = _WINDOWS.get(key) if key is not None else None
    if kept is None or high is None or kept[0] > high:
        query = _window(start, as_of, high).where(Figure.goal_id.in_(select(Goal.id)))
        frame = plain_frame(session, query, ["id"])  # "of a goal": as in read_window
    else:  # by id alone, so that the primary key's range is searched
        newer = plain_frame(session, _window(start, as_of, high).where(
            Figure.id > kept[0] - LAG), ["id"])
        ids = kept[1]["id"].to_numpy()
        newer = newer[~newer["id"].isin(ids[ids > kept[0] - LAG])]  # not twice
        frame = pd.concat([kept[1], newer], ignore_index=True) if len(newer) else kept[1]
    if key is not None and high is not None and settled:
        _WINDOWS.put(key, (high, frame))
    return FigureWindow(start, as_of, frame.drop(columns="id"))


def forget() -> None:
    """Drop every kept window (the next read is a full one)."""
    _WINDOWS.clear()


def _window(start: date, as_of: date, high: int | None) -> Select:  # type: ignore[type-arg]
    query = select(*_figures().selected_columns, Figure.id).where(
        Figure.period_end >= start, Figure.period_end <= as_of, known_on_or_before(as_of))
    return query if high is None else query.where(Figure.id <= high)


_IN_FLIGHT = (  # another session writing figures holds this lock from before its first id
    "SELECT virtualtransaction FROM pg_locks WHERE locktype = 'relation' "
    "AND relation = 'figure'::regclass AND mode = 'RowExclusiveLock' "
    "AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database "
    "WHERE datname = current_database())")
_HIGH = text("SELECT (SELECT max(id) FROM figure), current_setting('transaction_isolation') = "
             f"'read committed', ARRAY({_IN_FLIGHT})")
_STILL = text(f"SELECT count(*) FROM ({_IN_FLIGHT}) AS w WHERE w.virtualtransaction = ANY(:x)")
SETTLE_WAIT = 2.0  # seconds to wait for writes in flight to end (a save takes well under it)
SETTLE_POLL = 0.05


def high_water(session: Session) -> tuple[int | None, bool]:
    """(the highest committed figure id, whether every lower id is settled). On PostgreSQL an
    id is handed out before its transaction commits: while another session is writing figures
    it may still commit a lower id. Those writes, the ones in flight when the highest id was
    read, are waited for (up to ``SETTLE_WAIT`` seconds, polling the lock table: nothing is
    locked, no writer is held up); once they have ended every id up to the one read is
    settled, whatever writes began since (their ids are higher). A window read while they
    are still going is not kept. (What committed since this statement's snapshot is seen by
    the next statement's, read committed.)"""
    if session.get_bind().dialect.name != "postgresql":
        return session.scalar(select(func.max(Figure.id))), True
    high, read_committed, writers = session.execute(_HIGH).one()
    if not read_committed:
        return high, False
    deadline = time.monotonic() + SETTLE_WAIT
    while writers:
        if time.monotonic() >= deadline:
            return high, False
        time.sleep(SETTLE_POLL)
        if not session.scalar(_STILL, {"x": list(writers)}):
            break
    return high, True


def known_between(session: Session, start: date, as_of: date) -> pd.DataFrame:
    """KEYS of the figures that became known after the day ``start`` up to ``as_of``: what
    was known on ``as_of`` but not yet on ``start`` (the known_on index makes it cheap)."""
    query = select(Figure.goal_id, Figure.period_start, Figure.revision).where(
        known_after(start, as_of))
    return _typed(_rows(session, query), KEYS)


def latest_known(session: Session, window: FigureWindow, day: date, goal_ids: Collection[int],
                 *, unknown: pd.DataFrame | None = None) -> pd.DataFrame:
    """What ``latest_figure_per_goal(session, day)`` gives for ``goal_ids`` (LATEST_COLUMNS),
    ``day`` no later than the window's ``as_of``. ``unknown``: the KEYS of the window's figures
    known only after ``day`` (``known_between``). Goals with no figure in the window for a
    period ended by ``day`` are looked up, a few hundred per query."""
    figures = window.figures[window.figures["period_end"] <= pd.Timestamp(day)]
    if unknown is not None and len(unknown):
        marked = figures.merge(unknown.assign(_unknown=True), on=KEYS, how="left")
        figures = figures[marked["_unknown"].isna().to_numpy()]
    latest = (figures.sort_values(["goal_id", "period_end", "revision"], kind="stable")
              .drop_duplicates("goal_id", keep="last"))
    latest = latest.assign(period_end=latest["period_end"].dt.date)[LATEST_COLUMNS]
    missing = sorted(set(goal_ids) - set(latest["goal_id"].tolist()))
    found = [looked_up[LATEST_COLUMNS] for chunk in _chunks(missing)
             if len(looked_up := latest_figure_per_goal(session, day, chunk))]
    return pd.concat([latest, *found], ignore_index=True) if found else latest.reset_index(
        drop=True)


def recent_figures(session: Session, window: FigureWindow, since: date, cover: date,
                   goal_ids: Collection[int]) -> pd.DataFrame:
    """What ``delivery.review_progress._recent_figures(session, window.as_of, since)`` gives for
    ``goal_ids`` (goal_id, period_end, value: periods starting from ``since``, each at its
    latest revision), ``since`` before the window's start. Goals with no such figure in the
    window for a period ended by ``cover`` get their older figures read, a few hundred per
    query; any other has all it needs for every date from ``cover`` on in the window."""
    figures = window.figures[window.figures["period_start"] >= pd.Timestamp(since)]
    covered = set(figures.loc[figures["period_end"] <= pd.Timestamp(cover), "goal_id"].tolist())
    older = [plain_frame(session, _figures().where(
        Figure.goal_id.in_(chunk), Figure.period_start >= since,
        Figure.period_end < window.start, known_on_or_before(window.as_of)))
        for chunk in _chunks(sorted(set(goal_ids) - covered))]
    figures = pd.concat([figures, *older], ignore_index=True) if older else figures
    figures = figures.sort_values("revision", kind="stable").drop_duplicates(
        ["goal_id", "period_start"], keep="last")
    return figures[["goal_id", "period_end", "value"]].reset_index(drop=True)


def plain_frame(session: Session, query: Select,  # type: ignore[type-arg]
                extra: list[str] | None = None) -> pd.DataFrame:
    """The rows of a query of COLUMNS (then ``extra`` int64 columns), typed. Hundreds of
    thousands of rows: they are taken from the driver's cursor as plain tuples, for
    SQLAlchemy's row objects would cost twice the read; dates come as text (SQLite) or dates
    (PostgreSQL), and are typed once here."""
    return _typed(_rows(session, query), COLUMNS + (extra or []))


def _figures() -> Select:  # type: ignore[type-arg]
    return select(Figure.goal_id, Figure.period_start, Figure.revision, Figure.period_end,
                  Figure.value, Figure.is_provisional)


def _rows(session: Session, query: Select) -> Sequence[Any]:  # type: ignore[type-arg]
    result = session.connection().execute(query)  # SQLAlchemy binds the parameters...
    try:  # ...and the driver's cursor gives the rows as they are
        return result.cursor.fetchall()
    finally:
        result.close()


def _typed(rows: Sequence[Any], columns: list[str]) -> pd.DataFrame:
    """A frame of ``rows``, column by column in numpy (no per-row inference), the same
    whatever the driver gave: int64, datetime64 (from ISO text or dates), float64, bool."""
    table = np.array(rows, dtype=object).reshape(len(rows), len(columns))
    return pd.DataFrame({c: table[:, i].astype(KINDS.get(c, "int64"))
                         for i, c in enumerate(columns)})


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
