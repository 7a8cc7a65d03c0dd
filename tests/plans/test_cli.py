"""``delivery plans import / list / export``: rows named, good rows kept, import twice changes
nothing, and an export reads back in unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from delivery.cli import main
from delivery.clock import pin_review_date
from delivery.models import Initiative, Milestone, MilestoneRevision, ProgressReport, Risk
from tests.plans.conftest import AS_OF, build_plans

MAPPINGS = Path(__file__).resolve().parents[2] / "data" / "mappings"


@pytest.fixture
def cli(database_url, session_factory, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    with session_factory() as session, session.begin():
        build_plans(session)
        pin_review_date(session, AS_OF)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, ["plans", *args])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


INITIATIVES = """Código;Nome;Secretaria;Pacto;Estágio;Motivo;Tolerância;Metas
SDS-VIDEO;Videomonitoramento;SDS;PPV;in_progress;;10;"SDS-HOM=0.5;SDS-ARM"
SDS-X;Sem secretaria;NOPE;;planned;;;
SDS-Y;Cancelada;SDS;;cancelled;;;
SDS-Z;Meta errada;SDS;;planned;;abc;SDS-HOM
"""
INITIATIVES_MAPPING = """kind: initiatives
read: {delimiter: ";"}
initiative: {code: "{Código}", name: "{Nome}", secretariat: "{Secretaria}", pact: "{Pacto}",
             stage: "{Estágio}", cancel_reason: "{Motivo}", tolerance_days: "{Tolerância}",
             goals: "{Metas}"}
"""
MILESTONES = """initiative,name,baseline,forecast,reason
SDS-VIDEO,Cameras bought,2023-03-01,2023-03-01,
SDS-VIDEO,Cameras installed,2023-06-01,2023-08-01,
NOPE,Something,2023-01-01,,
SDS-VIDEO,Bad date,2023-02-30,,
"""
MILESTONES_MAPPING = """kind: milestones
milestone: {initiative: "{initiative}", name: "{name}", baseline: "{baseline}",
            forecast: "{forecast}", reason: "{reason}"}
