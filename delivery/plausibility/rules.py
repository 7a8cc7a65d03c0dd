"""Each goal's plausibility rules: defaults that follow from its unit, and the overrides an
analyst sets (a ``goal_rule`` row; an empty column keeps the default).

The unit is free text ("firearms", "%", "R$ million", "per 100,000 inhabitants"), so its kind
is read from words: a signed quantity (a change, a balance, an index, percentage points) may be
negative; a percentage may not pass 100; counts, amounts and rates may not be negative. An
empty unit says nothing, so nothing is assumed about its sign.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.models import Goal, GoalRule

DEFAULT_MAX_JUMP = 2.0  # a change of more than 200% from the previous period needs a note
BAND_WIDTH = 6.0  # the history band: median +/- 6 robust standard deviations
BAND_MIN_HISTORY = 12  # past values needed before the history band applies
RULE_FIELDS = ("allow_negative", "allow_over_100", "min_plausible", "max_plausible", "max_jump")


class UnitKind(StrEnum):
    COUNT = "count"
    AMOUNT = "amount"
    PERCENTAGE = "percentage"
    RATE = "rate"
    SIGNED = "signed"  # a change, balance, index or score: may be negative
    UNSPECIFIED = "unspecified"  # no unit given


_SIGNED = re.compile(r"change|varia|balance|saldo|growth|cresc|index|[ií]ndice|score|net\b|"
                     r"difference|diferen|\bp\.?\s?p\b|percentage points?|pontos? percentuais|"
                     r"°|degrees?|graus?|temperature")
_PERCENT = re.compile(r"%|percent|per cent|porcent|pct\b")
_RATE = re.compile(r"\bper\b|\bpor\b|rate|taxa|tasa|/\s*\d|ratio|raz[aã]o")
_AMOUNT = re.compile(r"r\$|us\$|\$|€|£|\breais\b|\bbrl\b|\busd\b|\beur\b|\bclp\b|pesos?|"
                     r"dollars?|d[oó]lares|euros?|currency|amount|budget|spend|cost|custo")


def unit_kind(unit: str | None) -> UnitKind:
    """The kind of quantity a goal's unit names (see the module docstring)."""
    text = (unit or "").strip().lower()
    if not text:
        return UnitKind.UNSPECIFIED
    for pattern, kind in ((_SIGNED, UnitKind.SIGNED), (_PERCENT, UnitKind.PERCENTAGE),
                          (_RATE, UnitKind.RATE), (_AMOUNT, UnitKind.AMOUNT)):
        if pattern.search(text):
            return kind
    return UnitKind.COUNT


@dataclass(frozen=True)
class Rules:
    """The rules in force for one goal (defaults already applied)."""

    kind: UnitKind
    allow_negative: bool
    allow_over_100: bool
    min_plausible: float | None = None
    max_plausible: float | None = None
    max_jump: float | None = DEFAULT_MAX_JUMP  # None: no jump limit

    @classmethod
    def defaults(cls, unit: str | None) -> Rules:
        kind = unit_kind(unit)
        return cls(kind, allow_negative=kind in (UnitKind.SIGNED, UnitKind.UNSPECIFIED),
                   allow_over_100=kind is not UnitKind.PERCENTAGE)

    def with_overrides(self, row: GoalRule | Mapping[str, Any] | None) -> Rules:
        """These rules with a ``goal_rule`` row's (or a dict's) settings; empty ones keep
        the default, a jump limit of 0 switches the jump check off."""
        if row is None:
            return self
        get = row.get if isinstance(row, Mapping) else lambda f: getattr(row, f)
        changes = {f: get(f) for f in RULE_FIELDS if get(f) is not None}
        if changes.get("max_jump") is not None and changes["max_jump"] <= 0:
            changes["max_jump"] = None
        return replace(self, **changes)


def rules_for(session: Session, goal_ids: Iterable[int]) -> dict[int, Rules]:
    """The rules in force for each of the goals (those that exist)."""
    ids = sorted(set(goal_ids))
    rules: dict[int, Rules] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = session.execute(select(Goal.id, Goal.unit, GoalRule)
                               .outerjoin(GoalRule, GoalRule.goal_id == Goal.id)
                               .where(Goal.id.in_(chunk))).all()
        for goal_id, unit, row in rows:
            rules[goal_id] = Rules.defaults(unit).with_overrides(row)
    return rules


def read_rule_changes(raw: Mapping[str, Any], where: str = "rules") -> dict[str, Any]:
    """Rule settings as typed or mapped (``{"max_jump": "0.5", "allow_negative": "yes"}``),
    checked; an empty value (or "default") means "back to the default". ValueError naming
    the key."""
    unknown = set(raw) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(_("{where}: unknown rule {names} (rules: {rules})").format(
            where=where, names=", ".join(sorted(map(str, unknown))),
            rules=", ".join(RULE_FIELDS)))
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "default")):
            changes[key] = None
        elif key.startswith("allow_"):
            changes[key] = _flag(value, f"{where}.{key}")
        else:
            changes[key] = _number(value, f"{where}.{key}")
    low, high = changes.get("min_plausible"), changes.get("max_plausible")
    if low is not None and high is not None and low > high:
        raise ValueError(_("{where}.min_plausible: {low} is above max_plausible {high}").format(
            where=where, low=f"{low:g}", high=f"{high:g}"))
    if changes.get("max_jump") is not None and changes["max_jump"] < 0:
        raise ValueError(_("{where}.max_jump: a jump limit is a share of the previous value, "
                           "0 or more (0 switches the check off)").format(where=where))
    return changes


def set_rules(session: Session, goal_id: int, changes: Mapping[str, Any]) -> GoalRule:
    """Apply checked ``changes`` (``read_rule_changes``) to a goal's rules in the caller's
    transaction (audited by the session's actor)."""
    row = session.get(GoalRule, goal_id)
    if row is None:
        row = GoalRule(goal_id=goal_id)
        session.add(row)
    for key, value in changes.items():
        setattr(row, key, value)
    low, high = row.min_plausible, row.max_plausible
    if low is not None and high is not None and low > high:
        raise ValueError(_("min_plausible {low} is above max_plausible {high}").format(
            low=f"{low:g}", high=f"{high:g}"))
    session.flush()
    return row


def _flag(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1", "sim", "si", "sí"):
        return True
    if text in ("false", "no", "n", "0", "não", "nao"):
        return False
    raise ValueError(_("{where}: {text} is not yes or no").format(
        where=where, text=repr(str(value)[:40])))


def _number(value: Any, where: str) -> float:
    try:
        number = float(str(value).strip()) if not isinstance(value, bool) else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > 1e15:
        raise ValueError(_("{where}: {text} is not a finite number").format(
            where=where, text=repr(str(value)[:40])))
    return number
