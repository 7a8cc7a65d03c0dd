"""The weekly review's tables, built from frames without a database or a browser."""

from __future__ import annotations

import pandas as pd

from dashboards.components.review import attention_table, rows_of

REASON = "The figure for June 2020, 8,532, is 16% of the planned change behind the trajectory."


def worst(**extra):  # type: ignore[no-untyped-def]
    return pd.DataFrame({"goal_id": [1], "status": ["off_track"], "name": ["Homicides"],
                         "code": ["G1"], "owner_code": ["SDS"], "owner": ["Defence"],
                         "latest_value": [8532.0], "planned": [7985.0], "unit": ["deaths"],
                         "shortfall": [0.16], **extra})


def cells(table):  # type: ignore[no-untyped-def]
    return table.children[1].children[0].children


def test_the_most_off_track_table_gives_each_goals_reason_as_the_tooltip_of_its_figures():
    figures = cells(attention_table(worst(reason=[REASON])))[3]
    assert figures.title == REASON
    assert figures.children[0].children == "8,532 vs 7,985"


def test_without_reasons_the_table_has_no_tooltip_on_the_figures():
    assert cells(attention_table(worst()))[3].title is None


def test_rows_carry_only_the_columns_asked_for_that_the_frame_has():
    row = next(iter(rows_of(worst(), ["code", "shortfall", "reason"])))
    assert row._fields == ("Index", "code", "shortfall")
