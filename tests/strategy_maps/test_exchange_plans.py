"""Delivery plans (initiatives, milestones, risks) in the YAML and Excel map files: out, back
into a fresh database with the same map, and refused row by row when wrong."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from delivery.cli import main
from delivery.i18n import use_locale
from delivery.models import Goal, Initiative, Milestone, MilestoneRevision, Risk
from delivery.plans.exchange import plan_frames
from strategy_maps.exchange import export_map, import_map
from tests.plans.conftest import build_plans

KINDS = ("initiatives", "milestones", "risks")


def plans_of(session):  # type: ignore[no-untyped-def]
    frames = plan_frames(session)
    return {kind: frames[kind].to_dict("records") for kind in KINDS}


def count(session, model):  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def exported(db, tmp_path):  # type: ignore[no-untyped-def]
    """The personas' map and plans written to map.yaml and map.xlsx."""
    build_plans(db)
    for name in ("map.yaml", "map.xlsx"):
        export_map(db, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("name", ["map.yaml", "map.xlsx"])
def test_plans_move_between_databases_with_the_map(db, exported, session_factory, name):
    wanted = plans_of(db)
    assert [len(wanted[k]) for k in KINDS] == [2, 4, 1]
    with session_factory() as other, other.begin():
        report = import_map(other, exported / name)
        assert report.problems == []
        assert {k: report.summary.created.get(k) for k in KINDS} == {
            "initiatives": 2, "milestones": 4, "risks": 1}
        assert plans_of(other) == wanted
        # The first forecast of each milestone is its first revision.
        assert count(other, MilestoneRevision) == 4
        again = import_map(other, exported / name)
        assert again.problems == []
        assert not set(again.summary.created) & set(KINDS)
        assert not set(again.summary.updated) & set(KINDS)
        assert "nothing new or changed" in again.render_text()
        assert plans_of(other) == wanted and count(other, MilestoneRevision) == 4


def test_importing_the_same_plans_into_their_own_database_changes_nothing(db, exported):
    before = plans_of(db)
    report = import_map(db, exported / "map.yaml")
    assert report.problems == [] and report.render_text().startswith("nothing new or changed")
    assert plans_of(db) == before


def test_a_moved_forecast_needs_a_reason_and_becomes_a_revision(db, exported):
    path = exported / "map.yaml"
    text = path.read_text(encoding="utf-8")
    moved = "  forecast: 2023-09-30\n"
    assert text.count(moved) == 1
    path.write_text(text.replace(moved, "  forecast: 2023-11-30\n"), encoding="utf-8")
    report = import_map(db, path)
    line = text[:text.index(moved)].count("\n") - 2  # the row starts at its `- initiative:`
    assert report.render_text().splitlines() == [
        "map.yaml: 1 problem; nothing was imported:",
        f"  Milestones, line {line}, reason: a reason is required to move a forecast date"]
    path.write_text(text.replace(moved, "  forecast: 2023-11-30\n  reason: land delayed\n"),
                    encoding="utf-8")
    report = import_map(db, path)
    assert report.problems == [] and report.summary.updated == {"milestones": 1}
    opening = db.scalar(select(Milestone).where(Milestone.name == "Opening"))
    assert opening.forecast_on == date(2023, 11, 30)
    assert opening.baseline_on == date(2023, 6, 30)
    assert [r.reason for r in opening.revisions][-1:] == ["land delayed"]
    assert import_map(db, path).summary.updated == {}  # twice changes nothing


def test_a_bad_yaml_plan_row_refuses_the_whole_file_naming_file_line_and_field(
        db, exported, session_factory):
    path = exported / "map.yaml"
    text = path.read_text(encoding="utf-8")
    line = text.splitlines().index("  secretariat: SEE") + 1 - 2
    path.write_text(text.replace("  secretariat: SEE\n", "  secretariat: XYZ\n")
                    .replace("  impact: 4\n", "  impact: 7\n"), encoding="utf-8")
    with session_factory() as other, other.begin():
        report = import_map(other, path)
        shown = report.render_text().splitlines()
        assert shown[0] == "map.yaml: 2 problems; nothing was imported:"
        assert f"  Initiatives, line {line}, secretariat: no secretariat XYZ" in shown
        assert any(s.startswith("  Risks, line ") and s.endswith(
            ", impact: 7 is not between 1 and 5") for s in shown), shown
        assert count(other, Initiative) == 0 and count(other, Goal) == 0  # all or nothing


def test_a_bad_excel_plan_row_is_named_by_sheet_row_and_field(db, exported, session_factory):
    path = exported / "map.xlsx"
    book = load_workbook(path)
    risks = book["Risks"]
    header = [c.value for c in risks[1]]
    risks.cell(row=2, column=header.index("probability") + 1).value = "many"
    milestones = book["Milestones"]
    milestones.cell(row=3, column=1).value = "NOPE"
    book.save(path)
    with session_factory() as other, other.begin():
        report = import_map(other, path)
        assert [str(p) for p in report.problems] == [
            "Milestones, row 3, initiative: no initiative NOPE; import the initiatives first",
            "Risks, row 2, probability: many is not a whole number"]
        assert report.render_text().startswith("map.xlsx: 2 problems; nothing was imported:")
        assert count(other, Risk) == 0 and count(other, Initiative) == 0


HOSTILE_YAML = [
    ("nan", "  probability: 4\n", "  probability: .nan\n", "probability",
     "nan is not a finite number"),
    ("infinity", "  impact: 4\n", "  impact: .inf\n", "impact", "inf is not a finite number"),
    ("year 9999", "  review_on: 2023-01-10\n", "  review_on: 9999-01-10\n", "review_on",
     "'9999-01-10' is outside the years"),
    ("huge text", "  description: Land not released\n",
     "  description: " + "x" * 5000 + "\n", "description", "longer than 4000 characters"),
    ("huge number", "  tolerance_days: 15\n", "  tolerance_days: 1e400\n", "tolerance_days",
     "is not a whole number"),
    ("infinite weight", "  goals: SDS-HOM=1\n", "  goals: SDS-HOM=inf\n", "goals",
     "inf is not a finite number"),
    ("a list", "  owner: Chief\n", "  owner: [a, b]\n", "owner",
     "should be a single value, not a list or a mapping"),
    ("unknown column", "  owner: Chief\n", "  owner: Chief\n  colour: red\n", "colour",
     "unknown column"),
]


@pytest.mark.parametrize(("old", "new", "field", "message"), [h[1:] for h in HOSTILE_YAML],
                         ids=[h[0] for h in HOSTILE_YAML])
def test_hostile_yaml_plan_cells_are_refused_cleanly(db, exported, old, new, field, message):
    path = exported / "map.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = plans_of(db)
    report = import_map(db, path)
    assert [(p.field, message in p.message) for p in report.problems] == [(field, True)], \
        [str(p) for p in report.problems]
    assert plans_of(db) == before


@pytest.mark.parametrize(("column", "value", "message"), [
    ("probability", "NaN", "NaN is not a whole number"),
    ("impact", "Infinity", "Infinity is not a whole number"),
    ("review_on", datetime(9999, 12, 31), "'9999-12-31' is outside the years"),
    ("mitigation", "m" * 4500, "longer than 4000 characters"),
])
def test_hostile_excel_plan_cells_are_refused_cleanly(db, exported, column, value, message):
    path = exported / "map.xlsx"
    book = load_workbook(path)
    risks = book["Risks"]
    risks.cell(row=2, column=[c.value for c in risks[1]].index(column) + 1).value = value
    book.save(path)
    report = import_map(db, path)
    assert [(p.section, p.row, p.field) for p in report.problems] == [("Risks", 2, column)]
    assert message in report.problems[0].message, report.problems[0].message


def test_the_demo_plans_move_between_databases_with_the_map(demo, session_factory, tmp_path):
    with demo() as session:
        wanted = plans_of(session)
        export_map(session, tmp_path / "demo.yaml")
        export_map(session, tmp_path / "demo.xlsx")
    assert all(wanted[k] for k in KINDS)
    for name in ("demo.yaml", "demo.xlsx"):
        with session_factory() as other, other.begin():
            report = import_map(other, tmp_path / name)
            assert report.problems == [], [str(p) for p in report.problems]
            assert plans_of(other) == wanted
            other.rollback()


def test_the_cli_imports_plans_as_the_actor_and_exits_1_naming_the_file(
        db, exported, database_url, session_factory, monkeypatch):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    path = exported / "map.yaml"
    text = path.read_text(encoding="utf-8")
    bad = exported / "bad.yaml"
    bad.write_text(text.replace("  baseline: 2023-06-30\n", "  baseline: 2023-02-30\n"),
                   encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["map", "import", str(bad)])
    assert refused.exit_code == 1
    assert "bad.yaml: 1 problem; nothing was imported:" in refused.output
    assert "Milestones, line" in refused.output and ", baseline: '2023-02-30' is not a date" \
        in refused.output
    result = runner.invoke(main, ["map", "import", str(path), "--actor", "sonia"])
    assert result.exit_code == 0, result.output
    assert "initiatives" in result.output and "milestones" in result.output
    with session_factory() as other:
        assert plans_of(other) == plans_of(db)
        assert set(other.scalars(select(MilestoneRevision.changed_by))) == {"sonia"}


def test_plan_problems_speak_the_persons_language(db, exported):
    path = exported / "map.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  impact: 4\n", "  impact: .inf\n"),
                    encoding="utf-8")
    with use_locale("pt_BR"):
        shown = import_map(db, path).render_text()
    assert shown.startswith("map.yaml: 1 problema; nada foi importado:")
    assert shown.endswith("impact: inf não é um número finito")
    with use_locale("es"):
        assert import_map(db, path).render_text().endswith("impact: inf no es un número finito")
