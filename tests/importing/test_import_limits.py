"""Hostile files are refused before they can exhaust the machine, or streamed: a zip bomb
dressed as a workbook, a CSV file of a million lines, a report of a million rejections."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from delivery.cli import main
from delivery.importing import RowError
from delivery.importing.limits import MAX_WORKBOOK_BYTES
from delivery.importing.report import KEPT_ERRORS, SHOWN_ERRORS, ImportReport
from strategy_maps.exchange.excel_file import read_workbook

ROOT = Path(__file__).resolve().parents[2]
BUDGET = """\
kind: budget_accounts
account: {code: "{code}", fiscal_year: "2024", name: "{code}"}
amounts: {appropriated: amount}
"""


def zip_bomb(path: Path) -> Path:
    """A valid .xlsx shell whose sheet part declares (and holds) more than the limit: zeros
    compress about a thousandfold, so the file itself is a few hundred kilobytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            block = b"0" * 2**20
            for _ in range(MAX_WORKBOOK_BYTES // 2**20 + 1):
                part.write(block)
    return path


def test_a_workbook_that_expands_past_the_limit_is_refused_by_the_import(tmp_path,
                                                                        database_url,
                                                                        monkeypatch):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    bomb = zip_bomb(tmp_path / "budget.xlsx")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(BUDGET, encoding="utf-8")
    assert bomb.stat().st_size < 2 * 2**20

    result = CliRunner().invoke(main, ["import", str(bomb), "--mapping", str(mapping)])

    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "expands to 101 MB, more than the 100 MB limit" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_map_workbook_that_expands_past_the_limit_is_refused(tmp_path):
    _, problems = read_workbook(zip_bomb(tmp_path / "map.xlsx"))
    assert len(problems) == 1 and "refused" in str(problems[0])


def test_a_report_of_a_million_rejections_shows_200_reasons_and_a_count():
    report = ImportReport(file="f.csv", mapping="m.yaml", kind="budget_accounts")
    for row in range(2, 1_000_002):
        report.add_errors([RowError("f.csv", row, "amount", "'x' is not an amount")])

    lines = report.render_text(max_errors=SHOWN_ERRORS).splitlines()

    assert len(report.errors) == KEPT_ERRORS and report.rejected == 1_000_000
    assert lines[-1] == "    ... and 999,800 more"
    assert sum(1 for line in lines if "is not an amount" in line) == 200


MEASURE = textwrap.dedent("""\
    import sys
    from delivery.db import make_engine, make_session_factory, upgrade
    from delivery.importing import import_file
    engine = make_engine(sys.argv[3])
    upgrade(engine)
    with make_session_factory(engine)() as session, session.begin():
        report = import_file(session, sys.argv[1], sys.argv[2], actor="test")
    print(report.rows_read, report.accounts_created, report.rejected, report.error_count)
    # VmHWM: the peak of this process's own memory since exec (ru_maxrss would carry over the
    # forking pytest's, which is large late in a full run)
    hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    print(int(hwm.split()[1]) // 1024)  # MB (the file gives kB)
    """)


@pytest.mark.backends("sqlite")  # the memory of streaming, not a database behaviour
def test_a_huge_csv_is_streamed_without_passing_500_mb(tmp_path, database_url):
    lines = 1_000_000
    data = tmp_path / "huge.csv"
    with data.open("w", encoding="utf-8") as out:  # about 40 MB: one good line in ten
        out.write("code,amount,note\n")
        for i in range(lines):
            amount = "12a" if i % 10 else "1250.5"
            out.write(f"ACC{i:07d},{amount},line {i} of a finance export\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(BUDGET, encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(data), str(mapping), database_url],
        capture_output=True, text=True, timeout=900, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )

    assert done.returncode == 0, done.stderr[-2000:]
    counts, peak = done.stdout.strip().splitlines()
    assert counts.split() == [str(lines), "100000", "900000", "900000"]
    assert int(peak) < 500, f"peak RSS {peak} MB"
