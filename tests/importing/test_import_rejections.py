"""Rows with a problem are rejected and reported with file, row, column and reason; the good
rows of the same file are still imported, unless the import is all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from delivery.importing import RowError, import_file
from delivery.models import Figure, Goal, Objective, Pillar, Secretariat
from delivery.vocabulary import Direction, Frequency

MAPPING = """\
goal:
  code: "{goal}"
  create_missing: true
  set: {direction: down, frequency: monthly}
period: {column: period, format: month}
value: value
"""

HEADER = "goal,period,value\n"

CASES = [
    ("not-a-number", "A,2021-01,10\nA,2021-02,abc\n",
     [(3, "value", "'abc' is not a number")]),
    ("decimal-comma-without-saying-so", "A,2021-01,10\nA,2021-02,\"1,5\"\n",
     [(3, "value", "'1,5' is not a number (for a decimal comma, set read.decimal: \",\")")]),
    ("infinite", "A,2021-01,10\nA,2021-02,inf\n", [(3, "value", "'inf' is not a number")]),
    ("unparseable-period", "A,2021-01,10\nA,2021-13,11\n",
     [(3, "period", "month 13 is not 1-12")]),
    ("no-period", "A,2021-01,10\nA,,11\n", [(3, "period", "no period given")]),
    ("no-goal-code", "A,2021-01,10\n,2021-02,11\n",
     [(3, "goal", "no goal code: the cell is blank")]),
    ("same-goal-and-period-with-another-value", "A,2021-01,10\nB,2021-01,5\nA,2021-01,11\n",
     [(4, "value", "goal A already has 10 for the period starting 1 Jan 2021 in row 2; "
                   "this row says 11")]),
    ("two-problems-in-one-row", "A,2021-01,10\nA,someday,x\n",
     [(3, "period", "'someday' is not a month (expected e.g. 2021-03, 03/2021, Mar 2021 or "
                    "março de 2021)"), (3, "value", "'x' is not a number")]),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_it_rejects_the_bad_row_naming_file_row_column_and_reason(db, write, body, expected):
    mapping = write("m.yaml", MAPPING)
    report = import_file(db, write("f.csv", HEADER + body), mapping, actor="analyst")

    assert report.errors == [RowError("f.csv", row, column, reason)
                             for row, column, reason in expected]
    assert report.rejected == 1
    for row, column, reason in expected:
        assert f"f.csv:{row} {column}: {reason}" in report.render_text()


def test_the_good_rows_of_a_file_with_bad_rows_are_imported(db, write, revisions_of):
    body = "A,2021-01,10\nA,2021-02,abc\nA,2021-03,12\nB,2021-13,1\n"
    report = import_file(db, write("f.csv", HEADER + body), write("m.yaml", MAPPING),
                         actor="analyst")

    assert report.figures_new == 2 and report.rejected == 2
    assert report.goals_created == 1  # B has no good row, so it is not created
    assert [f.value for f in revisions_of(db, "A", date(2021, 3, 1))] == [12.0]
    assert revisions_of(db, "A", date(2021, 2, 1)) == []


def test_the_same_figure_twice_is_imported_once_and_not_rejected(db, write, count):
    body = "A,2021-01,10\nA,Jan 2021,10.0\n"
    report = import_file(db, write("f.csv", HEADER + body), write("m.yaml", MAPPING),
                         actor="analyst")

    assert report.ok
    assert (report.figures_new, report.duplicate_rows) == (1, 1)
    assert count(db, Figure) == 1


def test_blank_values_are_skipped_and_counted_not_rejected(db, write, count):
    mapping = write("m.yaml", MAPPING + "read: {blank: ['-', 'n/d']}\n")
    body = "A,2021-01,\nA,2021-02,-\nA,2021-03,  \nA,2021-04,n/d\nA,2021-05,7\n"
    report = import_file(db, write("f.csv", HEADER + body), mapping, actor="analyst")

    assert report.ok
    assert (report.blank_values, report.figures_new) == (4, 1)
    assert count(db, Figure) == 1


def test_an_unknown_goal_is_rejected_when_the_mapping_does_not_create_goals(db, write):
    mapping = write("m.yaml", "goal: {code: '{goal}'}\nperiod: {column: period}\nvalue: value\n")
    report = import_file(db, write("f.csv", HEADER + "NOPE,2021-01,1\n"), mapping,
                         actor="analyst")

    assert report.errors == [
        RowError("f.csv", 2, "goal", "unknown goal 'NOPE' (goal.create_missing is false)")
    ]
    assert report.figures_new == 0


def test_a_new_goal_without_a_direction_is_rejected_with_the_reason(db, write, count):
    mapping = write("m.yaml", "goal: {code: '{goal}', create_missing: true, "
                              "set: {frequency: monthly}}\n"
                              "period: {column: period}\nvalue: value\n")
    report = import_file(db, write("f.csv", HEADER + "A,2021-01,1\n"), mapping, actor="analyst")

    assert report.errors == [RowError(
        "f.csv", 2, "goal.set.direction",
        "new goal 'A' needs a direction: set goal.set.direction in the mapping, or fill its column",
    )]
    assert count(db, Goal) == 0


GOAL_COLUMNS_MAPPING = """\
read: {day_first: true}
goal:
  code: "{goal}"
  create_missing: true
  set: {direction: "{direction}", frequency: "{frequency}", baseline_value: "{baseline}",
        baseline_date: "{since}", target_low: "{low}", target_high: "{high}"}