"""


def test_import_names_bad_rows_keeps_good_ones_and_twice_changes_nothing(cli, tmp_path,
                                                                       session_factory):
    data = _write(tmp_path, "iniciativas.csv", INITIATIVES)
    mapping = _write(tmp_path, "m.yaml", INITIATIVES_MAPPING)
    first = cli("import", str(data), "-m", str(mapping))
    assert first.exit_code == 1, first.output
    assert "1 created" in first.output and "3 refused" in first.output
    assert "iniciativas.csv:3 Secretaria: no secretariat NOPE" in first.output
    assert "iniciativas.csv:4 Motivo: a cancelled initiative needs a reason" in first.output
    assert "iniciativas.csv:5 Tolerância: abc is not a whole number" in first.output
    again = cli("import", str(data), "-m", str(mapping))
    assert "0 created, 0 updated, 1 unchanged" in again.output

    rows = _write(tmp_path, "marcos.csv", MILESTONES)
    m_mapping = _write(tmp_path, "mm.yaml", MILESTONES_MAPPING)
    result = cli("import", str(rows), "-m", str(m_mapping))
    assert "2 created" in result.output
    assert "marcos.csv:4 initiative: no initiative NOPE" in result.output
    assert "marcos.csv:5 baseline:" in result.output
    assert "2 unchanged" in cli("import", str(rows), "-m", str(m_mapping)).output

    moved = _write(tmp_path, "moved.csv", MILESTONES.replace("2023-08-01,", "2023-09-01,"))
    refused = cli("import", str(moved), "-m", str(m_mapping))
    assert "moved.csv:3 reason: a reason is required to move a forecast date" in refused.output
    with_reason = _write(tmp_path, "moved2.csv", MILESTONES.replace(
        "2023-08-01,", "2023-09-01,Supplier late"))
    assert "1 updated" in cli("import", str(with_reason), "-m", str(m_mapping)).output
    with session_factory() as session:
        video = session.scalar(select(Initiative).where(Initiative.code == "SDS-VIDEO"))
        assert {g.weight for g in video.goals} == {0.5, 1.0}
        installed = session.scalar(select(Milestone).where(Milestone.name == "Cameras installed"))
        assert [r.reason for r in installed.revisions] == ["imported", "Supplier late"]
        assert installed.baseline_on.isoformat() == "2023-06-01"


def test_a_bad_mapping_exits_2_naming_the_key(cli, tmp_path):
    data = _write(tmp_path, "x.csv", "a\n1\n")
    mapping = _write(tmp_path, "m.yaml", "kind: initiatives\ninitiative: {code: '{a}'}\n")
    result = cli("import", str(data), "-m", str(mapping))
    assert result.exit_code == 2 and "initiative.name" in result.output


def test_list_worst_first_and_late_only(cli):
    listed = cli("list")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert "SDS-DELEG" in lines[1] and "money ahead of work" in lines[1]
    assert "SEE-ETI" in lines[2]
    assert "SEE-ETI" not in cli("list", "--late").output
    assert "Initiatives as of" in cli("list", "--as-of", "2022-06-01").output
    assert cli("list", "--as-of", "2022-13-01").exit_code == 2


def test_export_then_import_changes_nothing(cli, tmp_path, session_factory):
    out = tmp_path / "plans.xlsx"
    exported = cli("export", str(out))
    assert exported.exit_code == 0, exported.output
    assert "2 initiatives, 4 milestones, 1 risks, 1 progress reports" in exported.output

    def counts():
        with session_factory() as session:
            return [session.scalar(select(func.count()).select_from(m)) for m in (
                Initiative, Milestone, MilestoneRevision, Risk, ProgressReport)]

    before = counts()
    for kind in ("initiatives", "milestones", "risks", "progress"):
        result = cli("import", str(out), "-m", str(MAPPINGS / f"plans_{kind}.yaml"))
        assert result.exit_code == 0, result.output
        assert " 0 created, 0 updated" in result.output, result.output
    assert counts() == before


HOSTILE_PROGRESS = """initiative,date,physical_pct
SDS-DELEG,2023-01-10,NaN
SDS-DELEG,2023-01-10,Infinity
SDS-DELEG,2023-01-10,-5
SDS-DELEG,2023-01-10,250
SDS-DELEG,2023-01-10,1e309
SDS-DELEG,9999-12-31,40
SDS-DELEG,2023-01-10,"{""a"": [1, {""b"": 2}]}"
{long},2023-01-10,40
SDS-DELEG,2023-01-10,35
"""
HOSTILE_RISKS = """initiative,description,probability,impact,review_on
SDS-DELEG,Flood,9,3,2023-02-01
SDS-DELEG,Strike,3,NaN,2023-02-01
SDS-DELEG,{long},3,3,2023-02-01
SDS-DELEG,Audit,2,2,0000-01-01
SDS-DELEG,=HYPERLINK("http://x"),2,2,2023-02-01
"""


def test_hostile_rows_are_refused_one_by_one_and_the_good_row_lands(cli, tmp_path,
                                                                   session_factory):
    """NaN, Infinity, out-of-range shares, dates in year 9999 and year 0, nested JSON and
    huge texts: each row refused naming its line and field; nothing else changes; the one good
    row is written; no traceback."""
    with session_factory() as session:
        before = session.scalar(select(func.count(ProgressReport.id)))
    long = "x" * 100_000
    data = _write(tmp_path, "progresso.csv", HOSTILE_PROGRESS.replace("{long}", long))
    mapping = _write(tmp_path, "p.yaml", "kind: progress\nprogress: {initiative: '{initiative}',"
                                         " date: '{date}', physical_pct: '{physical_pct}'}\n")
    result = cli("import", str(data), "-m", str(mapping))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    for line in range(2, 10):
        assert f"progresso.csv:{line} " in result.output, (line, result.output)
    assert "progresso.csv:10 " not in result.output  # the good row
    assert "progresso.csv:7 date:" in result.output  # the review date is in 2023
    with session_factory() as session:
        assert session.scalar(select(func.count(ProgressReport.id))) == before + 1

    risks = _write(tmp_path, "riscos.csv", HOSTILE_RISKS.replace("{long}", long))
    r_mapping = _write(tmp_path, "r.yaml", "kind: risks\nrisk: {initiative: '{initiative}', "
                                           "description: '{description}', probability: "
                                           "'{probability}', impact: '{impact}', "
                                           "review_on: '{review_on}'}\n")
    result = cli("import", str(risks), "-m", str(r_mapping))
    assert "Traceback" not in result.output, result.output
    assert "riscos.csv:2 probability: 9 is not between 1 and 5" in result.output
    assert "riscos.csv:3 impact:" in result.output
    assert "riscos.csv:4 description:" in result.output
    assert "riscos.csv:5 review_on:" in result.output
    with session_factory() as session:  # a formula-like text is data, kept as typed
        assert session.scalar(select(Risk.description).where(
            Risk.description.like("=HYPERLINK%"))) is not None
