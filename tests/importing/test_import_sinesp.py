"""The real SINESP file: 23,020 state-crime-month rows, long layout, Portuguese month names."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from sqlalchemy import select

from delivery.importing import import_file
from delivery.models import Figure, Goal, Objective, Secretariat
from delivery.vocabulary import Direction, Frequency

FILE = "br_sinesp_uf_monthly_crimes_2015_2022.csv"


@pytest.fixture
def sinesp(realdata, mappings):
    return realdata / FILE, mappings / "sinesp_uf_monthly.yaml"


def value_in_file(path, state, crime, year, month_name) -> float:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row["UF"], row["Tipo Crime"], row["Ano"], row["Mês"]) == (
                state, crime, year, month_name
            ):
                return float(row["Ocorrências"])
    raise LookupError((state, crime, year, month_name))


def test_it_imports_every_row_as_a_figure_of_one_of_243_goals(db, sinesp, count):
    path, mapping = sinesp
    report = import_file(db, path, mapping, actor="analyst")

    assert report.ok, report.render_text(10)
    assert report.rows_read == 23_020
    assert report.goals_created == 243
    # 27 states x 9 crime types x 96 months, less the 308 state-type-months absent from the file
    assert report.figures_new == 27 * 9 * 96 - 308 == 23_020
    assert count(db, Goal) == 243
    assert count(db, Figure) == 23_020
    assert (report.objectives_created, report.secretariats_created) == (1, 1)


@pytest.mark.parametrize(("state", "crime", "year", "month_name", "start", "end"), [
    ("Pernambuco", "Homicídio doloso", "2021", "março", date(2021, 3, 1), date(2021, 3, 31)),
    ("Acre", "Estupro", "2022", "janeiro", date(2022, 1, 1), date(2022, 1, 31)),
    ("São Paulo", "Roubo de veículo", "2016", "fevereiro", date(2016, 2, 1), date(2016, 2, 29)),
], ids=["pernambuco-homicide-march-2021", "acre-rape-january-2022", "sao-paulo-feb-2016"])
def test_it_stores_the_value_the_file_gives_for_a_state_crime_and_month(
    db, sinesp, revisions_of, state, crime, year, month_name, start, end
):
    path, mapping = sinesp
    import_file(db, path, mapping, actor="analyst")

    expected = value_in_file(path, state, crime, year, month_name)
    (figure,) = revisions_of(db, f"SINESP/{state}/{crime}", start)
    assert figure.value == expected
    assert figure.period_end == end
    assert not figure.is_provisional
    assert figure.reported_by == "analyst"
    assert figure.source.startswith("SINESP")


def test_it_creates_the_goals_with_the_attributes_the_mapping_sets(db, sinesp):
    path, mapping = sinesp
    import_file(db, path, mapping, actor="analyst")

    goal = db.scalar(select(Goal).where(Goal.code == "SINESP/Pernambuco/Homicídio doloso"))
    assert goal is not None
    assert goal.name == "Homicídio doloso (Pernambuco)"
    assert (goal.direction, goal.frequency, goal.unit) == (
        Direction.DOWN, Frequency.MONTHLY, "occurrences"
    )
    assert db.get(Secretariat, goal.owner_id).code == "MJSP"
    assert db.get(Objective, goal.objective_id).name == "Public safety"


def test_importing_the_same_file_again_changes_nothing(db, sinesp, count):
    path, mapping = sinesp
    import_file(db, path, mapping, actor="analyst")
    again = import_file(db, path, mapping, actor="analyst")

    assert again.ok
    assert (again.goals_created, again.goals_updated, again.goals_unchanged) == (0, 0, 243)
    assert (again.figures_new, again.figures_revised, again.figures_consolidated) == (0, 0, 0)
    assert again.figures_unchanged == 23_020
    assert (again.objectives_created, again.secretariats_created) == (0, 0)
    assert count(db, Figure) == 23_020


def test_a_filter_keeps_one_state_and_counts_the_rest_as_skipped(db, sinesp, tmp_path, count):
    path, mapping = sinesp
    only_pe = tmp_path / "pernambuco.yaml"
    only_pe.write_text(mapping.read_text(encoding="utf-8") + "filter: {UF: [Pernambuco]}\n",
                       encoding="utf-8")
    report = import_file(db, path, only_pe, actor="analyst")

    assert report.goals_created == 9
    assert report.skipped_by_filter + report.figures_new == 23_020
    assert count(db, Goal) == 9
