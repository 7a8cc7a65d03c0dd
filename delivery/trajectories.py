"""Trajectories: the planned value of a goal at any date, and the shapes an analyst starts from.

A trajectory is a sorted list of dated milestones ``(date, value)``. Between two milestones the
shape decides the path; before the first milestone the plan is the first value and after the
last it is the last value, so a deadline in the past holds the target.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from delivery.vocabulary import Frequency, Shape

Milestone = tuple[date, float]

# numpy counts days from 1970-01-01; dates here are counted as proleptic ordinals.
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Weeks end on Sunday, as ISO weeks do.
_PERIOD_ENDS = {
    Frequency.WEEKLY: "W-SUN",
    Frequency.MONTHLY: "ME",
    Frequency.QUARTERLY: "QE-DEC",
    Frequency.YEARLY: "YE-DEC",
}


def planned_value(milestones: Sequence[Milestone], shape: Shape, at: date) -> float:
    """The planned value on ``at``.

    Promises: the first value before the first milestone, the last value from the last
    milestone on, each milestone's own value on its date, and in between the path of ``shape``
    (see ``planned_values``, which gives exactly the same numbers).
    """
    xs, ys = _anchors(milestones)
    t = at.toordinal()
    if t <= xs[0]:
        return ys[0]
    if t >= xs[-1]:
        return ys[-1]
    k = bisect_right(xs, t) - 1
    if shape is Shape.STEP:
        return ys[k]
    return float(_blend(shape, (t - xs[k]) / (xs[k + 1] - xs[k]), ys[k], ys[k + 1]))


def planned_values(milestones: Sequence[Milestone], shape: Shape, at: Iterable[Any]) -> np.ndarray:
    """The planned values on many dates at once, as a float array in the order of ``at``.

    ``at`` may hold ``date`` objects (or pandas Timestamps) or be a datetime64 array. The rules
    are those of ``planned_value`` and the numbers agree with it exactly.
    """
    xs_list, ys_list = _anchors(milestones)
    xs, ys = np.asarray(xs_list, dtype=np.int64), np.asarray(ys_list, dtype=float)
    t = _ordinals(at)
    k = np.searchsorted(xs, t, side="right") - 1
    if len(xs) == 1 or shape is Shape.STEP:
        return ys[np.clip(k, 0, len(xs) - 1)]
    seg = np.clip(k, 0, len(xs) - 2)
    inside = _blend(shape, (t - xs[seg]) / (xs[seg + 1] - xs[seg]), ys[seg], ys[seg + 1])
    return np.where(k < 0, ys[0], np.where(k >= len(xs) - 1, ys[-1], inside))


def planned_for_many(
    group: np.ndarray, xs: np.ndarray, ys: np.ndarray, shapes: np.ndarray, at: np.ndarray
) -> np.ndarray:
    """The planned value of many trajectories at once, each on its own date.

    Trajectory ``i`` is the milestones whose ``group`` is ``i`` (``group`` ascending, dates
    ascending within a group; ``xs`` day ordinals, ``ys`` values); ``shapes[i]`` is its shape
    value and ``at[i]`` its date as a day ordinal. NaN where a trajectory has no milestones or
    ``at`` is missing (negative). The same numbers as ``planned_value``, without a Python loop.
    """
    n = len(shapes)
    result = np.full(n, np.nan)
    if n == 0 or len(xs) == 0:
        return result
    group, xs, ys = np.asarray(group, np.int64), np.asarray(xs, np.int64), np.asarray(ys, float)
    at = np.asarray(at, np.int64)
    first = np.searchsorted(group, np.arange(n), side="left")
    last = np.searchsorted(group, np.arange(n), side="right") - 1
    usable = (last >= first) & (at >= 0)
    span = int(max(xs.max(), at.max())) + 1
    k = np.searchsorted(group * span + xs, np.arange(n) * span + np.maximum(at, 0), "right") - 1
    idx = np.flatnonzero(usable)
    k, lo, hi, t = k[idx], first[idx], last[idx], at[idx]
    seg = np.clip(k, lo, np.maximum(hi - 1, lo))
    nxt = np.minimum(seg + 1, hi)
    width = np.where(nxt > seg, xs[nxt] - xs[seg], 1)
    frac = np.clip((t - xs[seg]) / width, 0.0, 1.0)
    shape = np.asarray(shapes, dtype=object)[idx]
    frac = np.where(shape == Shape.S_CURVE.value, frac * frac * (3.0 - 2.0 * frac), frac)
    inside = ys[seg] + (ys[nxt] - ys[seg]) * frac
    inside = np.where(shape == Shape.STEP.value, ys[np.clip(k, lo, hi)], inside)
    result[idx] = np.where(k < lo, ys[lo], np.where(k >= hi, ys[hi], inside))
    return result


def generate_milestones(
    shape: Shape, baseline: Milestone, target: Milestone, frequency: Frequency
) -> list[Milestone]:
    """Milestones from baseline to target: the baseline, every reporting period end strictly
    between them, and the target, with values following ``shape``.

    LINEAR and MILESTONES lie on the straight line; S_CURVE on one smoothstep over the whole
    span. STEP moves once per calendar year end, to where the straight line is on that day, and
    reaches the target on the target date (year ends are added if the periods lack them).
    Raises ValueError when the target date is not after the baseline date.
    """
    (start, start_value), (end, end_value) = baseline, target
    if end <= start:
        raise ValueError(
            f"the target date ({end.isoformat()}) must be after the baseline date "
            f"({start.isoformat()})"
        )
    between = _period_ends(start, end, frequency)
    if shape is Shape.STEP:
        year_ends = _period_ends(start, end, Frequency.YEARLY)
        between = sorted(set(between) | set(year_ends))
        steps = [(d, planned_value([baseline, target], Shape.LINEAR, d)) for d in year_ends]
        path, path_shape = [baseline, *steps, target], Shape.STEP
    elif shape is Shape.S_CURVE:
        path, path_shape = [baseline, target], Shape.S_CURVE
    else:
        path, path_shape = [baseline, target], Shape.LINEAR
    values = planned_values(path, path_shape, between)
    inner = [(d, float(v)) for d, v in zip(between, values, strict=True)]
    return [(start, float(start_value)), *inner, (end, float(end_value))]


def _blend(shape: Shape, frac: Any, start: Any, end: Any) -> Any:
    """The value a share ``frac`` (0 to 1) of the way along one segment; floats or arrays."""
    if shape is Shape.S_CURVE:
        frac = frac * frac * (3.0 - 2.0 * frac)
    return start + (end - start) * frac


def _anchors(milestones: Sequence[Milestone]) -> tuple[list[int], list[float]]:
    """Milestone dates as day ordinals and values as floats, checked to be usable."""
    if not milestones:
        raise ValueError("a trajectory needs at least one milestone")
    xs = [d.toordinal() for d, _ in milestones]
    if any(b <= a for a, b in zip(xs, xs[1:], strict=False)):
        raise ValueError("trajectory milestones must be in date order, one per date")
    return xs, [float(v) for _, v in milestones]


def _ordinals(at: Iterable[Any]) -> np.ndarray:
    """Day ordinals (as ``date.toordinal``) of dates, Timestamps or datetime64 values."""
    arr = np.asarray(at if isinstance(at, np.ndarray | pd.Index | pd.Series) else list(at))
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[D]").astype(np.int64) + _EPOCH_ORDINAL
    return np.fromiter((d.toordinal() for d in arr.ravel()), dtype=np.int64, count=arr.size)


def _period_ends(start: date, end: date, frequency: Frequency) -> list[date]:
    """Reporting period ends strictly after ``start`` and strictly before ``end``."""
    ends = pd.date_range(start, end, freq=_PERIOD_ENDS[frequency])
    return [d.date() for d in ends if start < d.date() < end]
