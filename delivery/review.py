"""What the weekly review needs, with the clock passed in: the objective in focus, the goals most
off track, the commitments due since the last meeting, what changed in the week, and the
aggregate progress of a pillar or objective over time.

The weekly review rotates through the strategic objectives, one a week, as Pernambuco's governor
did: a review meeting scheduled on an objective in the week of ``as_of`` sets the focus;
otherwise the objectives take turns in strategy-map order (pillar, then objective), objective
number ``w mod n`` in the week numbered ``w`` (weeks counted from Monday 1 Jan of year 1, so the
turn moves on every Monday, also across new years).

Aggregate progress ("trajectory against target in aggregate"): for each goal with a baseline
and a target apart, the change achieved since the baseline as a share of the change promised
(0% at the baseline, 100% at the target), against the share its trajectory planned by the same
date; a group's line is the mean over its goals with a figure. Range goals are left out.

A goal's own page is ``delivery.goal_dossier``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from delivery import data_version, regrade
from delivery.assessment import explanations, goal_statuses, goals_frame, grade_goals
from delivery.db import query_frame
from delivery.figure_window import (
    FigureWindow,
    kept_window,
    known_between,
    latest_known,
    recent_figures,
)
from delivery.figure_window import (
    forget as forget_windows,
)
from delivery.figures import known_after, known_by, known_on_or_before
from delivery.i18n import _
from delivery.models import (
    Commitment,
    Figure,
    Goal,
    Objective,
    Pillar,
    ReviewMeeting,
    Trajectory,
)
from delivery.trajectories import planned_for_many
from delivery.trajectory_versions import in_force_points
from delivery.vocabulary import CommitmentState, MeetingState, Status

# Worst first: the order in which the review lists goals that need attention.
ATTENTION = {Status.OFF_TRACK.value: 0, Status.SLIPPING.value: 1}
SHARE_CLIP = (-1.0, 2.0)  # one wild goal must not drag a pillar's mean off the chart
LOOKBACK = timedelta(days=400)  # how old a month end's figure may be: a year and some lag


def week_number(day: date) -> int:
    """Weeks since Monday 1 Jan of year 1: consecutive across years, changing on Mondays."""
    return (day.toordinal() - 1) // 7


def rotation_index(as_of: date, count: int) -> int | None:
    """Which of ``count`` objectives (in map order) is in focus in the week of ``as_of``."""
    return week_number(as_of) % count if count else None


def objective_in_focus(session: Session, as_of: date) -> tuple[Objective | None, str]:
    """(objective, why): the one a meeting this week is on, else the rotation's turn."""
    monday = as_of - timedelta(days=as_of.weekday())
    meeting = session.scalars(
        select(ReviewMeeting).where(ReviewMeeting.objective_id.is_not(None),
                                    ReviewMeeting.held_on.between(monday, monday + timedelta(6)))
        .order_by(ReviewMeeting.held_on)).first()
    if meeting is not None:
        return session.get(Objective, meeting.objective_id), _("on the agenda: {meeting}").format(
            meeting=meeting.title)
    objectives = list(session.scalars(
        select(Objective).join(Pillar).order_by(Pillar.position, Objective.position)))
    turn = rotation_index(as_of, len(objectives))
    if turn is None:
        return None, _("no objectives yet")
    return objectives[turn], _("its turn in the weekly rotation ({turn} of {count})").format(
        turn=turn + 1, count=len(objectives))


