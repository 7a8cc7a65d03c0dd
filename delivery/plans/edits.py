"""Changes to a delivery plan made by people: a milestone's forecast moved (with a reason,
kept as a revision), its actual date, a physical progress report (a correction is a new
report), a risk's scores, status, mitigation and review date (the audit trail keeps the before
and after). Every way in (screens, the import, the API) passes these checks; each refusal is a
``PlanEditError`` whose message names the field and the reason and is safe to show."""

from __future__ import annotations

import math
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from delivery.access import AccessDenied, Viewer, is_row_id
from delivery.clock import stamp_now
from delivery.dates import DateError, parse_day
from delivery.i18n import _
from delivery.models import Initiative, Milestone, MilestoneRevision, ProgressReport, Risk
from delivery.plans.access import can_update_initiative, can_update_milestone
from delivery.plans.notes import NoteRefused, clean_note
from delivery.plans.vocabulary import RiskStatus

MAX_REASON = 2000
KEEP: Any = object()  # ``update_risk``: leave this field as it is
Row = TypeVar("Row", Milestone, Initiative, Risk)


class PlanEditError(ValueError):
    """A change refused: ``field`` and a reason a person can read."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def _reason(text: object) -> str:
    reason = text.strip() if isinstance(text, str) else ""
    if not reason:
        raise PlanEditError("reason", _("a reason is required to move a forecast date"))
    if len(reason) > MAX_REASON:
        raise PlanEditError("reason", _("the reason is longer than {n} characters").format(
            n=MAX_REASON))
    return reason


def _day(field: str, text: object) -> date:
    if isinstance(text, date):
        return text
    try:
        return parse_day(text)
    except DateError as exc:
        raise PlanEditError(field, str(exc)) from None


def _locked(session: Session, model: type[Row], row_id: object) -> Row:
    """The row, read afresh after taking its write lock for the rest of the transaction.

    Two identical changes sent at once (a double click, a retried API call) must not both
    see the old value and both write a revision: the second waits here for the first to commit,
    then finds nothing to change. A no-op UPDATE is the lock both backends honour (PostgreSQL
    locks the row; SQLite's driver opens the write transaction at the first write and waits its
    busy timeout, so the reads that follow see the first change)."""
    session.execute(update(model).where(model.id == row_id).values(id=model.id)
                    .execution_options(synchronize_session=False))
    row = session.get(model, row_id, populate_existing=True)
    assert row is not None  # the caller checked that it exists and may be changed
    return row


def move_forecast(session: Session, viewer: Viewer, milestone_id: object, forecast: object,
                  reason: object) -> MilestoneRevision | None:
    """Move a milestone's forecast date, keeping the move as a revision with its reason.

    The baseline never moves. The same date again writes nothing (returns None). Refused
    (``AccessDenied``) unless ``viewer`` may update the milestone's initiative.
    """
    if not can_update_milestone(session, viewer, milestone_id):
        raise AccessDenied(_("You may only change milestones of your own initiatives."))
    day = _day("forecast", forecast)
    why = _reason(reason)
    milestone = _locked(session, Milestone, milestone_id)
    if day == milestone.forecast_on:
        return None
    milestone.forecast_on = day
    revision = MilestoneRevision(milestone_id=milestone.id, forecast_on=day, reason=why,
                                 changed_by=viewer.username or "system",
                                 changed_at=stamp_now(session))
    session.add(revision)
    session.flush()
    return revision


def record_actual(session: Session, viewer: Viewer, milestone_id: object, actual: object,
                  today: date) -> bool:
    """Record the day a milestone was done (never after ``today``); False when it already
    had that date (nothing written)."""
    if not can_update_milestone(session, viewer, milestone_id):
        raise AccessDenied(_("You may only change milestones of your own initiatives."))
    day = _day("actual", actual)
    if day > today:
        raise PlanEditError("actual", _("a milestone cannot be done after today ({day})").format(
            day=today.isoformat()))
    milestone = _locked(session, Milestone, milestone_id)
    if milestone.actual_on == day:
        return False
    milestone.actual_on = day
    session.flush()
    return True


def report_progress(session: Session, viewer: Viewer, initiative_id: object, on: object,
                    physical_pct: object, note: object = None) -> ProgressReport | None:
    """Report an initiative's physical completion (0-100 %) for a date, with an optional note
    that explains it (``delivery.plans.notes``); a correction is a new report.

    The figure already in force for that date again writes nothing (returns None), as the
    import does, unless a different note comes with it: a new explanation of the same figure
    is a new report (the one before keeps its own). No note at all (None or blank) is not a
    new explanation: sending the figure again without one leaves the report in force, and its
    note, as they are, so a client that knows nothing of notes never hides one by retrying."""
    if not can_update_initiative(session, viewer, initiative_id):
        raise AccessDenied(_("You may only change your own initiatives."))
    day = _day("on", on)
    try:
        if isinstance(physical_pct, bool):  # float(True) is 1.0, but true is no percentage
            raise TypeError
        pct = float(physical_pct)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PlanEditError("physical_pct", _("{value} is not a number").format(
            value=str(physical_pct)[:40])) from None
    if not 0 <= pct <= 100:  # NaN fails too
        raise PlanEditError("physical_pct", _("physical completion is 0 to 100 %"))
    try:
        text = clean_note(note)
    except NoteRefused as refused:
        raise PlanEditError("note", str(refused)) from None
    _locked(session, Initiative, initiative_id)
    last = in_force(session, initiative_id, day)
    if last is not None and abs(last.physical_pct - pct) < 1e-9 and text in (None, last.note):
        return None
    report = ProgressReport(initiative_id=initiative_id, on=day, physical_pct=pct, note=text,
                            reported_by=viewer.username or "system",
                            recorded_at=stamp_now(session))
    session.add(report)
    session.flush()
    return report


def in_force(session: Session, initiative_id: object, day: date) -> ProgressReport | None:
    """The report that counts for ``day``: the latest recorded for it."""
    return session.scalar(select(ProgressReport).where(
        ProgressReport.initiative_id == initiative_id, ProgressReport.on == day).order_by(
        ProgressReport.id.desc()).limit(1))


def can_update_risk(session: Session, viewer: Viewer, risk_id: object) -> bool:
    """A risk of an initiative: as the initiative; a goal's own risk: editors only."""
    if not is_row_id(risk_id):
        return False
    initiative_id = session.scalar(select(Risk.initiative_id).where(Risk.id == risk_id))
    if initiative_id is not None:
        return can_update_initiative(session, viewer, initiative_id)
    return viewer.is_editor and session.get(Risk, risk_id) is not None


