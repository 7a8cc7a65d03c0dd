"""Changes to a delivery plan made by people: a milestone's forecast moved (with a reason,
kept as a revision), its actual date, a physical progress report. Every way in (screens, the
import) passes these checks; each refusal is a ``PlanEditError`` whose message names the field
and the reason and is safe to show."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from delivery.access import AccessDenied, Viewer
from delivery.clock import stamp_now
from delivery.dates import DateError, parse_day
from delivery.i18n import _
from delivery.models import Milestone, MilestoneRevision, ProgressReport
from delivery.plans.access import can_update_initiative, can_update_milestone

MAX_REASON = 2000


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
    milestone = session.get(Milestone, milestone_id)
    assert milestone is not None  # checked above
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
                  today: date) -> None:
    """Record the day a milestone was done (never after ``today``)."""
    if not can_update_milestone(session, viewer, milestone_id):
        raise AccessDenied(_("You may only change milestones of your own initiatives."))
    day = _day("actual", actual)
    if day > today:
        raise PlanEditError("actual", _("a milestone cannot be done after today ({day})").format(
            day=today.isoformat()))
    milestone = session.get(Milestone, milestone_id)
    assert milestone is not None
    milestone.actual_on = day
    session.flush()


def report_progress(session: Session, viewer: Viewer, initiative_id: object, on: object,
                    physical_pct: object) -> ProgressReport:
    """Report an initiative's physical completion (0-100 %) for a date; a correction is a new
    report."""
    if not can_update_initiative(session, viewer, initiative_id):
        raise AccessDenied(_("You may only change your own initiatives."))
    day = _day("on", on)
    try:
        pct = float(physical_pct)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PlanEditError("physical_pct", _("{value} is not a number").format(
            value=str(physical_pct)[:40])) from None
    if not 0 <= pct <= 100:
        raise PlanEditError("physical_pct", _("physical completion is 0 to 100 %"))
    report = ProgressReport(initiative_id=initiative_id, on=day, physical_pct=pct,
                            reported_by=viewer.username or "system",
                            recorded_at=stamp_now(session))
    session.add(report)
    session.flush()
    return report