def most_off_track(statuses: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` goals most in need of attention: off track before slipping, then by how far
    behind the trajectory (shortfall), worst first."""
    # ranked on two arrays, then n rows taken: not the whole frame filtered and sorted
    status = statuses["status"].to_numpy()
    rank = np.full(len(status), np.nan)
    for value, place in ATTENTION.items():
        rank[status == value] = place
    behind = np.flatnonzero(~np.isnan(rank))
    shortfall = statuses["shortfall"].to_numpy(dtype=float)[behind]
    order = behind[np.lexsort((-shortfall, rank[behind]))]  # stable; no shortfall: last
    return statuses.iloc[order[:n]].reset_index(drop=True)


def last_meeting(session: Session, as_of: date) -> ReviewMeeting | None:
    """The governor's latest review (a meeting on an objective) held before ``as_of``: the
    weekly review follows up what happened since then, whatever the pacts met about."""
    return session.scalars(
        select(ReviewMeeting).where(ReviewMeeting.state == MeetingState.HELD,
                                    ReviewMeeting.objective_id.is_not(None),
                                    ReviewMeeting.held_on < as_of)
        .order_by(ReviewMeeting.held_on.desc(), ReviewMeeting.id.desc()).limit(1)).first()


COMMITMENT_COLUMNS = ["commitment_id", "description", "owner", "due_on", "state", "closed_on",
                      "goal_id", "meeting", "held_on"]


def commitments_due(session: Session, as_of: date, *, since: date | None,
                    ahead_days: int = 7, goal_ids: Collection[int] | None = None
                    ) -> pd.DataFrame:
    """Commitments the review follows up: every one open on ``as_of`` due by ``as_of +
    ahead_days`` (overdue first), and those due since ``since`` (the last meeting) that were
    closed by ``as_of``.
    Adds ``days_overdue`` (positive: late; open ones only)."""
    state = type_coerce(Commitment.state, String)
    query = (select(Commitment.id, Commitment.description, Commitment.owner, Commitment.due_on,
                    state, Commitment.closed_on, Commitment.goal_id, ReviewMeeting.title,
                    ReviewMeeting.held_on)
             .join(ReviewMeeting, Commitment.meeting_id == ReviewMeeting.id)
             .where(ReviewMeeting.held_on <= as_of))
    frame = query_frame(session, query, COMMITMENT_COLUMNS)
    if goal_ids is not None:
        frame = frame[frame["goal_id"].isin(list(goal_ids))]
    # As routine health counts it: one closed after ``as_of`` was still open then.
    later = pd.to_datetime(frame["closed_on"]) > pd.Timestamp(as_of)
    frame.loc[later, "state"], frame.loc[later, "closed_on"] = CommitmentState.OPEN.value, None
    is_open = frame["state"] == CommitmentState.OPEN.value
    due = pd.to_datetime(frame["due_on"])
    horizon = pd.Timestamp(as_of + timedelta(days=ahead_days))
    closed_lately = ~is_open & (due > pd.Timestamp(since or date.min)) & (
        due <= pd.Timestamp(as_of))
    frame = frame[(is_open & (due <= horizon)) | closed_lately].copy()
    late = (pd.Timestamp(as_of) - pd.to_datetime(frame["due_on"])).dt.days
    frame["days_overdue"] = late.where(frame["state"] == CommitmentState.OPEN.value)
    order = frame["state"].ne(CommitmentState.OPEN.value)
    return (frame.assign(_closed=order).sort_values(["_closed", "due_on"], kind="stable")
            .drop(columns="_closed").reset_index(drop=True))


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


def history_window_start(as_of: date, months: int = 12) -> date:
    """The earliest period end a ``FigureWindow`` for ``progress_history`` should hold: the
    first month end. A goal reporting monthly has every figure the history needs in it; the
    others' older figures are read on their own."""
    return month_ends(as_of, months)[0]


def month_ends(as_of: date, months: int) -> list[date]:
    """The last ``months`` month ends on or before ``as_of``, oldest first."""
    return [d.date() for d in pd.date_range(end=pd.Timestamp(as_of), periods=months, freq="ME")]


def progress_history(session: Session, as_of: date, goals: pd.DataFrame,
                     months: int = 12, *, window: FigureWindow | None = None,
                     points: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per goal of ``goals`` (a ``goal_statuses`` frame) and month end: ``actual`` and
    ``planned`` shares of the promised change (see the module docstring), as known on ``as_of``.
    A handful of vectorised passes whatever the number of goals. ``window`` (figures already
    read as of ``as_of``, best from ``history_window_start``) and ``points``
    (``in_force_points`` on ``as_of``) spare their reads."""
    usable = goals[(goals["direction"] != "range") & goals["baseline_value"].notna()
                   & goals["target_value"].notna()
                   & (goals["target_value"] != goals["baseline_value"])].reset_index(drop=True)
    days = month_ends(as_of, months)
    if usable.empty:
        return pd.DataFrame(columns=["goal_id", "on", "actual", "planned"])
    since = days[0] - LOOKBACK
    figures = (_recent_figures(session, as_of, since) if window is None else
               recent_figures(session, window, since, days[0], usable["goal_id"].tolist()))
    figures = figures[figures["goal_id"].isin(usable["goal_id"])]
    planned = _planned_on(in_force_points(session, as_of) if points is None else points,
                          usable, days)
    grid = pd.DataFrame({"goal_id": np.repeat(usable["goal_id"].to_numpy(), len(days)),
                         "on": pd.to_datetime(np.tile(np.array(days, dtype="datetime64[D]"),
                                                      len(usable))),
                         "planned_value": planned.reshape(-1)})
    figures = figures.assign(  # typed even when empty: merge_asof insists
        goal_id=figures["goal_id"].astype(np.int64), value=figures["value"].astype(float),
        on=pd.to_datetime(figures["period_end"]).astype("datetime64[ns]")).sort_values("on")
    grid["goal_id"] = grid["goal_id"].astype(np.int64)
    grid["on"] = grid["on"].astype("datetime64[ns]")
    grid = pd.merge_asof(grid.sort_values("on"), figures[["goal_id", "on", "value"]],
                         on="on", by="goal_id", tolerance=pd.Timedelta(LOOKBACK))
    base = grid["goal_id"].map(usable.set_index("goal_id")["baseline_value"]).astype(float)
    span = grid["goal_id"].map(usable.set_index("goal_id")["target_value"]).astype(float) - base
    grid["actual"] = ((grid["value"] - base) / span).clip(*SHARE_CLIP)
    grid["planned"] = ((grid["planned_value"] - base) / span).clip(*SHARE_CLIP)
    return grid[["goal_id", "on", "actual", "planned"]].sort_values(["goal_id", "on"],
                                                                    ignore_index=True)


def aggregate_progress(history: pd.DataFrame, goals: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mean actual and planned shares per ``by`` (a column of ``goals``, e.g. pillar_code) and
    date, over the goals with a figure then; ``goals`` counts them."""
    frame = history.dropna(subset=["actual"])
    # grouped on a number per group, not on the text of 200,000 rows
    codes, names = pd.factorize(goals[by])
    code = pd.Series(codes, index=goals["goal_id"].to_numpy()).where(codes >= 0)  # -1: none
    frame = frame.assign(_group=code.reindex(frame["goal_id"].to_numpy()).to_numpy())
    frame = frame[frame["_group"].notna()]  # goals of the history not among ``goals``
    summary = (frame.groupby(["_group", "on"], sort=False)
               .agg(actual=("actual", "mean"), planned=("planned", "mean"),
                    goals=("goal_id", "size")).reset_index())
    summary.insert(0, by, names.take(summary.pop("_group").astype(np.int64)))
    return summary


def _recent_figures(session: Session, as_of: date, since: date) -> pd.DataFrame:
    """Figures of the periods from ``since`` ending by ``as_of``, each at the revision known on
    ``as_of``. One plain range read, the revision in force picked in pandas: corrections are
    rare, and at national scale a grouped self-join costs three times the read. Dates come as
    text or dates (whatever the driver gives) and are parsed once, vectorised."""
    query = (select(Figure.goal_id, type_coerce(Figure.period_start, String), Figure.revision,
                    type_coerce(Figure.period_end, String), Figure.value)
             .where(Figure.period_start >= since, Figure.period_start <= as_of,
                    known_on_or_before(as_of)))
    frame = query_frame(session, query, ["goal_id", "period_start", "revision", "period_end",
                                         "value"])
    frame = frame.sort_values("revision", kind="stable").drop_duplicates(
        ["goal_id", "period_start"], keep="last")
    ends = pd.to_datetime(frame["period_end"].astype(str), format="%Y-%m-%d")
    frame = frame.assign(period_end=ends)[ends <= pd.Timestamp(as_of)]
    return frame[["goal_id", "period_end", "value"]].reset_index(drop=True)


def _planned_on(points: pd.DataFrame, goals: pd.DataFrame, days: list[date]) -> np.ndarray:
    """Planned value of each goal (rows) on each day (columns), by the trajectory ``points``
    in force or, without one, the straight line from baseline to target."""
    position = pd.Series(np.arange(len(goals)), index=goals["goal_id"].to_numpy())
    planless = goals[~goals["goal_id"].isin(points["goal_id"])]
    straight = pd.concat([
        planless[["goal_id", "baseline_date", "baseline_value"]].set_axis(
            ["goal_id", "on", "value"], axis=1),
        planless[["goal_id", "target_date", "target_value"]].set_axis(
            ["goal_id", "on", "value"], axis=1)]).assign(shape="linear")
    milestones = pd.concat([points, straight], ignore_index=True)
    milestones["group"] = milestones["goal_id"].map(position)
    milestones = milestones.dropna(subset=["group", "on"]).sort_values(["group", "on"],
                                                                       kind="stable")
    shapes = (milestones.drop_duplicates("group").set_index("group")["shape"]
              .reindex(range(len(goals))).to_numpy())
    group = milestones["group"].to_numpy(dtype=np.int64)
    xs = (pd.to_datetime(milestones["on"]).to_numpy().astype("datetime64[D]").astype(np.int64)
          + date(1970, 1, 1).toordinal())
    ys = milestones["value"].to_numpy(dtype=float)
    columns = [planned_for_many(group, xs, ys, shapes, np.full(len(goals), d.toordinal()))
               for d in days]
    return np.column_stack(columns) if columns else np.empty((len(goals), 0))


# -- the screens' bundles: everything one page needs, computed once per request ---------------


@dataclass(frozen=True)
class WeeklyReview:
    as_of: date
    statuses: pd.DataFrame  # goal_statuses without reasons, one row per goal
    progress: pd.DataFrame  # aggregate_progress by pillar_code
    focus: Objective | None
    focus_why: str
    worst: pd.DataFrame
    last_meeting: ReviewMeeting | None
    commitments: pd.DataFrame
    changes: pd.DataFrame  # status_changes over the week
    figures: pd.DataFrame  # figure_activity over the week, with code and name
    replans: pd.DataFrame  # trajectory_changes over the week
    focus_progress: pd.DataFrame  # aggregate_progress of the objective in focus (on, ...)


def weekly_review(session: Session, as_of: date, *, goal_ids: Collection[int] | None = None,
                  top: int = 10) -> WeeklyReview:
    """The weekly review as of ``as_of``: two status passes (now and a week ago) and one
    history pass over one read of the figures, whatever the number of goals, kept until the
    data changes (see ``review_grades``); then a few small queries. Statuses come without
    reasons (a Python step per goal): ``worst`` has them."""
    grades = review_grades(session, as_of, goal_ids)
    statuses = grades.statuses
    focus, why = objective_in_focus(session, as_of)
    meeting = last_meeting(session, as_of)
    worst = most_off_track(statuses, top)
    return WeeklyReview(
        as_of, statuses, grades.progress, focus, why,
        worst.assign(reason=explanations(worst, as_of)), meeting,
        commitments_due(session, as_of, since=meeting.held_on if meeting else None,
                        goal_ids=goal_ids),
        grades.changes, grades.figures, grades.replans,
        grades.objective_progress[grades.objective_progress["objective_code"]
                                  == (focus.code if focus is not None else None)])


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
        base_key = regrade.base_key(session, as_of, goal_ids) if key is not None else None
        graded = _regrade(session, as_of, goal_ids, regrade.kept_base(base_key))
        regrade.keep(base_key, graded)
        kept = _assemble(session, as_of, goal_ids, graded)
        if key is not None:
            _GRADES.put(key, kept)
    return kept.copy()


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
        goals, points, before_points, plan, seen)


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
        before_points, week_ago)
    history = progress_history(session, as_of, statuses, window=window, points=points)
    return regrade.Graded(statuses, before, history, goals, points, before_points, plan, seen)


def _assemble(session: Session, as_of: date, goal_ids: Collection[int] | None,
              graded: regrade.Graded) -> ReviewGrades:
    """The review's frames from the grades: changes, aggregate progress, the week's activity."""
    week_ago = as_of - timedelta(days=7)
    statuses = graded.statuses
    names = statuses[["goal_id", "code", "name"]]
    return ReviewGrades(
        statuses, status_changes(statuses, graded.before),
        aggregate_progress(graded.history, statuses, "pillar_code"),
        figure_activity(session, week_ago, as_of, goal_ids).merge(names, on="goal_id"),
        trajectory_changes(session, week_ago, as_of).merge(names, on="goal_id"),
        aggregate_progress(graded.history, statuses, "objective_code"))


_PLANS: data_version.Kept[tuple[pd.DataFrame, pd.DataFrame]] = data_version.Kept(2)


def _plan_frames(session: Session, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``goals_frame`` and ``in_force_points`` on ``as_of``, kept per database and
    ``data_version.plan``: a figure written leaves them, a goal or trajectory written drops
    them."""
    plan = data_version.plan(session)
    key = None if plan is None else (data_version.database_url(session), *plan, as_of)
    kept = _PLANS.get(key) if key is not None else None
    if kept is None:
        kept = goals_frame(session), in_force_points(session, as_of)
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


def group_goals(statuses: pd.DataFrame, kind: str, code: str) -> pd.DataFrame:
    """The goals beneath a pillar or objective (``kind`` "pillar" or "objective")."""
    return statuses[statuses[f"{kind}_code"] == code].reset_index(drop=True)


@dataclass(frozen=True)
class GroupView:
    """A pillar or objective: its goals (with ``was``: the status four weeks earlier), the
    aggregate progress series, and the budget behind its goals (rows of the spending report
    the caller passed in)."""

    kind: str
    code: str
    name: str
    as_of: date
    goals: pd.DataFrame
    progress: pd.DataFrame
    budget: pd.DataFrame


def group_view(session: Session, as_of: date, kind: str, code: str, *,
               spending: pd.DataFrame) -> GroupView | None:
    """The pillar or objective ``code`` as of ``as_of``; None if there is none. ``spending``:
    spending against progress of every funded goal on ``as_of`` (the money side lives with the
    strategy map, ``strategy_maps.reports.spending_report``), cut here to the group's goals."""
    model = Pillar if kind == "pillar" else Objective
    row = session.scalars(select(model).where(model.code == code)).first()
    if row is None:
        return None
    # Only the group's goals are graded and explained: a pillar of a national plan is a
    # fraction of its goals, and the explaining sentences are the costly part.
    member = (select(Goal.id).join(Objective, Goal.objective_id == Objective.id)
              .where(Objective.id == row.id) if kind == "objective" else
              select(Goal.id).join(Objective, Goal.objective_id == Objective.id)
              .where(Objective.pillar_id == row.id))
    statuses = goal_statuses(session, as_of, goal_ids=set(session.scalars(member)))
    goals = group_goals(statuses, kind, code)
    earlier = goal_statuses(session, as_of - timedelta(weeks=4), with_reasons=False,
                            goal_ids=goals["goal_id"].tolist())
    goals = goals.merge(earlier[["goal_id", "status"]].rename(columns={"status": "was"}),
                        on="goal_id", how="left")
    history = progress_history(session, as_of, goals)
    progress = aggregate_progress(history, goals.assign(group=code), "group")
    budget = spending if spending.empty else spending[
        spending["goal_id"].isin(goals["goal_id"])].merge(goals[["goal_id", "name"]], on="goal_id")
    return GroupView(kind, code, row.name, as_of, goals, progress, budget)


