"""The goal catalogue's rule: what a view keeps and in what order (pure), a view read from a
URL (hostile ones too), the demo's catalogue frame, and its downloads."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from delivery.catalogue import GoalQuery, catalogue_frame, filter_goals
from delivery.catalogue.export import goals_csv, goals_xlsx
from delivery.catalogue.grid import with_catalogue_columns
from delivery.clock import review_date

AS_OF = date(2023, 1, 16)


def frame() -> pd.DataFrame:
    goals = pd.DataFrame([
        # code, name, pillar, objective, owner, status, frequency, shortfall, latest end
        ("G-1", "Homicídios em Recife", "P1", "O1", "SDS", "off_track", "monthly", 0.40,
         date(2022, 12, 31)),
        ("G-2", "School attendance", "P2", "O2", "SEE", "on_track", "quarterly", -0.1,
         date(2022, 9, 30)),
        ("=G-3", "Waiting list, surgery", "P3", "O3", "SES", "slipping", "monthly", 0.10,
         date(2022, 6, 30)),
        ("G-4", "Saude da familia", "P3", "O3", None, "no_recent_data", "yearly", None, None),
    ], columns=["code", "name", "pillar_code", "objective_code", "owner_code", "status",
                "frequency", "shortfall", "latest_period_end"])
    goals = goals.assign(
        goal_id=[1, 2, 3, 4], indicator="", owner=goals["owner_code"], unit="%",
        pillar=goals["pillar_code"] + " name", objective=goals["objective_code"] + " name",
        reporting_lag_days=None, baseline_date=date(2020, 1, 1), latest_value=[1.0, 2, 3, None],
        planned=[2.0, 2, 3, None])
    links = pd.DataFrame({"goal_id": [1, 1, 3], "pact": ["PPV", "PPS", "PPS"]})
    return with_catalogue_columns(goals, links, AS_OF)


def codes(query: GoalQuery) -> list[str]:
    return list(filter_goals(frame(), query)["code"])


def test_the_empty_view_keeps_every_goal_in_catalogue_order():
    assert codes(GoalQuery()) == ["G-1", "G-2", "=G-3", "G-4"]


def test_search_matches_every_word_in_any_case_and_without_accents():
    assert codes(GoalQuery(text="homicidios RECIFE")) == ["G-1"]
    assert codes(GoalQuery(text="saúde")) == ["G-4"]
    assert codes(GoalQuery(text="ses")) == ["=G-3"]  # the owner's code
    assert codes(GoalQuery(text="nothing like it")) == []


def test_filters_keep_any_chosen_value_and_combine():
    assert codes(GoalQuery(pillar=("P3",))) == ["=G-3", "G-4"]
    assert codes(GoalQuery(pillar=("P1", "P2"))) == ["G-1", "G-2"]
    assert codes(GoalQuery(pillar=("P3",), status=("slipping",))) == ["=G-3"]
    assert codes(GoalQuery(secretariat=("SEE",))) == ["G-2"]
    assert codes(GoalQuery(objective=("O2",), frequency=("quarterly",))) == ["G-2"]
    assert codes(GoalQuery(frequency=("weekly",))) == []


def test_a_pact_keeps_its_goals_only_by_whole_code():
    assert codes(GoalQuery(pact=("PPS",))) == ["G-1", "=G-3"]
    assert codes(GoalQuery(pact=("PP",))) == []  # a prefix is not a pact


def test_late_keeps_the_goals_whose_next_figure_is_overdue():
    f = frame().set_index("code")
    # monthly, last figure June: due one month plus one month's lag after 30 Jun
    assert f.loc["=G-3", "days_late"] == (AS_OF - date(2022, 6, 30)).days - 62
    assert f.loc["G-1", "days_late"] == 0
    assert codes(GoalQuery(late=True)) == ["=G-3", "G-4"]


def test_sort_status_worst_first_and_missing_values_last():
    assert codes(GoalQuery(sort="status")) == ["G-1", "=G-3", "G-4", "G-2"]
    assert codes(GoalQuery(sort="status", descending=True)) == ["G-2", "G-4", "=G-3", "G-1"]
    assert codes(GoalQuery(sort="shortfall", descending=True)) == ["G-1", "=G-3", "G-2", "G-4"]
    assert codes(GoalQuery(sort="shortfall")) == ["G-2", "=G-3", "G-1", "G-4"]
    assert codes(GoalQuery(sort="name")) == ["G-1", "G-4", "G-2", "=G-3"]


def test_a_view_goes_into_a_link_and_comes_back_the_same():
    query = GoalQuery(text="água x", pillar=("P1", "P2"), pact=("PPV",), status=("off_track",),
                      frequency=("monthly",), late=True, sort="shortfall", descending=True)
    assert GoalQuery.from_search(query.search()) == query
    assert GoalQuery().search() == ""


@pytest.mark.parametrize("search", [
    "?status=exploded&frequency=hourly&sort=password&late=maybe",
    "?q=" + "x" * 20000, "?pillar=%00&q=%00", "?sort=-", "?status=off_track,off_track",
    "?%ZZ=1&&&=", "?pillar=" + "&pillar=".join(str(i) for i in range(500)),
])
def test_a_hostile_link_gives_a_view_not_an_error(search):
    query = GoalQuery.from_search(search)
    assert set(query.status) <= {"off_track"} and not query.frequency
    assert query.sort == "" and len(query.text) <= 200 and len(query.pillar) <= 50
    assert "\x00" not in query.text and "\x00" not in "".join(query.pillar)
    filter_goals(frame(), query)


def test_the_demo_catalogue_filters_as_the_status_frame_says(demo):
    with demo() as session:
        full = catalogue_frame(session, review_date(session))
    assert len(full) == 134
    off = filter_goals(full, GoalQuery(status=("off_track",), sort="shortfall", descending=True))
    assert len(off) == int((full["status"] == "off_track").sum()) > 0
    assert off["shortfall"].is_monotonic_decreasing
    in_ppv = filter_goals(full, GoalQuery(pact=("PPV",)))
    assert 0 < len(in_ppv) < len(full) and in_ppv["pacts"].str.contains("PPV").all()


def test_downloads_write_what_is_shown_in_its_order_and_formula_safe():
    shown = filter_goals(frame(), GoalQuery(sort="status"))
    rows = list(csv.reader(io.StringIO(goals_csv(shown))))
    assert rows[0][:2] == ["Code", "Goal"]
    assert [r[0] for r in rows[1:]] == ["G-1", "'=G-3", "G-4", "G-2"]
    assert rows[1][12] == "Off track"
    book = openpyxl.load_workbook(io.BytesIO(goals_xlsx(shown)))
    sheet = book.active
    assert [c.value for c in sheet["A"]][1:] == ["G-1", "'=G-3", "G-4", "G-2"]
    assert sheet["L2"].value == pytest.approx(0.4)  # shortfall stays a number
