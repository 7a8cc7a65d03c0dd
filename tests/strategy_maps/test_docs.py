"""docs/strategy-map.md says what the code does: rules, roll-up, files, demo findings."""

from __future__ import annotations

import re
from pathlib import Path

from pacts.budget import SPENDING_RULE
from strategy_maps.exchange.plan_sections import PLAN_SECTIONS
from strategy_maps.exchange.schema import SECTIONS
from strategy_maps.rollup import ROLLUP_RULE
from strategy_maps.validation import RULES
from tests.strategy_maps.test_demo_map import PLANTED

DOC = (Path(__file__).resolve().parents[2] / "docs" / "strategy-map.md").read_text("utf-8")


def test_it_shows_the_rollup_and_spending_rules_as_screens_do():
    assert ROLLUP_RULE in DOC
    assert SPENDING_RULE in DOC


def test_it_lists_every_validation_rule():
    for rule in RULES:
        assert f"| `{rule.id}` | {rule.severity} | {rule.description} |" in DOC


def test_it_describes_every_field_of_a_map_file():
    for section in SECTIONS:
        assert f'### `{section.key}` (sheet "{section.sheet}")' in DOC
        table = DOC.split(f"### `{section.key}`")[1].split("\n#")[0]
        for field in section.fields:
            assert re.search(rf"^\| `{field.name}` \|", table, re.MULTILINE), field.name


def test_it_lists_the_columns_of_the_plan_sections():
    for plan in PLAN_SECTIONS:
        row = re.search(rf"^\| `{plan.key}` \| (.*) \|$", DOC, re.MULTILINE)
        assert row is not None, plan.key
        assert re.findall(r"`(\w+)`", row.group(1)) == list(plan.columns)
    assert '(sheets "Initiatives", "Milestones", "Risks")' in DOC


def test_it_lists_the_findings_the_demo_plants():
    listed = re.findall(r"^\| `(pact-target-looser)` \| (\w+) \| ([\w-]+) \|$", DOC, re.MULTILINE)
    assert listed == PLANTED
