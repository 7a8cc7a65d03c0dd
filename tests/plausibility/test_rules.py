"""Each goal's rules: defaults read from its unit, overrides checked and stored (audited), set
from the workspace by analysts only, and from an import mapping's ``rules:``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from delivery.access import AccessDenied, Viewer
from delivery.importing import MappingError, import_file, load_mapping
from delivery.models import AuditEntry, Goal, User
from delivery.plausibility import UnitKind, read_rule_changes, rules_for, unit_kind
from delivery.workspace import save_goal_rules
from tests.personas import build_government, fast_password_hashing  # noqa: F401


@pytest.mark.parametrize(("unit", "kind"), [
    ("firearms", UnitKind.COUNT), ("occurrences", UnitKind.COUNT), ("%", UnitKind.PERCENTAGE),
    ("percent of pupils", UnitKind.PERCENTAGE), ("R$ million", UnitKind.AMOUNT),
    ("reais", UnitKind.AMOUNT), ("per 100,000 inhabitants", UnitKind.RATE),
    ("taxa por mil", UnitKind.RATE), ("change in %", UnitKind.SIGNED),
    ("p.p.", UnitKind.SIGNED), ("index points", UnitKind.SIGNED), ("", UnitKind.UNSPECIFIED),
    ("apps", UnitKind.COUNT),
], ids=lambda v: str(v) or "empty")
def test_a_units_kind_is_read_from_its_words(unit, kind):
    assert unit_kind(unit) is kind


@pytest.mark.parametrize(("raw", "says"), [
    ({"max_jump": "-1"}, "rules.max_jump: a jump limit"),
    ({"max_jump": "lots"}, "rules.max_jump: 'lots' is not a finite number"),
    ({"min_plausible": "inf"}, "rules.min_plausible: 'inf' is not a finite number"),
    ({"min_plausible": 10, "max_plausible": 5}, "above max_plausible"),
    ({"allow_negative": "maybe"}, "rules.allow_negative: 'maybe' is not yes or no"),
    ({"shoe_size": 3}, "unknown rule shoe_size"),
    ({"max_plausible": "9" * 10_000}, "is not a finite number"),
], ids=["negative-jump", "words", "infinite", "band-upside-down", "not-yes-or-no", "unknown",
        "huge"])
def test_a_rule_that_does_not_read_is_refused_naming_it(raw, says):
    with pytest.raises(ValueError, match=None) as caught:
        read_rule_changes(raw)
    assert says in str(caught.value)


@pytest.fixture
def gov(db):
    return build_government(db)


def viewer(db, gov, persona):
    return Viewer.of(db.get(User, gov.users[persona]))


def test_an_analyst_sets_a_goals_rules_and_the_change_is_audited(db, gov):
    goal = gov.goals["firearms"]
    assert rules_for(db, [goal])[goal].allow_negative is False  # "cases" are counted
    rules = save_goal_rules(db, viewer(db, gov, "analyst"), goal,
                            {"allow_negative": "yes", "max_jump": "0.5", "min_plausible": ""})
    assert (rules.allow_negative, rules.max_jump, rules.min_plausible) == (True, 0.5, None)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "GoalRule")).one()
    assert entry.actor == db.get(User, gov.users["analyst"]).username
    assert entry.after["max_jump"] == 0.5

    back = save_goal_rules(db, viewer(db, gov, "analyst"), goal,
                           {"allow_negative": "default", "max_jump": ""})
    assert (back.allow_negative, back.max_jump) == (False, 2.0)


@pytest.mark.parametrize("persona", ["secretariat", "governor"])
def test_only_editors_set_rules(db, gov, persona):
    with pytest.raises(AccessDenied):
        save_goal_rules(db, viewer(db, gov, persona), gov.goals["firearms"], {"max_jump": "9"})


def test_a_mapping_sets_rules_per_goal_and_the_figures_are_judged_by_them(db, gov, tmp_path):
    (tmp_path / "f.csv").write_text("code,period,value,neg\nSDS-ARM,2023-01,-3,yes\n"
                                    "SDS-HOM,2023-01,-3,no\n", encoding="utf-8")
    (tmp_path / "f.yaml").write_text(
        "goal: {code: '{code}'}\nperiod: {column: period}\nvalue: value\n"
        "rules: {allow_negative: '{neg}', max_jump: 0, min_plausible: -10}\n",  # 0: no limit
        encoding="utf-8")
    report = import_file(db, tmp_path / "f.csv", tmp_path / "f.yaml", actor="ana")
    assert [(e.row, e.column) for e in report.errors] == [(3, "value")], report.errors
    assert "negative" in report.errors[0].reason and report.figures_new == 1
    arm, hom = gov.goals["firearms"], gov.goals["homicides"]
    rules = rules_for(db, [arm, hom])
    assert (rules[arm].allow_negative, rules[arm].max_jump) == (True, None)
    assert rules[arm].min_plausible == -10
    # The homicides row was refused, so nothing of that goal was written, its rules included.
    assert (rules[hom].allow_negative, rules[hom].max_jump, rules[hom].min_plausible) == (
        False, 2.0, None)
    assert db.get(Goal, arm).unit == "cases"


@pytest.mark.parametrize(("rules", "key"), [
    ("{max_jump: lots}", "rules.max_jump"), ("{speed: 3}", "rules.speed"),
    ("[1, 2]", "rules"), ("{max_jump: [1]}", "rules.max_jump"),
], ids=["not-a-number", "unknown-rule", "a-list", "nested"])
def test_a_wrong_rules_key_in_a_mapping_is_one_line_naming_it(tmp_path, rules, key):
    path = tmp_path / "m.yaml"
    path.write_text("goal: {code: '{code}'}\nperiod: {column: p}\nvalue: v\n"
                    f"rules: {rules}\n", encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert f"{key}:" in str(caught.value) or f"{key} " in str(caught.value)
