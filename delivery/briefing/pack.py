"""Everything the two meeting documents need, gathered once: the meeting, each agenda item with
its data (a goal's figures against its trajectory and target, a flag's evidence, a
commitment's owner and lateness, a topic's note), the open commitments carried forward, and
what the meeting decided and promised.

Read straight from the rows as known on ``as_of``: the briefing is usually gathered as of the
meeting day, the follow-up as of the review date (so that commitments closed since show).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from delivery.agenda_texts import AgendaText, agenda_texts
from delivery.assessment import goal_statuses
from delivery.evidence_files import evidence_count
from delivery.forecast import Forecast
from delivery.goal_dossier import goal_dossier
from delivery.i18n import N_, _
from delivery.meetings import meeting_scope_goal_ids
from delivery.models import (
    AgendaItem,
    Commitment,
    DataQualityFlag,
    Decision,
    Goal,
    Objective,
    Pact,
    ReviewMeeting,
)
from delivery.palette import STATUS_ORDER
from delivery.plans.briefing import InitiativeBrief, initiative_briefs
from delivery.vocabulary import AgendaKind, CommitmentState, MeetingState, Status

ISSUER = N_("Office of the Governor · Delivery Unit")  # translated when printed
BUILT_BY = "agenda builder"  # the added_by of items built from the data (notes restate it)
NO_SPENDING = pd.DataFrame(columns=["goal_id"])


class MeetingNotFound(LookupError):
    """No meeting has this id."""


@dataclass(frozen=True)
class GoalData:
    """One goal as the governor sees it in the briefing, as known on ``as_of``."""

    goal_id: int
    code: str
    name: str
    indicator: str
    unit: str
    direction: str
    frequency: str  # a Frequency value
    owner: str
    status: str  # a Status value
    reason: str
    baseline_value: float | None
    baseline_date: date | None
    latest_value: float | None
    latest_on: date | None
    planned: float | None  # the trajectory in force at the latest figure's period end
    target_value: float | None
    target_date: date | None
    forecast: Forecast | None
    figures: pd.DataFrame  # on, value, provisional
    current: pd.DataFrame  # on, value: the trajectory in force
    original: pd.DataFrame  # on, value: the first promise, empty if never re-planned

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass(frozen=True)
class ScopeGoal:
    """One line of the table of every goal in the meeting's scope."""

    code: str
    name: str
    owner: str
    unit: str
    status: str
    reason: str
    latest_value: float | None
    latest_on: date | None
    planned: float | None
    target_value: float | None
    target_date: date | None
    item_number: int | None  # the agenda item about this goal, if any


@dataclass(frozen=True)
class FlagData:
    flag_id: int
    kind: str
    reason: str
    evidence: dict[str, Any]
    raised_on: date
    state: str
    goal_code: str
    goal_name: str


@dataclass(frozen=True)
class CommitmentData:
    """A commitment with its state as known on ``as_of`` (closed later counts as open)."""

    commitment_id: int
    description: str
    owner: str
    due_on: date
    state: str  # a CommitmentState value, as of as_of
    closed_on: date | None
    closing_note: str
    goal_code: str | None
    goal_name: str | None
    made_at: str  # the title of the meeting that made it
    made_on: date
    days_overdue: int | None  # open ones only: positive when late on as_of
    evidence_files: int = 0  # files attached to its progress notes by as_of

    @property
    def is_open(self) -> bool:
        return self.state == CommitmentState.OPEN.value


@dataclass(frozen=True)
class ItemData:
    number: int  # 1-based, in agenda order
    kind: str  # an AgendaKind value
    title: str
    note: str
    built: bool = False  # added by the agenda builder: its note restates the data
    goal: GoalData | None = None
    flag: FlagData | None = None
    commitment: CommitmentData | None = None


@dataclass(frozen=True)
class DecisionData:
    text: str
    item_number: int | None
    item_title: str | None
    goal_code: str | None
    recorded_by: str


