"""Who may see and change an initiative (the rights model of ``delivery.access``, extended).

- the whole-government roles see every initiative; analysts and admins change any;
- a secretariat sees its own initiatives, those serving goals it sees and those of its pacts;
  it changes (milestone forecasts and actual dates, physical progress, risks) only its own;
- nobody signed in sees none.

Ids from a browser are checked here, before anything is read or written.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from delivery.access import Viewer, goal_scope, is_row_id
from delivery.models import Goal, Initiative, InitiativeGoal, Milestone, PactMember


def initiative_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A condition on ``Initiative`` selecting the initiatives ``viewer`` may see."""
    if viewer.sees_everything:
        return true()
    sec = viewer.own_secretariat
    if sec is None:
        return false()
    serving = select(InitiativeGoal.initiative_id).join(
        Goal, Goal.id == InitiativeGoal.goal_id).where(goal_scope(viewer))
    pacts = select(PactMember.pact_id).where(PactMember.secretariat_id == sec)
    return or_(Initiative.secretariat_id == sec, Initiative.id.in_(serving),
               Initiative.pact_id.in_(pacts))


def visible_initiative_ids(session: Session, viewer: Viewer) -> set[int] | None:
    """The initiatives ``viewer`` sees, or None when it sees them all."""
    if viewer.sees_everything:
        return None
    return set(session.scalars(select(Initiative.id).where(initiative_scope(viewer))))


def can_see_initiative(session: Session, viewer: Viewer, initiative_id: object) -> bool:
    if not is_row_id(initiative_id):
        return False
    query = select(Initiative.id).where(Initiative.id == initiative_id, initiative_scope(viewer))
    return session.scalar(query) is not None


def can_update_initiative(session: Session, viewer: Viewer, initiative_id: object) -> bool:
    """Editors update any initiative; a secretariat only those it leads."""
    if not is_row_id(initiative_id):
        return False
    if viewer.is_editor:
        owned: ColumnElement[bool] = true()
    elif viewer.own_secretariat is not None:
        owned = Initiative.secretariat_id == viewer.own_secretariat
    else:
        return False
    query = select(Initiative.id).where(Initiative.id == initiative_id, owned)
    return session.scalar(query) is not None


def can_update_milestone(session: Session, viewer: Viewer, milestone_id: object) -> bool:
    """Whether ``viewer`` may move this milestone's forecast or record its actual date."""
    if not is_row_id(milestone_id):
        return False
    initiative_id = session.scalar(select(Milestone.initiative_id).where(
        Milestone.id == milestone_id))
    return initiative_id is not None and can_update_initiative(session, viewer, initiative_id)
