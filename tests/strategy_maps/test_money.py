"""Money through the map: account amounts reach goals by their shares, then add up."""

from __future__ import annotations

import pytest

from strategy_maps.money import goal_money, money_rollup
from tests.strategy_maps.builders import MapBuilder


def sample() -> MapBuilder:
    """A1 (FY2022) funds G1 60% and G2 25%; A2 funds G2 fully in FY2022 and in FY2023;
    A3 funds nothing. PA and PB both cover G1."""
    b = MapBuilder()
    b.objective("O1", pillar="P").objective("O2", pillar="P").objective("O3", pillar="Q")
    b.goal("G1", objective="O1", owner="S1").goal("G2", objective="O2", owner="S2")
    b.goal("G3", objective="O3", owner="S2")
    b.account("A1", {"G1": 0.6, "G2": 0.25}, appropriated=1000.0, committed=800.0, spent=500.0)
    b.account("A2", {"G2": 1.0}, appropriated=200.0, committed=100.0, spent=50.0)
    b.account("A2", {"G2": 1.0}, fiscal_year=2023, appropriated=300.0)
    b.account("A3", {}, appropriated=99.0)
    b.pact("PA", goals={"G1": {}}).pact("PB", goals={"G1": {}, "G2": {}})
    return b


CASES = [
    # code, fiscal year, appropriated, committed, spent
    ("G1", 2022, 600.0, 480.0, 300.0),
    ("G2", 2022, 250.0 + 200.0, 200.0 + 100.0, 125.0 + 50.0),
    ("G2", 2023, 300.0, 0.0, 0.0),
    ("G3", 2022, 0.0, 0.0, 0.0),
    ("O1", 2022, 600.0, 480.0, 300.0),
    ("P", 2022, 1050.0, 780.0, 475.0),
    ("P", 2023, 300.0, 0.0, 0.0),
    ("Q", 2022, 0.0, 0.0, 0.0),
    ("PA", 2022, 600.0, 480.0, 300.0),
    ("PB", 2022, 1050.0, 780.0, 475.0),  # a goal in two pacts counts in both
    ("S2", 2022, 450.0, 300.0, 175.0),
    ("S2", 2023, 300.0, 0.0, 0.0),
]


@pytest.mark.parametrize(("code", "year", "appropriated", "committed", "spent"), CASES,
                         ids=[f"{c[0]}-FY{c[1]}" for c in CASES])
def test_money_reaches_every_node_through_the_shares(code, year, appropriated, committed, spent):
    frame = money_rollup(sample().index()).set_index(["code", "fiscal_year"])
    row = frame.loc[(code, year)]
    assert (row["appropriated"], row["committed"], row["spent"]) == pytest.approx(
        (appropriated, committed, spent))


def test_every_node_has_a_row_for_every_fiscal_year():
    frame = money_rollup(sample().index())
    assert len(frame) == (3 + 2 + 3 + 2 + 2) * 2
    assert set(frame["kind"]) == {"goal", "pillar", "objective", "pact", "secretariat"}
    assert "goal" not in set(money_rollup(sample().index(), goals=False)["kind"])


def test_shares_are_applied_without_rounding():
    b = MapBuilder().goal("G1").goal("G2").goal("G3")
    b.account("A1", {"G1": 1 / 3, "G2": 1 / 3, "G3": 1 / 3}, appropriated=100.0)
    years, money = goal_money(b.index())
    assert years == [2022]
    assert money[:, 0, 0].tolist() == [100.0 * (1 / 3)] * 3  # the product, not 33.33


def test_a_map_without_accounts_has_no_money_rows():
    assert money_rollup(MapBuilder().goal("G1").index()).empty
