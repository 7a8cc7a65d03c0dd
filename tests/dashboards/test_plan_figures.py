"""The delivery-plan figure builders: what each draws, from plain frames."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboards.figures.plans import (
    MILESTONE_STYLE,
    gantt_figure,
    heat_map_figure,
    progress_curve_figure,
)

AS_OF = date(2023, 1, 16)
D = date.fromisoformat


def _milestones() -> pd.DataFrame:
    return pd.DataFrame([
        ("Design", D("2022-03-01"), D("2022-03-01"), D("2022-02-25"), "done_on_time", -4),
        ("Contract", D("2022-12-01"), D("2022-12-01"), None, "late", 46),
        ("Opening", D("2023-06-30"), D("2023-09-30"), None, "at_risk", 92),
    ], columns=["name", "baseline_on", "forecast_on", "actual_on", "status", "slip"])


def test_the_gantt_draws_baselines_and_marks_each_status_with_its_own_shape() -> None:
    figure = gantt_figure(_milestones(), AS_OF, start=D("2022-01-03"))
    bars = [t for t in figure.data if t.type == "bar"]
    assert len(bars) == 1 and list(bars[0].y) == ["1. Design", "2. Contract", "3. Opening"]
    markers = {t.name: t for t in figure.data if t.type == "scatter" and t.mode == "markers"}
    assert set(markers) == {"Done on time", "Late", "At risk"}
    assert markers["At risk"].marker.symbol == MILESTONE_STYLE["at_risk"][1]
    assert pd.Timestamp(markers["At risk"].x[0]) == pd.Timestamp("2023-09-30")
    assert pd.Timestamp(markers["Done on time"].x[0]) == pd.Timestamp("2022-02-25")
    slips = [t for t in figure.data if t.type == "scatter" and t.mode == "lines"]
    assert len(slips) == 2  # design done early, opening moved: contract's forecast = baseline
    assert "slip 92 d" in markers["At risk"].hovertext[0]


def test_the_gantt_says_so_when_there_are_no_milestones() -> None:
    figure = gantt_figure(pd.DataFrame(columns=_milestones().columns), AS_OF)
    assert figure.layout.annotations[0].text == "No milestones yet" and not figure.data


def test_the_curve_draws_work_against_money_as_shares() -> None:
    physical = pd.DataFrame({"on": [D("2022-06-30"), D("2022-12-31")], "pct": [20.0, 35.0]})
    financial = pd.DataFrame({"on": [D("2021-12-31"), D("2022-12-31")], "share": [0.4, 0.9]})
    figure = progress_curve_figure(physical, financial)
    work, money = figure.data
    assert list(work.y) == [0.2, 0.35] and list(money.y) == [0.4, 0.9]
    assert figure.layout.yaxis.tickformat == ".0%"
    empty = progress_curve_figure(physical.iloc[0:0], financial.iloc[0:0])
    assert not empty.data and empty.layout.annotations


def test_the_heat_map_writes_each_count_in_its_cell() -> None:
    grid = [[0] * 5 for _ in range(5)]
    grid[3][4] = 2
    cells = heat_map_figure(grid).data[0]
    assert cells.text[3][4] == "2" and cells.text[0][0] == "" and cells.z[4][4] == 25
