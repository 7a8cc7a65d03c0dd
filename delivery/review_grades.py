"""The costly part of the weekly review, kept: every goal graded now and a week ago, the
week's status changes, the pillars' and objectives' aggregate progress, the week's figures and
re-plans (``ReviewGrades``), computed once per database, day, scope and ``data_version`` and
patched after a write (``delivery.regrade``). Split from ``delivery.review``, which still
exports the public names.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from threading import Lock

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery import data_version, malloc, regrade
from delivery.assessment import goals_frame, grade_goals
from delivery.db import query_frame
from delivery.figure_window import (
    FigureWindow,
    kept_window,
    known_between,
    latest_known,
)
from delivery.figure_window import (
    forget as forget_windows,
)
from delivery.figures import known_after, known_by
from delivery.models import Figure, Trajectory
from delivery.review_progress import aggregate_progress, history_window_start, progress_history
from delivery.trajectory_versions import in_force_points
from delivery.vocabulary import Status


def status_changes(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Goals whose status differs between two ``goal_statuses`` frames: code, name, owner_code,
    ``was`` and ``status``; worsening first (towards off track)."""
    # matched on two columns, then the changed rows taken: not every goal's row merged
    keys = pd.DataFrame({"goal_id": now["goal_id"].to_numpy(), "status": now["status"].array,
                         "row": np.arange(len(now))}).merge(
        before[["goal_id", "status"]].rename(columns={"status": "was"}), on="goal_id")
    keys = keys[keys["status"] != keys["was"]]
    changed = now.iloc[keys["row"].to_numpy()].reset_index(drop=True)
    changed["was"] = keys["was"].to_numpy()
    score = {Status.OFF_TRACK.value: 0, Status.SLIPPING.value: 1,
             Status.NO_RECENT_DATA.value: 1, Status.ON_TRACK.value: 2}
    changed["change"] = changed["status"].map(score) - changed["was"].map(score)
    return changed.sort_values(["change", "code"], kind="stable").reset_index(drop=True)


def figure_activity(session: Session, start: date, as_of: date,
                    goal_ids: Collection[int] | None = None) -> pd.DataFrame:
    """Figures that became known after ``start`` up to ``as_of``: goal_id, period_end, value,
    revision, reported_by, known_on, note (revision 1 is a new figure, more is a correction)."""
    query = (select(Figure.goal_id, Figure.period_end, Figure.value, Figure.revision,
                    Figure.reported_by, Figure.known_on, Figure.note)
             .where(known_after(start, as_of))
             .order_by(Figure.known_on.desc(), Figure.id.desc()))
    frame = query_frame(session, query, ["goal_id", "period_end", "value", "revision",
                                         "reported_by", "known_on", "note"])
    return frame if goal_ids is None else frame[frame["goal_id"].isin(list(goal_ids))]


def trajectory_changes(session: Session, start: date, as_of: date) -> pd.DataFrame:
    """Trajectory versions approved after ``start`` up to ``as_of`` (re-plans, not first plans)."""
    query = (select(Trajectory.goal_id, Trajectory.version, Trajectory.proposed_by,
                    Trajectory.approved_by, Trajectory.approved_at, Trajectory.rationale)
             .where(Trajectory.approved_at >= known_by(start),
                    Trajectory.approved_at < known_by(as_of), Trajectory.version > 1))
    return query_frame(session, query, ["goal_id", "version", "proposed_by", "approved_by",
                                        "approved_at", "rationale"])



@dataclass(frozen=True)
class ReviewGrades:
    """What the weekly review computes from every goal's figures and trajectories."""

    statuses: pd.DataFrame  # goal_statuses on as_of, without reasons
    changes: pd.DataFrame  # status_changes against a week earlier
    progress: pd.DataFrame  # aggregate_progress by pillar_code
    figures: pd.DataFrame  # figure_activity over the week, with code and name
    replans: pd.DataFrame  # trajectory_changes over the week, with code and name
    objective_progress: pd.DataFrame  # aggregate_progress by objective_code

    def copy(self) -> ReviewGrades:
        """Copies of the frames: a kept answer must not be changed by its readers. With
        pandas' copy-on-write (always on from pandas 3) a shallow copy is enough, and free."""
        return ReviewGrades(*(getattr(self, f.name).copy(deep=not _COPY_ON_WRITE)
                              for f in fields(self)))


_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3


GRADES_KEPT = 8
_GRADES: data_version.Kept[ReviewGrades] = data_version.Kept(GRADES_KEPT)


