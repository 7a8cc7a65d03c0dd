"""The plausibility rules in an import: the mapping's ``rules:`` per goal, and the one figure
check (``delivery.plausibility``) on every record, each refusal named by row and column."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from delivery.importing.goals import GoalPlan, Problem, cleaned_codes
from delivery.importing.mapping import ImportMapping
from delivery.models import GoalRule
from delivery.plausibility import check_figures, read_rule_changes, set_rules
from delivery.plausibility.check import GoalFacts, goal_facts
from delivery.plausibility.rules import Rules

if TYPE_CHECKING:
    from delivery.importing.pipeline import _Batch


def rule_changes(batch: _Batch, plan: GoalPlan, mapping: ImportMapping
                 ) -> dict[int, dict[str, Any]]:
    """The rule changes the mapping sets per planned goal (by index), from each goal's first
    row; a goal whose rule does not read is rejected with all its rows."""
    changes: dict[int, dict[str, Any]] = {}
    if not mapping.rules:
        return changes
    for index, planned in enumerate(plan.goals):
        if not planned.positions or planned.rejected:
            continue
        first = int(planned.positions[0][0])

        def cell(column: str, first: int = first) -> str | None:
            text = str(batch.columns[column].iloc[first]).strip()
            return text or None

        raw = {key: template.render(cell) for key, template in mapping.rules.items()}
        try:
            changes[index] = read_rule_changes(
                {k: v for k, v in raw.items() if v is not None}, "rules")
        except ValueError as error:
            key = str(error).split(":", 1)[0].removeprefix("rules.")
            column = next(iter(mapping.rules[key].columns), f"rules.{key}") \
                if key in mapping.rules else "rules"
            batch.problems.append(Problem(np.concatenate(planned.positions), column,
                                          str(error).split(": ", 1)[-1]))
    return changes


def admit(session: Session, batch: _Batch, plan: GoalPlan, accepted: np.ndarray,
          mapping: ImportMapping, changes: dict[int, dict[str, Any]], *, as_of: date,
          stored: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Check the accepted records; refused ones become problems and leave ``accepted``.
    Returns the new ``accepted`` and the figures to record (with ``note`` and ``warning``)."""
    figures = batch.figures(plan, accepted)
    figures["note"] = _notes(batch, mapping, figures["position"].to_numpy())
    if figures.empty:
        figures["warning"] = pd.Series(dtype=object)
        return accepted, figures
    facts = _facts(session, plan, figures, changes)
    verdict = check_figures(figures, facts, stored, as_of=as_of)
    if not mapping.note_column:  # a constant note is for the figures the rules question
        figures["note"] = np.where(verdict["warning"].notna(), mapping.note_text, "")
    refused = verdict["error"].notna().to_numpy()
    columns = {"value": mapping.value or batch.wide_name or "value",
               "note": mapping.note_column or "note"}
    spec = mapping.period
    period_column = (spec.column or spec.month or "period") if spec else "period"
    for field in pd.unique(verdict["field"][refused]):
        pick = refused & (verdict["field"] == field).to_numpy()
        batch.problems.append(Problem(figures["position"].to_numpy()[pick],
                                      columns.get(str(field), period_column),
                                      verdict["error"].to_numpy(dtype=object)[pick]))
    accepted = accepted.copy()
    accepted[figures["position"].to_numpy()[refused]] = False
    kept = figures[~refused].copy()
    kept["warning"] = verdict["warning"][~refused].to_numpy(dtype=object)
    return accepted, kept.reset_index(drop=True)


def save_rules(session: Session, plan: GoalPlan, changes: dict[int, dict[str, Any]],
               used: set[int]) -> None:
    """Store the mapping's rules on the goals written (after they exist)."""
    for index, change in changes.items():
        existing = plan.goals[index].existing
        if index in used and change and existing is not None and existing.id is not None:
            set_rules(session, existing.id, change)


def _facts(session: Session, plan: GoalPlan, figures: pd.DataFrame,
           changes: dict[int, dict[str, Any]]) -> dict[int, GoalFacts]:
    """Each goal's rules as they will be once this import is written."""
    ids = sorted({int(g) for g in figures["goal_id"]})
    facts = goal_facts(session, [g for g in ids if g > 0])
    for index, planned in enumerate(plan.goals):
        existing = planned.existing
        goal_id = int(existing.id) if existing is not None and existing.id is not None \
            else -(index + 1)
        if goal_id not in ids:
            continue
        unit = planned.values.get("unit")
        if goal_id not in facts or unit is not None:
            row = session.get(GoalRule, goal_id) if goal_id > 0 else None
            unit = unit if unit is not None else getattr(existing, "unit", "")
            facts[goal_id] = GoalFacts(Rules.defaults(unit).with_overrides(row),
                                       str(planned.frequency or ""))
        if changes.get(index):
            facts[goal_id] = replace(facts[goal_id], rules=facts[goal_id].rules.with_overrides(
                changes[index]))
    return facts


def _notes(batch: _Batch, mapping: ImportMapping, positions: np.ndarray) -> np.ndarray:
    if not mapping.note_column:
        return np.full(len(positions), mapping.note_text, dtype=object)
    codes, texts = cleaned_codes(batch.columns[mapping.note_column], mapping.read.blank)
    table = np.array([t or "" for t in texts] + [""], dtype=object)
    return table[codes[positions]]
