"""Typing figures in: every row checked and named when wrong, all or nothing, and each row told
which revision it became."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from delivery.access import AccessDenied, Viewer
from delivery.figure_entry import (
    FigureRowsInvalid,
    enter_figures,
    recent_figures,
    reportable_goals,
)
from delivery.models import Figure, User
from tests.personas import build_government, fast_password_hashing  # noqa: F401


@pytest.fixture
def gov(db):
    return build_government(db)


def person(session, gov, persona):
    return Viewer.of(session.get(User, gov.users[persona]))


def row(start, end, value, provisional=False, note=""):
    return {"period_start": start, "period_end": end, "value": value,
            "provisional": provisional, "note": note}


def test_rows_are_recorded_and_a_changed_value_is_a_new_revision(db, gov):
    ana, goal = person(db, gov, "analyst"), gov.goals["firearms"]
    first = enter_figures(db, ana, goal, [row("2023-02-01", "2023-02-28", "90", True),
                                          {}, row("2023-03-01", "2023-03-31", 88.5)])
    assert [(o.row.number, o.revision, o.message) for o in first] == [
        (1, 1, "recorded as revision 1"), (3, 1, "recorded as revision 1")]
    again = enter_figures(db, ana, goal, [row("2023-02-01", "2023-02-28", 91, note="late form"),
                                          row("2023-03-01", "2023-03-31", "88.5")])
    assert [o.message for o in again] == [
        "recorded as revision 2", "already recorded as revision 1: nothing changed"]
    recent = recent_figures(db, goal)
    assert list(recent["value"][:2]) == [88.5, 91.0] and list(recent["revision"][:2]) == [1, 2]


def test_bad_rows_are_named_and_nothing_is_stored(db, gov):
    before = db.scalar(select(func.count(Figure.id)))
    rows = [row("2023-02-01", "2023-02-28", 10), row("2023-13-01", "2023-02-28", 1),
            row("2023-03-01", "2023-02-28", 1), row("2023-04-01", "2023-04-30", "abc"),
            row("2023-02-01", "2023-02-28", 12), row("2023-05-01", "", 1)]
    with pytest.raises(FigureRowsInvalid) as caught:
        enter_figures(db, person(db, gov, "analyst"), gov.goals["firearms"], rows)
    assert caught.value.errors == [
        "row 2: period start: '2023-13-01' is not a date like 2024-06-30",
        "row 3: period end: before the period start",
        "row 4: value: 'abc' is not a number",
        "row 5: period start: 1 Feb 2023 is already in row 1",
        "row 6: period end: missing",
    ]
    assert db.scalar(select(func.count(Figure.id))) == before


def test_an_empty_grid_says_so(db, gov):
    with pytest.raises(FigureRowsInvalid, match="fill in at least one row"):
        enter_figures(db, person(db, gov, "analyst"), gov.goals["firearms"], [{}, row("", "", "")])


def test_a_secretariat_enters_figures_only_for_its_own_goals(db, gov):
    sonia = person(db, gov, "secretariat")
    codes = {code for _, code, _ in reportable_goals(db, sonia)}
    assert codes == {"SDS-HOM", "SDS-ARM"}
    assert reportable_goals(db, person(db, gov, "governor")) == []
    with pytest.raises(AccessDenied):
        enter_figures(db, sonia, gov.goals["prison"], [row("2023-02-01", "2023-02-28", 1)])
    outcome = enter_figures(db, sonia, gov.goals["homicides"],
                            [row(date(2023, 2, 1).isoformat(), "2023-02-28", 3)])
    assert outcome[0].written
