"""Every CSV the product writes is safe to open in a spreadsheet: text that would run as a
formula is escaped with a leading quote; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner

from delivery.cli import main
from delivery.exports import csv_text, spreadsheet_safe
from delivery.figures import record_figure
from tests.factories import make_goal

CELLS = [
    ("formula", "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("plus", "+1+1", "'+1+1"),
    ("minus-text", "-2+3", "'-2+3"),
    ("at", "@SUM(A1)", "'@SUM(A1)"),
    ("tab", "\tcmd", "'\tcmd"),
    ("carriage-return", "\rcmd", "'\rcmd"),
    ("plain-text", "SINESP", "SINESP"),
    ("equals-inside", "a=b", "a=b"),
    ("empty", "", ""),
    ("negative-number", -5.0, -5.0),
    ("whole-number", 3, 3),
    ("date", date(2024, 1, 31), date(2024, 1, 31)),
    ("none", None, None),
]


@pytest.mark.parametrize(("value", "expected"), [c[1:] for c in CELLS], ids=[c[0] for c in CELLS])
def test_a_cell_is_escaped_only_when_it_is_text_a_spreadsheet_would_run(value, expected):
    assert spreadsheet_safe(value) == expected


def test_csv_text_escapes_text_columns_and_leaves_number_columns_as_numbers():
    frame = pd.DataFrame({"goal_code": ["=1+1", "G"], "value": [-5.0, 2.5],
                          "revision": [1, 2], "note": ["-cut", None]})

    rows = list(csv.reader(io.StringIO(csv_text(frame))))

    assert rows == [["goal_code", "value", "revision", "note"],
                    ["'=1+1", "-5.0", "1", "'-cut"], ["G", "2.5", "2", ""]]


def test_delivery_export_figures_escapes_what_people_typed(database_url, session_factory,
                                                          monkeypatch):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    with session_factory() as session, session.begin():
        goal = make_goal(session, code="G1")
        record_figure(session, goal, date(2024, 1, 1), date(2024, 1, 31), 12.5,
                      reported_by="@mallory", source="=HYPERLINK(\"http://evil\")",
                      note="+cmd")

    result = CliRunner().invoke(main, ["export", "figures"])

    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(io.StringIO(result.output)))
    assert (row["source"], row["reported_by"], row["note"]) == (
        "'=HYPERLINK(\"http://evil\")", "'@mallory", "'+cmd")
    assert row["value"] == "12.5" and row["goal_code"] == "G1"
