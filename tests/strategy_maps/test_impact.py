"""Impact of slipping goals, and keystone goals, on hand-built maps."""

from __future__ import annotations

import pytest

from strategy_maps.impact import exposure, impact, keystones
from tests.strategy_maps.builders import MapBuilder


def sample() -> MapBuilder:
    """O1 (G1, G2) and O2 (G3) in pillar P; O3 (G4) in Q. O2 -> O1 (0.5), O1 -> O3 (1).
    PA covers G1 and G4."""
    b = MapBuilder()
    b.objective("O1", pillar="P").objective("O2", pillar="P").objective("O3", pillar="Q")
    b.goal("G1", objective="O1").goal("G2", objective="O1").goal("G3", objective="O2")
    b.goal("G4", objective="O3")
    b.contributes("O2", "O1", 0.5).contributes("O1", "O3", 1.0)
    b.pact("PA", goals={"G1": {}, "G4": {}})
    return b


def goals(b: MapBuilder, *codes: str) -> list:
    return [b.node("goal", c) for c in codes]


CASES = [
    # slipping goals, {code: exposure}
    (("G1",), {"O1": 0.5 / 1.5, "O3": (0.5 / 1.5) / 2, "P": 1 / 3, "PA": 0.5}),
    (("G3",), {"O2": 1.0, "O1": 0.5 / 1.5, "O3": (0.5 / 1.5) / 2, "P": 1 / 3}),
    (("G1", "G2"), {"O1": 1 / 1.5, "O3": (1 / 1.5) / 2, "P": 2 / 3, "PA": 0.5}),
    (("G4",), {"O3": 0.5, "Q": 1.0, "PA": 0.5}),
]


@pytest.mark.parametrize(("slipping", "expected"), CASES, ids=["+".join(c[0]) for c in CASES])
def test_exposure_follows_the_rollup_weights(slipping, expected):
    b = sample()
    frame = impact(b.index(), goals(b, *slipping)).set_index("code")
    assert set(frame.index) == set(expected)
    for code, share in expected.items():
        assert frame.at[code, "exposure"] == pytest.approx(share), code
    assert frame["exposure"].is_monotonic_decreasing


def test_with_statuses_it_says_how_many_points_each_node_would_lose():
    b = sample()
    now = {b.id("goals", c): "on_track" for c in ("G1", "G2", "G3", "G4")}
    frame = impact(b.index(), goals(b, "G1"), now).set_index("code")
    assert frame.at["PA", "score"] == 100
    assert frame.at["PA", "score_if_off_track"] == 50
    assert frame.at["PA", "drop"] == 50
    assert frame.at["O1", "score_if_off_track"] == pytest.approx((50 + 0.5 * 100) / 1.5)


def test_exposure_is_empty_for_nodes_without_goals():
    b = sample().objective("O4")
    index = b.index()
    shares = dict(zip([index.graph.nodes[g]["code"] for g in index.groups],
                      exposure(index, goals(b, "G1")), strict=True))
    assert shares["O4"] != shares["O4"]  # NaN


def test_keystones_are_goals_many_objectives_depend_on():
    b = sample()
    frame = keystones(b.index(), top=None)
    assert frame["code"].tolist() == ["G3", "G1", "G2", "G4"]
    g3 = frame.iloc[0]
    assert g3["objectives"] == 3
    assert g3["objective_codes"] == "O1, O2, O3"
    assert g3["weight"] == pytest.approx(1 + 1 / 3 + 1 / 6)
    g1 = frame.set_index("code").loc["G1"]
    assert (g1["objectives"], g1["pacts"], g1["pillars"]) == (2, 1, 1)
    assert g1["weight"] == pytest.approx((1 / 1.5) / 2 + (1 / 1.5) / 2 / 2)


def test_keystones_can_be_cut_to_the_top():
    assert len(keystones(sample().index(), top=2)) == 2