def review_grades(session: Session, as_of: date,
                  goal_ids: Collection[int] | None = None) -> ReviewGrades:
    """The costly part of the weekly review: seconds at national scale.

    Kept, in this process, per database, date, scope and ``data_version``: the counter moves in
    the same transaction as any write to goals, the map, figures or trajectories, so a kept
    answer is never older than the data. A session with uncommitted writes is never served
    from, nor stored in, the cache. After a write only the goals it changed are graded again
    (``delivery.regrade``). Callers get copies."""
    version = data_version.current(session)
    key = None if version is None else (
        data_version.database_url(session), as_of,
        None if goal_ids is None else frozenset(goal_ids), version)
    kept = _GRADES.get(key) if key is not None else None
    if kept is None:
        with _one_at_a_time(None if key is None else key[:3]):
            kept = _GRADES.get(key) if key is not None else None  # graded while waiting
            if kept is None:
                kept = _graded_and_kept(session, as_of, goal_ids, key)
    return kept.copy()


def _graded_and_kept(session: Session, as_of: date, goal_ids: Collection[int] | None,
                     key: Hashable | None) -> ReviewGrades:
    base_key = regrade.base_key(session, as_of, goal_ids) if key is not None else None
    graded = _regrade(session, as_of, goal_ids, regrade.kept_base(base_key))
    kept = _assemble(session, as_of, goal_ids, graded)
    regrade.keep(base_key, replace(graded, base_changes=None, changes=kept.changes))
    if key is not None:
        _GRADES.put(key, kept)  # earlier versions of the same grades: never asked for again
        _GRADES.discard(lambda k: k[:3] == key[:3] and _older(k[3], key[3]))
    # the superseded versions and the pass's workings leave tens of megabytes free (a worker
    # grades after every save it hears of): given back, not kept for the next high-water mark
    malloc.give_back()
    return kept


def _older(version: str, than: str) -> bool:
    """Whether data version ``version`` came before ``than`` (they only ever count up)."""
    try:
        return int(version) < int(than)
    except ValueError:
        return False


_GRADING: dict[Hashable, Lock] = {}
_GRADING_LOCK = Lock()


@contextmanager
def _one_at_a_time(key: Hashable | None) -> Iterator[None]:
    """One grading pass at a time per database, day and scope in this process: a page opened
    by several people at once after a save (gthread workers) is graded once, the others wait
    for it and take the kept answer (or patch from it), instead of each doing the same work."""
    if key is None:
        yield
        return
    with _GRADING_LOCK:
        lock = _GRADING.setdefault(key, Lock())
        if len(_GRADING) > 4 * GRADES_KEPT:  # old days and scopes: their locks are idle
            for old in [k for k, v in _GRADING.items() if k != key and not v.locked()]:
                del _GRADING[old]
    with lock:
        yield


def _grade_review(session: Session, as_of: date,
                  goal_ids: Collection[int] | None) -> ReviewGrades:
    """Every goal graded now and a week ago, and the history, from one read of the recent
    figures (``delivery.figure_window``) and of the goals: the same frames as ``goal_statuses``
    (without reasons) and ``progress_history`` give."""
    return _assemble(session, as_of, goal_ids, _regrade(session, as_of, goal_ids, None))


def _regrade(session: Session, as_of: date, goal_ids: Collection[int] | None,
             base: regrade.Graded | None) -> regrade.Graded:
    """Every goal of the scope graded now and a week ago, with its history: all of them
    without a ``base``, else only those changed since it (``regrade.changed_goals``), the
    others' rows taken from it."""
    plan = data_version.plan(session)
    week_ago = as_of - timedelta(days=7)
    goals, points = _plan_frames(session, as_of)
    if goal_ids is not None:
        goals = goals[goals["goal_id"].isin(list(goal_ids))].reset_index(drop=True)
    if len(goals) < regrade.SMALL:  # a full pass costs no more than finding what changed
        base, seen = None, regrade.NOTHING_SEEN  # and nothing is kept to patch
    else:
        seen = regrade.figures_seen(session)  # before the figures are read
    before_points = (points if not _approved_between(session, week_ago, as_of)
                     else in_force_points(session, week_ago))
    window = kept_window(session, history_window_start(as_of), as_of)
    changed = None if base is None else regrade.changed_goals(
        session, base, goals, points, before_points, plan)
    if base is None or changed is None or len(changed) > regrade.SHARE * max(len(goals), 1):
        return _grade(session, as_of, goals, points, before_points, window, plan, seen)
    ids = list(changed)
    fresh = _grade(session, as_of, goals[goals["goal_id"].isin(ids)].reset_index(drop=True),
                   points[points["goal_id"].isin(ids)],
                   before_points[before_points["goal_id"].isin(ids)],
                   FigureWindow(window.start, window.as_of,
                                window.figures[window.figures["goal_id"].isin(ids)]),
                   plan, seen)
    order = goals["goal_id"]
    return regrade.Graded(
        regrade.patched(base.statuses, fresh.statuses, changed, order),
        regrade.patched(base.before, fresh.before, changed, order),
        regrade.patched_history(base.history, fresh.history, changed, order),
        goals, points, before_points, plan, seen, frozenset(ids), base.changes)


