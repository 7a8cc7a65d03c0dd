"""The strategy map's findings, rules and reports in the reader's language: built with ``_()``
when made, naming each node by its kind, code and label in that language."""

from __future__ import annotations

import pytest

from delivery.i18n import use_locale
from pacts.budget import SPENDING_RULE, spending_rule
from strategy_maps.nodes import name
from strategy_maps.rollup import ROLLUP_RULE, rollup_rule, trend_text
from strategy_maps.validation import RULES, rule_text, severity_name, validate
from tests.strategy_maps.builders import MapBuilder
from tests.strategy_maps.test_validation import clean, no_owner, one_member, over_allocated


def _messages(breakage, language: str) -> list[str]:
    b = clean()
    breakage(b)
    graph = b.graph()
    with use_locale(language):
        return [f.message for f in validate(graph)]


def test_a_goal_without_owner_is_named_as_a_meta_in_portuguese_and_spanish():
    assert _messages(no_owner, "pt_BR") == [
        "Meta G3 \u201cgoals G3\u201d não tem responsável: indique a secretaria responsável."]
    assert _messages(no_owner, "es") == [
        "Meta G3 \u201cgoals G3\u201d no tiene responsable: indique la secretaría responsable."]
    assert _messages(no_owner, "en") == [
        "Goal G3 \u201cgoals G3\u201d has no owner: name its lead secretariat."]


def test_shares_and_fiscal_years_are_written_as_the_reader_writes_them():
    [pt] = _messages(over_allocated, "pt_BR")
    assert pt.startswith("As parcelas da conta orçamentária A2 (exercício 2022)")
    assert "somam 101% (G1 70%, G2 31%): não podem passar de 100%." in pt
    [es] = _messages(over_allocated, "es")
    assert "(ejercicio 2022)" in es and "suman 101\u00a0% (G1 70\u00a0%, G2 31\u00a0%)" in es


def test_a_lonely_pact_in_spanish():
    [es] = _messages(one_member, "es")
    assert es.startswith("Pacto PB") and "con un solo miembro (S1)" in es


def test_node_names_rules_and_severities_follow_the_language():
    b = MapBuilder().goal("G1")
    graph = b.graph()
    with use_locale("pt_BR"):
        assert name(graph, b.node("objective", "O1"), capital=True).startswith("Objetivo O1")
        assert name(graph, b.node("pillar", "P")).startswith("eixo P")
        assert severity_name("error") == "erro" and severity_name("warning") == "aviso"
        assert rule_text("goal-without-owner") == "Uma meta sem secretaria responsável."
        assert {r.text for r in RULES}.isdisjoint({r.description for r in RULES})
        assert trend_text("improving") == "melhorando" and trend_text("") == ""
    with use_locale("es"):
        assert rule_text("goal-without-owner") == "Una meta sin secretaría responsable."
    assert rule_text("no-such-rule") == "no-such-rule"


@pytest.mark.parametrize("language", ["pt_BR", "es"])
def test_the_rollup_and_spending_rules_are_translated_and_keep_their_numbers(language):
    rule, spending = rollup_rule(language), spending_rule(language)
    assert rule != ROLLUP_RULE and spending != SPENDING_RULE
    assert "How the roll-up" not in rule and "Spending against" not in spending
    assert "100" in rule and "4" in rule
    assert ("80%" if language == "pt_BR" else "80\u00a0%") in spending
    assert rollup_rule("en") == ROLLUP_RULE and spending_rule("en") == SPENDING_RULE
