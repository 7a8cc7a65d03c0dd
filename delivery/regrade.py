"""The weekly review's grades patched, not redone, after a write: only the goals whose figures,
rules or trajectories changed since the grades kept in this process are graded again.

Grading every goal now and a week ago and drawing its history is seconds at national scale;
a secretariat saving one figure changes one goal. What a grading pass computed per goal
(``Graded``) is kept per database, day and scope, with what it was computed from: the figures
seen (the highest id, and the ids just below it, see ``Seen``) and the plan frames (goals,
trajectory milestones now and a week earlier). The next pass asks which goals have a figure
stored since (a short read by id: figures are only ever appended, a correction is a new row)
and, if the plan moved, which goals' rows of the plan frames differ (a digest per goal); those
goals alone are graded, and their rows replace the kept ones. The frames come out as a full
pass gives them (tests/test_regrade.py holds them equal after saves, corrections and
re-plans), in the same order.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery import data_version
from delivery.figure_window import LAG, high_water
from delivery.models import Figure

BASES_KEPT = 2
SHARE = 0.25  # more goals changed than this share: a full pass is as quick
SMALL = 2000  # fewer goals than this: a full pass is as quick as finding what changed


@dataclass(frozen=True)
class Seen:
    """The figures a grading pass had: every id up to ``high`` (committed: ``settled``), and
    the ids above ``high - LAG`` one by one, so that one committed later with a lower id (a
    PostgreSQL id is taken before its commit) is still noticed."""

    high: int | None
    settled: bool
    recent: frozenset[int]


NOTHING_SEEN = Seen(None, False, frozenset())  # a pass not to be kept


def figures_seen(session: Session) -> Seen:
    """What a grading pass starting now has: read before its figures, so that anything
    stored during the pass counts as changed next time (graded twice rather than never)."""
    high, settled = high_water(session)
    recent = frozenset() if high is None else frozenset(session.scalars(
        select(Figure.id).where(Figure.id > high - LAG, Figure.id <= high)))
    return Seen(high, settled, recent)


@dataclass(frozen=True)
class Graded:
    """Per goal: graded now (``statuses``) and a week earlier (``before``), and the history;
    with the plan frames they were graded against and the figures seen."""

    statuses: pd.DataFrame
    before: pd.DataFrame  # goal_id and status alone (review_grades.BEFORE_COLUMNS)
    history: pd.DataFrame
    goals: pd.DataFrame  # goals_frame rows (of the scope)
    points: pd.DataFrame  # in_force_points now
    before_points: pd.DataFrame  # in force a week earlier
    plan: tuple[str, str] | None  # data_version.plan when graded
    seen: Seen
    # A patched pass: the goals graded again, and the base's week of status changes (to be
    # patched in turn, ``patched_changes``); None after a full pass.
    regraded: frozenset[int] | None = None
    base_changes: pd.DataFrame | None = None
    changes: pd.DataFrame | None = None  # this pass's status changes, once assembled


_BASES: data_version.Kept[Graded] = data_version.Kept(BASES_KEPT)


def base_key(session: Session, as_of: object,
             goal_ids: Collection[int] | None) -> Hashable | None:
    """Where a ``Graded`` of this database, day and scope is kept; None: keep nothing."""
    plan = data_version.plan(session)
    return None if plan is None else (data_version.database_url(session), plan[0], as_of,
                                      None if goal_ids is None else frozenset(goal_ids))


def kept_base(key: Hashable | None) -> Graded | None:
    return None if key is None else _BASES.get(key)


def keep(key: Hashable | None, graded: Graded) -> None:
    """Keep ``graded`` to patch next time, unless figures were being written while it was
    graded (a lower id could still be committed: it would never be noticed)."""
    if key is not None and graded.seen.settled and graded.seen.high is not None:
        _BASES.put(key, graded)


def forget() -> None:
    _BASES.clear()


def changed_goals(session: Session, base: Graded, goals: pd.DataFrame, points: pd.DataFrame,
                  before_points: pd.DataFrame, plan: tuple[str, str] | None) -> set[int]:
    """The goals of ``goals`` to grade again: a figure stored since ``base`` was graded, or
    their rows of the goals frame or of either trajectory frame differ (a new goal
    included)."""
    assert base.seen.high is not None
    rows = session.execute(select(Figure.id, Figure.goal_id).where(
        Figure.id > base.seen.high - LAG)).all()
    changed = {goal for figure, goal in rows if figure not in base.seen.recent}
    if plan is None or plan != base.plan:
        changed |= _differing(base.goals, goals) | _differing(base.points, points) | (
            _differing(base.before_points, before_points))
    return changed & set(goals["goal_id"].tolist())  # a removed goal is left out, not graded


def _differing(old: pd.DataFrame, new: pd.DataFrame) -> set[int]:
    """Goals whose rows differ between two frames with a goal_id column (in order)."""
    was, now = digests(old), digests(new)
    both = was.index.intersection(now.index)
    return (set(was.index.symmetric_difference(now.index).tolist())
            | set(both[was[both].to_numpy() != now[both].to_numpy()].tolist()))


def digests(frame: pd.DataFrame) -> pd.Series:
    """A 64-bit digest of each goal's rows of ``frame`` (their values and order)."""
    if frame.empty:
        return pd.Series([], dtype=np.uint64, index=pd.Index([], dtype=np.int64))
    place = frame.groupby("goal_id", sort=False).cumcount().to_numpy()
    hashed = pd.util.hash_pandas_object(frame.astype(str).assign(_place=place), index=False)
    return pd.Series(hashed.to_numpy(), index=frame["goal_id"].to_numpy()).groupby(
        level=0).sum()


