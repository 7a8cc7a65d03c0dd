"""The review routine: meetings scheduled from their series, agendas built from the data, the
minutes (attendance, decisions, commitments). Commitments carried forward until closed and the
routine's own health are read in ``delivery.routine_health``.

Rules, with the clock passed in:

- **Schedule.** A series meets on ``weekday`` every ``every_weeks`` weeks from its first such
  weekday on or after ``starts_on`` (until ``ends_on``). ``schedule_meetings`` adds the meetings
  missing up to a date; a meeting of the series already in the same Monday-to-Sunday week
  counts as that occurrence (a meeting moved within its week is not scheduled twice). The
  governor's meetings take the objectives in turn, the turn of ``delivery.review.rotation_index``
  (so the review screen's focus and the schedule agree); a pact's meetings are on the pact.
- **Agenda.** Built from the meeting's scope (the objective's goals, or the pact's goals): the
  goals off track, then slipping, worst shortfall first; the data-quality flags open on scope
  goals; the commitments open on the day, made at earlier meetings on the same goals (or, with
  no goal, the same objective or pact), due within 7 days of the meeting or overdue. Building
  again adds only what is missing, after what is there: the analyst's topics and order stay.
- **Minutes.** Attendance, decisions and commitments may be recorded until the minutes are
  closed; a closed meeting refuses changes (``MeetingClosed``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from delivery.assessment import goal_statuses
from delivery.clock import review_date, stamp_now
from delivery.figures import known_by
from delivery.i18n import _, _n
from delivery.inbox.owners import Owner
from delivery.models import (
    AgendaItem,
    Commitment,
    DataQualityFlag,
    Decision,
    Goal,
    MeetingSeries,
    Objective,
    Pact,
    PactGoal,
    Pillar,
    ReviewMeeting,
    Secretariat,
)
from delivery.plans.routine import plan_agenda_items
from delivery.review import most_off_track, rotation_index, week_number
from delivery.routine_health import open_commitments
from delivery.status import format_date
from delivery.vocabulary import (
    AgendaKind,
    CommitmentState,
    FlagState,
    MeetingKind,
    MeetingState,
    Status,
    flag_kind_label,
)

BUILDER = "agenda builder"
AHEAD_DAYS = 7  # the agenda lists commitments due up to a week after the meeting


class MeetingClosed(ValueError):
    """The meeting's minutes are closed: its agenda, decisions and commitments are final."""


# -- schedule ------------------------------------------------------------------------------


def occurrences(series: MeetingSeries, through: date) -> Iterator[date]:
    """The dates the series meets on, from its start up to ``through`` (and its end)."""
    day = series.starts_on + timedelta(days=(series.weekday - series.starts_on.weekday()) % 7)
    last = min(through, series.ends_on) if series.ends_on else through
    while day <= last:
        yield day
        day += timedelta(weeks=series.every_weeks)


def objectives_in_map_order(session: Session) -> list[Objective]:
    return list(session.scalars(select(Objective).join(Pillar)
                                .order_by(Pillar.position, Objective.position)))


def schedule_meetings(session: Session, through: date) -> list[ReviewMeeting]:
    """Add every active series' missing meetings up to ``through``; return the new ones, by
    date. Running it again adds nothing."""
    objectives = objectives_in_map_order(session)
    created = []
    for series in session.scalars(select(MeetingSeries).where(MeetingSeries.is_active)
                                  .order_by(MeetingSeries.id)):
        taken = {week_number(d) for d in session.scalars(
            select(ReviewMeeting.held_on).where(ReviewMeeting.series_id == series.id))}
        for day in occurrences(series, through):
            if week_number(day) not in taken:
                created.append(_new_meeting(session, series, day, objectives))
                taken.add(week_number(day))
    session.add_all(created)
    session.flush()
    return sorted(created, key=lambda m: (m.held_on, m.id))


def _new_meeting(session: Session, series: MeetingSeries, day: date,
                 objectives: list[Objective]) -> ReviewMeeting:
    meeting = ReviewMeeting(series_id=series.id, held_on=day, invited=list(series.invited),
                            state=MeetingState.SCHEDULED)
    if series.kind is MeetingKind.PACT:
        pact = session.get(Pact, series.pact_id)
        meeting.pact_id = series.pact_id
        meeting.title = _("{pact}: review").format(pact=pact.name if pact else _("Pact"))
        return meeting
    turn = rotation_index(day, len(objectives))
    objective = objectives[turn] if turn is not None else None
    meeting.objective_id = objective.id if objective else None
    meeting.title = (_("Weekly review: {objective}").format(objective=objective.name)
                     if objective else _("Weekly review"))
    return meeting


