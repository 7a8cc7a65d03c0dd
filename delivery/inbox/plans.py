"""The inbox's delivery-plan source: milestones late or due soon, and open high risks.

Both belong to a secretariat: a milestone to the secretariat that leads its initiative (it
records the actual date or moves the forecast, with a reason); a risk to its initiative's
secretariat, or, for a risk on a goal, to the goal's owner (a goal nobody owns: the delivery
unit's). A milestone is due on the earlier of its baseline and its forecast as known on
``as_of`` (the plan rule: late once either has passed); it leaves once done. A risk waits while
it is open and scored ``HIGH_RISK_SCORE`` or more; its review date, when set, is its due date.
Registered with ``register_source``, so these lines reach ``/inbox``, the reminders and the
digests like every other.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import pandas as pd
from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from delivery.access import Viewer
from delivery.inbox.items import AHEAD_DAYS, InboxItem, register_source
from delivery.models import Goal, Initiative, Risk
from delivery.plans.board import milestones_ahead
from delivery.plans.rules import HIGH_RISK_SCORE
from delivery.plans.vocabulary import RiskStatus, Stage


def initiatives_led_by(session: Session, viewer: Viewer) -> list[int]:
    """The initiatives whose milestones ``viewer`` answers for: its secretariat's (the unit and
    the governor lead none: every initiative has a secretariat)."""
    if viewer.own_secretariat is None:
        return []
    return list(session.scalars(select(Initiative.id).where(
        Initiative.secretariat_id == viewer.own_secretariat,
        Initiative.stage != Stage.CANCELLED.value).order_by(Initiative.id)))


def milestones_waiting(session: Session, initiative_ids: Collection[int], as_of: date,
                       ahead_days: int = AHEAD_DAYS) -> list[InboxItem]:
    """Milestones of ``initiative_ids`` not done on ``as_of`` and late, or due within
    ``ahead_days``."""
    if not initiative_ids:
        return []
    frame = milestones_ahead(session, as_of, days=ahead_days, initiative_ids=initiative_ids)
    if frame.empty:
        return []
    secretariats = dict(session.execute(select(Initiative.id, Initiative.secretariat_id).where(
        Initiative.id.in_(list(initiative_ids)))).all())
    items = []
    for row in frame.itertuples():
        due = min(pd.Timestamp(row.baseline_on).date(), pd.Timestamp(row.forecast_on).date())
        items.append(InboxItem(
            kind="milestone", thing=f"milestone:{row.milestone_id}", due_on=due, as_of=as_of,
            href=f"/initiative/{row.initiative_code}", goal_code=row.initiative_code,
            goal_name=row.initiative_name, subject=row.name,
            secretariat_id=secretariats.get(row.initiative_id)))
    return items


@register_source
def milestones_owned(session: Session, viewer: Viewer, as_of: date,
                     ahead_days: int = AHEAD_DAYS) -> list[InboxItem]:
    return milestones_waiting(session, initiatives_led_by(session, viewer), as_of, ahead_days)


def _risk_scope(viewer: Viewer):  # type: ignore[no-untyped-def]
    if viewer.own_secretariat is not None:
        sec = viewer.own_secretariat
        return or_(Initiative.secretariat_id == sec,
                   Risk.initiative_id.is_(None) & (Goal.owner_id == sec))
    if viewer.is_editor:  # risks on goals nobody owns are the unit's
        return Risk.initiative_id.is_(None) & Goal.id.is_not(None) & Goal.owner_id.is_(None)
    return false()


@register_source
def risks_open(session: Session, viewer: Viewer, as_of: date) -> list[InboxItem]:
    """Open risks scored ``HIGH_RISK_SCORE`` or more that ``viewer``'s secretariat answers
    for (risks of cancelled initiatives are left out)."""
    query = (select(Risk, Initiative.code, Initiative.name, Initiative.secretariat_id,
                    Goal.code, Goal.name, Goal.owner_id)
             .outerjoin(Initiative, Initiative.id == Risk.initiative_id)
             .outerjoin(Goal, Goal.id == Risk.goal_id)
             .where(Risk.status == RiskStatus.OPEN.value,
                    Risk.probability * Risk.impact >= HIGH_RISK_SCORE,
                    or_(Initiative.id.is_(None), Initiative.stage != Stage.CANCELLED.value),
                    _risk_scope(viewer))
             .order_by(Risk.id))
    items = []
    for risk, i_code, i_name, i_sec, g_code, g_name, g_owner in session.execute(query):
        code, name = (i_code, i_name) if i_code else (g_code or "", g_name or "")
        href = f"/initiative/{i_code}" if i_code else f"/goal/{g_code}"
        items.append(InboxItem(
            kind="risk", thing=f"risk:{risk.id}", due_on=risk.review_on or as_of, as_of=as_of,
            undated=risk.review_on is None, href=href, goal_code=code, goal_name=name,
            subject=risk.description, count=risk.probability * risk.impact,
            secretariat_id=i_sec if i_code else g_owner))
    return items
