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


def test_status_changes_past_the_shown_rows_are_counted_not_listed():
    from datetime import date

    from dashboards.components.review import SHOWN, changes_block
    from delivery.review import WeeklyReview

    n = SHOWN + 7
    changes = pd.DataFrame({"goal_id": range(n), "name": [f"Goal {i}" for i in range(n)],
                            "code": [f"G{i:03}" for i in range(n)], "owner_code": ["SDS"] * n,
                            "was": ["on_track"] * n, "status": ["off_track"] * n,
                            "change": [-2] * n})
    figures = pd.DataFrame({"code": [f"G{i:03}" for i in range(n)],
                            "period_end": [date(2020, 6, 30)] * n, "value": [1.0] * n,
                            "revision": [2] * n, "reported_by": ["ana"] * n})
    review = WeeklyReview(date(2020, 6, 30), changes, pd.DataFrame(), None, "", pd.DataFrame(),
                          None, pd.DataFrame(), changes, figures, pd.DataFrame(),
                          pd.DataFrame())
    summary, table, more, fixes = changes_block(review).children
    assert summary.children[0].children[0].children == f"{n:,}"  # every change counted
    assert len(table.children.children[1].children) == SHOWN  # the worst SHOWN listed
    assert more.children == "and 7 more"
    assert len(fixes.children[1].children) == SHOWN
    assert fixes.children[2].children == "and 7 more"