period: {column: period}
value: value
"""
GOAL_HEADER = "goal,direction,frequency,baseline,since,low,high,period,value\n"

GOAL_CASES = [
    ("bad-direction", "A,sideways,monthly,1,,,,2021-01,5\n",
     (2, "direction", "direction: 'sideways' is not a direction (use up, down, range)")),
    ("bad-frequency", "A,up,fortnightly,1,,,,2021-01,5\n",
     (2, "frequency", "frequency: 'fortnightly' is not a frequency (use weekly, monthly, "
                      "quarterly, yearly)")),
    ("bad-number", "A,up,monthly,lots,,,,2021-01,5\n",
     (2, "baseline", "baseline_value: 'lots' is not a number")),
    ("bad-date", "A,up,monthly,1,31/02/2020,,,2021-01,5\n",
     (2, "since", "baseline_date: day 31 does not exist in 2020-02 (reading day/month/year)")),
    ("range-without-band", "A,range,monthly,1,,,,2021-01,5\n",
     (2, "direction", "a range goal needs target_low and target_high")),
    ("band-upside-down", "A,range,monthly,1,,9,3,2021-01,5\n",
     (2, "low", "target_low 9.0 is above target_high 3.0")),
    ("conflicting-rows", "A,up,monthly,1,,,,2021-01,5\nA,down,monthly,1,,,,2021-02,6\n",
     (3, "direction", "goal A: direction 'down' differs from 'up' given for the same goal in "
                      "row 2")),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in GOAL_CASES],
                         ids=[c[0] for c in GOAL_CASES])
def test_it_rejects_rows_whose_goal_attributes_are_wrong(db, write, body, expected):
    report = import_file(db, write("g.csv", GOAL_HEADER + body),
                         write("m.yaml", GOAL_COLUMNS_MAPPING), actor="analyst")

    assert report.errors == [RowError("g.csv", *expected)]


def test_changed_goal_attributes_update_the_existing_goal(db, write):
    mapping = write("m.yaml", GOAL_COLUMNS_MAPPING)
    import_file(db, write("g.csv", GOAL_HEADER + "A,up,monthly,1,01/02/2020,,,2021-01,5\n"),
                mapping, actor="analyst")
    body = "A,down,monthly,2,,,,2021-01,5\nB,up,yearly,,,,,2021,1\n"
    report = import_file(db, write("g2.csv", GOAL_HEADER + body), mapping, actor="analyst")

    assert (report.goals_created, report.goals_updated, report.goals_unchanged) == (1, 1, 0)
    goal = db.query(Goal).filter_by(code="A").one()
    assert (goal.direction, goal.baseline_value) == (Direction.DOWN, 2.0)
    assert goal.baseline_date == date(2020, 2, 1)  # blank in the new file: left alone
    assert db.query(Goal).filter_by(code="B").one().frequency == Frequency.YEARLY


def test_all_or_nothing_writes_nothing_when_a_row_is_rejected_but_reports_everything(
    db, write, count
):
    body = "A,2021-01,10\nA,2021-02,abc\nB,2021-03,12\n"
    report = import_file(db, write("f.csv", HEADER + body), write("m.yaml", MAPPING),
                         actor="analyst", all_or_nothing=True)

    assert report.errors == [RowError("f.csv", 3, "value", "'abc' is not a number")]
    assert not report.written
    assert (report.goals_created, report.figures_new) == (2, 2)  # what would have been done
    assert "Nothing was written" in report.render_text()
    for model in (Goal, Figure, Objective, Pillar, Secretariat):
        assert count(db, model) == 0


def test_all_or_nothing_writes_everything_when_no_row_is_rejected(db, write, count):
    report = import_file(db, write("f.csv", HEADER + "A,2021-01,10\n"), write("m.yaml", MAPPING),
                         actor="analyst", all_or_nothing=True)

    assert report.ok and report.written
    assert count(db, Figure) == 1


def test_a_dry_run_writes_nothing_and_reports_what_would_happen(db, write, count):
    mapping = write("m.yaml", MAPPING.replace("set: {", "set: {owner: SDS, objective: Safety, "))
    csv = write("f.csv", HEADER + "A,2021-01,10\nA,2021-02,11\nB,2021-01,3\n")
    report = import_file(db, csv, mapping, actor="analyst", dry_run=True)

    assert report.ok and not report.written
    assert (report.goals_created, report.figures_new) == (2, 3)
    assert (report.objectives_created, report.secretariats_created, report.pillars_created) == (
        1, 1, 1
    )
    assert "Dry run: nothing was written." in report.render_text()
    for model in (Goal, Figure, Objective, Pillar, Secretariat):
        assert count(db, model) == 0


def test_a_dry_run_after_an_import_reports_revisions_without_writing_them(db, write, count):
    mapping = write("m.yaml", MAPPING)
    import_file(db, write("f.csv", HEADER + "A,2021-01,10\nA,2021-02,11\n"), mapping,
                actor="analyst")
    report = import_file(db, write("f2.csv", HEADER + "A,2021-01,10\nA,2021-02,12\n"), mapping,
                         actor="analyst", dry_run=True)

    assert (report.figures_unchanged, report.figures_revised) == (1, 1)
    assert count(db, Figure) == 2


def test_the_preview_lists_each_figure_that_would_change_beside_its_value_before(db, write):
    """Revised figures first, the largest change first, then new periods (nothing before)."""
    from datetime import date

    from delivery.importing.report import FigureChange

    mapping = write("m.yaml", MAPPING)
    import_file(db, write("f.csv", HEADER + "A,2021-01,10\nA,2021-02,11\nA,2021-03,5\n"),
                mapping, actor="analyst")
    report = import_file(db, write("f2.csv", HEADER + "A,2021-01,10\nA,2021-02,12\n"
                                   "A,2021-03,8\nA,2021-04,7\n"), mapping,
                         actor="analyst", dry_run=True)

    assert [(c.goal, c.period_start, c.before, c.after) for c in report.changes] == [
        ("A", date(2021, 3, 1), 5.0, 8.0), ("A", date(2021, 2, 1), 11.0, 12.0),
        ("A", date(2021, 4, 1), None, 7.0)]
    assert all(isinstance(c, FigureChange) for c in report.changes)


def test_the_actor_is_left_on_the_session_for_the_audit_trail(db, write):
    import_file(db, write("f.csv", HEADER + "A,2021-01,10\n"), write("m.yaml", MAPPING),
                actor="maria")
    assert db.info["actor"] == "maria"
