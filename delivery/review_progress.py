"""Aggregate progress of the weekly review ("trajectory against target in aggregate"): for each
goal with a baseline and a target apart, the change achieved since the baseline as a share of the
change promised (0% at the baseline, 100% at the target), against the share its trajectory
planned by the same date; a group's line is the mean over its goals with a figure. Range goals
are left out. Split from ``delivery.review``, which still exports these names.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from delivery.db import query_frame
from delivery.figure_window import FigureWindow, recent_figures
from delivery.figures import known_on_or_before
from delivery.models import Figure
from delivery.trajectories import planned_for_many
from delivery.trajectory_versions import in_force_points

SHARE_CLIP = (-1.0, 2.0)  # one wild goal must not drag a pillar's mean off the chart
LOOKBACK = timedelta(days=400)  # how old a month end's figure may be: a year and some lag


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
    # grouped on a number per group, not on the text of 200,000 rows; the rows kept (a figure
    # then, a goal among ``goals``) taken once into a frame of the five columns the means need,
    # rather than the whole history copied at each step (tens of megabytes at national scale)
    codes, names = pd.factorize(goals[by])
    ids = history["goal_id"].to_numpy()
    group = pd.Series(codes, index=goals["goal_id"].to_numpy()).reindex(
        ids, fill_value=-1).to_numpy()  # -1: no group, or not among ``goals``
    keep = history["actual"].notna().to_numpy() & (group >= 0)
    frame = pd.DataFrame({"_group": group[keep], "on": history["on"].to_numpy()[keep],
                          "actual": history["actual"].to_numpy()[keep],
                          "planned": history["planned"].to_numpy()[keep]})
    summary = (frame.groupby(["_group", "on"], sort=False)
               .agg(actual=("actual", "mean"), planned=("planned", "mean"),
                    goals=("actual", "size")).reset_index())
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
