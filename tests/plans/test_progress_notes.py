"""A physical progress report may carry a note that explains its figure: at most 2,000
characters, no control characters but line ends and tabs, a text or nothing; the same figure
with a different note is a new report, without a note it changes nothing; the initiative's
page, the API's reading, and the plans export and import carry it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery.access import Viewer
from delivery.api.initiatives import initiative
from delivery.cli import main
from delivery.clock import pin_review_date
from delivery.models import Initiative, ProgressReport, User
from delivery.plans.detail import initiative_view
from delivery.plans.edits import PlanEditError, report_progress
from delivery.plans.notes import MAX_NOTE
from tests.plans.conftest import AS_OF, Plans, build_plans

MAPPINGS = Path(__file__).resolve().parents[2] / "data" / "mappings"
DAY = "2023-01-15"


def _sonia(db: Session, plans: Plans) -> Viewer:
    return Viewer.of(db.get(User, plans.gov.users["secretariat"]))


def _reports(db: Session) -> list[tuple[float, str | None]]:
    return [tuple(r) for r in db.execute(select(  # type: ignore[misc]
        ProgressReport.physical_pct, ProgressReport.note).where(
        ProgressReport.on == date.fromisoformat(DAY)).order_by(ProgressReport.id))]


def test_a_note_is_kept_trimmed_with_its_line_breaks(db: Session, plans: Plans) -> None:
    report = report_progress(db, _sonia(db, plans), plans.initiatives["stations"], DAY, 35,
                             "  Works stopped by rain in March.\r\nResumed\tin April.  ")
    assert report is not None
    assert report.note == "Works stopped by rain in March.\nResumed\tin April."
    blank = report_progress(db, _sonia(db, plans), plans.initiatives["stations"], DAY, 36,
                            "   \n ")
    assert blank is not None and blank.note is None  # a blank note is no note
    longest = report_progress(db, _sonia(db, plans), plans.initiatives["stations"], DAY, 37,
                              "é" * MAX_NOTE)
    assert longest is not None and longest.note == "é" * MAX_NOTE


@pytest.mark.parametrize(("note", "reason"), [
    ("x" * (MAX_NOTE + 1), "longer than 2000 characters"),
    ("x" * 100_000, "longer than 2000 characters"),
    ("rain\x00", "U+0000"), ("\x1b[31mred", "U+001B"), ("bell\x07", "U+0007"),
    ("del\x7f", "U+007F"), ("surrogate \ud800", "U+D800"),
    (5, "is not a text"), (35.5, "is not a text"), (True, "is not a text"),
    (["rain"], "is not a text"), ({"text": "rain"}, "is not a text"), (b"rain", "is not a text"),
], ids=["2001", "100000", "nul", "escape", "bell", "delete", "surrogate", "int", "float",
        "bool", "list", "dict", "bytes"])
def test_a_hostile_note_is_refused_naming_the_field_and_writes_nothing(
        db: Session, plans: Plans, note: object, reason: str) -> None:
    before = db.scalar(select(func.count(ProgressReport.id)))
    with pytest.raises(PlanEditError, match=re.escape(reason)) as refused:
        report_progress(db, _sonia(db, plans), plans.initiatives["stations"], DAY, 35, note)
    assert refused.value.field == "note" and len(str(refused.value)) < 200
    assert db.scalar(select(func.count(ProgressReport.id))) == before


def test_the_same_figure_with_a_new_note_is_a_new_report_and_without_one_changes_nothing(
        db: Session, plans: Plans) -> None:
    sonia, stations = _sonia(db, plans), plans.initiatives["stations"]
    assert report_progress(db, sonia, stations, DAY, 35) is not None
    noted = report_progress(db, sonia, stations, DAY, 35, "contract re-tendered")
    assert noted is not None  # a new explanation of the same figure: a new report
    assert report_progress(db, sonia, stations, DAY, "35", "contract re-tendered ") is None
    assert report_progress(db, sonia, stations, DAY, 35) is None  # no note: the note stays
    assert report_progress(db, sonia, stations, DAY, 35, "") is None
    reworded = report_progress(db, sonia, stations, DAY, 35, "contract re-tendered in Jan")
    corrected = report_progress(db, sonia, stations, DAY, 30)
    assert reworded is not None and corrected is not None and corrected.note is None
    assert _reports(db) == [(35.0, None), (35.0, "contract re-tendered"),
                            (35.0, "contract re-tendered in Jan"), (30.0, None)]  # all kept


def test_the_page_and_the_api_show_the_note_of_the_report_in_force(db: Session,
                                                                   plans: Plans) -> None:
    sonia, stations = _sonia(db, plans), plans.initiatives["stations"]
    report_progress(db, sonia, stations, "2023-01-10", 30, "rain")
    report_progress(db, sonia, stations, DAY, 40, "first words")
    report_progress(db, sonia, stations, DAY, 35, "corrected: the survey was wrong")
    view = initiative_view(db, db.get(Initiative, stations), AS_OF)
    assert view.physical.to_dict("records") == [
        {"on": date(2022, 12, 31), "pct": 20.0, "note": None},
        {"on": date(2023, 1, 10), "pct": 30.0, "note": "rain"},
        {"on": date(2023, 1, 15), "pct": 35.0, "note": "corrected: the survey was wrong"}]
    assert view.physical_now == 35.0  # the latest report of the date, not the largest figure
    read = initiative(db, sonia, "SDS-DELEG", AS_OF)
    assert read is not None and read["progress"] == [
        {"on": "2022-12-31", "physical_pct": 20.0, "note": None},
        {"on": "2023-01-10", "physical_pct": 30.0, "note": "rain"},
        {"on": "2023-01-15", "physical_pct": 35.0, "note": "corrected: the survey was wrong"}]


# -- the plans export and import ---------------------------------------------------------------


@pytest.fixture
def cli(database_url, session_factory, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    with session_factory() as session, session.begin():
        plans = build_plans(session)
        pin_review_date(session, AS_OF)
        report_progress(session, Viewer.of(session.get(User, plans.gov.users["secretariat"])),
                        plans.initiatives["stations"], DAY, 35,
                        "Works stopped by rain.\nResumed in April.")
    runner = CliRunner()
    return lambda *args: runner.invoke(main, ["plans", *args])


def _notes(session_factory) -> list[tuple[str, float, str | None]]:  # type: ignore[no-untyped-def]
    with session_factory() as session:
        return [tuple(r) for r in session.execute(select(  # type: ignore[misc]
            ProgressReport.on, ProgressReport.physical_pct, ProgressReport.note).order_by(
            ProgressReport.id))]


def test_the_export_carries_the_note_and_reads_back_unchanged(cli, tmp_path, session_factory):
    import pandas as pd

    out = tmp_path / "plans.xlsx"
    assert cli("export", str(out)).exit_code == 0
    sheet = pd.read_excel(out, sheet_name="progress", dtype=str).fillna("")
    assert sheet.to_dict("records")[-1] == {
        "initiative": "SDS-DELEG", "date": DAY, "physical_pct": "35",
        "note": "Works stopped by rain.\nResumed in April."}
    before = _notes(session_factory)
    result = cli("import", str(out), "-m", str(MAPPINGS / "plans_progress.yaml"))
    assert result.exit_code == 0 and " 0 created, 0 updated" in result.output, result.output
    assert _notes(session_factory) == before


PROGRESS = """initiative,date,physical_pct,note
SDS-DELEG,2023-01-15,35,
SDS-DELEG,2023-01-15,35,contract re-tendered
SDS-DELEG,2023-01-14,10,{long}
SDS-DELEG,2023-01-14,10,"bad \x1b[31m escape"
SDS-DELEG,2023-01-16,42,a new figure with its note
SDS-DELEG,2023-01-16,,a note without a figure
"""


def test_an_import_takes_notes_as_the_screens_do_and_refuses_hostile_ones(
        cli, tmp_path, session_factory):
    before = _notes(session_factory)
    data = tmp_path / "progresso.csv"
    data.write_text(PROGRESS.replace("{long}", "x" * 100_000), encoding="utf-8")
    mapping = tmp_path / "p.yaml"
    mapping.write_text("kind: progress\nprogress: {initiative: '{initiative}', date: '{date}', "
                       "physical_pct: '{physical_pct}', note: '{note}'}\n", encoding="utf-8")
    result = cli("import", str(data), "-m", str(mapping))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "progresso.csv:4 note: longer than 2000 characters" in result.output, result.output
    assert "progresso.csv:5 note: a control character (U+001B)" in result.output, result.output
    assert "progresso.csv:7 physical_pct: no physical_pct" in result.output, result.output
    assert "1 created, 1 updated, 1 unchanged, 3 refused" in result.output, result.output
    assert _notes(session_factory) == [
        *before, (date(2023, 1, 15), 35.0, "contract re-tendered"),
        (date(2023, 1, 16), 42.0, "a new figure with its note")]


def test_a_file_without_a_note_column_imports_with_the_shipped_mapping(
        cli, tmp_path, session_factory):
    # a workbook exported before progress reports had notes: the note left as it is
    before = _notes(session_factory)
    data = tmp_path / "progress.csv"
    data.write_text("initiative,date,physical_pct\nSDS-DELEG,2023-01-15,35\n"
                    "SDS-DELEG,2023-01-17,50\n", encoding="utf-8")
    result = cli("import", str(data), "-m", str(MAPPINGS / "plans_progress.yaml"))
    assert result.exit_code == 0, result.output
    assert _notes(session_factory) == [*before, (date(2023, 1, 17), 50.0, None)]
    # any other missing column is still named
    (tmp_path / "bad.csv").write_text("initiative,physical_pct\nSDS-DELEG,35\n", encoding="utf-8")
    result = cli("import", str(tmp_path / "bad.csv"), "-m", str(MAPPINGS / "plans_progress.yaml"))
    assert result.exit_code != 0 and "'date' is not in bad.csv" in result.output, result.output
