"""Every validation rule, each on a small map that breaks it once, and on a clean map."""

from __future__ import annotations

from datetime import date

import pytest

from strategy_maps.validation import ERROR, RULES, WARNING, validate
from tests.strategy_maps.builders import MapBuilder


def clean() -> MapBuilder:
    """A map with nothing to report: two objectives with goals, a pact of two, funded goals."""
    b = MapBuilder().goal("G1", objective="O1", owner="S1").goal("G2", objective="O2",
                                                                 owner="S2")
    b.contributes("O2", "O1", 0.5)
    b.pact("PA", members=("S1", "S2"), goals={"G1": {"negotiated_target_value": 100.0}})
    b.account("A1", {"G1": 0.6, "G2": 0.4}, appropriated=100.0)
    return b


def cycle(b: MapBuilder) -> None:
    b.contributes("O1", "O2")


def three_cycle(b: MapBuilder) -> None:
    b.goal("G3", objective="O3", owner="S1")
    b.account("A3", {"G3": 1.0})
    b.contributes("O1", "O3").contributes("O3", "O2")


def no_owner(b: MapBuilder) -> None:
    b.goal("G3", owner=None)
    b.account("A3", {"G3": 1.0})


def no_trajectory(b: MapBuilder) -> None:
    b.goal("G3", has_trajectory=False)
    b.account("A3", {"G3": 1.0})


def no_figures(b: MapBuilder) -> None:
    b.goal("G3", figures=0)
    b.account("A3", {"G3": 1.0})


def no_budget(b: MapBuilder) -> None:
    b.goal("G3")


def idle_account(b: MapBuilder) -> None:
    b.account("A2", {}, appropriated=50.0)


def over_allocated(b: MapBuilder) -> None:
    b.account("A2", {"G1": 0.7, "G2": 0.31})


def one_member(b: MapBuilder) -> None:
    b.pact("PB", members=("S1",), goals={"G2": {}})


def no_members(b: MapBuilder) -> None:
    b.pact("PB", members=(), goals={"G2": {}})


def empty_objective(b: MapBuilder) -> None:
    b.objective("O3")


def looser_value(b: MapBuilder) -> None:
    b.pact("PB", goals={"G2": {"negotiated_target_value": 90.0}})


def looser_date(b: MapBuilder) -> None:
    b.tables["goals"][0]["target_date"] = date(2024, 12, 31)
    b.pact("PB", goals={"G1": {"negotiated_target_date": date(2025, 12, 31)}})


CASES = [
    # breakage, rule, severity, codes of the nodes named, words of the message
    (cycle, "contribution-cycle", ERROR, ["O1", "O2"], "(O1 -> O2 -> O1)"),
    (three_cycle, "contribution-cycle", ERROR, ["O1", "O2", "O3"], "in a circle"),
    (no_owner, "goal-without-owner", ERROR, ["G3"], "Goal G3 \u201cgoals G3\u201d has no owner"),
    (over_allocated, "account-over-allocated", ERROR, ["A2", "G1", "G2"],
     "add up to 101% (G1 70%, G2 31%)"),
    (no_trajectory, "goal-without-trajectory", WARNING, ["G3"], "has no approved trajectory"),
    (no_figures, "goal-without-figures", WARNING, ["G3"], "has no figures"),
    (no_budget, "goal-without-budget", WARNING, ["G3"], "funded by no budget account"),
    (idle_account, "account-funds-no-goal", WARNING, ["A2"], "account A2 (FY2022)"),
    (one_member, "pact-single-member", WARNING, ["PB", "S1"], "only one member (S1)"),
    (no_members, "pact-single-member", WARNING, ["PB"], "with no members"),
    (empty_objective, "objective-without-goals", WARNING, ["O3"], "has no goals"),
    (looser_value, "pact-target-looser", WARNING, ["PB", "G2"], "target 90 instead of 100"),
    (looser_date, "pact-target-looser", WARNING, ["PB", "G1"],
     "deadline 31 Dec 2025 instead of 31 Dec 2024"),
]


def test_a_clean_map_has_no_findings():
    assert validate(clean().graph()) == []


@pytest.mark.parametrize(("breakage", "rule", "severity", "codes", "words"), CASES,
                         ids=[c[0].__name__ for c in CASES])
def test_each_rule_finds_what_it_is_about_and_names_the_nodes(breakage, rule, severity, codes,
                                                              words):
    b = clean()
    breakage(b)
    graph = b.graph()
    findings = validate(graph)
    assert [(f.rule, f.severity) for f in findings] == [(rule, severity)]
    finding = findings[0]
    assert sorted(graph.nodes[n]["code"] for n in finding.nodes) == sorted(codes)
    assert words in finding.message
    assert finding.to_dict(graph)["nodes"][0].split(":")[0] in {"goal", "objective", "pact",
                                                                "account"}


def test_every_rule_has_a_case():
    assert {r.id for r in RULES} == {c[1] for c in CASES}


def test_errors_come_first_then_rule_order():
    b = clean()
    for breakage in (empty_objective, no_budget, cycle, idle_account):
        breakage(b)
    rules = [f.rule for f in validate(b.graph())]
    assert rules == ["contribution-cycle", "goal-without-budget", "account-funds-no-goal",
                     "objective-without-goals"]


def test_shares_adding_up_to_exactly_one_are_fine_despite_float_noise():
    b = clean()
    b.account("A2", {"G1": 0.1, "G2": 0.2})
    b.account("A3", {"G1": 0.7, "G2": 0.1 + 0.2})
    assert validate(b.graph()) == []


def test_rules_can_be_chosen():
    b = clean()
    no_budget(b)
    empty_objective(b)
    only = [r for r in RULES if r.id == "objective-without-goals"]
    assert [f.rule for f in validate(b.graph(), only)] == ["objective-without-goals"]
