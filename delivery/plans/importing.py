"""Importing initiatives, milestones, risks and physical progress from CSV or Excel files
described by a mapping (``delivery.plans.mapping``).

The rules of every import: each refused row is named (``file:row column: reason``), the good
rows are kept, and the same file imported again changes nothing. A milestone's baseline never
changes once stored; a forecast that moves needs a reason and is kept as a revision; a
physical progress figure that differs for the same date is a new report (a correction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from delivery.clock import stamp_now
from delivery.dates import DateError, parse_day
from delivery.i18n import _
from delivery.importing.budget_cells import blame, check_columns, rendered
from delivery.importing.reader import read_table
from delivery.importing.report import RowError
from delivery.models import (
    BudgetAccount,
    Goal,
    Initiative,
    InitiativeAccount,
    InitiativeGoal,
    Milestone,
    MilestoneRevision,
    Pact,
    ProgressReport,
    Risk,
    Secretariat,
)
from delivery.plans.edits import in_force
from delivery.plans.mapping import PlanMapping
from delivery.plans.notes import MAX_NOTE, NoteRefused, clean_note
from delivery.plans.vocabulary import RiskStatus, Stage

# Column widths, and a page of text for the free texts (a risk, a reason): a cell longer than
# that is a mistake in the file, not a description.
MAX_TEXT = {"code": 60, "name": 300, "responsible": 200, "owner": 200, "description": 4000,
            "mitigation": 4000, "reason": 2000, "cancel_reason": 2000, "note": MAX_NOTE}


@dataclass
class PlanReport:
    """What a delivery-plan import did."""

    file: str
    kind: str
    dry_run: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("{file} ({kind}): {rows} rows read, {created} created, {updated} updated, "
                 "{unchanged} unchanged, {rejected} refused").format(
            file=self.file, kind=self.kind, rows=self.rows_read, created=self.created,
            updated=self.updated, unchanged=self.unchanged, rejected=self.rejected)


class RowRefused(ValueError):
    def __init__(self, field_: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field_, reason


def without_absent_notes(mapping: PlanMapping, frame: pd.DataFrame) -> PlanMapping:
    """``mapping`` without its ``note`` template when the file has none of the note's
    columns: a workbook exported before progress reports had notes (or a file that never
    carries them) imports with the shipped mapping, and a row without a note leaves the note
    in force as it is. Any other missing column is still refused by name."""
    note = mapping.templates.get("note")
    if note is None or not note.columns or any(c in frame.columns for c in note.columns):
        return mapping
    return replace(mapping, templates={k: t for k, t in mapping.templates.items() if k != "note"})


def import_plan_file(session: Session, path: Path, mapping: PlanMapping, *, actor: str,
                     dry_run: bool = False) -> PlanReport:
    """Import one file in the caller's transaction (never commits). Each row is checked whole
    before any of it is written; a dry run writes nothing (rolled back to a savepoint)."""
    session.info["actor"] = actor
    report = PlanReport(file=path.name, kind=mapping.kind, dry_run=dry_run)
    frame = read_table(path, mapping.read)
    mapping = without_absent_notes(mapping, frame)
    check_columns(frame, mapping, path.name)
    report.rows_read = len(frame)
    cells = {name: rendered(t, frame, mapping.read.blank)
             for name, t in mapping.templates.items()}
    handler = _HANDLERS[mapping.kind]
    savepoint = session.begin_nested()
    for i, row in enumerate(frame.index.tolist()):
        values = {name: column[i] for name, column in cells.items()}
        try:
            outcome = handler(session, values, actor)
        except RowRefused as refused:
            report.errors.append(RowError(path.name, row, blame(mapping, refused.field),
                                          refused.reason))
            report.rejected += 1
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    session.flush()
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return report


# cells


def _text(values: dict, name: str, *, required: bool = False) -> str | None:
    text = values.get(name)
    if text is None and required:
        raise RowRefused(name, _("no {field}").format(field=name))
    if text is not None and name in MAX_TEXT and len(text) > MAX_TEXT[name]:
        raise RowRefused(name, _("longer than {n} characters").format(n=MAX_TEXT[name]))
    return text


def _day(values: dict, name: str, *, required: bool = False) -> date | None:
    text = _text(values, name, required=required)
    if text is None:
        return None
    try:
        return parse_day(text)
    except DateError as exc:
        raise RowRefused(name, str(exc)) from None


def _whole(values: dict, name: str, low: int, high: int) -> int | None:
    text = _text(values, name)
    if text is None:
        return None
    try:
        number = int(text)
    except ValueError:
        raise RowRefused(name, _("{text} is not a whole number").format(text=text[:40])) from None
    if not low <= number <= high:
        raise RowRefused(name, _("{n} is not between {low} and {high}").format(
            n=number, low=low, high=high))
    return number


def _number(values: dict, name: str, low: float, high: float) -> float | None:
    text = _text(values, name)
    if text is None:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise RowRefused(name, _("{text} is not a number").format(text=text[:40])) from None
    if not low <= number <= high:  # NaN fails too
        raise RowRefused(name, _("{text} is not between {low} and {high}").format(
            text=text[:40], low=low, high=high))
    return number


def _choice(values: dict, name: str, enum: Any, default: Any) -> Any:
    text = _text(values, name)
    if text is None:
        return default
    try:
        return enum(text.strip().lower())
    except ValueError:
        raise RowRefused(name, _("{text} is not one of {allowed}").format(
            text=text[:40], allowed=", ".join(e.value for e in enum))) from None


def _initiative(session: Session, values: dict, *, required: bool = True) -> Initiative | None:
    code = _text(values, "initiative", required=required)
    if code is None:
        return None
    found = session.scalar(select(Initiative).where(Initiative.code == code))
    if found is None:
        raise RowRefused("initiative", _("no initiative {code}; import the initiatives "
                                         "first").format(code=code[:60]))
    return found


# initiatives


def _initiative_row(session: Session, values: dict, _actor: str) -> str:
    code = _text(values, "code", required=True)
    sec_text = _text(values, "secretariat", required=True)
    secretariat = session.scalar(select(Secretariat).where(
        or_(Secretariat.code == sec_text, Secretariat.name == sec_text)))
    if secretariat is None:
        raise RowRefused("secretariat", _("no secretariat {name}").format(name=sec_text[:60]))
    wanted: dict[str, Any] = {"name": _text(values, "name", required=True),
                              "secretariat_id": secretariat.id}
    for name in ("description", "responsible"):
        if name in values:
            wanted[name] = _text(values, name) or ""
    if values.get("pact") is not None:
        pact = session.scalar(select(Pact.id).where(Pact.code == values["pact"]))
        if pact is None:
            raise RowRefused("pact", _("no pact {code}").format(code=values["pact"][:60]))
        wanted["pact_id"] = pact
    for name in ("starts_on", "ends_on"):
        if name in values:
            wanted[name] = _day(values, name)
    if wanted.get("starts_on") and wanted.get("ends_on") and (
            wanted["ends_on"] < wanted["starts_on"]):
        raise RowRefused("ends_on", _("ends before it starts"))
    if "stage" in values:
        wanted["stage"] = _choice(values, "stage", Stage, Stage.PLANNED)
        wanted["cancel_reason"] = _text(values, "cancel_reason")
        if wanted["stage"] == Stage.CANCELLED and not wanted["cancel_reason"]:
            raise RowRefused("cancel_reason", _("a cancelled initiative needs a reason"))
    if "tolerance_days" in values:
        wanted["tolerance_days"] = _whole(values, "tolerance_days", 0, 3650) or 0
    goals = _goal_links(session, values.get("goals")) if "goals" in values else None
    accounts = _account_links(session, values.get("accounts")) if "accounts" in values else None
    initiative = session.scalar(select(Initiative).where(Initiative.code == code))
    outcome = "unchanged"
    if initiative is None:
        initiative = Initiative(code=code, **wanted)
        session.add(initiative)
        session.flush()
        outcome = "created"
    else:
        for name, value in wanted.items():
            if getattr(initiative, name) != value:
                setattr(initiative, name, value)
                outcome = "updated"
    if goals is not None and _relink(session, initiative, InitiativeGoal, "goal_id", "weight",
                                     goals):
        outcome = "updated" if outcome == "unchanged" else outcome
    if accounts is not None and _relink(session, initiative, InitiativeAccount, "account_id",
                                        "share", accounts):
        outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


def _pairs(text: str | None, field_: str) -> list[tuple[str, float]]:
    pairs = []
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        key, _sep, weight = part.partition("=")
        try:
            value = float(weight.replace(",", ".")) if weight.strip() else 1.0
        except ValueError:
            raise RowRefused(field_, _("{text} is not a number").format(
                text=weight[:40])) from None
        if not math.isfinite(value):
            raise RowRefused(field_, _("{text} is not a finite number").format(
                text=weight.strip()[:40]))
        if not value > 0:
            raise RowRefused(field_, _("{text} is not more than 0").format(text=weight[:40]))
        pairs.append((key.strip(), value))
    return pairs


def _goal_links(session: Session, text: str | None) -> dict[int, float]:
    links = {}
    for code, weight in _pairs(text, "goals"):
        goal = session.scalar(select(Goal.id).where(Goal.code == code))
        if goal is None:
            raise RowRefused("goals", _("no goal {code}").format(code=code[:120]))
        links[goal] = weight
    return links


def _account_links(session: Session, text: str | None) -> dict[int, float]:
    links = {}
    for key, share in _pairs(text, "accounts"):
        code, _sep, year = key.rpartition("/")
        account = session.scalar(select(BudgetAccount.id).where(
            BudgetAccount.code == code, BudgetAccount.fiscal_year == (
                int(year) if year.isdigit() else -1)))
        if account is None:
            raise RowRefused("accounts", _("no budget account {key} (write CODE/YEAR)").format(
                key=key[:80]))
        if share > 1:
            raise RowRefused("accounts", _("a share is at most 1, not {share}").format(
                share=f"{share:g}"))
        links[account] = share
    return links


def _relink(session: Session, initiative: Initiative, model: Any, key: str, value: str,
            wanted: dict[int, float]) -> bool:
    """Make the initiative's links exactly ``wanted``; whether anything changed."""
    stored = {getattr(link, key): link for link in session.scalars(
        select(model).where(model.initiative_id == initiative.id))}
    changed = False
    for target, link in stored.items():
        if target not in wanted:
            session.delete(link)
            changed = True
        elif abs(getattr(link, value) - wanted[target]) > 1e-9:
            setattr(link, value, wanted[target])
            changed = True
    for target, amount in wanted.items():
        if target not in stored:
            session.add(model(initiative_id=initiative.id, **{key: target, value: amount}))
            changed = True
    session.flush()
    return changed