# -- agenda --------------------------------------------------------------------------------


def meeting_scope_goal_ids(session: Session, meeting: ReviewMeeting) -> set[int]:
    """The goals a meeting looks at: its objective's goals, or its pact's goals."""
    if meeting.objective_id is not None:
        query = select(Goal.id).where(Goal.objective_id == meeting.objective_id)
    elif meeting.pact_id is not None:
        query = select(PactGoal.goal_id).where(PactGoal.pact_id == meeting.pact_id)
    else:
        return set()
    return set(session.scalars(query))


def _check_open(meeting: ReviewMeeting) -> None:
    if meeting.closed_at is not None:
        raise MeetingClosed(_("meeting: the minutes of {title} ({date}) are closed").format(
            title=meeting.title, date=format_date(meeting.held_on)))


def _key(item: AgendaItem) -> tuple:
    """What makes an agenda item the same item again: what it points at; a topic that points
    at nothing (typed, or built before topics pointed at their milestone or risk) is its title."""
    kind = AgendaKind(item.kind)
    pointed = (item.milestone_id, item.risk_id) != (None, None)
    return (kind, item.goal_id, item.flag_id, item.commitment_id, item.milestone_id,
            item.risk_id, item.title if kind == AgendaKind.TOPIC and not pointed else "")


def build_agenda(session: Session, meeting: ReviewMeeting, as_of: date, *,
                 by: str = BUILDER, statuses: pd.DataFrame | None = None) -> list[AgendaItem]:
    """(Re)build the meeting's agenda from its scope as known on ``as_of`` (see the module
    docstring); items already there are kept in their order and not added twice. Returns the
    agenda in order. ``statuses``: a ``goal_statuses`` frame as of ``as_of`` to reuse (when
    building several agendas from the same day's data)."""
    _check_open(meeting)
    session.info["actor"] = by
    scope = meeting_scope_goal_ids(session, meeting)
    if statuses is None:
        statuses = goal_statuses(session, as_of, goal_ids=scope) if scope else None
    have = {_key(i) for i in meeting.agenda_items}
    items = [*_goal_items(statuses, scope), *_flag_items(session, scope, as_of),
             *_commitment_items(session, meeting, scope, as_of),
             *plan_agenda_items(session, scope, as_of)]
    position = max((i.position for i in meeting.agenda_items), default=-1) + 1
    now = stamp_now(session)
    for item in items:
        if _key(item) in have:
            continue
        item.position, item.added_by, item.added_at = position, BUILDER, now
        meeting.agenda_items.append(item)
        position += 1
    session.flush()
    return agenda(meeting)


def agenda(meeting: ReviewMeeting) -> list[AgendaItem]:
    return sorted(meeting.agenda_items, key=lambda i: (i.position, i.id or 0))


def _goal_items(statuses: pd.DataFrame | None, scope: set[int]) -> list[AgendaItem]:
    if statuses is None or not scope:
        return []
    worst = most_off_track(statuses[statuses["goal_id"].isin(list(scope))], n=len(scope))
    return [AgendaItem(kind=AgendaKind.GOAL, goal_id=int(row.goal_id),
                       title=f"{row.name} ({row.code}): {Status(row.status).label.lower()}",
                       note=row.reason) for row in worst.itertuples()]


def _flag_items(session: Session, scope: set[int], as_of: date) -> list[AgendaItem]:
    cutoff = known_by(as_of)
    flags = session.execute(
        select(DataQualityFlag, Goal.code).join(Goal, DataQualityFlag.goal_id == Goal.id)
        .where(DataQualityFlag.goal_id.in_(scope), DataQualityFlag.raised_at < cutoff,
               or_(DataQualityFlag.state == FlagState.OPEN,
                   DataQualityFlag.resolved_at >= cutoff))
        .order_by(DataQualityFlag.raised_at, DataQualityFlag.id)).all()
    return [AgendaItem(kind=AgendaKind.FLAG, goal_id=flag.goal_id, flag_id=flag.id,
                       title=_("Data quality, {code}: {kind}").format(
                           code=code, kind=flag_kind_label(flag.kind).lower()),
                       note=flag.reason) for flag, code in flags]


