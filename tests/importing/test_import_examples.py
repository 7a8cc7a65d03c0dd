"""The example goal catalogue and the wide-by-month figures file shipped in data/examples."""

from __future__ import annotations

from datetime import date

import pytest

from delivery.importing import import_file
from delivery.models import Goal, Objective, Pillar, Secretariat
from delivery.vocabulary import Direction, Frequency


@pytest.fixture
def catalogue(examples, mappings):
    return examples / "goal_catalogue.csv", mappings / "goal_catalogue.yaml"


def test_the_goal_catalogue_creates_goals_with_their_objectives_and_owners(db, catalogue, count):
    report = import_file(db, *catalogue, actor="analyst")

    assert report.ok, report.render_text()
    assert (report.goals_created, report.figures_new) == (6, 0)
    assert count(db, Goal) == 6
    goal = db.query(Goal).filter_by(code="PE-SEG-01").one()
    assert (goal.direction, goal.frequency) == (Direction.DOWN, Frequency.MONTHLY)
    assert (goal.baseline_value, goal.baseline_date) == (53.1, date(2007, 12, 31))
    assert (goal.target_value, goal.target_date) == (35.0, date(2013, 12, 31))
    assert goal.is_public
    assert db.get(Secretariat, goal.owner_id).code == "SDS"
    objective = db.get(Objective, goal.objective_id)
    assert objective.name == "Pernambuco mais seguro"
    assert db.get(Pillar, objective.pillar_id).name == "Segurança cidadã"
    jobs = db.query(Goal).filter_by(code="PE-ECO-01").one()
    assert (jobs.baseline_value, jobs.target_value) == (12_500, 20_000)  # "12.500": thousands
    beds = db.query(Goal).filter_by(code="PE-SAU-02").one()
    assert (beds.direction, beds.target_low, beds.target_high) == (Direction.RANGE, 75.0, 85.0)


def test_reimporting_an_edited_catalogue_updates_only_the_changed_goal(db, catalogue, tmp_path):
    path, mapping = catalogue
    import_file(db, path, mapping, actor="analyst")
    edited = tmp_path / path.name
    edited.write_text(path.read_text(encoding="utf-8").replace(";35,0;", ";30,0;"),
                      encoding="utf-8")
    report = import_file(db, edited, mapping, actor="analyst")

    assert (report.goals_created, report.goals_updated, report.goals_unchanged) == (0, 1, 5)
    assert db.query(Goal).filter_by(code="PE-SEG-01").one().target_value == 30.0


def test_wide_figures_with_months_as_headers_go_to_the_catalogue_goals(
    db, catalogue, examples, mappings, revisions_of
):
    import_file(db, *catalogue, actor="analyst")
    report = import_file(db, examples / "figures_wide_by_month.csv",
                         mappings / "figures_wide_by_month.yaml", actor="analyst")

    assert report.ok, report.render_text()
    assert report.blank_values == 2  # June not reported yet for two goals
    assert report.figures_new == 3 * 6 - 2
    february = revisions_of(db, "PE-SEG-01", date(2024, 2, 1))[0]
    assert (february.value, february.period_end) == (2.9, date(2024, 2, 29))
    assert revisions_of(db, "PE-SAU-02", date(2024, 6, 1))[0].value == 81.7


def test_a_bad_month_header_rejects_each_of_its_cells_naming_the_header(db, catalogue, write,
                                                                      mappings):
    import_file(db, *catalogue, actor="analyst")
    csv = write("f.csv", "código;jan/2024;total\nPE-SEG-01;3,1;3,1\n")
    report = import_file(db, csv, mappings / "figures_wide_by_month.yaml", actor="analyst")

    assert [str(e) for e in report.errors] == [
        "f.csv:2 total: 'total' is not a month (expected e.g. 2021-03, 03/2021, Mar 2021 or "
        "março de 2021)"
    ]
    assert report.figures_new == 1