# milestones


def _milestone_row(session: Session, values: dict, actor: str) -> str:
    initiative = _initiative(session, values)
    assert initiative is not None
    name = _text(values, "name", required=True)
    baseline = _day(values, "baseline", required=True)
    forecast = _day(values, "forecast")
    actual = _day(values, "actual")
    owner = _text(values, "owner")
    reason = _text(values, "reason")
    milestone = session.scalar(select(Milestone).where(
        Milestone.initiative_id == initiative.id, Milestone.name == name))
    if milestone is None:
        position = len(initiative.milestones) + 1
        milestone = Milestone(initiative_id=initiative.id, name=name, position=position,
                              baseline_on=baseline, forecast_on=forecast or baseline,
                              actual_on=actual, owner=owner or "")
        session.add(milestone)
        session.flush()
        session.add(MilestoneRevision(milestone_id=milestone.id, forecast_on=forecast or baseline,
                                      reason=reason or _("imported"), changed_by=actor,
                                      changed_at=stamp_now(session)))
        return "created"
    if milestone.baseline_on != baseline:
        raise RowRefused("baseline", _("the baseline of {name} is {stored} and never changes")
                         .format(name=name[:80], stored=milestone.baseline_on.isoformat()))
    outcome = "unchanged"
    if forecast is not None and forecast != milestone.forecast_on:
        if not reason:
            raise RowRefused("reason", _("a reason is required to move a forecast date"))
        milestone.forecast_on = forecast
        session.add(MilestoneRevision(milestone_id=milestone.id, forecast_on=forecast,
                                      reason=reason, changed_by=actor,
                                      changed_at=stamp_now(session)))
        outcome = "updated"
    if "actual" in values and actual != milestone.actual_on:
        milestone.actual_on = actual
        outcome = "updated"
    if owner is not None and owner != milestone.owner:
        milestone.owner = owner
        outcome = "updated"
    return outcome