def _commitment_items(session: Session, meeting: ReviewMeeting, scope: set[int],
                      as_of: date) -> list[AgendaItem]:
    frame = open_commitments(session, as_of, with_carried=False)
    same_subject = ((frame["objective_id"] == meeting.objective_id) if meeting.objective_id
                    else (frame["pact_id"] == meeting.pact_id) if meeting.pact_id
                    else pd.Series(False, index=frame.index))
    in_scope = frame["goal_id"].isin(list(scope)) | (frame["goal_id"].isna() & same_subject)
    horizon = pd.Timestamp(meeting.held_on + timedelta(days=AHEAD_DAYS))
    due = (pd.to_datetime(frame["due_on"]) <= horizon) & (
        pd.to_datetime(frame["made_on"]) < pd.Timestamp(meeting.held_on))
    items = []
    for row in frame[in_scope & due].itertuples():
        late = (meeting.held_on - row.due_on).days
        when = (_n("{n} day overdue", "{n} days overdue", late).format(n=late) if late > 0
                else _("due on the day") if late == 0
                else _n("due in {n} day", "due in {n} days", -late).format(n=-late))
        items.append(AgendaItem(
            kind=AgendaKind.COMMITMENT, commitment_id=int(row.commitment_id),
            goal_id=None if pd.isna(row.goal_id) else int(row.goal_id),
            title=_("Commitment: {description}").format(description=row.description),
            note=_("{owner}, due {date} ({when}); promised at {meeting}, {made}").format(
                owner=row.owner, date=format_date(row.due_on), when=when, meeting=row.meeting,
                made=format_date(row.made_on))))
    return items


def add_topic(session: Session, meeting: ReviewMeeting, title: str, *, note: str = "",
              by: str) -> AgendaItem:
    """Append a topic of the analyst's own to the agenda."""
    _check_open(meeting)
    if not title.strip():
        raise ValueError(_("title: required"))
    session.info["actor"] = by
    item = AgendaItem(kind=AgendaKind.TOPIC, title=title.strip(), note=note, added_by=by,
                      position=len(meeting.agenda_items), added_at=stamp_now(session))
    meeting.agenda_items.append(item)
    _renumber(agenda(meeting))
    session.flush()
    return item


def move_agenda_item(session: Session, item: AgendaItem, position: int, *, by: str) -> None:
    """Put ``item`` at ``position`` (0 is first); the others keep their order, renumbered."""
    meeting = item.meeting
    _check_open(meeting)
    items = [i for i in agenda(meeting) if i is not item]
    if not 0 <= position <= len(items):
        raise ValueError(_("position: must be between 0 and {last}").format(last=len(items)))
    session.info["actor"] = by
    items.insert(position, item)
    _renumber(items)
    session.flush()


def remove_agenda_item(session: Session, item: AgendaItem, *, by: str) -> None:
    """Take ``item`` off the agenda (while the minutes are open)."""
    meeting = item.meeting
    _check_open(meeting)
    if any(d.agenda_item_id == item.id for d in meeting.decisions):
        raise ValueError(_("item: decisions were recorded on {title}").format(
            title=repr(item.title)))
    if any(c.agenda_item_id == item.id for c in meeting.commitments):
        raise ValueError(_("item: commitments were made on {title}").format(
            title=repr(item.title)))
    session.info["actor"] = by
    meeting.agenda_items.remove(item)
    session.delete(item)
    _renumber(agenda(meeting))
    session.flush()


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position


# -- minutes -------------------------------------------------------------------------------


def record_attendance(session: Session, meeting: ReviewMeeting, attendees: list[str], *,
                      by: str) -> None:
    """Who came (blank names dropped, each name once, in the order given)."""
    _check_open(meeting)
    session.info["actor"] = by
    meeting.attendees = list(dict.fromkeys(a.strip() for a in attendees if a.strip()))
    session.flush()


def record_decision(session: Session, meeting: ReviewMeeting, text: str, *, by: str,
                    agenda_item_id: int | None = None, goal_id: int | None = None) -> Decision:
    _check_open(meeting)
    if not text.strip():
        raise ValueError(_("text: required"))
    if agenda_item_id is not None and agenda_item_id not in {i.id for i in meeting.agenda_items}:
        raise ValueError(_("agenda item: {id} is not on this meeting's agenda").format(
            id=agenda_item_id))
    session.info["actor"] = by
    decision = Decision(meeting_id=meeting.id, text=text.strip(), recorded_by=by,
                        agenda_item_id=agenda_item_id, goal_id=goal_id,
                        recorded_at=stamp_now(session))
    meeting.decisions.append(decision)
    session.flush()
    return decision


