"""The budget side: fiscal years, spending against progress, output and cost per unit."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pacts.budget import (
    DELIVERED_NOT_SPENT,
    SPENDING_RULE,
    SPENT_NOT_DELIVERED,
    cost_per_unit,
    elapsed_share,
    fiscal_year_of,
    fiscal_year_span,
    is_cumulative,
    spending_vs_progress,
    yearly_output,
)


@pytest.mark.parametrize(("day", "end_month", "year"), [
    (date(2024, 12, 31), 12, 2024), (date(2024, 1, 1), 12, 2024),
    (date(2024, 3, 31), 3, 2024), (date(2024, 4, 1), 3, 2025), (date(2024, 6, 30), 6, 2024),
], ids=["dec-end", "jan-start", "march-fy-end", "march-fy-next", "june-fy"])
def test_it_places_a_day_in_its_fiscal_year(day, end_month, year):
    assert fiscal_year_of(day, end_month) == year
    start, end = fiscal_year_span(year, end_month)
    assert start <= day <= end


@pytest.mark.parametrize(("year", "end_month", "span"), [
    (2024, 12, (date(2024, 1, 1), date(2024, 12, 31))),
    (2024, 3, (date(2023, 4, 1), date(2024, 3, 31))),
    (2024, 2, (date(2023, 3, 1), date(2024, 2, 29))),
], ids=["calendar", "april-to-march", "leap-february"])
def test_a_fiscal_year_lasts_twelve_months(year, end_month, span):
    assert fiscal_year_span(year, end_month) == span


@pytest.mark.parametrize(("as_of", "share"), [
    (date(2023, 12, 31), 0.0), (date(2024, 1, 1), 1 / 366), (date(2024, 12, 31), 1.0),
    (date(2025, 1, 16), 1.0),
], ids=["before", "first-day", "last-day", "after"])
def test_it_measures_how_much_of_the_year_has_gone(as_of, share):
    assert elapsed_share(2024, as_of) == pytest.approx(share)


STATUS_COLUMNS = ["goal_id", "code", "status", "direction", "baseline_value", "planned",
                  "latest_value"]
SPENDING = [
    # status, appropriated, spent, elapsed, expected flag
    ("off_track", 100.0, 90.0, 1.0, SPENT_NOT_DELIVERED),
    ("off_track", 100.0, 40.0, 0.5, SPENT_NOT_DELIVERED),  # pace 0.8: on pace for the date
    ("off_track", 100.0, 70.0, 1.0, ""),
    ("slipping", 100.0, 95.0, 1.0, ""),
    ("on_track", 100.0, 50.0, 1.0, DELIVERED_NOT_SPENT),
    ("on_track", 100.0, 25.0, 0.5, DELIVERED_NOT_SPENT),
    ("on_track", 100.0, 80.0, 1.0, ""),
    ("no_recent_data", 100.0, 10.0, 1.0, ""),
]


@pytest.mark.parametrize(("status", "appropriated", "spent", "elapsed", "flag"), SPENDING,
                         ids=[f"{s}-{sp:g}-of-{a:g}-at-{e:g}" for s, a, sp, e, _ in SPENDING])
def test_it_flags_money_and_progress_that_part_ways(status, appropriated, spent, elapsed, flag):
    money = pd.DataFrame([{"goal_id": 1, "appropriated": appropriated, "committed": spent,
                           "spent": spent}])
    statuses = pd.DataFrame([[1, "G1", status, "up", 0.0, 50.0, 40.0]], columns=STATUS_COLUMNS)
    row = spending_vs_progress(money, statuses, elapsed).iloc[0]
    assert row["flag"] == flag
    assert row["execution"] == pytest.approx(spent / appropriated)
    assert row["physical_progress"] == pytest.approx(0.8)


def test_physical_progress_is_empty_for_a_range_goal_and_goals_without_money_are_left_out():
    money = pd.DataFrame({"goal_id": [1, 2], "appropriated": [10.0, 0.0],
                          "committed": [5.0, 0.0], "spent": [5.0, 0.0]})
    statuses = pd.DataFrame([[1, "G1", "on_track", "range", 90.0, 80.0, 81.0],
                             [2, "G2", "on_track", "up", 0.0, 1.0, 1.0]], columns=STATUS_COLUMNS)
    report = spending_vs_progress(money, statuses, 1.0)
    assert report["code"].tolist() == ["G1"]
    assert np.isnan(report["physical_progress"].iloc[0])


def test_the_spending_rule_names_its_thresholds():
    assert "80%" in SPENDING_RULE and "60%" in SPENDING_RULE


@pytest.mark.parametrize(("indicator", "running"), [
    ("Prison places created since January 2020 (cumulative)", True),
    ("Cumulative km paved", True), ("Police dispatches", False), ("", False)])
def test_it_tells_running_totals_from_flows(indicator, running):
    assert is_cumulative(indicator) is running


def _figures(goal_id: int, values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"goal_id": goal_id,
                         "period_end": [date.fromisoformat(d) for d in values],
                         "value": list(values.values())})


def test_flow_output_is_the_sum_of_the_periods_of_the_year():
    figures = _figures(1, {"2023-03-31": 10, "2023-06-30": 20, "2023-09-30": 30,
                           "2023-12-31": 40, "2024-03-31": 5})
    out = yearly_output(figures, set(), {1: 0.0}, {1: "quarterly"})
    assert out[["fiscal_year", "output", "periods", "complete"]].values.tolist() == [
        [2023, 100.0, 4, True], [2024, 5.0, 1, False]]


def test_running_total_output_is_the_rise_over_the_year():
    figures = _figures(1, {"2022-12-31": 300, "2023-06-30": 500, "2023-12-31": 800})
    out = yearly_output(figures, {1}, {1: 100.0}, {1: "yearly"})
    assert out["output"].tolist() == [200.0, 500.0]  # from the baseline, then from 300


def test_output_follows_the_fiscal_year():
    figures = _figures(1, {"2023-03-31": 1, "2023-04-30": 2})
    out = yearly_output(figures, set(), {}, {1: "monthly"}, end_month=3)
    assert out["fiscal_year"].tolist() == [2023, 2024]


def test_police_dispatches_cost_per_unit_as_in_the_performance_budgeting_example():
    # Emergency response: 92,400 for 1,904 dispatches is 48.5 a dispatch, 10% dearer than the
    # year before (84,000 for the same number).
    output = pd.DataFrame({"goal_id": [7, 7], "fiscal_year": [2023, 2024],
                           "output": [1904.0, 1904.0], "periods": [12, 12],
                           "complete": [True, True]})
    money = pd.DataFrame({"goal_id": [7, 7], "fiscal_year": [2023, 2024],
                          "appropriated": [84_000.0, 92_400.0], "spent": [80_000.0, 92_400.0]})
    costs = cost_per_unit(output, money).set_index("fiscal_year")
    assert costs.at[2024, "budget_per_unit"] == pytest.approx(48.53, abs=0.005)
    assert costs.at[2024, "budget_change"] == pytest.approx(0.10)
    assert costs.at[2024, "cost_per_unit"] == pytest.approx(92_400 / 1904)
    assert costs.at[2024, "cost_change"] == pytest.approx(92_400 / 80_000 - 1)
    assert np.isnan(costs.at[2023, "cost_change"])


def test_a_partial_year_is_not_compared():
    output = pd.DataFrame({"goal_id": [7, 7], "fiscal_year": [2023, 2024],
                           "output": [1200.0, 100.0], "periods": [12, 1],
                           "complete": [True, False]})
    money = pd.DataFrame({"goal_id": [7, 7], "fiscal_year": [2023, 2024],
                          "appropriated": [1000.0, 1000.0], "spent": [1000.0, 1000.0]})
    costs = cost_per_unit(output, money)
    assert costs["cost_per_unit"].tolist() == pytest.approx([1000 / 1200, 10.0])
    assert costs["cost_change"].isna().all()


def test_years_without_output_or_money_have_no_cost_per_unit():
    output = pd.DataFrame({"goal_id": [1, 2], "fiscal_year": [2023, 2023],
                           "output": [0.0, 10.0], "periods": [12, 12], "complete": True})
    money = pd.DataFrame({"goal_id": [1, 2], "fiscal_year": [2023, 2023],
                          "appropriated": [10.0, 0.0], "spent": [5.0, 0.0]})
    assert cost_per_unit(output, money).empty
