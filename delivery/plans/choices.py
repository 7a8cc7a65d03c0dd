"""What a person may update in delivery plans, as the forms on ``/report`` and in the
workspace offer it: the initiatives they may change, their milestones not yet done and their
risks. The same rights as ``delivery.plans.access``; every save checks them again."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from delivery.access import Viewer
from delivery.models import Initiative, Milestone, Risk


@dataclass
class PlanChoices:
    initiatives: list[tuple[int, str]] = field(default_factory=list)  # id, "CODE · name"
    milestones: list[tuple[int, str]] = field(default_factory=list)  # not done yet
    risks: list[tuple[int, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.initiatives)


def _owned(viewer: Viewer) -> ColumnElement[bool] | None:
    if viewer.is_editor:
        return true()
    if viewer.own_secretariat is not None:
        return Initiative.secretariat_id == viewer.own_secretariat
    return None


def plan_choices(session: Session, viewer: Viewer) -> PlanChoices:
    """The initiatives ``viewer`` may update (editors: all; a secretariat: those it leads),
    with their open milestones and their risks, in code order."""
    owned = _owned(viewer)
    if owned is None:
        return PlanChoices()
    initiatives = session.execute(select(Initiative.id, Initiative.code, Initiative.name).where(
        owned).order_by(Initiative.code)).all()
    ids = [i for i, _code, _name in initiatives]
    codes = {i: code for i, code, _name in initiatives}
    milestones = session.execute(select(Milestone.id, Milestone.initiative_id, Milestone.name)
                                 .where(Milestone.initiative_id.in_(ids),
                                        Milestone.actual_on.is_(None))
                                 .order_by(Milestone.initiative_id, Milestone.position)).all()
    risks = session.execute(select(Risk.id, Risk.initiative_id, Risk.description).where(
        Risk.initiative_id.in_(ids)).order_by(Risk.initiative_id, Risk.id)).all()
    return PlanChoices(
        initiatives=[(i, f"{code} · {name}") for i, code, name in initiatives],
        milestones=[(m, f"{codes[i]} · {name}") for m, i, name in
                    sorted(milestones, key=lambda r: codes[r[1]])],
        risks=[(r, f"{codes[i]} · {text[:120]}") for r, i, text in
               sorted(risks, key=lambda r: codes[r[1]])])
