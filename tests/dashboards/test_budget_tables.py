"""The budget page's tables and chart, from plain frames (no browser, no app)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboards.components.budget import (
    flagged_table,
    money_vs_progress_figure,
    performance_budget,
    performance_budget_table,
)
from dashboards.components.pact import commitment_state, commitments_table
from dashboards.theme import STATUS_COLOURS
from delivery.vocabulary import Status

COSTS = pd.DataFrame({  # the seeds' police example: 92,400 for 1,904 dispatches, +10%
    "goal_id": [1, 1, 2], "code": ["DISP", "DISP", "PATROL"],
    "unit": ["dispatches", "dispatches", "patrol hours"], "fiscal_year": [2021, 2022, 2022],
    "output": [1904.0, 1904.0, 2232.0], "periods": [12, 12, 6], "complete": [True, True, False],
    "appropriated": [90000.0, 100000.0, 100000.0], "spent": [84000.0, 92400.0, 95800.0],
    "cost_per_unit": [84000 / 1904, 92400 / 1904, 95800 / 2232],
    "budget_per_unit": [np.nan] * 3, "cost_change": [np.nan, 0.10, np.nan],
    "budget_change": [np.nan] * 3,
})


def text_of(component) -> str:
    return str(component.to_plotly_json())


def test_the_performance_budgeting_table_has_one_row_per_output_goal_of_the_year():
    frame = performance_budget(COSTS, {1: "Arrival within 6 minutes"}, {1: "Emergency"}, 2022)
    assert frame["code"].tolist() == ["DISP", "PATROL"]  # by programme; "—" (none) last
    disp = frame.set_index("code").loc["DISP"]
    assert disp["programme"] == "Emergency" and disp["goal"] == "Arrival within 6 minutes"
    assert disp["budget"] == 92400 and round(disp["unit_cost"], 1) == 48.5
    assert disp["change"] == 0.10
    patrol = frame.set_index("code").loc["PATROL"]
    assert patrol["goal"] == "PATROL" and not patrol["complete"]


def test_the_table_shows_the_change_the_partial_years_and_the_total():
    text = text_of(performance_budget_table(
        performance_budget(COSTS, {}, {1: "Emergency"}, 2022)))
    assert "+10.0%" in text and "partial year" in text
    assert "48.53" in text and "188,200" in text  # 92,400 + 95,800


SPENDING = pd.DataFrame({
    "goal_id": [1, 2, 3], "code": ["A", "B", "C"],
    "status": ["off_track", "on_track", "slipping"],
    "execution": [0.9, 0.3, 0.5], "pace": [0.9, 0.3, 0.5],
    "physical_progress": [0.2, 1.1, 5.0],
    "flag": ["money spent, trajectory not followed", "trajectory followed, money not spent", ""],
})


def test_money_against_progress_colours_goals_by_status_and_clips_outliers():
    fig = money_vs_progress_figure(SPENDING)
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours == {Status(s).label: STATUS_COLOURS[Status(s)]
                       for s in ("off_track", "on_track", "slipping")}
    slipping = next(t for t in fig.data if t.name == "Slipping")
    assert list(slipping.y) == [3.0]


def test_only_flagged_goals_are_listed_money_spent_first():
    text = text_of(flagged_table(SPENDING, {1: "Alpha"}))
    assert text.index("money spent") < text.index("money not spent")
    assert "Alpha" in text and "'C'" not in text


def test_an_open_commitment_past_its_due_date_is_overdue():
    assert commitment_state("open", date(2023, 1, 10), date(2023, 1, 16)) == "overdue"
    assert commitment_state("open", date(2023, 1, 20), date(2023, 1, 16)) == "open"
    assert commitment_state("done", date(2023, 1, 10), date(2023, 1, 16)) == "done"


def test_commitments_are_listed_overdue_first():
    frame = pd.DataFrame({
        "commitment_id": [7, 8],  # each row links to its commitment's page
        "description": ["later", "late"], "owner": ["x", "y"], "secretariat": ["SDS", None],
        "due_on": [date(2023, 3, 1), date(2023, 1, 1)], "state": ["open", "open"],
        "meeting": ["m", "m"], "held_on": [date(2022, 12, 1)] * 2,
    })
    text = text_of(commitments_table(frame, date(2023, 1, 16)))
    assert text.index("late'") < text.index("later") and "15 days overdue" in text
    assert "/commitment/8" in text and "/commitment/7" in text
