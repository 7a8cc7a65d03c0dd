"""The audit trail: every ORM change to an audited object is written as who, when, what, before
and after, in the same transaction as the change itself.

The actor is ``session.info["actor"]`` (set by the CLI, the web request or the job). Figures are
not listed here because they are never updated: each revision row carries its own reporter and
time. Audit rows are only ever inserted.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect
from sqlalchemy.orm import Session

from delivery import models as m

AUDITED: tuple[type, ...] = (
    m.Pillar, m.Objective, m.ObjectiveLink, m.Secretariat, m.Goal, m.Trajectory,
    m.TrajectoryPoint, m.Pact, m.PactMember, m.PactGoal, m.BudgetAccount, m.GoalAccountLink,
    m.ReviewMeeting, m.Commitment, m.LikelihoodAssessment, m.DataQualityFlag, m.User,
    m.Source, m.MeetingSeries, m.AgendaItem, m.Decision, m.GoalComment, m.GoalRule,
    m.Initiative, m.InitiativeGoal, m.InitiativeAccount, m.Milestone, m.Risk,
    m.ApiToken,
)
SECRET_COLUMNS = {"password_hash", "token_hash"}
SYSTEM = "system"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _columns(obj: Any) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in SECRET_COLUMNS]


def _snapshot(obj: Any) -> dict[str, Any]:
    return {key: _plain(getattr(obj, key)) for key in _columns(obj)}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before, after = {}, {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = _plain(history.deleted[0]) if history.deleted else None
            after[key] = _plain(history.added[0]) if history.added else None
    return before, after


def _object_id(obj: Any) -> str:
    # New rows have no identity key yet in after_flush, but their primary key is filled in.
    state = inspect(obj)
    identity = state.identity or state.mapper.primary_key_from_instance(obj)
    return "/".join(str(part) for part in identity) if identity else "?"


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, _context: Any) -> None:
    actor = session.info.get("actor", SYSTEM)
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            if not isinstance(obj, AUDITED):
                continue
            if action == "update":
                before, after = _changes(obj)
                if not after:
                    continue
            elif action == "create":
                before, after = None, _snapshot(obj)
            else:
                before, after = _snapshot(obj), None
            rows.append(_row(actor, action, obj, before, after))
    if rows:
        session.connection().execute(insert(m.AuditEntry), rows)


def record_bulk(session: Session, action: str, object_type: str,
                entries: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]) -> None:
    """Audit rows for changes written in bulk, past the ORM (whose flush this module hears):
    ``entries`` are (object id, before, after). The actor is the session's, as above."""
    from delivery.db import insert_many  # db imports this module to register the hook

    actor, at = session.info.get("actor", SYSTEM), m.utcnow()
    insert_many(session, cast(Table, m.AuditEntry.__table__),
                ("actor", "action", "object_type", "object_id", "before", "after", "at"),
                [(actor, action, object_type, ident, before, after, at)
                 for ident, before, after in entries])


def _row(actor: str, action: str, obj: Any, before: dict[str, Any] | None,
         after: dict[str, Any] | None) -> dict[str, Any]:
    return {"actor": actor, "action": action, "object_type": type(obj).__name__,
            "object_id": _object_id(obj), "before": before, "after": after, "at": m.utcnow()}


def record_created(session: Session, obj: Any) -> None:
    """Audit a row written by a plain INSERT rather than the ORM (one that must not raise on a
    conflict, e.g. ``INSERT ... ON CONFLICT DO NOTHING``): the same entry a flush would write."""
    session.connection().execute(insert(m.AuditEntry), [
        _row(session.info.get("actor", SYSTEM), "create", obj, None, _snapshot(obj))])
