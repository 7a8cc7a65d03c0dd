"""Whole maps in and out: YAML round-trips exactly, Excel with row-level problems, node-link
JSON and GraphML for other tools."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from delivery.models import Goal, GoalAccountLink, Pillar
from strategy_maps.exchange import export_map, import_map, read_map_file
from strategy_maps.exchange.database import export_document, import_document
from strategy_maps.exchange.excel_file import read_workbook, write_workbook
from strategy_maps.exchange.schema import SECTIONS
from strategy_maps.exchange.yaml_file import dump_yaml, load_yaml
from strategy_maps.loader import build_graph

SAMPLE = Path(__file__).parent / "data" / "small_map.yaml"
TEXT = SAMPLE.read_text(encoding="utf-8")


def load(session, text: str = TEXT):  # type: ignore[no-untyped-def]
    doc, problems = load_yaml(text)
    assert problems == []
    return import_document(session, doc)


def test_a_map_file_round_trips_exactly(db):
    load(db)
    assert dump_yaml(export_document(db)) == TEXT


def test_a_map_moves_between_databases_unchanged(db, session_factory, tmp_path):
    load(db)
    export_map(db, tmp_path / "map.yaml")
    with session_factory() as other, other.begin():
        report = import_map(other, tmp_path / "map.yaml")
        assert report.problems == []
        assert dump_yaml(export_document(other)) == TEXT


def test_the_import_says_what_it_created(db):
    summary = load(db)
    assert summary.created == {"pillars": 2, "secretariats": 3, "objectives": 3,
                               "contributions": 2, "goals": 4, "pacts": 1, "pact_members": 2,
                               "pact_goals": 2, "budget_accounts": 3, "funding": 4}
    assert summary.updated == {}
    assert "goals                 4 new      0 changed" in summary.render_text()


def test_importing_the_same_file_again_changes_nothing(db):
    load(db)
    summary = load(db)
    assert (summary.created, summary.updated) == ({}, {})
    assert "nothing new or changed" in summary.render_text()


def test_importing_an_edited_file_updates_what_changed_and_deletes_nothing(db):
    load(db)
    edited = TEXT.replace("name: New prison places", "name: Prison places created").replace(
        "fiscal_year: 2022, share: 1.0}", "fiscal_year: 2022, share: 0.8}")
    edited = edited.replace("- {code: SAU, name: Saúde, position: 2}\n", "")
    edited = edited.replace("  pillar: SAU\n", "  pillar: SEG\n")
    summary = load(db, edited)
    assert summary.created == {}
    assert summary.updated == {"goals": 1, "funding": 1, "objectives": 1}
    assert db.scalar(select(Goal.name).where(Goal.code == "SJDH-VAGAS")) == (
        "Prison places created")
    assert db.scalar(select(func.count()).select_from(Pillar)) == 2
    assert 0.8 in db.scalars(select(GoalAccountLink.share)).all()


def test_a_file_may_name_what_the_database_already_holds(db):
    load(db)
    extra = """\
goals:
- {code: SDS-NEW, name: A new goal, objective: OE01, owner: SDS, indicator: Count,
   direction: up, frequency: yearly}
