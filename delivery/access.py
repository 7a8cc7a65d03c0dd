"""Who may see and change what: the rights model, as plain functions of a ``Viewer``.

- admin: reads everything and the audit trail; changes everything, users included.
- analyst: reads everything and the audit trail; changes the strategy map, goals,
  trajectories, pacts, budget links, figures and commitments.
- governor: reads everything; changes nothing.
- secretariat: reads the goals its secretariat owns, the goals of the pacts it is a member of,
  those pacts and their commitments; reports figures for the goals it owns and updates the
  commitments it owns.
- anonymous (nobody signed in): reads the goals marked public; changes nothing.

Scopes are SQL conditions so that every query can be filtered in the database; ids that arrive
from a browser are checked with the ``can_*`` functions before anything is read or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.models import (
    BudgetAccount,
    Commitment,
    Goal,
    GoalAccountLink,
    Pact,
    PactGoal,
    PactMember,
    ReviewMeeting,
    User,
)
from delivery.vocabulary import Role

EDITORS = frozenset({Role.ADMIN, Role.ANALYST})
WHOLE_GOVERNMENT = frozenset({Role.ADMIN, Role.ANALYST, Role.GOVERNOR})


class AccessDenied(PermissionError):
    """The viewer may not see or change this; the message is safe to show them."""


@dataclass(frozen=True)
class Viewer:
    """The person behind a request: a signed-in user, or nobody (``role`` None)."""

    user_id: int | None = None
    username: str = ""
    role: Role | None = None
    secretariat_id: int | None = None
    display_name: str = ""
    language: str | None = None  # the person's own choice; None: the site default

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(user.id, user.username, Role(user.role), user.secretariat_id,
                   user.display_name or user.username, user.language)

    @property
    def is_anonymous(self) -> bool:
        return self.role is None

    @property
    def sees_everything(self) -> bool:
        return self.role in WHOLE_GOVERNMENT

    @property
    def is_editor(self) -> bool:
        return self.role in EDITORS

    @property
    def own_secretariat(self) -> int | None:
        """The secretariat whose goals this viewer reports on (secretariat users only)."""
        return self.secretariat_id if self.role == Role.SECRETARIAT else None


ANONYMOUS = Viewer()


def require(allowed: bool, message: object = None) -> None:
    """Raise ``AccessDenied`` unless ``allowed``; ``message`` (a text, or a lazy ``_l`` one)
    is put in the current language when raised."""
    if not allowed:
        raise AccessDenied(_("You do not have the right to do this.") if message is None
                           else str(message))


def _member_pacts(secretariat_id: int):  # type: ignore[no-untyped-def]
    return select(PactMember.pact_id).where(PactMember.secretariat_id == secretariat_id)


def goal_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A condition on ``Goal`` selecting the goals ``viewer`` may see."""
    if viewer.sees_everything:
        return true()
    if viewer.is_anonymous:
        return Goal.is_public.is_(True)
    sec = viewer.own_secretariat
    if sec is None:
        return false()
    in_pacts = select(PactGoal.goal_id).where(PactGoal.pact_id.in_(_member_pacts(sec)))
    return or_(Goal.owner_id == sec, Goal.id.in_(in_pacts))


def pact_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A condition on ``Pact``: all for the whole-government roles, members' own for others."""
    if viewer.sees_everything:
        return true()
    sec = viewer.own_secretariat
    return false() if sec is None else Pact.id.in_(_member_pacts(sec))


def commitment_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A condition on ``Commitment``: those owned by the viewer's secretariat, on goals it sees,
    or made in meetings of its pacts."""
    if viewer.sees_everything:
        return true()
    sec = viewer.own_secretariat
    if sec is None:
        return false()
    visible_goals = select(Goal.id).where(goal_scope(viewer))
    pact_meetings = select(ReviewMeeting.id).where(ReviewMeeting.pact_id.in_(_member_pacts(sec)))
    return or_(Commitment.owner_secretariat_id == sec, Commitment.goal_id.in_(visible_goals),
               Commitment.meeting_id.in_(pact_meetings))


def meeting_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A condition on ``ReviewMeeting``: all for the whole-government roles; a secretariat's
    own pacts' meetings for a secretariat (the governor's meetings are not theirs)."""
    if viewer.sees_everything:
        return true()
    sec = viewer.own_secretariat
    return false() if sec is None else ReviewMeeting.pact_id.in_(_member_pacts(sec))