@dataclass(frozen=True)
class MeetingPack:
    """The meeting and everything both documents print about it."""

    issuer: str
    meeting_id: int
    title: str
    held_on: date
    state: str  # a MeetingState value
    cancelled_reason: str
    scope_kind: str  # "objective", "pact" or "" when the meeting has no scope
    scope_code: str
    scope_name: str
    invited: list[str]
    attendees: list[str]
    notes: str
    closed_by: str | None
    closed_on: date | None  # when the minutes were closed
    as_of: date
    items: list[ItemData]
    status_counts: dict[str, int]  # goals in scope by status
    scope_goals: list[ScopeGoal]  # worst first
    carried: list[CommitmentData]  # made earlier in scope and still open when the meeting began
    decisions: list[DecisionData]
    made: list[CommitmentData]  # made in this meeting
    goals: list[GoalData] = field(default_factory=list)  # the agenda's goals, once each
    initiatives: list[InitiativeBrief] = field(default_factory=list)  # serving agenda goals

    @property
    def absent(self) -> list[str]:
        came = set(self.attendees)
        return [person for person in self.invited if person not in came]

    @property
    def overdue(self) -> list[CommitmentData]:
        return [c for c in self.carried if c.is_open and (c.days_overdue or 0) > 0]

    @property
    def scope(self) -> str:
        if not self.scope_kind:
            return _("Whole government")
        words = {"objective": _("Objective {code}: {name}"), "pact": _("Pact {code}: {name}")}
        return words.get(self.scope_kind, self.scope_kind.capitalize() + " {code}: {name}").format(
            code=self.scope_code, name=self.scope_name)


def meeting_pack(session: Session, meeting_id: int, as_of: date, *,
                 issuer: str = ISSUER) -> MeetingPack:
    """The pack for meeting ``meeting_id`` as known on ``as_of``; ``MeetingNotFound`` if none."""
    meeting = session.get(ReviewMeeting, meeting_id)
    if meeting is None:
        raise MeetingNotFound(f"meeting: no meeting with id {meeting_id}")
    kind, code, name = _scope(session, meeting)
    scope_ids = meeting_scope_goal_ids(session, meeting)
    statuses = goal_statuses(session, as_of, goal_ids=scope_ids)
    dossiers: dict[int, GoalData] = {}
    items = [_item(session, number, item, as_of, dossiers)
             for number, item in enumerate(meeting.agenda_items, start=1)]
    numbers = {item.id: n for n, item in enumerate(meeting.agenda_items, start=1)}
    titles = {item.id: item.title for item in meeting.agenda_items}
    return MeetingPack(
        issuer=issuer, meeting_id=meeting.id, title=meeting.title, held_on=meeting.held_on,
        state=MeetingState(meeting.state).value, cancelled_reason=meeting.cancelled_reason or "",
        scope_kind=kind, scope_code=code, scope_name=name,
        invited=list(meeting.invited or []), attendees=list(meeting.attendees or []),
        notes=meeting.notes or "", closed_by=meeting.closed_by,
        closed_on=meeting.closed_at.date() if meeting.closed_at else None, as_of=as_of,
        items=items,
        status_counts=dict(Counter(statuses["status"])),
        scope_goals=_scope_goals(statuses, items),
        carried=carried_commitments(session, meeting, scope_ids, as_of),
        decisions=[_decision(session, d, numbers, titles) for d in meeting.decisions],
        made=[_commitment(session, c, as_of) for c in
              sorted(meeting.commitments, key=lambda c: (c.due_on, c.id))],
        goals=list(dossiers.values()),
        initiatives=_initiatives(session, meeting, as_of),
    )


