"""Tables sorted by their headers: the keys sort numbers as numbers, days as days and text
without case or accents, missing values last either way; each table's default order (most
urgent or most recent first); a click reads the rows again only as the page lets its reader."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from dashboards.components.meetings import HEALTH_KEYS, MEETING_KEYS, health_table
from dashboards.components.pact import COMMITMENT_KEYS, GOAL_KEYS, with_shown
from dashboards.components.sortable import TABLES, sortable
from dashboards.components.sorting import (
    date_key,
    number_key,
    rank_key,
    sorted_frame,
    sorted_records,
    text_key,
)
from delivery.i18n import use_locale
from delivery.status import format_date
from tests.dashboards.test_auth_routes import route, viewer_of
from tests.dashboards.test_meeting_components import walk

ASC, DESC = {"asc": True}, {"asc": False}


def order(rows, col, keys, asc=True, field="id"):  # type: ignore[no-untyped-def]
    return [r[field] for r in sorted_records(rows, {"col": col, "asc": asc}, keys)]


@pytest.mark.parametrize(("key", "values", "expected"), [
    (number_key, [10, 9, 100.5, None, float("nan"), "12"], [9, 10, "12", 100.5]),
    (date_key, [date(2023, 2, 1), date(2023, 1, 9), pd.NaT, datetime(2023, 1, 10, 23, 0),
                "2022-12-31"], ["2022-12-31", date(2023, 1, 9), datetime(2023, 1, 10, 23, 0),
                                date(2023, 2, 1)]),
    (text_key, ["Zona", "ética", "Etapa", "", "abrir"], ["abrir", "Etapa", "ética", "Zona"]),
], ids=["numbers-not-text", "days-not-text", "text-without-case-or-accents"])
def test_keys_sort_values_not_their_formatted_text(key, values, expected):
    rows = [{"v": v} for v in values]
    sorted_values = [r["v"] for r in sorted_records(rows, {"col": "v", "asc": True},
                                                    {"v": lambda r: key(r["v"])})]
    assert sorted_values[:len(expected)] == expected
    # what has no value (None, NaN, NaT, "") comes after, in the order given
    assert len(sorted_values) == len(values)


def test_missing_values_go_last_whichever_the_direction():
    rows = [{"id": 1, "v": 3}, {"id": 2, "v": None}, {"id": 3, "v": 5}]
    keys = {"v": lambda r: number_key(r["v"])}
    assert order(rows, "v", keys, asc=True) == [1, 3, 2]
    assert order(rows, "v", keys, asc=False) == [3, 1, 2]


def test_an_unknown_column_or_odd_sort_leaves_the_order_as_given():
    rows = [{"id": 2}, {"id": 1}]
    assert order(rows, "nope", {"id": lambda r: r["id"]}) == [2, 1]
    assert [r["id"] for r in sorted_records(rows, "junk", {})] == [2, 1]  # type: ignore[arg-type]


def test_a_rank_puts_unknown_values_after_the_known():
    rank = rank_key(["off_track", "slipping"])
    assert [rank("slipping"), rank("off_track"), rank("on_track"), rank(None)] == [1, 0, 2, 2]


def test_days_shown_in_portuguese_would_sort_wrongly_as_text_but_the_key_sorts_days():
    days = [date(2023, 1, 9), date(2023, 2, 1), date(2022, 12, 31)]
    with use_locale("pt_BR"):
        shown = [format_date(d) for d in days]
        in_day_order = [format_date(d) for d in sorted(days)]
    assert sorted(shown) != in_day_order  # "01/02/2023" < "09/01/2023" < "31/12/2022"
    rows = [{"id": n, "d": d} for n, d in enumerate(days)]
    assert order(rows, "due", {"due": lambda r: date_key(r["d"])}) == [2, 0, 1]


def commitments(as_of: date = date(2023, 1, 16)) -> pd.DataFrame:
    frame = pd.DataFrame([
        {"commitment_id": 1, "description": "done early", "owner": "B", "secretariat": "SDS",
         "due_on": date(2023, 1, 2), "state": "done", "meeting": "m", "held_on": date(2023, 1, 1),
         "goal_id": 1},
        {"commitment_id": 2, "description": "Ahead", "owner": "a", "secretariat": "SDS",
         "due_on": date(2023, 2, 1), "state": "open", "meeting": "m", "held_on": date(2023, 1, 1),
         "goal_id": 1},
        {"commitment_id": 3, "description": "Late", "owner": "C", "secretariat": "SEE",
         "due_on": date(2023, 1, 10), "state": "open", "meeting": "m",
         "held_on": date(2023, 1, 1), "goal_id": 1}])
    return with_shown(frame, as_of)


def test_a_pacts_commitments_default_to_overdue_then_open_then_closed():
    rows = commitments().to_dict("records")
    assert order(rows, "state", COMMITMENT_KEYS, field="commitment_id") == [3, 2, 1]
    assert order(rows, "due", COMMITMENT_KEYS, field="commitment_id") == [1, 3, 2]
    assert order(rows, "owner", COMMITMENT_KEYS, field="commitment_id") == [2, 1, 3]


def test_a_pacts_goals_default_to_the_worst_status_first_and_numbers_sort_as_numbers():
    goals = [{"code": c, "name": n, "owner_code": "SDS", "latest_value": v, "target_value": t,
              "negotiated_target_value": None, "status": s}
             for c, n, v, t, s in [("A", "Água", 9.0, 100.0, "on_track"),
                                   ("B", "bolsa", 10.0, 20.0, "off_track"),
                                   ("C", "Casa", None, 3.0, "slipping")]]
    assert order(goals, "status", GOAL_KEYS, field="code") == ["B", "C", "A"]
    assert order(goals, "latest", GOAL_KEYS, field="code", asc=False) == ["B", "A", "C"]
    assert order(goals, "target", GOAL_KEYS, field="code") == ["C", "B", "A"]
    assert order(goals, "goal", GOAL_KEYS, field="code") == ["A", "B", "C"]


def test_meetings_sort_by_day_and_by_counts():
    rows = [{"id": 1, "held_on": date(2023, 1, 9), "title": "b", "agenda_items": 10,
             "commitments": 2, "state": "held", "closed": True},
            {"id": 2, "held_on": date(2022, 12, 30), "title": "A", "agenda_items": 9,
             "commitments": 0, "state": "held", "closed": True},
            {"id": 3, "held_on": date(2023, 1, 19), "title": "c", "agenda_items": 12,
             "commitments": 0, "state": "scheduled", "closed": False}]
    assert order(rows, "date", MEETING_KEYS, asc=False) == [3, 1, 2]
    assert order(rows, "items", MEETING_KEYS) == [2, 1, 3]
    assert order(rows, "state", MEETING_KEYS) == [3, 1, 2]


def health_frame() -> pd.DataFrame:
    base = {"scheduled": 10, "held": 10, "cancelled": 0, "not_recorded": 0, "held_share": 1.0,
            "commitments_due": 4, "closed_on_time": 4, "open_overdue": 0,
            "mean_days_overdue": float("nan")}
    return pd.DataFrame([
        {**base, "scope": "unit", "code": "", "name": "Unit", "on_time_share": 0.6},
        {**base, "scope": "pact", "code": "PPV", "name": "Life", "on_time_share": 0.9},
        {**base, "scope": "pact", "code": "PPE", "name": "Education", "on_time_share": 0.5}])


def test_the_health_table_keeps_the_units_row_first_however_sorted():
    for sort in ({"col": "on_time", "asc": True}, {"col": "on_time", "asc": False},
                 {"col": "routine", "asc": True}):
        table = health_table(sorted_frame(health_frame(), sort, HEALTH_KEYS), sort=sort,
                             table="t")
        names = [r.children[0].children for r in walk(table)
                 if "health-row" in (getattr(r, "className", "") or "")]
        assert names[0].children == "Unit"
        assert names[1:] == (["Education", "Life"] if sort != {"col": "on_time", "asc": False}
                             else ["Life", "Education"])


def test_a_sortable_table_is_drawn_in_its_default_order_with_aria_sort(site):
    table = TABLES["meetings-health"]
    drawn = sortable(table, health_frame(), {"as_of": "2023-01-16"})
    headers = {h.children.id["col"]: h.to_plotly_json()["props"]["aria-sort"]
               for h in walk(drawn) if type(h).__name__ == "Th"}
    assert headers["on_time"] == "ascending"
    assert {v for k, v in headers.items() if k != "on_time"} == {"none"}


@pytest.mark.parametrize("context", [{"pact": "PPV"}, {"pact": ["PPV"]}, "PPV", None,
                                     {"pact": "x" * 5000}, {"routine": {"a": 1}},
                                     {"as_of": "9999-99-99"}],
                         ids=["fine", "list", "text", "none", "long", "odd-routine", "bad-day"])
@pytest.mark.parametrize("name", ["pact-goals", "pact-commitments", "pact-meetings",
                                  "meetings-upcoming", "meetings-past", "meetings-health"])
def test_reading_a_table_again_takes_any_context_without_failing(site, name, context):
    with site.factory() as session:
        frame = TABLES[name].load(session, viewer_of(site, "analyst"), context)
    assert isinstance(frame, pd.DataFrame)


@pytest.mark.parametrize(("persona", "sees"), [("secretariat", True),
                                               ("other_secretariat", False)])
def test_a_click_reads_a_pacts_rows_only_for_who_sees_the_pact(site, persona, sees):
    with site.factory() as session:
        goals = TABLES["pact-goals"].load(session, viewer_of(site, persona), {"pact": "PPV"})
    assert (not goals.empty) is sees


def test_the_pact_and_meetings_pages_draw_sortable_headers(site):
    for path in ("/pact/PPV", "/meetings"):
        body = route(site.client("analyst"), path).get_data(as_text=True)
        assert "sortable-sort" in body and "aria-sort" in body