def record_commitment(session: Session, meeting: ReviewMeeting, *, description: str,
                      owner: str | Owner, due_on: date, by: str, goal_id: int | None = None,
                      owner_secretariat_id: int | None = None,
                      agenda_item_id: int | None = None) -> Commitment:
    """A commitment made at the meeting: what, who, by when (not before the meeting), on
    one of its agenda items (``agenda_item_id``) if given.

    ``owner``: an account or a secretariat (``delivery.inbox.owners.resolve_owner``); a plain
    name is kept as it is, answered for by ``owner_secretariat_id``."""
    if isinstance(owner, Owner):
        owner_secretariat_id = owner.secretariat_id or owner_secretariat_id
        owner_user_id, owner = owner.user_id, owner.label
    else:
        owner_user_id = None
    _check_open(meeting)
    if meeting.state is MeetingState.CANCELLED:
        raise ValueError(_("meeting: cancelled meetings make no commitments"))
    if not description.strip():
        raise ValueError(_("description: required"))
    if not owner.strip():
        raise ValueError(_("owner: required"))
    if not isinstance(due_on, date):
        raise ValueError(_("due date: required"))
    if due_on < meeting.held_on:
        raise ValueError(_("due date: {date} is before the meeting ({held})").format(
            date=format_date(due_on), held=format_date(meeting.held_on)))
    if goal_id is not None and session.get(Goal, goal_id) is None:
        raise ValueError(_("goal: no goal {id}").format(id=goal_id))
    if owner_secretariat_id is not None and session.get(Secretariat, owner_secretariat_id) is None:
        raise ValueError(_("secretariat: no secretariat {id}").format(id=owner_secretariat_id))
    if agenda_item_id is not None and agenda_item_id not in {i.id for i in meeting.agenda_items}:
        raise ValueError(_("agenda item: {id} is not on this meeting's agenda").format(
            id=agenda_item_id))
    session.info["actor"] = by
    commitment = Commitment(description=description.strip(), owner=owner.strip()[:120],
                            due_on=due_on, goal_id=goal_id, owner_user_id=owner_user_id,
                            owner_secretariat_id=owner_secretariat_id,
                            agenda_item_id=agenda_item_id, state=CommitmentState.OPEN)
    meeting.commitments.append(commitment)
    session.flush()
    return commitment


def close_meeting(session: Session, meeting: ReviewMeeting, *, by: str,
                  at: datetime | None = None) -> None:
    """Close the minutes: the meeting was held and its record is now final (``at``: by
    default the clock's, the pinned day in the demo)."""
    _check_open(meeting)
    if meeting.state is MeetingState.CANCELLED:
        raise ValueError(_("state: a cancelled meeting has no minutes to close"))
    session.info["actor"] = by
    at = at or stamp_now(session)  # before the changes: reading the clock may flush
    meeting.state, meeting.closed_at, meeting.closed_by = MeetingState.HELD, at, by
    session.flush()


def cancel_meeting(session: Session, meeting: ReviewMeeting, reason: str, *, by: str) -> None:
    """Cancel a scheduled meeting, saying why (the routine's health counts it)."""
    if meeting.state is not MeetingState.SCHEDULED:
        raise ValueError(_("state: the meeting is already {state}").format(
            state=meeting.state.label))
    if not reason.strip():
        raise ValueError(_("reason: required"))
    session.info["actor"] = by
    meeting.state, meeting.cancelled_reason = MeetingState.CANCELLED, reason.strip()
    session.flush()


def close_commitment(session: Session, commitment: Commitment, state: CommitmentState | str,
                     on: date | None = None, *, note: str = "", by: str) -> None:
    """Mark an open commitment done or dropped on ``on``, by default the review date
    (dropping needs a note saying why)."""
    on = on or review_date(session)
    try:
        state = CommitmentState(state)
    except ValueError:
        raise ValueError(_("state: {state} is not done or dropped").format(
            state=repr(state))) from None
    if state is CommitmentState.OPEN:
        raise ValueError(_("state: close as done or dropped"))
    if commitment.state is not CommitmentState.OPEN:
        raise ValueError(_("state: already {state} on {date}").format(
            state=commitment.state.label,
            date=format_date(commitment.closed_on) if commitment.closed_on else "?"))
    if state is CommitmentState.DROPPED and not note.strip():
        raise ValueError(_("note: say why the commitment is dropped"))
    if on < commitment.meeting.held_on:
        raise ValueError(_("on: {date} is before the commitment was made ({made})").format(
            date=format_date(on), made=format_date(commitment.meeting.held_on)))
    session.info["actor"] = by
    commitment.state, commitment.closed_on = state, on
    commitment.closed_by, commitment.closing_note = by, note.strip()
    session.flush()
