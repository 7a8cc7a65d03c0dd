"""The budget side of goals: spending against physical progress, and cost per unit of output.

Pure functions over DataFrames; the money per goal comes from the crosswalk shares
(``strategy_maps.money``), the statuses from ``delivery.assessment.goal_statuses``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from delivery.i18n import N_, _, current_locale, formats, use_locale
from delivery.vocabulary import Status

# Spending pace = share of the appropriation spent / share of the fiscal year gone by.
HIGH_PACE = 0.8  # at or above: most of the money due by now has been spent
LOW_PACE = 0.6  # below: the money is being spent well behind the year
# Kept in English in the frames (they are cached and compared); ``flag_words`` shows them.
SPENT_NOT_DELIVERED = N_("money spent, trajectory not followed")
DELIVERED_NOT_SPENT = N_("trajectory followed, money not spent")


def flag_words(flag: str) -> str:
    """A budget flag in the reader's language ("" for none)."""
    return _(flag) if flag else ""


# Kept in English for the docs (``SPENDING_RULE``); ``spending_rule()`` gives the reader's.
SPENDING_TEMPLATE = N_("""\
Spending against physical progress, per goal and fiscal year
- Execution: the goal's share of its accounts' spending over its share of their appropriation.
- Pace: execution over the share of the fiscal year gone by on the date (1 once it is over).
- Flagged "{spent_not_delivered}": pace of {high} or more while the goal is off track.
- Flagged "{delivered_not_spent}": pace under {low} while the goal is on track
  (worth a look: a budget not needed, spending booked elsewhere, or figures too good to be true).
""")


def spending_rule(locale: str | None = None) -> str:
    """How spending is set against progress, in the reader's language."""
    with use_locale(locale or current_locale()):
        return _(SPENDING_TEMPLATE).format(
            spent_not_delivered=_(SPENT_NOT_DELIVERED), delivered_not_spent=_(DELIVERED_NOT_SPENT),
            high=formats.percent(HIGH_PACE), low=formats.percent(LOW_PACE))


SPENDING_RULE = spending_rule("en")


def fiscal_year_of(day: date, end_month: int = 12) -> int:
    """The fiscal year a day falls in; FY2024 ends in ``end_month`` of 2024."""
    return day.year + (1 if day.month > end_month else 0)