def account_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A condition on ``BudgetAccount``: the secretariat's own accounts and those linked to goals
    it sees."""
    if viewer.sees_everything:
        return true()
    sec = viewer.own_secretariat
    if sec is None:
        return false()
    linked = select(GoalAccountLink.account_id).join(Goal).where(goal_scope(viewer))
    return or_(BudgetAccount.secretariat_id == sec, BudgetAccount.id.in_(linked))


def visible_goal_ids(session: Session, viewer: Viewer) -> set[int]:
    return set(session.scalars(select(Goal.id).where(goal_scope(viewer))))


def visible_pact_ids(session: Session, viewer: Viewer) -> set[int]:
    return set(session.scalars(select(Pact.id).where(pact_scope(viewer))))


def goal_filter(session: Session, viewer: Viewer) -> set[int] | None:
    """Goal ids to keep, or None when the viewer sees every goal (so callers skip filtering)."""
    return None if viewer.sees_everything else visible_goal_ids(session, viewer)


def is_row_id(value: object) -> bool:
    """Whether an id from a browser can name a row: a real int within the INTEGER column."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31


def _exists(session: Session, model: Any, scope: ColumnElement[bool], object_id: object) -> bool:
    if not isinstance(object_id, int) or isinstance(object_id, bool):
        return False  # ids from a browser may be anything: only a real int can match
    if not -(2**31) <= object_id < 2**31:
        return False  # beyond the INTEGER column: PostgreSQL would refuse the query
    return session.scalar(select(model.id).where(model.id == object_id, scope)) is not None


def can_see_goal(session: Session, viewer: Viewer, goal_id: object) -> bool:
    return _exists(session, Goal, goal_scope(viewer), goal_id)


def can_see_pact(session: Session, viewer: Viewer, pact_id: object) -> bool:
    return _exists(session, Pact, pact_scope(viewer), pact_id)


def can_see_commitment(session: Session, viewer: Viewer, commitment_id: object) -> bool:
    return _exists(session, Commitment, commitment_scope(viewer), commitment_id)


def can_see_meeting(session: Session, viewer: Viewer, meeting_id: object) -> bool:
    return _exists(session, ReviewMeeting, meeting_scope(viewer), meeting_id)


def can_run_meetings(viewer: Viewer) -> bool:
    """Schedule meetings, build agendas, take the minutes, record likelihood judgements."""
    return viewer.is_editor


can_assess_likelihood = can_run_meetings


def can_see_pact_likelihood(session: Session, viewer: Viewer, pact_id: object) -> bool:
    """The likelihood judgements of a pact itself: the whole-government roles, and a
    secretariat for the pacts it is a member of (its own self-assessment is one of the raters).
    ``/likelihood``, the league table and goal judgements stay with the whole-government roles."""
    return can_see_pact(session, viewer, pact_id)


def can_edit_strategy(viewer: Viewer) -> bool:
    """Pillars, objectives, goals, trajectories, pacts, budget accounts and their links."""
    return viewer.is_editor


can_edit_goal = can_edit_trajectory = can_edit_pacts = can_edit_budget = can_edit_strategy


def can_report_figures(session: Session, viewer: Viewer, goal_id: object) -> bool:
    """Editors report on any goal; a secretariat only on the goals it owns."""
    if viewer.is_editor:
        return _exists(session, Goal, true(), goal_id)
    sec = viewer.own_secretariat
    return sec is not None and _exists(session, Goal, Goal.owner_id == sec, goal_id)


def can_update_commitment(session: Session, viewer: Viewer, commitment_id: object) -> bool:
    """Editors update any commitment; a secretariat only those its secretariat owns."""
    if viewer.is_editor:
        return _exists(session, Commitment, true(), commitment_id)
    sec = viewer.own_secretariat
    owned = Commitment.owner_secretariat_id == sec
    return sec is not None and _exists(session, Commitment, owned, commitment_id)


def can_comment(session: Session, viewer: Viewer, goal_id: object) -> bool:
    """Whoever is signed in and sees the goal comments on it (the governor and secretariats
    too: comments are talk about the goal, not changes to it)."""
    return not viewer.is_anonymous and can_see_goal(session, viewer, goal_id)


def can_read_audit(viewer: Viewer) -> bool:
    return viewer.is_editor


def can_manage_users(viewer: Viewer) -> bool:
    return viewer.role == Role.ADMIN


def can_backfill(viewer: Viewer) -> bool:
    """Record figures as known before the review date: moving a unit's history in."""
    return viewer.is_editor


def named_may_backfill(session: Session, name: str) -> bool:
    """Whether a command-line import signed ``name`` may backfill. The command line runs with
    the database's own credentials, an operator's; but a ``name`` that is a user of the product
    is held to that user's role (a secretariat's name cannot backfill)."""
    user = session.scalar(select(User).where(User.username == name))
    return user is None or can_backfill(Viewer.of(user))