def _initiatives(session: Session, meeting: ReviewMeeting, as_of: date) -> list[InitiativeBrief]:
    """The initiatives on the agenda: those serving a goal an agenda item points at."""
    goal_ids = {item.goal_id for item in meeting.agenda_items if item.goal_id is not None}
    flags = [item.flag_id for item in meeting.agenda_items if item.flag_id is not None]
    if flags:
        goal_ids |= set(session.scalars(select(DataQualityFlag.goal_id).where(
            DataQualityFlag.id.in_(flags))))
    codes = dict(session.execute(select(Goal.id, Goal.code).where(Goal.id.in_(goal_ids))).all())
    return initiative_briefs(session, goal_ids, as_of, codes)


def document_as_of(document: str, held_on: date, today: date) -> date:
    """The day a document is gathered as of: the briefing as known on the meeting day (or
    today, for a meeting still ahead); the follow-up as known today."""
    if document == "briefing":
        return min(held_on, today)
    if document == "followup":
        return today
    raise ValueError(f"document: {document!r} is neither briefing nor followup")


def carried_commitments(session: Session, meeting: ReviewMeeting, scope_ids: set[int],
                        as_of: date) -> list[CommitmentData]:
    """Commitments made in earlier meetings on the scope's goals (or in earlier meetings of
    the same objective or pact) that were still open when this meeting began; with their state
    as of ``as_of``, overdue first."""
    same_scope = (ReviewMeeting.objective_id == meeting.objective_id
                  if meeting.objective_id is not None
                  else ReviewMeeting.pact_id == meeting.pact_id
                  if meeting.pact_id is not None else None)
    conditions = [Commitment.goal_id.in_(scope_ids)] if scope_ids else []
    if same_scope is not None:
        conditions.append(same_scope)
    if not conditions:
        return []
    rows = session.scalars(
        select(Commitment).join(ReviewMeeting, Commitment.meeting_id == ReviewMeeting.id)
        .where(or_(*conditions), ReviewMeeting.held_on < meeting.held_on,
               Commitment.meeting_id != meeting.id,
               or_(Commitment.state == CommitmentState.OPEN, Commitment.closed_on.is_(None),
                   Commitment.closed_on >= meeting.held_on))
        .order_by(Commitment.due_on, Commitment.id))
    found = [_commitment(session, c, as_of) for c in rows]
    return sorted(found, key=lambda c: (not c.is_open, -(c.days_overdue or 0), c.due_on))


def _scope_goals(statuses: pd.DataFrame, items: list[ItemData]) -> list[ScopeGoal]:
    on_agenda: dict[str, int] = {}
    for item in items:
        if item.goal is not None:
            on_agenda.setdefault(item.goal.code, item.number)
    order = {s.value: n for n, s in enumerate(STATUS_ORDER)}
    frame = statuses.assign(_rank=statuses["status"].map(order)).sort_values(
        ["_rank", "code"], kind="stable")
    return [ScopeGoal(code=row.code, name=row.name, owner=_text(row.owner), unit=_text(row.unit),
                      status=row.status, reason=_text(row.reason),
                      latest_value=_number(row.latest_value), latest_on=_day(row.latest_period_end),
                      planned=_number(row.planned), target_value=_number(row.target_value),
                      target_date=_day(row.target_date), item_number=on_agenda.get(row.code))
            for row in frame.itertuples()]


def _scope(session: Session, meeting: ReviewMeeting) -> tuple[str, str, str]:
    if meeting.objective_id is not None:
        objective = session.get(Objective, meeting.objective_id)
        return "objective", objective.code, objective.name
    if meeting.pact_id is not None:
        pact = session.get(Pact, meeting.pact_id)
        return "pact", pact.code, pact.name
    return "", "", ""