funding:
- {goal: SDS-NEW, account: '0625.1180', fiscal_year: 2022, share: 0.1}
"""
    doc, problems = load_yaml(extra, known={"objectives": {"OE01"}, "secretariats": {"SDS"},
                                            "budget_accounts": {("0625.1180", 2022)}})
    assert problems == []
    assert import_document(db, doc).created == {"goals": 1, "funding": 1}


PROBLEMS = [
    ("unknown reference", ("  objective: OE03\n", "  objective: OE99\n"),
     "Goals, line 65, objective: no objective 'OE99' in the file or the map"),
    ("share over one", ("fiscal_year: 2022, share: 1.0}", "fiscal_year: 2022, share: 1.5}"),
     "Funding, line 130, share: 1.5 should be more than 0 and at most 1"),
    ("unknown direction", ("  direction: up\n  frequency: monthly", "  direction: sideways\n"
                                                                    "  frequency: monthly"),
     "Goals, line 48, direction: 'sideways' should be one of up, down, range"),
    ("missing name", ("{code: SEG, name: Public safety, position: 1}", "{code: SEG, position: 1}"),
     "Pillars, line 8, name: is required"),
    ("bad date", ("  baseline_date: 2019-12-31\n  target_value: 159.32",
                  "  baseline_date: 2019-13-31\n  target_value: 159.32"),
     "Goals, line 32, baseline_date: '2019-13-31' is not a date like 2024-06-30"),
    ("bad number", ("  reporting_lag_days: 10", "  reporting_lag_days: ten"),
     "Goals, line 48, reporting_lag_days: 'ten' is not a whole number"),
    ("duplicate", ("- {code: SAU, name: Saúde, position: 2}", "- {code: SEG, name: Saúde}"),
     "Pillars, line 9: 'SEG' is already defined in line 8"),
    ("unknown column", ("{code: SEG, name: Public safety, position: 1}",
                        "{code: SEG, name: Public safety, colour: red}"),
     "Pillars, line 8, colour: unknown column"),
    ("unknown section", ("pillars:\n", "planets: []\npillars:\n"),
     "planets: unknown section; expected one of pillars, secretariats"),
    ("account of another year",
     ("'0625.1180', fiscal_year: 2022", "'0625.1180', fiscal_year: 2030"),
     "Funding, line 130, account: no budget account '0625.1180' / 2030 in the file or the map"),
    ("range without band", ("  target_low: 75.0\n", ""),
     "Goals, line 75, target_low: a range goal needs target_low and target_high"),
    ("self contribution", ("{source: OE03, target: OE01, weight: 0.4}",
                           "{source: OE01, target: OE01, weight: 0.4}"),
     "Contributions, line 29, target: an objective cannot contribute to itself"),
    ("bands upside down", ("  tolerance: 0.1\n", "  tolerance: 0.5\n"),
     "Goals, line 32, off_track_tolerance: should not be below tolerance"),
    ("pact ends before it starts", ("ends_on: 2023-12-31", "ends_on: 2019-12-31"),
     "Pacts, line 94, ends_on: should not be before starts_on"),
    ("not YAML", ("pillars:\n", "pillars: [\n"), "file: not valid YAML"),
    ("another format", ("format: delivery-tracker/strategy-map", "format: something-else"),
     "file: this is not a delivery-tracker/strategy-map file of version 1"),
    ("a row that is not a mapping", ("- {code: SDS, name: Secretaria de Defesa Social}",
                                     "- SDS"), "Secretariats, line 11: should be `field: value`"),
]


@pytest.mark.parametrize(("change", "problem"), [p[1:] for p in PROBLEMS],
                         ids=[p[0] for p in PROBLEMS])
def test_a_bad_row_is_reported_by_section_file_line_and_field(change, problem):
    old, new = change
    assert old in TEXT
    _, problems = load_yaml(TEXT.replace(old, new, 1))
    assert any(str(p).startswith(problem) for p in problems), [str(p) for p in problems]


def test_a_yaml_row_is_named_by_the_line_an_editor_shows(tmp_path):
    lines = TEXT.splitlines()
    assert lines[64] == "- code: SJDH-VAGAS" and "  objective: OE03" in lines[65:70]
    _, problems = load_yaml(TEXT.replace("  objective: OE03\n", "  objective: OE99\n"))
    assert [(p.section, p.row, p.label) for p in problems] == [("Goals", 65, "line")]


def test_a_yaml_alias_bomb_is_refused_before_it_is_expanded():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
        for i in range(8)) + "goals: *i\n"
    _, problems = load_yaml(bomb)
    assert [str(p) for p in problems] == [
        "file: refused: its aliases (*name) expand to more than 100,000 values; write the "
        "values out instead"]


def test_nothing_is_written_when_any_row_has_a_problem(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(TEXT.replace("  objective: OE03\n", "  objective: OE99\n"), encoding="utf-8")
    report = import_map(db, path)
    assert "nothing was imported" in report.render_text()
    assert "Goals, line 65, objective" in report.render_text()
    assert db.scalar(select(func.count()).select_from(Goal)) == 0


def test_an_excel_workbook_round_trips(db, tmp_path):
    load(db)
    write_workbook(export_document(db), tmp_path / "map.xlsx")
    doc, problems = read_workbook(tmp_path / "map.xlsx")
    assert problems == []
    assert doc.rows == export_document(db).rows
    assert dump_yaml(doc) == TEXT


def test_an_excel_workbook_reports_problems_with_excel_row_numbers(db, tmp_path):
    load(db)
    path = tmp_path / "map.xlsx"
    write_workbook(export_document(db), path)
    book = load_workbook(path)
    goals = book["Goals"]
    header = [c.value for c in goals[1]]
    goals.cell(row=4, column=header.index("objective") + 1).value = "OE99"
    goals.insert_rows(3)  # a blank row is skipped, and the rows below keep their numbers
    funding = book["Funding"]
    funding.cell(row=2, column=[c.value for c in funding[1]].index("share") + 1).value = "half"
    book["Pillars"].cell(row=3, column=2).value = None
    book.save(path)
    _, problems = read_workbook(path)
    assert [str(p) for p in problems] == [
        "Pillars, row 3, name: is required",
        "Funding, row 2, share: 'half' is not a number",
        "Goals, row 5, objective: no objective 'OE99' in the file or the map",
    ]


def test_an_empty_map_gives_a_workbook_to_fill_in(db, tmp_path):
    export_map(db, tmp_path / "blank.xlsx")
    book = load_workbook(tmp_path / "blank.xlsx")
    assert book.sheetnames == ["About", *(s.sheet for s in SECTIONS), "Initiatives",
                               "Milestones", "Risks"]
    assert [c.value for c in book["Milestones"][1]] == [
        "initiative", "name", "baseline", "forecast", "actual", "owner", "reason"]
    assert [c.value for c in book["Budget accounts"][1]] == [
        "code", "fiscal_year", "name", "programme", "secretariat", "appropriated", "committed",
        "spent"]
    doc, problems = read_map_file(db, tmp_path / "blank.xlsx")
    assert problems == [] and not any(doc.rows.values()) and not any(doc.plan_cells.values())


def test_an_unreadable_workbook_is_one_problem(tmp_path):
    path = tmp_path / "map.xlsx"
    path.write_text("not a workbook")
    _, problems = read_workbook(path)
    assert str(problems[0]).startswith("file: not an Excel workbook")


def test_node_link_json_and_graphml_name_nodes_by_kind_and_code(db, tmp_path):
    load(db)
    graph = build_graph(db)
    export_map(db, tmp_path / "map.json")
    export_map(db, tmp_path / "map.graphml")
    data = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    from_json = nx.node_link_graph(data, edges="edges")
    from_graphml = nx.read_graphml(tmp_path / "map.graphml")
    for other in (from_json, from_graphml):
        assert other.number_of_nodes() == graph.number_of_nodes()
        assert other.number_of_edges() == graph.number_of_edges()
        assert other.nodes["goal:SDS-DESPACHOS"]["kind"] == "goal"
        assert other.nodes["account:0412.4135/2021"]["fiscal_year"] == 2021
        assert other.edges["goal:SDS-DESPACHOS", "account:0412.4135/2022"]["share"] == 0.333
    assert from_json.nodes["pact:PPV"]["kind"] == "pact"
    assert from_graphml.edges["pact:PPV", "goal:PPV Homicídio doloso"][
        "negotiated_target_date"] == "2023-12-31"


@pytest.mark.parametrize("name", ["map.csv", "map"])
def test_an_unknown_extension_is_refused(db, tmp_path, name):
    with pytest.raises(ValueError, match="cannot export"):
        export_map(db, tmp_path / name)
    (tmp_path / name).write_text("")
    with pytest.raises(ValueError, match="cannot import"):
        read_map_file(db, tmp_path / name)