BEFORE_COLUMNS = ["goal_id", "status"]  # of the grades a week earlier: what status_changes reads


def _grade(session: Session, as_of: date, goals: pd.DataFrame, points: pd.DataFrame,
           before_points: pd.DataFrame, window: FigureWindow, plan: tuple[str, str] | None,
           seen: regrade.Seen) -> regrade.Graded:
    """``goals`` graded on ``as_of`` and a week earlier, and their history."""
    week_ago = as_of - timedelta(days=7)
    ids = goals["goal_id"].tolist()
    statuses = grade_goals(goals, latest_known(session, window, as_of, ids), points, as_of)
    before = grade_goals(
        goals, latest_known(session, window, week_ago, ids,
                            unknown=known_between(session, week_ago, as_of)),
        before_points, week_ago)[BEFORE_COLUMNS]  # kept: the rest would repeat ``statuses``
    history = progress_history(session, as_of, statuses, window=window, points=points)
    return regrade.Graded(statuses, before, history, goals, points, before_points, plan, seen)


def _assemble(session: Session, as_of: date, goal_ids: Collection[int] | None,
              graded: regrade.Graded) -> ReviewGrades:
    """The review's frames from the grades: changes, aggregate progress, the week's activity."""
    week_ago = as_of - timedelta(days=7)
    statuses = graded.statuses
    names = statuses[["goal_id", "code", "name"]]
    return ReviewGrades(
        statuses, _changes(graded),
        aggregate_progress(graded.history, statuses, "pillar_code"),
        figure_activity(session, week_ago, as_of, goal_ids).merge(names, on="goal_id"),
        trajectory_changes(session, week_ago, as_of).merge(names, on="goal_id"),
        aggregate_progress(graded.history, statuses, "objective_code"))


def _changes(graded: regrade.Graded) -> pd.DataFrame:
    """``status_changes`` of the grades: after a patched pass, only the goals graded again
    are compared, the base's changes kept for the others."""
    ids, kept = graded.regraded, graded.base_changes
    if ids is None or kept is None:
        return status_changes(graded.statuses, graded.before)
    mine = list(ids)
    fresh = status_changes(graded.statuses[graded.statuses["goal_id"].isin(mine)],
                           graded.before[graded.before["goal_id"].isin(mine)])
    kept = kept[kept["goal_id"].isin(graded.statuses["goal_id"])]  # a goal removed: gone
    return regrade.patched_changes(kept, fresh, ids)


_PLANS: data_version.Kept[tuple[pd.DataFrame, pd.DataFrame]] = data_version.Kept(2)


def _plan_frames(session: Session, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``goals_frame`` and ``in_force_points`` on ``as_of``, kept per database and
    ``data_version.plan``: a figure written leaves them, a goal or trajectory written drops
    them."""
    plan = data_version.plan(session)
    key = None if plan is None else (data_version.database_url(session), *plan, as_of)
    kept = _PLANS.get(key) if key is not None else None
    if kept is None:  # texts and dates shared: see malloc.shared_values
        kept = (malloc.shared_values(goals_frame(session)),
                malloc.shared_values(in_force_points(session, as_of)))
        if key is not None:
            _PLANS.put(key, kept)
    return tuple(f.copy(deep=not _COPY_ON_WRITE) for f in kept)  # type: ignore[return-value]


def forget() -> None:
    """Drop everything kept: the next review reads and grades all afresh."""
    _GRADES.clear()
    _PLANS.clear()
    forget_windows()
    regrade.forget()


def _approved_between(session: Session, start: date, as_of: date) -> bool:
    """Whether a trajectory version came into force after ``start`` up to ``as_of``."""
    return session.scalar(select(Trajectory.id).where(
        Trajectory.approved_at >= known_by(start), Trajectory.approved_at < known_by(as_of))
        .limit(1)) is not None