def patched(kept: pd.DataFrame, fresh: pd.DataFrame, changed: Collection[int],
            order: pd.Series) -> pd.DataFrame:
    """One row per goal of ``order`` (goal ids), in that order: ``fresh``'s rows for the
    ``changed`` goals, ``kept``'s for the others; typed as ``kept`` where the types differ
    only for want of values."""
    quick = _patched_in_place(kept, fresh, order)
    if quick is not None:
        return quick
    rows = pd.concat([kept[~kept["goal_id"].isin(list(changed))], fresh], ignore_index=True)
    at = pd.Index(rows["goal_id"]).get_indexer(order)
    assert (at >= 0).all(), "a goal neither kept nor graded"
    return _typed_as(rows.take(at).reset_index(drop=True), kept, fresh)


def _patched_in_place(kept: pd.DataFrame, fresh: pd.DataFrame,
                      order: pd.Series) -> pd.DataFrame | None:
    """The usual case, column by column: the same goals in the same order and columns of the
    same types; ``fresh``'s rows written over a copy of ``kept``'s. None if it does not apply."""
    ids = kept["goal_id"].to_numpy()
    if (list(kept.columns) != list(fresh.columns) or len(ids) != len(order)
            or not np.array_equal(ids, order.to_numpy())
            or any(kept[c].dtype != fresh[c].dtype for c in kept.columns)):
        return None
    at = pd.Index(ids).get_indexer(fresh["goal_id"].to_numpy())
    return None if (at < 0).any() else _written_over(kept, fresh, at)


def _written_over(kept: pd.DataFrame, fresh: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """A copy of ``kept`` with ``fresh``'s rows (same columns and types) at positions ``at``:
    column by column, no frame built anew (that would check every text of every row)."""
    out = kept.copy(deep=False).reset_index(drop=True)  # every column is replaced below
    for column in kept.columns:
        values = kept[column].array.copy()
        values[at] = fresh[column].array
        out[column] = values
    return out


def patched_changes(kept: pd.DataFrame, fresh: pd.DataFrame,
                    changed: Collection[int]) -> pd.DataFrame:
    """The week's status changes (``status_changes``): ``kept``'s rows of the goals not
    ``changed``, ``fresh``'s (of the ``changed`` goals alone) for the others, in the order a
    full pass gives (by change, then code: codes are unique, so the order is the same)."""
    parts = [part for part in (kept[~kept["goal_id"].isin(list(changed))], fresh) if len(part)]
    if not parts:  # typed as a pass that found no change types it
        return fresh.reset_index(drop=True)
    # an empty part left out: its columns would turn the other's texts to object
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return _typed_as(rows.sort_values(["change", "code"], kind="stable", ignore_index=True),
                     kept, fresh)


def patched_history(kept: pd.DataFrame, fresh: pd.DataFrame,
                    changed: Collection[int], order: pd.Series) -> pd.DataFrame:
    """The history rows of the goals of ``order``: ``fresh``'s for ``changed``, sorted by
    goal and date as ``progress_history`` gives them."""
    ids = kept["goal_id"].to_numpy()
    mine = np.isin(ids, list(changed))
    if (list(kept.columns) == list(fresh.columns) and mine.sum() == len(fresh)
            and np.array_equal(ids[mine], fresh["goal_id"].to_numpy())
            and np.array_equal(kept["on"].to_numpy()[mine], fresh["on"].to_numpy())
            and all(kept[c].dtype == fresh[c].dtype for c in kept.columns)
            and np.isin(ids, order.to_numpy()).all()):  # the same rows: values written over
        return _written_over(kept, fresh, np.flatnonzero(mine))
    keep_rows = np.isin(ids, order.to_numpy()) & ~mine
    rows = pd.concat([kept[keep_rows], fresh], ignore_index=True) if len(fresh) else kept[
        keep_rows]
    return _typed_as(rows.sort_values(["goal_id", "on"], ignore_index=True), kept, fresh)


def _typed_as(rows: pd.DataFrame, kept: pd.DataFrame, fresh: pd.DataFrame) -> pd.DataFrame:
    """Columns that a concat turned to object because one side had no values (an empty
    part, or all missing) get the other side's type back, as one pass over all rows gives."""
    for column in rows.columns:
        if rows[column].dtype == object and column in kept and column in fresh:
            for side, other in ((kept, fresh), (fresh, kept)):
                if side[column].dtype != object and other[column].isna().all():
                    rows[column] = rows[column].astype(side[column].dtype)
                    break
    return rows
