"""Which goal each imported row is about, and what the mapping says about that goal.

Goals are few even when rows are millions, so rows are grouped by the distinct texts of the
columns the goal templates use, and each group is worked out once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.importing.attributes import convert
from delivery.importing.mapping import ImportMapping
from delivery.importing.periods import fold
from delivery.models import Goal, Objective, Pillar, Secretariat
from delivery.vocabulary import Direction

UNASSIGNED = "Unassigned"
GOAL_DEFAULTS = {"tolerance": 0.05, "off_track_tolerance": 0.15}


@dataclass
class Problem:
    """Rows (positions in the records) rejected for one reason, found in one column."""

    positions: np.ndarray
    column: str
    reason: str | np.ndarray  # one reason for all, or one per position


@dataclass
class PlannedGoal:
    code: str
    existing: Goal | None
    values: dict[str, Any]  # attribute -> value the mapping gives (references as text)
    changes: dict[str, Any] = field(default_factory=dict)
    positions: list[np.ndarray] = field(default_factory=list)
    rejected: bool = False

    @property
    def frequency(self) -> str | None:
        value = self.values.get("frequency") or getattr(self.existing, "frequency", None)
        return str(value) if value else None


@dataclass
class GoalPlan:
    goals: list[PlannedGoal]
    goal_of: np.ndarray  # per record: index into goals, -1 when the record has no goal
    problems: list[Problem]
    references: References


def cleaned_codes(values: pd.Series, blank: Sequence[str]) -> tuple[np.ndarray, list[str | None]]:
    """Factorised texts: codes per row and the distinct texts, stripped, None when blank."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    markers = {b.strip() for b in blank} | {""}
    texts: list[str | None] = []
    for raw in uniques:
        text = str(raw).strip()
        texts.append(None if text in markers or raw in blank else text)
    return codes, texts


def plan_goals(
    session: Session, records: dict[str, pd.Series], rows: np.ndarray, mapping: ImportMapping
) -> GoalPlan:
    """Resolve the goal of each record and check what the mapping sets on it.

    ``records`` holds the columns the goal templates use, as text; ``rows`` the spreadsheet
    row of each record (to name the earlier row in a conflict).
    """
    n = len(rows)
    columns = list(dict.fromkeys(
        (*mapping.code.columns, *(c for r in mapping.set.values() for c in r.columns))
    ))
    key = np.zeros(n, dtype=np.int64)
    texts: dict[str, list[str | None]] = {}
    codes: dict[str, np.ndarray] = {}
    for column in columns:
        codes[column], texts[column] = cleaned_codes(records[column], mapping.read.blank)
        # renumbered after each column, so the key stays below rows x distinct texts
        key = pd.factorize(key * (len(texts[column]) + 1) + codes[column] + 1)[0]
    _keys, first, combo_of = np.unique(key, return_index=True, return_inverse=True)
    combo_of = combo_of.ravel()
    members = _positions_by_group(combo_of, len(first))
    problems: list[Problem] = []
    by_code: dict[str, PlannedGoal] = {}
    index_of: dict[str, int] = {}
    goal_of_combo = np.full(len(first), -1, dtype=np.int64)
    order = np.argsort(first, kind="stable")  # combos in file order: the first row wins

    for k in order:
        row = int(first[k])

        def cell(column: str, row: int = row) -> str | None:
            code = codes[column][row]
            return texts[column][code] if code >= 0 else None

        code = mapping.code.render(cell)
        if not code:
            blank = [c for c in mapping.code.columns if cell(c) is None]
            problems.append(Problem(members[k], blank[0] if blank else blame(mapping, "code"),
                                    _("no goal code: the cell is blank")))
            continue
        if len(code) > 120:
            problems.append(Problem(members[k], blame(mapping, "code"),
                                    _("goal code {code}... is longer than 120 characters")
                                    .format(code=repr(code[:40]))))
            continue
        values, bad = _attributes(mapping, cell)
        problems += [Problem(members[k], column, reason) for column, reason in bad]
        if bad:
            continue
        planned = by_code.get(code)
        if planned is None:
            planned = by_code[code] = PlannedGoal(code, None, values)
            index_of[code] = len(index_of)
        else:
            conflict = _conflict(planned.values, values)
            if conflict:
                first_row = int(rows[planned.positions[0][0]])
                problems.append(Problem(members[k], blame(mapping, conflict), _(
                    "goal {code}: {attribute} {value} differs from {first} given for the same "
                    "goal in row {row}").format(code=code, attribute=conflict,
                                                value=_shown(values[conflict]),
                                                first=_shown(planned.values[conflict]),
                                                row=first_row)))
                continue
        planned.positions.append(members[k])
        goal_of_combo[k] = index_of[code]

    goals = list(by_code.values())
    _attach_existing(session, goals)
    references = References(session)
    for planned in goals:
        reason = _check(planned, mapping, references)
        if reason:
            attribute, text = reason
            planned.rejected = True
            problems.append(
                Problem(np.concatenate(planned.positions), blame(mapping, attribute), text)
            )
    goal_of = goal_of_combo[combo_of] if n else np.zeros(0, dtype=np.int64)
    rejected = np.array([g.rejected for g in goals] + [True], dtype=bool)
    goal_of = np.where(rejected[goal_of], -1, goal_of)
    return GoalPlan(goals, goal_of, problems, references)


