"""The workspace's builders, without an app: milestones read from grid rows, the shape that is
saved, the preview figure, and the import summary."""

from __future__ import annotations

from datetime import date

import pytest

from dashboards.components.workspace import (
    import_counts,
    import_summary,
    milestone_rows,
    read_milestones,
    row_errors_table,
    shape_to_save,
)
from dashboards.figures.preview import path_points, trajectory_preview
from delivery.importing import ImportReport, RowError
from delivery.trajectories import generate_milestones
from delivery.vocabulary import Frequency, Shape

BASELINE, TARGET = (date(2020, 1, 1), 100.0), (date(2023, 12, 31), 60.0)


def test_grid_rows_round_trip_to_sorted_milestones_and_blank_rows_are_dropped():
    points = [(date(2021, 1, 1), 90.0), (date(2020, 1, 1), 100.0)]
    rows = [*milestone_rows(points), {"on": "", "value": None}]
    assert read_milestones(rows) == sorted(points)


@pytest.mark.parametrize(("row", "message"), [
    ({"on": "31/12/2023", "value": 1}, "row 1: '31/12/2023' is not a date"),
    ({"on": "2023-12-31", "value": "lots"}, "row 1: value: 'lots' is not a number"),
    ({"on": "", "value": 3}, "row 1: date: missing"),
    ({"on": "2023-12-31", "value": None}, "row 1: value: missing"),
    ({"on": "2023-12-31", "value": True}, "row 1: value: True is not a number"),
], ids=["day-first date", "text value", "value without a date", "date without a value",
        "a tick for a value"])
def test_a_row_that_cannot_be_read_is_named(row, message):
    with pytest.raises(ValueError, match=message):
        read_milestones([row])


def test_two_rows_on_the_same_day_are_refused():
    with pytest.raises(ValueError, match="row 2: two milestones on 31 Dec 2023"):
        read_milestones([{"on": "2023-12-31", "value": 1}, {"on": "2023-12-31", "value": 2}])


def test_a_generated_s_curve_is_saved_as_milestones_so_the_path_does_not_wiggle():
    points = generate_milestones(Shape.S_CURVE, BASELINE, TARGET, Frequency.QUARTERLY)
    assert shape_to_save(Shape.S_CURVE, points) is Shape.MILESTONES
    assert shape_to_save(Shape.S_CURVE, [BASELINE, TARGET]) is Shape.S_CURVE
    assert shape_to_save(Shape.STEP, points) is Shape.STEP


def test_the_preview_draws_the_draft_over_the_saved_version_and_the_original_promise():
    draft = [BASELINE, (date(2022, 1, 1), 70.0), TARGET]
    saved = ("Saved v2", Shape.LINEAR, [BASELINE, TARGET])
    original = ("Original promise (v1)", Shape.LINEAR, [BASELINE, (TARGET[0], 80.0)])
    figure = trajectory_preview(draft, Shape.MILESTONES, saved=saved, original=original,
                                unit="deaths")
    names = [trace.name for trace in figure.data]
    assert names[0] == "Original promise (v1)" and names[1] == "Saved v2"
    assert "Draft" in names
    markers = [t for t in figure.data if t.name == "Draft" and t.mode == "markers"][0]
    assert list(markers.y) == [100.0, 70.0, 60.0]
    assert figure.layout.yaxis.title.text == "deaths"


def test_the_drawn_path_passes_through_every_milestone():
    draft = [BASELINE, (date(2022, 1, 1), 70.0), TARGET]
    days, values = path_points(draft, Shape.MILESTONES)
    assert dict(zip(days, values, strict=True))[date(2022, 1, 1)] == 70.0


def test_an_empty_draft_says_so():
    figure = trajectory_preview([], Shape.LINEAR)
    assert figure.layout.annotations[0].text == "No milestones yet"


def test_the_import_summary_of_a_dry_run_says_nothing_was_stored_and_lists_rejected_rows():
    report = ImportReport(file="f.csv", mapping="m.yaml", dry_run=True, rows_read=3,
                          figures_new=1, rejected=2,
                          errors=[RowError("f.csv", 3, "Ocorrências", "'abc' is not a number"),
                                  RowError("f.csv", 4, "Tipo Crime", "no goal PPV X")])
    text = str(import_summary(report))
    assert "nothing has been stored" in text
    assert "'abc' is not a number" in text and "no goal PPV X" in text
    assert ("rejected rows", 2) in import_counts(report)
    assert ("revised figures", 0) not in import_counts(report)


def test_a_clean_file_says_no_row_was_rejected():
    assert "No row was rejected" in str(row_errors_table([]))


def test_a_milestone_left_as_shown_keeps_its_exact_value_and_an_edited_one_its_new_value():
    from datetime import date

    from dashboards.components.workspace import unrounded

    loaded = [(date(2022, 12, 31), 11.520197044334976), (date(2023, 12, 31), 11.160591133)]
    typed = [(date(2022, 12, 31), 11.52), (date(2023, 12, 31), 9.75), (date(2024, 12, 31), 10.8)]
    assert unrounded(typed, loaded) == [(date(2022, 12, 31), 11.520197044334976),
                                        (date(2023, 12, 31), 9.75), (date(2024, 12, 31), 10.8)]
