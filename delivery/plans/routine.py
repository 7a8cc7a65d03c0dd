"""Delivery plans in the review routine: the agenda items a meeting gets from the initiatives
serving the goals in its scope (late milestones, risks scored 15 or more). Each item points at
its milestone or risk; delivery.agenda_texts words it in the reader's language."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.models import AgendaItem, InitiativeGoal
from delivery.plans.board import initiatives_frame, milestones_frame
from delivery.plans.detail import risks_frame
from delivery.plans.rules import HIGH_RISK_SCORE
from delivery.plans.vocabulary import MilestoneStatus, RiskStatus
from delivery.status import format_date
from delivery.vocabulary import AgendaKind


def plan_agenda_items(session: Session, scope: set[int], as_of: date) -> list[AgendaItem]:
    """Topics for the late milestones and the open risks scored 15 or more of the initiatives
    serving goals in ``scope``, each tied to the goal the initiative serves most."""
    if not scope:
        return []
    served: dict[int, int] = {}
    for initiative_id, goal_id, _weight in session.execute(
            select(InitiativeGoal.initiative_id, InitiativeGoal.goal_id, InitiativeGoal.weight)
            .where(InitiativeGoal.goal_id.in_(scope)).order_by(
                InitiativeGoal.initiative_id, InitiativeGoal.weight.desc(),
                InitiativeGoal.goal_id)):
        served.setdefault(initiative_id, goal_id)
    if not served:
        return []
    names = dict(zip(*(initiatives_frame(session, list(served))[c]
                       for c in ("initiative_id", "name")), strict=True))
    milestones = milestones_frame(session, as_of, list(served))
    late = milestones[milestones["status"] == MilestoneStatus.LATE.value].sort_values(
        "slip", ascending=False)
    items = [AgendaItem(kind=AgendaKind.TOPIC, goal_id=served[m.initiative_id],
                        milestone_id=int(m.milestone_id),
                        title=_("Late milestone: {milestone} ({initiative})").format(
                            milestone=m.name, initiative=names[m.initiative_id])[:300],
                        note=_("forecast {forecast}, {n} days past its baseline").format(
                            forecast=format_date(m.forecast_on), n=m.slip))
             for m in late.itertuples()]
    risks = risks_frame(session, as_of, initiative_ids=list(served),
                        min_score=HIGH_RISK_SCORE)
    items += [AgendaItem(kind=AgendaKind.TOPIC, goal_id=served[r.initiative_id],
                         risk_id=int(r.id), title=_("Risk {score}: {risk} ({initiative})").format(
                             score=r.score, risk=r.description,
                             initiative=names[r.initiative_id])[:300],
                         note=r.mitigation)
              for r in risks.itertuples() if r.status == RiskStatus.OPEN.value]
    return items
