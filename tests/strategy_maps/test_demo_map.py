"""The strategy map of the demo government: what validation, roll-up, money and impact say,
and the ``delivery map`` commands run on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from delivery.assessment import goal_statuses
from delivery.db import make_engine, make_session_factory, upgrade
from delivery.demo import load_demo
from strategy_maps.cli import map_group
from strategy_maps.impact import impact, keystones
from strategy_maps.index import MapIndex
from strategy_maps.loader import build_graph
from strategy_maps.nodes import GOAL, by_code
from strategy_maps.reports import (
    goal_spending,
    rollup_as_of,
    spending_report,
    statuses_on,
    unit_costs,
)
from strategy_maps.validation import validate

if TYPE_CHECKING:
    from tests.conftest import Server

REVIEW_DATE = date(2023, 1, 16)
# What the demo plants on purpose (docs/strategy-map.md lists them for the README): the Pact
# for Health negotiated 90% of the way from baseline to each goal's own target.
PLANTED = [("pact-target-looser", "PPS", goal) for goal in [
    "SEINFRA-ESGOTO", "SES-CIRURGIAS", "SES-FILA-AC", "SES-FILA-AM", "SES-FILA-MS",
    "SES-FILA-RMR", "SES-FILA-SAR", "SES-FILA-SPJ", "SES-FILA-SSF", "SES-MMAT",
    "SES-PRENATAL", "SES-VACINA"]]


@pytest.fixture(scope="module")
def demo_url(server: Server) -> Iterator[str]:
    url = server.new_url()
    engine = make_engine(url)
    upgrade(engine)
    load_demo(make_session_factory(engine))
    engine.dispose()
    yield url


@pytest.fixture(scope="module")
def demo(demo_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(demo_url)
    yield make_session_factory(engine)
    engine.dispose()


def test_the_demo_map_validates_with_only_the_findings_it_plants(demo):
    with demo() as session:
        graph = build_graph(session)
    findings = validate(graph)
    found = [(f.rule, *(graph.nodes[n]["code"] for n in f.nodes)) for f in findings]
    assert found == PLANTED
    assert {f.severity for f in findings} == {"warning"}


def test_the_demo_rolls_up_to_every_pillar_objective_pact_and_secretariat(demo):
    with demo() as session:
        frame = rollup_as_of(session, REVIEW_DATE)
        goals = len(statuses_on(session, REVIEW_DATE))
    by_kind = frame.groupby("kind")["goals"].sum()
    assert by_kind["pillar"] == by_kind["objective"] == by_kind["secretariat"] == goals == 134
    assert list(frame.loc[frame["kind"] == "pillar", "code"]) == ["ECO", "EDU", "GOV", "SAU",
                                                                   "SEG"]
    pillars = frame[frame["kind"] == "pillar"]
    assert pillars["score"].between(0, 100).all()
    assert pillars["previous_score"].notna().all()
    assert set(frame["trend_label"]) <= {"improving", "worsening", "steady", ""}


def test_the_demo_money_reaches_goals_and_flags_spending_against_progress(demo):
    with demo() as session:
        index = MapIndex.of(build_graph(session))
        spending = spending_report(session, REVIEW_DATE, index=index)
        costs = unit_costs(session, REVIEW_DATE, index=index)
    assert set(spending["fiscal_year"]) == {2022}
    assert len(spending) == 134
    assert spending["execution"].between(0, 1).all()
    assert set(spending["flag"]) >= {"money spent, trajectory not followed",
                                     "trajectory followed, money not spent"}
    dispatches = costs[costs["code"] == "SDS-DESPACHOS"].set_index("fiscal_year")
    assert list(dispatches.index) == [2021, 2022]
    assert dispatches.at[2022, "complete"]
    assert dispatches.at[2022, "cost_per_unit"] == pytest.approx(
        dispatches.at[2022, "spent"] / dispatches.at[2022, "output"])
    assert dispatches.at[2022, "cost_change"] == pytest.approx(
        dispatches.at[2022, "cost_per_unit"] / dispatches.at[2021, "cost_per_unit"] - 1)


def test_the_demo_impact_of_homicides_slipping_reaches_the_pact_for_life(demo):
    with demo() as session:
        graph = build_graph(session)
        statuses = statuses_on(session, REVIEW_DATE)
    index = MapIndex.of(graph)
    goal = by_code(graph, GOAL, "PPV Homicídio doloso")
    frame = impact(index, [goal], statuses).set_index("code")
    assert {"PPV", "OE01", "SEG"} <= set(frame.index)
    assert frame.at["OE01", "exposure"] > frame.at["SEG", "exposure"] > 0
    top = keystones(index, top=5)
    assert (top["objectives"] >= 2).all()


def test_the_map_commands_run_on_the_demo(demo_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", demo_url)
    runner = CliRunner()
    result = runner.invoke(map_group, ["validate"])
    assert result.exit_code == 0, result.output
    assert "12 finding(s): 0 error(s), 12 warning(s)" in result.output
    result = runner.invoke(map_group, ["rollup", "--as-of", "2023-01-16", "--rule"])
    assert result.exit_code == 0, result.output
    assert "How the roll-up is worked out" in result.output
    assert "FY2022 appropriated / committed / spent" in result.output
    assert any(line.startswith("pillar       SEG") for line in result.output.splitlines())
    result = runner.invoke(map_group, ["rollup", "--kind", "pact", "--no-money"])
    assert result.exit_code == 0, result.output
    assert [line.split()[1] for line in result.output.splitlines()[2:]] == ["PPE", "PPS", "PPV"]
    result = runner.invoke(map_group, ["impact", "SES-CIRURGIAS"])
    assert result.exit_code == 0 and "OE06" in result.output
    result = runner.invoke(map_group, ["impact", "NOPE"])
    assert result.exit_code == 1 and "no goal or initiative with code 'NOPE'" in result.output
    result = runner.invoke(map_group, ["keystones", "--top", "3"])
    assert result.exit_code == 0 and len(result.output.splitlines()) == 4
    result = runner.invoke(map_group, ["money"])
    assert result.exit_code == 0, result.output
    assert "SDS-DESPACHOS" in result.output and "dispatches" in result.output
    result = runner.invoke(map_group, ["validate", "--json"])
    assert result.exit_code == 0 and '"rule": "pact-target-looser"' in result.output


def test_the_demo_map_exports_and_imports_through_the_commands(demo_url, database_url,
                                                              session_factory, monkeypatch,
                                                              tmp_path):
    runner = CliRunner()
    monkeypatch.setenv("DELIVERY_DATABASE_URL", demo_url)
    for name in ("map.yaml", "map.xlsx", "map.json", "map.graphml"):
        result = runner.invoke(map_group, ["export", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)  # migrated by session_factory
    result = runner.invoke(map_group, ["import", "--dry-run", str(tmp_path / "map.xlsx")])
    assert result.exit_code == 0 and "DRY RUN" in result.output
    assert "goals               134 new" in result.output
    result = runner.invoke(map_group, ["import", str(tmp_path / "map.xlsx")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(map_group, ["export", str(tmp_path / "again.yaml")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again.yaml").read_text() == (tmp_path / "map.yaml").read_text()
    result = runner.invoke(map_group, ["validate"])
    assert "goal-without-trajectory" in result.output  # a map file carries no trajectories
    bad = tmp_path / "bad.yaml"
    bad.write_text("goals:\n- {code: X}\n")
    result = runner.invoke(map_group, ["import", str(bad)])
    assert result.exit_code == 1
    assert "Goals, line 2, name: is required" in result.output
    result = runner.invoke(map_group, ["export", str(tmp_path / "map.txt")])
    assert result.exit_code == 1 and "cannot export to .txt" in result.output


def test_a_goals_own_spending_is_its_row_of_the_whole_maps_report(demo):
    """The goal page reads its own budget links: the same row as the whole map's report."""
    with demo() as session:
        whole = spending_report(session, REVIEW_DATE).set_index("goal_id")
        statuses = goal_statuses(session, REVIEW_DATE, with_reasons=False)
        for goal_id in [*whole.index[:5], *set(statuses["goal_id"]) - set(whole.index)][:8]:
            own = goal_spending(session, REVIEW_DATE,
                                statuses[statuses["goal_id"] == goal_id])
            if goal_id not in whole.index:
                assert own.empty  # no money for it that year
                continue
            row = own.set_index("goal_id").loc[goal_id]
            for column in whole.columns:
                expected = whole.at[goal_id, column]
                assert row[column] == (pytest.approx(expected, nan_ok=True)
                                       if isinstance(expected, float) else expected), column
