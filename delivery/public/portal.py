"""The public portal's goals: each public goal with its status, the sentence behind it, the
period of its latest figure and its trend, under a slug made from its name.

Slugs: the goal's name in lower-case ASCII words joined by ``-`` (``Homicídios em queda`` →
``homicidios-em-queda``); two public goals with the same name get ``-2``, ``-3`` in the order
they were created. Only public goals take part, so a slug says nothing about any other goal;
renaming a public goal changes its address.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.assessment import goal_statuses
from delivery.figures import figures_as_of
from delivery.i18n import N_, _, formats
from delivery.models import Goal, Trajectory
from delivery.trajectory_versions import in_force

TREND_WEEKS = 13  # the trend compares the gap to the plan with a quarter earlier
STEADY_WITHIN = 0.02  # of the planned change: closer than this is "holding steady"
TRENDS = {"improving": N_("getting closer to the plan"),
          "worsening": N_("falling further behind the plan"),
          "steady": N_("holding steady"), "": N_("too early to tell")}
MAX_SLUG = 80


def slugify(name: str) -> str:
    """``name`` as an address word: lower-case ASCII letters and digits joined by ``-``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:MAX_SLUG].strip("-")
    return slug or "goal"


def public_ids(session: Session) -> list[int]:
    """The public goals' ids, oldest first."""
    return list(session.scalars(select(Goal.id).where(Goal.is_public.is_(True))
                                .order_by(Goal.id)))


def slugs(session: Session) -> dict[int, str]:
    """goal id -> slug, for the public goals only (see the module docstring)."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for goal_id, name in session.execute(select(Goal.id, Goal.name)
                                         .where(Goal.is_public.is_(True)).order_by(Goal.id)):
        base = slug = slugify(name)
        n = 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        out[goal_id] = slug
    return out


def trend_of(now: float, earlier: float) -> str:
    """improving, worsening or steady: the gap to the plan (a share of the planned change,
    positive when behind) now against earlier; "" when either is unknown."""
    if pd.isna(now) or pd.isna(earlier):
        return ""
    if abs(now - earlier) <= STEADY_WITHIN:
        return "steady"
    return "improving" if now < earlier else "worsening"


def public_goals(session: Session, as_of: date) -> pd.DataFrame:
    """One row per public goal: ``goal_statuses`` columns (the reason too) plus ``slug``,
    ``trend`` (a ``TRENDS`` key) and ``latest_period`` (the latest figure's period, as read)."""
    ids = public_ids(session)
    frame = goal_statuses(session, as_of, goal_ids=ids)
    if frame.empty:
        return frame.assign(slug=[], trend=[], latest_period=[])
    earlier = goal_statuses(session, as_of - timedelta(weeks=TREND_WEEKS), goal_ids=ids,
                            with_reasons=False).set_index("goal_id")["shortfall"]
    names = slugs(session)
    frame["slug"] = frame["goal_id"].map(names)
    frame["trend"] = [trend_of(now, earlier.get(gid, float("nan")))
                      for gid, now in zip(frame["goal_id"], frame["shortfall"], strict=True)]
    frame["latest_period"] = [
        formats.period(end, freq, long=True) if isinstance(end, date) else ""
        for end, freq in zip(frame["latest_period_end"], frame["frequency"], strict=True)]
    return frame


def trend_text(trend: str) -> str:
    return _(TRENDS.get(trend, TRENDS[""]))


@dataclass(frozen=True)
class PublicGoal:
    """One public goal's page: its row of ``public_goals``, its figures (on, value,
    provisional) and the trajectory in force (on, value)."""

    row: pd.Series
    figures: pd.DataFrame
    trajectory: pd.DataFrame


def public_goal(session: Session, as_of: date, slug: str) -> PublicGoal | None:
    """The public goal at ``slug``; None when no public goal has it."""
    frame = public_goals(session, as_of)
    match = frame[frame["slug"] == slug]
    if match.empty:
        return None
    row = match.iloc[0]
    goal_id = int(row["goal_id"])
    figures = pd.DataFrame(
        [(f.period_end, f.value, f.is_provisional) for f in figures_as_of(session, goal_id, as_of)
         if f.period_end <= as_of], columns=["on", "value", "provisional"])
    current: Trajectory | None = in_force(session, goal_id, as_of)
    points = current.points if current is not None else []
    trajectory = pd.DataFrame([(p.on, p.value) for p in points], columns=["on", "value"])
    return PublicGoal(row, figures, trajectory)
