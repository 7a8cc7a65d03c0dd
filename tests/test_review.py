from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from delivery.review import (
    aggregate_progress,
    month_ends,
    most_off_track,
    rotation_index,
    status_changes,
    week_number,
)


def test_the_rotation_moves_on_every_monday_and_wraps_around_the_objectives():
    sunday, monday = date(2023, 1, 15), date(2023, 1, 16)
    assert week_number(monday) == week_number(sunday) + 1
    assert week_number(monday) == week_number(date(2023, 1, 22))
    turns = [rotation_index(date(2023, 1, 2) + pd.Timedelta(weeks=w), 12) for w in range(12)]
    assert sorted(turns) == list(range(12))  # every objective once in twelve weeks
    assert rotation_index(monday, 0) is None


def test_the_rotation_is_continuous_across_a_new_year():
    last_week, first_week = date(2022, 12, 26), date(2023, 1, 2)
    assert rotation_index(first_week, 12) == (rotation_index(last_week, 12) + 1) % 12


def frame(rows):
    return pd.DataFrame(rows, columns=["goal_id", "code", "status", "shortfall"])


def test_the_most_off_track_come_worst_first_off_track_before_slipping():
    statuses = frame([(1, "A", "slipping", 0.9), (2, "B", "off_track", 0.2),
                      (3, "C", "on_track", 0.0), (4, "D", "off_track", 0.6),
                      (5, "E", "no_recent_data", None)])
    assert most_off_track(statuses, 3)["code"].tolist() == ["D", "B", "A"]


def test_with_no_goal_behind_the_list_of_most_off_track_is_empty():
    assert most_off_track(frame([(1, "A", "no_recent_data", None), (2, "B", "on_track", 0.0)])
                          ).empty


def test_status_changes_list_worsening_goals_first():
    now = frame([(1, "A", "on_track", 0), (2, "B", "off_track", 0), (3, "C", "slipping", 0)])
    before = frame([(1, "A", "slipping", 0), (2, "B", "on_track", 0), (3, "C", "slipping", 0)])
    changes = status_changes(now, before)
    assert changes["code"].tolist() == ["B", "A"]
    assert changes["was"].tolist() == ["on_track", "slipping"]


def test_month_ends_stop_at_the_last_one_before_the_date():
    assert month_ends(date(2023, 1, 16), 3) == [date(2022, 10, 31), date(2022, 11, 30),
                                                date(2022, 12, 31)]


def test_aggregate_progress_averages_the_goals_with_a_figure():
    on = pd.Timestamp("2022-12-31")
    history = pd.DataFrame({"goal_id": [1, 2, 3], "on": [on] * 3,
                            "actual": [0.5, 1.0, None], "planned": [0.6, 0.8, 0.7]})
    goals = pd.DataFrame({"goal_id": [1, 2, 3], "pillar_code": ["P", "P", "P"]})
    row = aggregate_progress(history, goals, "pillar_code").iloc[0]
    assert row["actual"] == pytest.approx(0.75) and row["planned"] == pytest.approx(0.7)
    assert row["goals"] == 2


@pytest.mark.parametrize(("kind", "code"), [("objective", "OE01"), ("pillar", "SAU")])
def test_a_group_view_grades_its_own_goals_as_the_whole_government_pass_does(demo, kind, code):
    from delivery.assessment import goal_statuses
    from delivery.review import group_view

    with demo() as session:
        day = date(2023, 1, 16)  # the demo's review date
        view = group_view(session, day, kind, code, spending=pd.DataFrame())
        everyone = goal_statuses(session, day)
    assert view is not None and len(view.goals) > 0
    expected = everyone[everyone[f"{kind}_code"] == code].set_index("goal_id")
    got = view.goals.set_index("goal_id")
    assert sorted(got.index) == sorted(expected.index)
    assert got["status"].to_dict() == expected["status"].to_dict()
    assert got["reason"].to_dict() == expected["reason"].to_dict()