def fiscal_year_span(year: int, end_month: int = 12) -> tuple[date, date]:
    """First and last day of fiscal year ``year``."""
    start = date(year - 1, end_month + 1, 1) if end_month < 12 else date(year, 1, 1)
    end = date(year + 1, 1, 1) if end_month == 12 else date(year, end_month + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def elapsed_share(year: int, as_of: date, end_month: int = 12) -> float:
    """How much of fiscal year ``year`` has gone by on ``as_of`` (0 before, 1 after)."""
    start, end = fiscal_year_span(year, end_month)
    days = (end - start).days + 1
    return min(max(((as_of - start).days + 1) / days, 0.0), 1.0)


def spending_vs_progress(money: pd.DataFrame, statuses: pd.DataFrame,
                         elapsed: float) -> pd.DataFrame:
    """Per goal with money: execution, pace, physical progress and a flag (see SPENDING_RULE).

    ``money``: goal_id, appropriated, committed, spent (one fiscal year). ``statuses``: goal_id,
    code, status, direction, baseline_value, planned, latest_value. Physical progress is the
    change achieved over the change planned by the latest figure (empty for range goals).
    """
    money = money[["goal_id", "appropriated", "committed", "spent"]]
    frame = money[money["appropriated"] > 0].merge(
        statuses[["goal_id", "code", "status", "direction", "baseline_value", "planned",
                  "latest_value"]], on="goal_id", how="left")
    frame["execution"] = frame["spent"] / frame["appropriated"]
    frame["pace"] = frame["execution"] / elapsed if elapsed > 0 else np.nan
    planned_change = (frame["planned"] - frame["baseline_value"]).astype(float)
    achieved = (frame["latest_value"] - frame["baseline_value"]).astype(float)
    usable = (frame["direction"] != "range") & (planned_change.abs() > 0)
    frame["physical_progress"] = np.where(usable, achieved / planned_change.where(usable, 1.0),
                                          np.nan)
    fast = frame["pace"] >= HIGH_PACE
    slow = frame["pace"] < LOW_PACE
    frame["flag"] = np.select(
        [fast & (frame["status"] == Status.OFF_TRACK.value),
         slow & (frame["status"] == Status.ON_TRACK.value)],
        [SPENT_NOT_DELIVERED, DELIVERED_NOT_SPENT], default="")
    return frame.drop(columns=["direction", "baseline_value", "planned", "latest_value"])


def is_cumulative(indicator: str) -> bool:
    """Whether an output indicator is a running total (its figures are not added up)."""
    return "cumulative" in (indicator or "").lower()


PERIODS_PER_YEAR = {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}


def yearly_output(figures: pd.DataFrame, cumulative: set[int], baselines: dict[int, float],
                  frequencies: dict[int, str] | None = None, end_month: int = 12
                  ) -> pd.DataFrame:
    """Output per goal and fiscal year from its figures (goal_id, period_end, value): the sum
    of the periods ending in the year, or for a running total the rise over the year (from the
    last figure of the year before, or the baseline). Columns: goal_id, fiscal_year, output,
    periods, and ``complete``: whether every period of the year (by the goal's frequency in
    ``frequencies``) has its figure."""
    if figures.empty:
        return pd.DataFrame(columns=["goal_id", "fiscal_year", "output", "periods", "complete"])
    frame = figures.sort_values(["goal_id", "period_end"]).copy()
    frame["fiscal_year"] = [fiscal_year_of(d, end_month) for d in frame["period_end"]]
    per_year = frame.groupby(["goal_id", "fiscal_year"], as_index=False).agg(
        total=("value", "sum"), last=("value", "last"), periods=("value", "size"))
    before = per_year.groupby("goal_id")["last"].shift()
    start = before.fillna(per_year["goal_id"].map(baselines))
    running = per_year["goal_id"].isin(cumulative)
    per_year["output"] = np.where(running, per_year["last"] - start, per_year["total"])
    expected = per_year["goal_id"].map(
        lambda g: PERIODS_PER_YEAR.get((frequencies or {}).get(g) or "", 0))
    per_year["complete"] = per_year["periods"] >= expected
    return per_year[["goal_id", "fiscal_year", "output", "periods", "complete"]]


def cost_per_unit(output: pd.DataFrame, money: pd.DataFrame) -> pd.DataFrame:
    """Money per unit of output, per goal and fiscal year: ``cost_per_unit`` (spent) and
    ``budget_per_unit`` (appropriated), each with its change from the year before
    (``cost_change``, ``budget_change``: 0.10 = 10% dearer), compared only between complete
    years (a year with periods still to report would look dearer than it is).

    ``output``: goal_id, fiscal_year, output, periods, complete; ``money``: goal_id,
    fiscal_year, appropriated, spent. Years without output or appropriation are left out.
    """
    keys = ["goal_id", "fiscal_year"]
    frame = output.merge(money[[*keys, "appropriated", "spent"]], on=keys, how="inner")
    frame = frame[(frame["output"] > 0) & (frame["appropriated"] > 0)].copy()
    frame["cost_per_unit"] = frame["spent"] / frame["output"]
    frame["budget_per_unit"] = frame["appropriated"] / frame["output"]
    units = ["cost_per_unit", "budget_per_unit"]
    previous = frame.loc[frame["complete"], [*keys, *units]].assign(
        fiscal_year=lambda f: f["fiscal_year"] + 1)
    frame = frame.merge(previous, on=keys, how="left", suffixes=("", "_before"))
    for unit, change in zip(units, ["cost_change", "budget_change"], strict=True):
        frame[change] = (frame[unit] / frame[f"{unit}_before"] - 1).where(frame["complete"])
    return frame.drop(columns=[f"{u}_before" for u in units]).sort_values(
        keys, ignore_index=True)
