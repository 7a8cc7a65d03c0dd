"""What the API reads, as plain JSON-ready dicts, each scoped by ``delivery.access``: a
secretariat's token reads exactly what its person sees on the screens."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from delivery.access import (
    Viewer,
    account_scope,
    commitment_scope,
    goal_filter,
    goal_scope,
)
from delivery.assessment import explanations, goal_statuses
from delivery.figures import in_force_query, known_on_or_before
from delivery.models import (
    BudgetAccount,
    Commitment,
    Figure,
    Goal,
    GoalAccountLink,
    Secretariat,
    Trajectory,
)


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = 100

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def plain(value: Any) -> Any:
    """A cell as JSON: NaN and NaT as null, dates as ISO text, numpy numbers as Python's."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, datetime):  # SQLite hands back naive UTC moments
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return getattr(value, "value", value)  # enums


def paged(items: list[dict[str, Any]], total: int, page: Page) -> dict[str, Any]:
    return {"items": items, "page": page.number, "per_page": page.size, "total": total}


GOAL_FIELDS = {
    "code": "code", "name": "name", "indicator": "indicator", "unit": "unit",
    "direction": "direction", "frequency": "frequency", "owner": "owner_code",
    "objective": "objective_code", "pillar": "pillar_code", "baseline_value": "baseline_value",
    "baseline_date": "baseline_date", "target_value": "target_value",
    "target_date": "target_date", "target_low": "target_low", "target_high": "target_high",
    "is_public": "is_public", "status": "status", "latest_value": "latest_value",
    "latest_period_end": "latest_period_end", "planned": "planned", "shortfall": "shortfall",
}


def goals(session: Session, viewer: Viewer, as_of: date, page: Page, *,
          filters: dict[str, str | None] | None = None) -> dict[str, Any]:
    """The goals the viewer sees, with status as of ``as_of`` and the sentence behind it;
    ``filters``: pillar, objective, owner (secretariat code), status, code."""
    frame = goal_statuses(session, as_of, with_reasons=False,
                          goal_ids=goal_filter(session, viewer))
    for key, column in (("pillar", "pillar_code"), ("objective", "objective_code"),
                        ("owner", "owner_code"), ("status", "status"), ("code", "code")):
        wanted = (filters or {}).get(key)
        if wanted:
            frame = frame[frame[column] == wanted]
    total = len(frame)
    frame = frame.iloc[page.offset:page.offset + page.size]
    reasons = explanations(frame, as_of) if len(frame) else []
    items = [{**{k: plain(row[c]) for k, c in GOAL_FIELDS.items()}, "reason": reason,
              "as_of": as_of.isoformat()}
             for (_i, row), reason in zip(frame.iterrows(), reasons, strict=True)]
    return paged(items, total, page)


def visible_goal(session: Session, viewer: Viewer, code: str) -> Goal | None:
    return session.scalar(select(Goal).where(Goal.code == code, goal_scope(viewer)))


FIGURE_COLUMNS = ["period_start", "period_end", "value", "is_provisional", "revision",
                  "known_on", "recorded_at", "reported_by", "source", "note"]


def figures(session: Session, viewer: Viewer, page: Page, *, as_of: date | None,
            goal: str | None = None, since: date | None = None, until: date | None = None,
            all_revisions: bool = False) -> dict[str, Any]:
    """Figures of the goals the viewer sees: the revision in force on ``as_of`` per period
    (the latest when None), or with ``all_revisions`` every revision known then."""
    query: Select[Any] = (select(Goal.code, *(getattr(Figure, c) for c in FIGURE_COLUMNS))
                          .join(Goal, Goal.id == Figure.goal_id).where(goal_scope(viewer)))
    if not all_revisions:
        top = in_force_query(as_of).subquery()
        query = query.join(top, and_(Figure.goal_id == top.c.goal_id,
                                     Figure.period_start == top.c.period_start,
                                     Figure.revision == top.c.revision))
    elif as_of is not None:
        query = query.where(known_on_or_before(as_of))
    if goal:
        query = query.where(Goal.code == goal)
    if since:
        query = query.where(Figure.period_start >= since)
    if until:
        query = query.where(Figure.period_end <= until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Goal.code, Figure.period_start, Figure.revision)
                           .offset(page.offset).limit(page.size)).all()
    items = [{"goal": row[0], **{c: plain(v) for c, v in zip(FIGURE_COLUMNS, row[1:],
                                                              strict=True)}} for row in rows]
    return paged(items, total, page)