def _item(session: Session, number: int, item: AgendaItem, as_of: date,
          dossiers: dict[int, GoalData]) -> ItemData:
    kind = AgendaKind(item.kind)
    flag = session.get(DataQualityFlag, item.flag_id) if item.flag_id is not None else None
    commitment = (session.get(Commitment, item.commitment_id)
                  if item.commitment_id is not None else None)
    goal_id = item.goal_id if item.goal_id is not None else (
        flag.goal_id if flag is not None else None)
    goal = _goal(session, goal_id, as_of, dossiers) if goal_id is not None and kind in (
        AgendaKind.GOAL, AgendaKind.FLAG) else None
    worded = agenda_texts(session, [item], as_of).get(item.id, AgendaText(item.title, item.note))
    return ItemData(
        number=number, kind=kind.value, title=worded.title, note=worded.note or "",
        built=item.added_by == BUILT_BY, goal=goal,
        flag=_flag(session, flag) if flag is not None else None,
        commitment=_commitment(session, commitment, as_of) if commitment is not None else None)


def _goal(session: Session, goal_id: int, as_of: date,
          dossiers: dict[int, GoalData]) -> GoalData | None:
    if goal_id in dossiers:
        return dossiers[goal_id]
    goal = session.get(Goal, goal_id)
    # The briefing prints no budget: an empty spending frame spares the spending report.
    dossier = (goal_dossier(session, as_of, goal.code, spending=NO_SPENDING)
               if goal is not None else None)
    if dossier is None:
        return None
    row = dossier.status
    data = GoalData(
        goal_id=goal.id, code=goal.code, name=goal.name, indicator=goal.indicator,
        unit=goal.unit or "", direction=str(row["direction"]),
        frequency=str(row["frequency"]), owner=_text(row["owner"]),
        status=str(row["status"]), reason=_text(row.get("reason")),
        baseline_value=_number(row["baseline_value"]), baseline_date=_day(row["baseline_date"]),
        latest_value=_number(row["latest_value"]), latest_on=_day(row["latest_period_end"]),
        planned=_number(row["planned"]), target_value=_number(row["target_value"]),
        target_date=_day(row["target_date"]), forecast=dossier.forecast,
        figures=dossier.figures[["on", "value", "provisional"]], current=dossier.current,
        original=dossier.original)
    dossiers[goal_id] = data
    return data


def _flag(session: Session, flag: DataQualityFlag) -> FlagData:
    goal = session.get(Goal, flag.goal_id)
    return FlagData(flag_id=flag.id, kind=flag.kind, reason=flag.reason,
                    evidence=dict(flag.evidence or {}), raised_on=flag.raised_at.date(),
                    state=str(flag.state.value if hasattr(flag.state, "value") else flag.state),
                    goal_code=goal.code, goal_name=goal.name)


def _commitment(session: Session, commitment: Commitment, as_of: date) -> CommitmentData:
    goal = session.get(Goal, commitment.goal_id) if commitment.goal_id is not None else None
    meeting = session.get(ReviewMeeting, commitment.meeting_id)
    closed = (commitment.state != CommitmentState.OPEN
              and (commitment.closed_on is None or commitment.closed_on <= as_of))
    state = CommitmentState(commitment.state).value if closed else CommitmentState.OPEN.value
    return CommitmentData(
        commitment_id=commitment.id, description=commitment.description,
        owner=commitment.owner, due_on=commitment.due_on, state=state,
        closed_on=commitment.closed_on if closed else None,
        closing_note=commitment.closing_note or "" if closed else "",
        goal_code=goal.code if goal else None, goal_name=goal.name if goal else None,
        made_at=meeting.title, made_on=meeting.held_on,
        days_overdue=None if closed else (as_of - commitment.due_on).days,
        evidence_files=evidence_count(session, commitment.id, as_of))


def _decision(session: Session, decision: Decision, numbers: dict[int, int],
              titles: dict[int, str]) -> DecisionData:
    goal = session.get(Goal, decision.goal_id) if decision.goal_id is not None else None
    item = decision.agenda_item_id
    return DecisionData(text=decision.text, item_number=numbers.get(item),
                        item_title=titles.get(item), goal_code=goal.code if goal else None,
                        recorded_by=decision.recorded_by)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _day(value: object) -> date | None:
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value  # type: ignore[return-value]


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