def blame(mapping: ImportMapping, attribute: str) -> str:
    """The column a problem with a goal attribute is in, else the mapping key that set it."""
    if attribute == "code":
        columns, key = mapping.code.columns, "goal.code"
    else:
        rule = mapping.set.get(attribute)
        columns, key = (rule.columns if rule else ()), f"goal.set.{attribute}"
    return columns[0] if columns else key


def _positions_by_group(group_of: np.ndarray, groups: int) -> list[np.ndarray]:
    order = np.argsort(group_of, kind="stable")
    bounds = np.searchsorted(group_of[order], np.arange(groups + 1))
    return [order[bounds[g]:bounds[g + 1]] for g in range(groups)]


def _attributes(
    mapping: ImportMapping, cell: Callable[[str], str | None]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    bad: list[tuple[str, str]] = []
    for attribute, rule in mapping.set.items():
        text = rule.render(cell)
        if text is None or not text.strip():
            continue  # a blank cell leaves the attribute as it is
        try:
            values[attribute] = convert(attribute, text, mapping.read)
        except ValueError as exc:
            bad.append((blame(mapping, attribute), f"{attribute}: {exc}"))
    return values, bad


def _shown(value: Any) -> str:
    if isinstance(value, Enum):
        return repr(value.value)
    return repr(value.isoformat()) if isinstance(value, date) else repr(value)


def _conflict(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    for attribute in old.keys() | new.keys():
        a, b = old.get(attribute), new.get(attribute)
        if a is None or b is None:
            continue
        same = math.isclose(a, b, rel_tol=1e-9) if isinstance(a, float) else a == b
        if not same:
            return attribute
    return None


def _attach_existing(session: Session, goals: list[PlannedGoal]) -> None:
    by_code = {g.code: g for g in goals}
    codes = list(by_code)
    for start in range(0, len(codes), 500):
        for goal in session.scalars(select(Goal).where(Goal.code.in_(codes[start:start + 500]))):
            by_code[goal.code].existing = goal


def _check(planned: PlannedGoal, mapping: ImportMapping,
           references: References) -> tuple[str, str] | None:
    """Work out the changes to make; the (attribute, reason) the goal cannot be saved for."""
    goal, values = planned.existing, planned.values
    if goal is None:
        if not mapping.create_missing:
            return "code", _("unknown goal {code} (goal.create_missing is false)").format(
                code=repr(planned.code))
        for needed in ("direction", "frequency"):
            if needed not in values:
                return needed, _("new goal {code} needs a {attribute}: set goal.set.{attribute} "
                                 "in the mapping, or fill its column").format(
                    code=repr(planned.code), attribute=needed)
        planned.changes = dict(values)
    else:
        planned.changes = {a: v for a, v in values.items() if _differs(goal, a, v, references)}
    state = {**GOAL_DEFAULTS}
    if goal is not None:
        state.update({a: getattr(goal, a) for a in
                      ("direction", "target_low", "target_high", *GOAL_DEFAULTS)})
    state.update(values)
    if state.get("direction") == Direction.RANGE and (
        state.get("target_low") is None or state.get("target_high") is None
    ):
        return "direction", _("a range goal needs target_low and target_high")
    low, high = state.get("target_low"), state.get("target_high")
    if low is not None and high is not None and low > high:
        return "target_low", _("target_low {low} is above target_high {high}").format(
            low=low, high=high)
    if state["tolerance"] < 0 or state["off_track_tolerance"] < state["tolerance"]:
        return "tolerance", _("tolerance {tolerance} and off_track_tolerance {off_track}: need "
                              "0 <= tolerance <= off_track_tolerance").format(
            tolerance=state["tolerance"], off_track=state["off_track_tolerance"])
    return None


def _differs(goal: Goal, attribute: str, value: Any, references: References) -> bool:
    if attribute == "pillar":
        return False  # only used to place an objective the import creates
    if attribute in ("objective", "owner"):
        found = references.find(attribute, value)
        current = goal.objective_id if attribute == "objective" else goal.owner_id
        return found is None or found.id != current
    current = getattr(goal, attribute)
    if isinstance(value, float) and current is not None:
        return not math.isclose(current, value, rel_tol=1e-9)
    return bool(current != value)


class References:
    """Pillars, objectives and secretariats, found by code or by name, created on demand."""

    MODELS = {"pillar": Pillar, "objective": Objective, "owner": Secretariat}

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[str, list[Any]] = {
            kind: list(session.scalars(select(model))) for kind, model in self.MODELS.items()
        }
        self.created: dict[str, int] = dict.fromkeys(self.MODELS, 0)

    def find(self, kind: str, text: str) -> Any | None:
        items = self.known[kind]
        for item in items:
            if item.code == text:
                return item
        folded = fold(text)
        return next((item for item in items if fold(item.name) == folded), None)

    def get(self, kind: str, text: str, pillar: str | None = None) -> Any:
        """The existing object, or a new one added to the session."""
        found = self.find(kind, text)
        if found is not None:
            return found
        taken = {item.code for item in self.known[kind]}
        fields: dict[str, Any] = {"code": new_code(text, taken), "name": text[:200]}
        if kind == "objective":
            fields["pillar"] = self.get("pillar", pillar or UNASSIGNED)
        item = self.MODELS[kind](**fields)
        self.session.add(item)
        self.known[kind].append(item)
        self.created[kind] += 1
        return item


def new_code(text: str, taken: set[str]) -> str:
    """A code for a created object: the text itself when short and without spaces."""
    if len(text) <= 40 and not re.search(r"\s", text):
        base = text
    else:
        base = re.sub(r"[^A-Za-z0-9]+", "-", fold(text)).strip("-").upper()[:36] or "X"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base[:36]}-{n}"
    return code


def reference_names(goals: list[PlannedGoal], references: References) -> dict[str, set[str]]:
    """The objectives, secretariats and pillars the goals name that do not exist yet."""
    missing: dict[str, set[str]] = {kind: set() for kind in References.MODELS}
    for planned in goals:
        objective = planned.changes.get("objective")
        if planned.existing is None and objective is None:
            objective = UNASSIGNED
        if objective and references.find("objective", objective) is None:
            missing["objective"].add(fold(objective))
            pillar = planned.values.get("pillar") or UNASSIGNED
            if references.find("pillar", pillar) is None:
                missing["pillar"].add(fold(pillar))
        owner = planned.changes.get("owner")
        if owner and references.find("owner", owner) is None:
            missing["owner"].add(fold(owner))
    return missing


def write_goals(session: Session, goals: list[PlannedGoal], references: References) -> None:
    """Create the new goals and apply the changes to existing ones (then flush for ids)."""
    for planned in goals:
        changes = dict(planned.changes)
        changes.pop("pillar", None)
        pillar = planned.values.get("pillar")
        if "objective" in changes or planned.existing is None:
            changes["objective"] = references.get(
                "objective", changes.get("objective") or UNASSIGNED, pillar
            )
        if "owner" in changes:
            changes["owner"] = references.get("owner", changes["owner"])
        if planned.existing is None:
            name = changes.setdefault("name", planned.code[:300])
            changes.setdefault("indicator", name)
            planned.existing = Goal(code=planned.code, **changes)
            session.add(planned.existing)
        else:
            for attribute, value in changes.items():
                setattr(planned.existing, attribute, value)
    session.flush()


__all__ = ["GoalPlan", "PlannedGoal", "Problem", "References", "plan_goals", "write_goals"]