def trajectories(session: Session, viewer: Viewer, code: str) -> list[dict[str, Any]] | None:
    """Every trajectory version of a goal the viewer sees (None: no such goal for them)."""
    goal = visible_goal(session, viewer, code)
    if goal is None:
        return None
    versions = session.scalars(select(Trajectory).where(Trajectory.goal_id == goal.id)
                               .order_by(Trajectory.version))
    keys = ["version", "shape", "proposed_by", "approved_by", "approved_at", "rationale",
            "created_at", "rejected_by", "rejected_at", "rejection_reason", "withdrawn_by",
            "withdrawn_at", "restates_past"]
    return [{"goal": code, **{k: plain(getattr(t, k)) for k in keys},
             "points": [{"on": p.on.isoformat(), "value": p.value} for p in t.points]}
            for t in versions]


def budget_links(session: Session, viewer: Viewer, page: Page, *, goal: str | None = None,
                 fiscal_year: int | None = None) -> dict[str, Any]:
    """Goal-account links (with the share) and the accounts' money, as the viewer sees them."""
    query = (select(Goal.code, GoalAccountLink.share, BudgetAccount.code, BudgetAccount.name,
                    BudgetAccount.programme, Secretariat.code, BudgetAccount.fiscal_year,
                    BudgetAccount.appropriated, BudgetAccount.committed, BudgetAccount.spent)
             .join(Goal, Goal.id == GoalAccountLink.goal_id)
             .join(BudgetAccount, BudgetAccount.id == GoalAccountLink.account_id)
             .outerjoin(Secretariat, Secretariat.id == BudgetAccount.secretariat_id)
             .where(goal_scope(viewer), account_scope(viewer)))
    if goal:
        query = query.where(Goal.code == goal)
    if fiscal_year is not None:
        query = query.where(BudgetAccount.fiscal_year == fiscal_year)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    keys = ["goal", "share", "account", "account_name", "programme", "secretariat",
            "fiscal_year", "appropriated", "committed", "spent"]
    rows = session.execute(query.order_by(Goal.code, BudgetAccount.fiscal_year,
                                          BudgetAccount.code)
                           .offset(page.offset).limit(page.size)).all()
    items = [{k: (float(v) if k in {"appropriated", "committed", "spent"} and v is not None
                  else plain(v)) for k, v in zip(keys, row, strict=True)} for row in rows]
    return paged(items, total, page)


COMMITMENT_KEYS = ["id", "meeting_id", "description", "owner", "due_on", "state", "closed_on",
                   "closed_by", "closing_note"]


def commitment_dict(commitment: Commitment, goal_code: str | None,
                    owner_code: str | None) -> dict[str, Any]:
    return {**{k: plain(getattr(commitment, k)) for k in COMMITMENT_KEYS}, "goal": goal_code,
            "owner_secretariat": owner_code}


def commitments(session: Session, viewer: Viewer, page: Page, *, state: str | None = None,
                goal: str | None = None, due_before: date | None = None) -> dict[str, Any]:
    """The commitments the viewer sees, by due date."""
    query = (select(Commitment, Goal.code, Secretariat.code)
             .outerjoin(Goal, Goal.id == Commitment.goal_id)
             .outerjoin(Secretariat, Secretariat.id == Commitment.owner_secretariat_id)
             .where(commitment_scope(viewer)))
    if state:
        query = query.where(Commitment.state == state)
    if goal:
        query = query.where(Goal.code == goal)
    if due_before:
        query = query.where(Commitment.due_on <= due_before)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Commitment.due_on, Commitment.id)
                           .offset(page.offset).limit(page.size)).all()
    return paged([commitment_dict(c, g, s) for c, g, s in rows], total, page)


def commitment(session: Session, viewer: Viewer, commitment_id: int) -> dict[str, Any] | None:
    found = session.execute(select(Commitment, Goal.code, Secretariat.code)
                            .outerjoin(Goal, Goal.id == Commitment.goal_id)
                            .outerjoin(Secretariat,
                                       Secretariat.id == Commitment.owner_secretariat_id)
                            .where(Commitment.id == commitment_id,
                                   commitment_scope(viewer))).first()
    return None if found is None else commitment_dict(*found)
