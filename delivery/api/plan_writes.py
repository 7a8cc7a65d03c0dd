"""Delivery-plan changes pushed through the API: find the initiative (and its milestone or
risk) the token's person sees, then change it through ``delivery.plans.edits``, the one home
of the rules the screens and the import follow. Nothing here checks a value or a right of its
own: a refusal is the same ``PlanEditError`` or ``AccessDenied`` the screens show.

Each function returns None when there is no such initiative (or no such milestone or risk in
it) that the person sees, so that the API answers 404 without telling what exists; an
initiative seen but not one's own (a pact's, or any for the governor) is refused (403) by the
edits themselves."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.access import Viewer, is_row_id
from delivery.api.initiatives import initiative
from delivery.dates import parse_day
from delivery.models import Initiative, Milestone, Risk
from delivery.plans.access import initiative_scope
from delivery.plans.edits import (
    KEEP,
    PlanEditError,
    in_force,
    move_forecast,
    record_actual,
    report_progress,
    update_risk,
)

# the API names the milestone's dates as it reads them back; the edits as the forms do
MILESTONE_FIELDS = {"actual": "actual_on", "forecast": "forecast_on"}
RISK_FIELDS = ("probability", "impact", "status", "mitigation", "review_on")


def _initiative_id(session: Session, viewer: Viewer, code: str) -> int | None:
    return session.scalar(select(Initiative.id).where(Initiative.code == code,
                                                      initiative_scope(viewer)))


def _part_of(session: Session, model: type[Milestone] | type[Risk], row_id: int,
             initiative_id: int) -> bool:
    return is_row_id(row_id) and session.scalar(select(model.id).where(
        model.id == row_id, model.initiative_id == initiative_id)) is not None


def _read(session: Session, viewer: Viewer, code: str, today: date, part: str,
          row_id: int) -> dict[str, Any]:
    """The milestone or risk as ``GET /initiatives/{code}`` reads it back on ``today``."""
    found = initiative(session, viewer, code, today)
    assert found is not None  # seen a moment ago, in this transaction
    return next(item for item in found[part] if item["id"] == row_id)


def update_milestone(session: Session, viewer: Viewer, code: str, milestone_id: int,
                     body: dict[str, Any], today: date) -> dict[str, Any] | None:
    """Move the forecast (``forecast_on`` with a ``reason``, kept as a revision) and/or record
    the day it was done (``actual_on``, not after ``today``); the milestone as read back, with
    ``changed``."""
    initiative_id = _initiative_id(session, viewer, code)
    if initiative_id is None or not _part_of(session, Milestone, milestone_id, initiative_id):
        return None
    try:
        changed = False
        if "forecast_on" in body:
            changed |= move_forecast(session, viewer, milestone_id, body["forecast_on"],
                                     body.get("reason")) is not None
        if "actual_on" in body:
            changed |= record_actual(session, viewer, milestone_id, body["actual_on"], today)
    except PlanEditError as error:
        if error.field not in MILESTONE_FIELDS:
            raise
        raise PlanEditError(MILESTONE_FIELDS[error.field], error.reason) from None
    return {**_read(session, viewer, code, today, "milestones", milestone_id),
            "changed": changed}


def add_progress(session: Session, viewer: Viewer, code: str, body: dict[str, Any]
                 ) -> dict[str, Any] | None:
    """Report the physical completion on a date, with an optional ``note`` that explains it (a
    correction is a new report; the figure in force for that date again changes nothing
    unless it comes with a different note); the report in force afterwards."""
    initiative_id = _initiative_id(session, viewer, code)
    if initiative_id is None:
        return None
    report = report_progress(session, viewer, initiative_id, body.get("on"),
                             body.get("physical_pct"), body.get("note"))
    changed = report is not None
    if report is None:
        report = in_force(session, initiative_id, parse_day(body["on"]))
        assert report is not None  # nothing written: the same figure is in force
    return {"initiative": code, "on": report.on.isoformat(),
            "physical_pct": report.physical_pct, "note": report.note,
            "reported_by": report.reported_by, "changed": changed}


def change_risk(session: Session, viewer: Viewer, code: str, risk_id: int,
                body: dict[str, Any], today: date) -> dict[str, Any] | None:
    """Change the fields sent (the others stay); the risk as read back, with ``changed``."""
    initiative_id = _initiative_id(session, viewer, code)
    if initiative_id is None or not _part_of(session, Risk, risk_id, initiative_id):
        return None
    changed = update_risk(session, viewer, risk_id,
                          **{name: body.get(name, KEEP) for name in RISK_FIELDS})
    return {**_read(session, viewer, code, today, "risks", risk_id), "changed": changed}
