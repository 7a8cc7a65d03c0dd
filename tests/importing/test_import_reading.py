"""Reading files as people hand them over: encodings, delimiters, decimal commas, Excel."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from delivery.importing import ReadError, RowError, import_file
from delivery.models import Goal

MAPPING = """\
read: {read}
goal:
  code: "{{meta}}"
  create_missing: true
  set: {{name: "{{nome}}", direction: down, frequency: monthly}}
period: {{column: "período", format: {fmt}}}
value: valor
"""


def mapping(write, fmt: str = "month", **read) -> object:
    options = "{" + ", ".join(f"{k}: {v!r}" for k, v in read.items()) + "}"
    options = options.replace("'", '"')
    return write("m.yaml", MAPPING.format(read=options, fmt=fmt))


ENCODINGS = [
    ("latin-1", "latin-1", "latin-1", "", "Homicídios em Olinda"),
    ("cp1252", "cp1252", "cp1252", "", "Homicídios – Recife"),
    ("utf-8", "utf-8", "utf-8", "", "Homicídios – Recife"),
    ("utf-8-with-bom", "utf-8", "utf-8", "\ufeff", "Homicídios – Recife"),
]


@pytest.mark.parametrize(("file_encoding", "declared", "bom", "name"),
                         [e[1:] for e in ENCODINGS], ids=[e[0] for e in ENCODINGS])
def test_it_reads_the_encoding_the_mapping_declares(db, write, revisions_of, file_encoding,
                                                    declared, bom, name):
    text = bom + f"meta,nome,período,valor\nSEG-1,{name},março 2021,7\n"
    report = import_file(db, write("f.csv", text, file_encoding),
                         mapping(write, encoding=declared), actor="analyst")

    assert report.ok, report.render_text()
    (figure,) = revisions_of(db, "SEG-1", date(2021, 3, 1))
    assert figure.value == 7
    assert db.query(Goal).one().name == name


def test_a_file_in_another_encoding_than_declared_is_refused_with_a_hint(db, write):
    path = write("f.csv", "meta,nome,período,valor\nA,Ação,2021-03,1\n", "latin-1")
    with pytest.raises(ReadError, match=r"f.csv: the file is not utf-8 .*set read.encoding"):
        import_file(db, path, mapping(write), actor="analyst")


DELIMITED = [
    ("semicolon", ";", "meta;nome;período;valor\nA;x;2021-03;5\n"),
    ("tab", "\t", "meta\tnome\tperíodo\tvalor\nA\tx\t2021-03\t5\n"),
    ("pipe", "|", "meta|nome|período|valor\nA|x|2021-03|5\n"),
    ("comma-with-quotes", ",", 'meta,nome,período,valor\nA,"x, y",2021-03,"5"\n'),
]


@pytest.mark.parametrize(("delimiter", "text"), [d[1:] for d in DELIMITED],
                         ids=[d[0] for d in DELIMITED])
def test_it_splits_columns_on_the_mapping_delimiter(db, write, revisions_of, delimiter, text):
    report = import_file(db, write("f.csv", text), mapping(write, delimiter=delimiter),
                         actor="analyst")

    assert report.ok, report.render_text()
    assert revisions_of(db, "A", date(2021, 3, 1))[0].value == 5


NUMBERS = [
    ("decimal-comma", {"decimal": ","}, "1,5", 1.5),
    ("decimal-comma-and-thousands-dot", {"decimal": ",", "thousands": "."}, "1.234,5", 1234.5),
    ("thousands-comma", {"thousands": ","}, "1,234.5", 1234.5),
    ("plain", {}, "1234.5", 1234.5),
    ("spaces-around", {}, " 12 ", 12.0),
    ("negative-and-exponent", {}, "-1.5e3", -1500.0),
]


@pytest.mark.parametrize(("read", "written", "value"), [n[1:] for n in NUMBERS],
                         ids=[n[0] for n in NUMBERS])
def test_it_reads_numbers_as_the_file_writes_them(db, write, revisions_of, read, written, value):
    text = f'meta;nome;período;valor\nA;x;2021-03;"{written}"\n'
    report = import_file(db, write("f.csv", text), mapping(write, delimiter=";", **read),
                         actor="analyst")

    assert report.ok, report.render_text()
    assert revisions_of(db, "A", date(2021, 3, 1))[0].value == value


def test_row_numbers_are_those_a_spreadsheet_shows_with_skipped_and_blank_lines(db, write):
    text = ("Monthly report\nProduced by the unit\n"
            "meta,nome,período,valor\nA,x,2021-01,1\n\nA,x,2021-02,oops\n")
    report = import_file(db, write("f.csv", text), mapping(write, skip_rows=2), actor="analyst")

    # lines 1-2 skipped, header on 3, data on 4, an empty line 5, the bad row on 6
    assert report.errors == [RowError("f.csv", 6, "valor", "'oops' is not a number")]
    assert report.rows_read == 2


def write_workbook(path, rows, sheet="Dados", title=True):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Notes"
    first["A1"] = "nothing to import here"
    data = book.create_sheet(sheet)
    if title:
        data.append(["Figures reported by the secretariat"])
    for row in rows:
        data.append(row)
    book.save(path)
    return path


def test_it_reads_an_excel_sheet_with_numbers_dates_and_a_title_row(db, write, tmp_path,
                                                                    revisions_of):
    path = write_workbook(tmp_path / "f.xlsx", [
        ["meta", "nome", "período", "valor"],
        ["A", "Água", datetime(2021, 3, 1), 1.5],
        ["A", "Água", datetime(2021, 4, 30), 2],
        ["A", "Água", "2021-05-01", "três"],
        [7, "Seven", datetime(2021, 3, 15), 10],
    ])
    report = import_file(db, path, mapping(write, fmt="date", sheet="Dados", skip_rows=1,
                                           decimal=","), actor="analyst")

    assert report.errors == [RowError("f.xlsx", 5, "valor", "'três' is not a number")]
    assert revisions_of(db, "A", date(2021, 3, 1))[0].value == 1.5
    april = revisions_of(db, "A", date(2021, 4, 1))[0]  # a date stands for its month
    assert (april.value, april.period_end) == (2, date(2021, 4, 30))
    assert revisions_of(db, "7", date(2021, 3, 1))[0].value == 10


def test_an_excel_sheet_that_does_not_exist_is_refused_naming_the_sheets(db, write, tmp_path):
    path = write_workbook(tmp_path / "f.xlsx", [["meta", "nome", "período", "valor"]])
    with pytest.raises(ReadError, match="no sheet named 'Figures' .*Notes, Dados"):
        import_file(db, path, mapping(write, sheet="Figures"), actor="analyst")


def test_the_first_sheet_is_read_when_the_mapping_names_none(db, write, tmp_path, revisions_of):
    book = openpyxl.Workbook()
    book.active.append(["meta", "nome", "período", "valor"])
    book.active.append(["A", "x", "Mar 2021", 3])
    book.save(tmp_path / "f.xlsx")
    report = import_file(db, tmp_path / "f.xlsx", mapping(write), actor="analyst")

    assert report.ok, report.render_text()
    assert revisions_of(db, "A", date(2021, 3, 1))[0].value == 3
