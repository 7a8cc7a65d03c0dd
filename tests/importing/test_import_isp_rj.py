"""The real ISP-RJ file: wide (one column per indicator), ';', blanks " ", fase 2 provisional."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from sqlalchemy import func, select

from delivery.importing import import_file
from delivery.models import Figure, Goal
from delivery.vocabulary import Direction

FILE = "rj_isp_state_monthly_crimes_1991_2021.csv"


def read_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


@pytest.fixture
def isp(realdata, mappings):
    return realdata / FILE, mappings / "isp_rj_monthly.yaml"


@pytest.fixture
def facts(isp):
    """What the file holds, counted straight from it."""
    header, *rows = read_rows(isp[0])
    indicators = header[2:-1]
    cells = [(row, name, row[2 + i]) for row in rows for i, name in enumerate(indicators)]
    return {
        "header": header,
        "rows": rows,
        "indicators": indicators,
        "blank": sum(1 for _, _, v in cells if v.strip() == ""),
        "filled": sum(1 for _, _, v in cells if v.strip() != ""),
        "provisional": sum(1 for row, _, v in cells if v.strip() and row[-1] == "2"),
    }


def test_it_imports_every_filled_cell_and_skips_the_blank_ones(db, isp, facts, count):
    report = import_file(db, isp[0], isp[1], actor="analyst")

    assert report.ok, report.render_text(10)
    assert report.rows_read == 365
    assert report.goals_created == len(facts["indicators"]) == 53
    assert report.blank_values == facts["blank"] > 0
    assert report.figures_new == facts["filled"] == count(db, Figure)
    assert report.rejected == 0


def test_a_series_has_no_figure_before_it_existed(db, isp, revisions_of):
    import_file(db, isp[0], isp[1], actor="analyst")

    assert revisions_of(db, "ISP-RJ/cvli", date(1998, 12, 1)) == []  # cvli starts in 1999
    assert len(revisions_of(db, "ISP-RJ/hom_doloso", date(1991, 1, 1))) == 1


def test_fase_2_rows_are_stored_as_provisional_figures(db, isp, facts, revisions_of):
    import_file(db, isp[0], isp[1], actor="analyst")

    provisional = db.scalar(select(func.count()).where(Figure.is_provisional.is_(True)))
    assert provisional == facts["provisional"] > 0
    (may_2021,) = revisions_of(db, "ISP-RJ/hom_doloso", date(2021, 5, 1))
    (march_2021,) = revisions_of(db, "ISP-RJ/hom_doloso", date(2021, 3, 1))
    assert may_2021.is_provisional and not march_2021.is_provisional


def test_it_stores_the_value_of_an_indicator_for_a_month(db, isp, facts, revisions_of):
    import_file(db, isp[0], isp[1], actor="analyst")

    column = facts["header"].index("letalidade_violenta")
    row = next(r for r in facts["rows"] if (r[0], r[1]) == ("2020", "3"))
    (figure,) = revisions_of(db, "ISP-RJ/letalidade_violenta", date(2020, 3, 1))
    assert figure.value == float(row[column])
    assert figure.period_end == date(2020, 3, 31)
    goal = db.scalar(select(Goal).where(Goal.code == "ISP-RJ/letalidade_violenta"))
    assert goal.name == "Letalidade violenta (RJ)"
    assert goal.direction == Direction.DOWN
    seizures = db.scalar(select(Goal).where(Goal.code == "ISP-RJ/apreensao_drogas"))
    assert seizures.direction == Direction.UP


def test_a_later_file_consolidates_provisional_figures_and_revises_changed_ones(
    db, isp, facts, tmp_path, revisions_of
):
    path, mapping = isp
    import_file(db, path, mapping, actor="analyst")
    header, rows = facts["header"], [list(r) for r in facts["rows"]]
    hom = header.index("hom_doloso")
    may = next(r for r in rows if (r[0], r[1]) == ("2021", "5"))
    march_2020 = next(r for r in rows if (r[0], r[1]) == ("2020", "3"))
    old_may, old_march = may[hom], march_2020[hom]
    may[hom] = str(int(old_may) + 4)  # a provisional figure corrected on consolidation
    march_2020[hom] = str(int(old_march) + 1)  # an old consolidated figure corrected
    for row in rows:
        row[-1] = "3" if row[-1] == "2" else row[-1]
    later = tmp_path / FILE
    with later.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows([header, *rows])

    report = import_file(db, later, mapping, actor="analyst")

    assert report.ok, report.render_text(10)
    assert report.figures_revised == 2
    assert report.figures_consolidated == facts["provisional"] - 1
    assert report.figures_new == 0
    assert report.figures_unchanged == facts["filled"] - facts["provisional"] - 1
    first, second = revisions_of(db, "ISP-RJ/hom_doloso", date(2021, 5, 1))
    assert (first.value, first.is_provisional) == (float(old_may), True)
    assert (second.value, second.is_provisional) == (float(old_may) + 4, False)
    first, second = revisions_of(db, "ISP-RJ/hom_doloso", date(2020, 3, 1))
    assert (first.value, second.value) == (float(old_march), float(old_march) + 1)
    first, second = revisions_of(db, "ISP-RJ/cvli", date(2021, 4, 1))
    assert first.value == second.value and first.is_provisional and not second.is_provisional
