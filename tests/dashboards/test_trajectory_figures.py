from __future__ import annotations

import json
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures.trajectory import (
    FlagBand,
    GoalChart,
    goal_figure,
    progress_figure,
    progress_spec,
)
from dashboards.theme import STATUS_COLOURS
from delivery.vocabulary import Status


def series():
    return pd.DataFrame({"on": pd.to_datetime(["2022-10-31", "2022-11-30", "2022-12-31"]),
                         "actual": [0.4, 0.5, 0.55], "planned": [0.5, 0.55, 0.6]})


def test_the_progress_chart_shows_achieved_against_planned_with_the_target_at_100_percent():
    figure = progress_figure(series())
    assert [t.name for t in figure.data] == ["planned", "achieved"]
    assert figure.layout.shapes[0].y0 == 1
    assert figure.layout.yaxis.tickformat == ".0%"


def test_a_sparkline_hides_its_axes_and_takes_the_status_colour():
    figure = progress_figure(series(), status="off_track", compact=True)
    assert figure.layout.height <= 100 and figure.layout.xaxis.visible is False
    assert figure.data[1].line.color == STATUS_COLOURS[Status.OFF_TRACK]


def test_an_empty_series_says_there_are_no_figures():
    figure = progress_figure(series().iloc[0:0])
    assert figure.data == () and "No figures" in figure.layout.annotations[0].text


def chart(**overrides):
    points = pd.DataFrame({"on": [date(2020, 1, 1), date(2024, 12, 31)], "value": [100, 50]})
    base = dict(unit="cases", status="slipping",
                figures=pd.DataFrame({"on": [date(2022, 1, 31), date(2022, 2, 28)],
                                      "value": [90.0, 88.0], "provisional": [False, True]}),
                current=points, original=points.assign(value=[100, 40]),
                target_date=date(2024, 12, 31), target_value=50.0,
                forecast_value=60.0, forecast_low=52.0, forecast_high=68.0)
    return GoalChart(**{**base, **overrides})


def test_the_goal_chart_shows_both_promises_the_figures_the_forecast_band_and_the_target():
    figure = goal_figure(chart())
    names = [t.name for t in figure.data]
    assert names == ["original promise", "trajectory in force", "forecast 80% range",
                     "forecast", "figures", "target"]
    band = figure.data[2]
    assert list(band.y) == [88.0, 68.0, 52.0, 88.0]  # from the last figure to the range
    assert figure.data[4].line.color == STATUS_COLOURS[Status.SLIPPING]
    assert list(figure.data[4].marker.color) == [STATUS_COLOURS[Status.SLIPPING], "#fff"]


def test_without_a_range_or_a_re_plan_the_chart_leaves_them_out():
    figure = goal_figure(chart(original=pd.DataFrame(columns=["on", "value"]),
                               forecast_low=None, forecast_high=None))
    assert [t.name for t in figure.data] == ["trajectory in force", "forecast", "figures",
                                             "target"]


def test_the_review_sparkline_is_plain_data_that_plotly_accepts_as_is():
    spec = progress_spec(series().assign(actual=[0.4, None, 0.55]), compact=True)
    assert json.loads(json.dumps(spec, allow_nan=False)) == spec  # plain JSON, sent as built
    assert spec["data"][0]["x"] == ["2022-10-31", "2022-11-30", "2022-12-31"]
    assert spec["data"][1]["y"] == [0.4, None, 0.55]  # a month without figures is a gap
    figure = go.Figure(spec)  # validates every property
    assert figure.to_plotly_json()["layout"]["height"] == figure.layout.height <= 100
    assert [t.name for t in figure.data] == ["planned", "achieved"]


def test_an_open_flag_draws_the_band_its_check_expected_and_marks_its_period():
    band = {"periods": ["2022-01-31", "2022-02-28"], "expected": [80.0, 82.0],
            "low": [70.0, 71.0], "high": [90.0, 93.0]}
    figure = goal_figure(chart(flag_bands=(FlagBand("outlier", date(2022, 2, 28), band),)))
    (shaded,) = [t for t in figure.data if t.name == "expected (outlier)"]
    assert list(shaded.y) == [90.0, 93.0, 71.0, 70.0] and shaded.fill == "toself"
    assert [s.x0 for s in figure.layout.shapes] == [pd.Timestamp("2022-02-28")]


def test_a_flag_without_a_usable_band_draws_nothing():
    broken = {"periods": ["2022-01-31"], "low": [], "high": []}
    figure = goal_figure(chart(flag_bands=(FlagBand("late", date(2022, 2, 28), broken),)))
    assert len(figure.data) == len(goal_figure(chart()).data) and not figure.layout.shapes


def test_the_review_sparkline_is_svg_drawn_on_the_server_on_the_same_scale():
    from xml.etree import ElementTree

    from dashboards.figures.trajectory import sparkline_svg, svg_data_uri

    svg = sparkline_svg(series().assign(actual=[0.4, None, 0.55]), status="off_track")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    target, planned, actual = root.find(f"{ns}line"), *root.findall(f"{ns}path")
    assert planned.get("d").count("L") == 2  # three months planned
    assert actual.get("d").count("M") == 2 and "L" not in actual.get("d")  # a gap: no line
    assert actual.get("stroke") == STATUS_COLOURS[Status.OFF_TRACK]
    assert planned.get("stroke-dasharray") and target.get("stroke-dasharray")
    top = float(target.get("y1"))  # 100%: above every point (a lower y)
    assert all(float(p.split(",")[1]) > top for p in
               planned.get("d").replace("M", " ").replace("L", " ").split())
    assert svg_data_uri(svg).startswith("data:image/svg+xml") and "#" not in svg_data_uri(svg)
    empty = ElementTree.fromstring(sparkline_svg(series().iloc[0:0]))
    assert "No figures" in empty.find(f"{ns}text").text