# risks


def _risk_row(session: Session, values: dict, _actor: str) -> str:
    initiative = _initiative(session, values, required=False)
    goal_id = None
    if values.get("goal") is not None:
        goal_id = session.scalar(select(Goal.id).where(Goal.code == values["goal"]))
        if goal_id is None:
            raise RowRefused("goal", _("no goal {code}").format(code=values["goal"][:120]))
    if initiative is None and goal_id is None:
        raise RowRefused("initiative", _("a risk belongs to an initiative or a goal"))
    description = _text(values, "description", required=True)
    wanted = {"probability": _whole(values, "probability", 1, 5),
              "impact": _whole(values, "impact", 1, 5),
              "status": _choice(values, "status", RiskStatus, RiskStatus.OPEN)}
    if wanted["probability"] is None or wanted["impact"] is None:
        raise RowRefused("probability" if wanted["probability"] is None else "impact",
                         _("probability and impact are 1 to 5"))
    for name in ("owner", "mitigation"):
        if name in values:
            wanted[name] = _text(values, name) or ""
    if "review_on" in values:
        wanted["review_on"] = _day(values, "review_on")
    initiative_id = initiative.id if initiative is not None else None
    risk = session.scalar(select(Risk).where(
        Risk.initiative_id.is_(None) if initiative_id is None else
        Risk.initiative_id == initiative_id,
        Risk.goal_id.is_(None) if goal_id is None else Risk.goal_id == goal_id,
        Risk.description == description))
    if risk is None:
        session.add(Risk(initiative_id=initiative_id, goal_id=goal_id, description=description,
                         **wanted))
        return "created"
    outcome = "unchanged"
    for name, value in wanted.items():
        if getattr(risk, name) != value:
            setattr(risk, name, value)
            outcome = "updated"
    return outcome


# physical progress


def _progress_row(session: Session, values: dict, actor: str) -> str:
    """As ``report_progress``: the figure in force for that date again is unchanged unless a
    different note comes with it; a row without a note (or a mapping without the column)
    leaves the note in force as it is."""
    initiative = _initiative(session, values)
    assert initiative is not None
    on = _day(values, "date", required=True)
    pct = _number(values, "physical_pct", 0, 100)
    if on is None or pct is None:  # a blank cell: nothing to report
        raise RowRefused("physical_pct", _("no {field}").format(field="physical_pct"))
    try:
        note = clean_note(_text(values, "note"))
    except NoteRefused as refused:
        raise RowRefused("note", str(refused)) from None
    last = in_force(session, initiative.id, on)
    if last is not None and abs(last.physical_pct - pct) < 1e-9 and note in (None, last.note):
        return "unchanged"
    session.add(ProgressReport(initiative_id=initiative.id, on=on, physical_pct=pct, note=note,
                               reported_by=actor, recorded_at=stamp_now(session)))
    return "created" if last is None else "updated"


_HANDLERS = {"initiatives": _initiative_row, "milestones": _milestone_row, "risks": _risk_row,
             "progress": _progress_row}