def _score(field: str, value: object) -> int:
    if isinstance(value, bool):  # float(True) is 1.0, but true is no score
        raise PlanEditError(field, _("{text} is not a whole number").format(text=str(value)))
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PlanEditError(field, _("{text} is not a whole number").format(
            text=str(value)[:40])) from None
    if not math.isfinite(number) or number != int(number):
        raise PlanEditError(field, _("{text} is not a whole number").format(
            text=str(value)[:40]))
    if not 1 <= number <= 5:
        raise PlanEditError(field, _("{n} is not between {low} and {high}").format(
            n=int(number), low=1, high=5))
    return int(number)


def update_risk(session: Session, viewer: Viewer, risk_id: object, *, probability: object,
                impact: object, status: object, mitigation: object = "",
                review_on: object = None) -> bool:
    """Rescore a risk, set its status, mitigation and next review date (none: no date); a
    field given as ``KEEP`` stays as it is (the API's partial update). False when nothing
    changed. The audit trail keeps each change with its before and after."""
    if not can_update_risk(session, viewer, risk_id):
        raise AccessDenied(_("You may only change risks of your own initiatives."))
    wanted: dict[str, object] = {}
    if status is not KEEP:
        try:
            wanted["status"] = RiskStatus(status)  # type: ignore[arg-type]  # checked here
        except (TypeError, ValueError):
            raise PlanEditError("status", _("{text} is not one of {allowed}").format(
                text=str(status)[:40], allowed=", ".join(s.value for s in RiskStatus))) from None
    if mitigation is not KEEP:
        note = mitigation.strip() if isinstance(mitigation, str) else ""
        if len(note) > MAX_REASON:
            raise PlanEditError("mitigation", _("longer than {n} characters").format(
                n=MAX_REASON))
        wanted["mitigation"] = note
    for field, value in (("probability", probability), ("impact", impact)):
        if value is not KEEP:
            wanted[field] = _score(field, value)
    if review_on is not KEEP:
        wanted["review_on"] = None if review_on in (None, "") else _day("review_on", review_on)
    risk = _locked(session, Risk, risk_id)
    changed = False
    for name, value in wanted.items():
        if getattr(risk, name) != value:
            setattr(risk, name, value)
            changed = True
    session.flush()
    return changed
