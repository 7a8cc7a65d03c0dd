"""Statuses rolled up the map: counts, score, contributions and trend, on hand-built maps."""

from __future__ import annotations

import math
from datetime import date

import pytest

from strategy_maps.rollup import (
    ROLLUP_RULE,
    earlier_date,
    rollup_with_trend,
    status_rollup,
    trend_word,
)
from tests.strategy_maps.builders import MapBuilder

ON, SLIP, OFF, NONE = "on_track", "slipping", "off_track", "no_recent_data"


def sample() -> MapBuilder:
    """P: O1 (G1, G2, G3 by S1) and O2 (G4 by S2); Q: O3 (G5 by S2). PA covers G1 and G4.
    O2 contributes to O1 with weight 0.5, O3 with weight 0.25."""
    b = MapBuilder()
    b.objective("O1", pillar="P").objective("O2", pillar="P").objective("O3", pillar="Q")
    for code, objective, owner in [("G1", "O1", "S1"), ("G2", "O1", "S1"), ("G3", "O1", "S1"),
                                   ("G4", "O2", "S2"), ("G5", "O3", "S2")]:
        b.goal(code, objective=objective, owner=owner)
    b.contributes("O2", "O1", 0.5).contributes("O3", "O1", 0.25)
    b.pact("PA", members=("S1", "S2"), goals={"G1": {}, "G4": {}})
    return b


def statuses(b: MapBuilder, **by_code: str) -> dict[int, str]:
    return {b.id("goals", code): status for code, status in by_code.items()}


NAN = math.nan
CASES = [
    ("mixed",
     {"G1": ON, "G2": SLIP, "G3": OFF, "G4": ON, "G5": NONE},
     {  # code: (goals, on, slipping, off, no data, score)
         "O1": (3, 1, 1, 1, 0, (50 + 0.5 * 100) / 1.5),  # O3 has no score: left out
         "O2": (1, 1, 0, 0, 0, 100), "O3": (1, 0, 0, 0, 1, NAN),
         "P": (4, 2, 1, 1, 0, 62.5), "Q": (1, 0, 0, 0, 1, NAN),
         "PA": (2, 2, 0, 0, 0, 100), "S1": (3, 1, 1, 1, 0, 50), "S2": (2, 1, 0, 0, 1, 100),
     }),
    ("contributors pull an objective up",
     {"G1": OFF, "G2": OFF, "G3": OFF, "G4": OFF, "G5": ON},
     {"O1": (3, 0, 0, 3, 0, (0 + 0.5 * 0 + 0.25 * 100) / 1.75), "O3": (1, 1, 0, 0, 0, 100),
      "P": (4, 0, 0, 4, 0, 0), "Q": (1, 1, 0, 0, 0, 100), "PA": (2, 0, 0, 2, 0, 0)}),
    ("an objective without data takes its contributors' score",
     {"G1": NONE, "G2": NONE, "G3": NONE, "G4": SLIP, "G5": ON},
     {"O1": (3, 0, 0, 0, 3, (0.5 * 50 + 0.25 * 100) / 0.75), "P": (4, 0, 1, 0, 3, 50),
      "S1": (3, 0, 0, 0, 3, NAN)}),
    ("goals without a status have no recent data",
     {},
     {"O1": (3, 0, 0, 0, 3, NAN), "P": (4, 0, 0, 0, 4, NAN), "PA": (2, 0, 0, 0, 2, NAN)}),
]


@pytest.mark.parametrize(("given", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_it_counts_and_scores_every_pillar_objective_pact_and_secretariat(given, expected):
    b = sample()
    frame = status_rollup(b.index(), statuses(b, **given)).set_index("code")
    for code, (goals, on, slip, off, none, score) in expected.items():
        row = frame.loc[code]
        assert (row["goals"], row[ON], row[SLIP], row[OFF], row[NONE]) == (
            goals, on, slip, off, none), code
        if math.isnan(score):
            assert math.isnan(row["score"]), code
        else:
            assert row["score"] == pytest.approx(score), code


def test_rows_come_pillars_first_then_objectives_pacts_secretariats():
    frame = status_rollup(sample().index(), {})
    assert frame["kind"].tolist() == ["pillar"] * 2 + ["objective"] * 3 + ["pact"] + [
        "secretariat"] * 2
    assert frame.loc[frame["kind"] == "objective", "code"].tolist() == ["O1", "O2", "O3"]


def test_contributions_chain_through_objectives():
    b = MapBuilder().goal("G1", objective="O1").goal("G2", objective="O2").goal(
        "G3", objective="O3")
    b.contributes("O3", "O2", 1.0).contributes("O2", "O1", 1.0)
    frame = status_rollup(b.index(), statuses(b, G1=OFF, G2=OFF, G3=ON)).set_index("code")
    assert frame.at["O2", "score"] == pytest.approx(50)  # (0 + 1 x 100) / 2
    assert frame.at["O1", "score"] == pytest.approx(25)  # (0 + 1 x 50) / 2


def test_links_in_a_circle_are_left_out():
    b = MapBuilder().goal("G1", objective="O1").goal("G2", objective="O2").goal(
        "G3", objective="O3")
    b.contributes("O1", "O2").contributes("O2", "O1").contributes("O3", "O1", 1.0)
    frame = status_rollup(b.index(), statuses(b, G1=OFF, G2=ON, G3=ON)).set_index("code")
    assert frame.at["O2", "score"] == 100
    assert frame.at["O1", "score"] == pytest.approx(50)  # only O3 is taken in


TRENDS = [
    ({"G1": ON}, {"G1": OFF}, 100.0, "improving"),
    ({"G1": OFF}, {"G1": SLIP}, -50.0, "worsening"),
    ({"G1": ON}, {"G1": ON}, 0.0, "steady"),
    ({"G1": ON}, {}, NAN, ""),
]


@pytest.mark.parametrize(("now", "before", "trend", "label"), TRENDS,
                         ids=[t[3] or "no-earlier-score" for t in TRENDS])
def test_the_trend_compares_with_four_weeks_earlier(now, before, trend, label):
    b = MapBuilder().goal("G1", objective="O1")
    frame = rollup_with_trend(b.index(), statuses(b, **now), statuses(b, **before))
    row = frame.set_index("code").loc["O1"]
    assert row["trend_label"] == label
    if math.isnan(trend):
        assert math.isnan(row["trend"])
    else:
        assert row["trend"] == pytest.approx(trend)


@pytest.mark.parametrize(("change", "word"), [
    (2.0, "steady"), (-2.0, "steady"), (2.01, "improving"), (-7.5, "worsening"), (NAN, "")])
def test_within_two_points_is_steady(change, word):
    assert trend_word(change) == word


def test_the_trend_date_is_four_weeks_earlier():
    assert earlier_date(date(2023, 1, 16)) == date(2022, 12, 19)


def test_the_rule_is_written_for_people():
    for words in ("on track scores 100", "slipping 50", "off track 0", "own goals weigh 1",
                  "weight of its link", "4 weeks earlier", "left out of the score"):
        assert words in " ".join(ROLLUP_RULE.split()), words
