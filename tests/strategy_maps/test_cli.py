"""``delivery map`` on a small map: validation's exit status and the as-of roll-up."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from delivery.cli import main
from strategy_maps.cli import map_group

SAMPLE = Path(__file__).parent / "data" / "small_map.yaml"


def test_validate_exits_1_when_the_map_has_an_error(database_url, session_factory, monkeypatch,
                                                   tmp_path):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    circular = SAMPLE.read_text(encoding="utf-8").replace(
        "- {source: OE06, target: OE01, weight: 0.15}",
        "- {source: OE06, target: OE01, weight: 0.15}\n- {source: OE01, target: OE03}")
    path = tmp_path / "circular.yaml"
    path.write_text(circular, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(map_group, ["import", str(path)]).exit_code == 0
    result = runner.invoke(map_group, ["validate"])
    assert result.exit_code == 1
    assert "error   contribution-cycle" in result.output
    assert "(OE01 -> OE03 -> OE01)" in result.output


def test_rollup_takes_the_date_it_is_asked_for(database_url, session_factory, monkeypatch):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    runner = CliRunner()
    assert runner.invoke(map_group, ["import", str(SAMPLE)]).exit_code == 0
    result = runner.invoke(map_group, ["rollup", "--as-of", "2022-06-30"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Roll-up as of 30 Jun 2022 (trend against 2 Jun 2022)")
    assert "FY2022 appropriated" in result.output
    result = runner.invoke(map_group, ["rollup", "--as-of", "30/06/2022"])
    assert result.exit_code == 2 and "is not a date like 2024-06-30" in result.output


def test_a_database_behind_the_code_is_refused_with_the_upgrade_command(database_url,
                                                                         monkeypatch):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)  # never migrated
    result = CliRunner().invoke(map_group, ["validate"])
    assert result.exit_code == 1 and "delivery db upgrade" in result.output


def test_rollup_impact_and_money_speak_portuguese(database_url, session_factory, monkeypatch):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    runner = CliRunner()
    assert runner.invoke(main, ["map", "import", str(SAMPLE)]).exit_code == 0
    monkeypatch.setenv("DELIVERY_LANGUAGE", "pt_BR")
    rollup = runner.invoke(main, ["map", "rollup", "--as-of", "2022-06-30", "--rule"])
    impact = runner.invoke(main, ["map", "impact", "--as-of", "2022-06-30",
                                       "PPV Homicídio doloso"])
    money = runner.invoke(main, ["map", "money", "--as-of", "2022-06-30", "--all"])
    validation = runner.invoke(main, ["map", "validate"])
    assert rollup.exit_code == 0, rollup.output
    assert rollup.output.startswith("Como a consolidação é calculada")
    lines = rollup.output.splitlines()
    heading = next(line for line in lines if line.startswith("tipo"))
    assert heading.split()[:6] == ["tipo", "código", "metas", "rumo", "risco", "atras."]
    rows = [line.split()[0] for line in lines[lines.index(heading) + 1:]]
    assert set(rows) <= {"eixo", "objetivo", "pacto", "secretaria"} and "eixo" in rows
    assert not any(word in rollup.output for word in ("pillar ", "objective ", "steady"))
    assert impact.exit_code == 0, impact.output
    assert "exposição" in impact.output and "\nobjetivo " in impact.output
    assert money.exit_code == 0, money.output
    assert "Gasto contra avanço físico" in money.output and " gasto " in money.output
    assert " por unidade " in money.output and " per unit" not in money.output
    assert validation.output.split()[0] in {"erro", "aviso"}
