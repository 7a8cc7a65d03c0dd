"""Commitments followed up after the meeting that made them, and the minutes while a meeting
is in progress.

Rules, each change a new ``CommitmentUpdate`` row that is never changed afterwards:

- **Progress notes.** The owner (or the delivery unit) records how it goes, with optional
  evidence: a link (http or https), a text (a document's reference, a figure) and/or files
  (``delivery.evidence_files``: a signed memo, a photo, a spreadsheet). A note needs a text or
  evidence. Notes may be added to a closed commitment too (evidence of what
  was done), never to a dropped one.
- **A new due date.** The owner asks for a new date, saying why; one request waits at a time.
  The delivery unit (analysts, admins) accepts or refuses it, with a note (required when
  refusing). Accepting moves ``due_on``; the first agreed date stays in ``first_due_on`` and
  each request keeps the date it would replace.
- **In progress.** An analyst starts a scheduled meeting (``start_meeting``): it reads "in
  progress" until its minutes are closed; decisions and commitments may be recorded and
  corrected until then.
- **Corrections.** While its meeting's minutes are open a commitment's description, owner, due
  date, goal and agenda item may be corrected; the row records each field's before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from delivery.clock import stamp_now
from delivery.dates import EARLIEST, LATEST
from delivery.db import query_frame
from delivery.evidence_files import Upload, store
from delivery.i18n import _
from delivery.inbox.owners import Owner
from delivery.meetings import _check_open
from delivery.models import (
    AgendaItem,
    Commitment,
    CommitmentUpdate,
    Goal,
    ReviewMeeting,
)
from delivery.status import format_date
from delivery.vocabulary import CommitmentState, CommitmentUpdateKind, MeetingState

MAX_TEXT = 4000
MAX_URL = 500


@dataclass(frozen=True)
class Pending:
    """A request for a new date waiting for an answer."""

    request_id: int
    commitment_id: int
    requested_due_on: date
    previous_due_on: date
    reason: str
    by: str


def _clean(text: Any, field: str, limit: int = MAX_TEXT) -> str:
    value = text.strip() if isinstance(text, str) else ""
    if len(value) > limit:
        raise ValueError(_("{field}: at most {n} characters").format(field=field, n=limit))
    return value


def _url(text: Any) -> str:
    url = _clean(text, _("link"), MAX_URL)
    if url and not (url.lower().startswith(("https://", "http://")) and len(url) > 8
                    and not any(c.isspace() for c in url)):
        raise ValueError(_("link: {url} is not a web address starting with https://").format(
            url=repr(url[:60])))
    return url


def _row(session: Session, commitment: Commitment, kind: CommitmentUpdateKind, by: str,
         **fields: Any) -> CommitmentUpdate:
    session.info["actor"] = by
    update = CommitmentUpdate(commitment_id=commitment.id, kind=kind, recorded_by=by,
                              recorded_at=stamp_now(session), **fields)
    session.add(update)
    session.flush()
    return update


def add_progress_note(session: Session, commitment: Commitment, text: Any = "", *, by: str,
                      evidence_url: Any = "", evidence_text: Any = "",
                      files: Sequence[Upload] = ()) -> CommitmentUpdate:
    """A progress note on ``commitment`` with optional evidence (see the module docstring);
    ``files``: checked by ``delivery.evidence_files.check_uploads``, kept with the note."""
    note = _clean(text, _("note"))
    url, evidence = _url(evidence_url), _clean(evidence_text, _("evidence"))
    if not (note or url or evidence or files):
        raise ValueError(_("note: write how it goes, or give evidence"))
    if commitment.state is CommitmentState.DROPPED:
        raise ValueError(_("state: the commitment was dropped"))
    update = _row(session, commitment, CommitmentUpdateKind.NOTE, by, text=note,
                  evidence_url=url, evidence_text=evidence)
    store(session, update, files, by=by)
    return update


def pending_request(session: Session, commitment_id: int) -> CommitmentUpdate | None:
    """The commitment's request for a new date still waiting for an answer, if any."""
    answer = aliased(CommitmentUpdate)
    answered = select(answer.request_id).where(answer.request_id.is_not(None))
    return session.scalars(select(CommitmentUpdate).where(
        CommitmentUpdate.commitment_id == commitment_id,
        CommitmentUpdate.kind == CommitmentUpdateKind.DATE_REQUEST,
        CommitmentUpdate.id.not_in(answered)).order_by(CommitmentUpdate.id)).first()


def request_new_date(session: Session, commitment: Commitment, new_due_on: Any, reason: Any,
                     *, by: str) -> CommitmentUpdate:
    """Ask for ``new_due_on`` instead of the commitment's due date, saying why."""
    if commitment.state is not CommitmentState.OPEN:
        raise ValueError(_("state: the commitment is already {state}").format(
            state=commitment.state.label))
    if not isinstance(new_due_on, date) or not EARLIEST <= new_due_on <= LATEST:
        raise ValueError(_("new date: pick a date between {first} and {last}").format(
            first=EARLIEST.year, last=LATEST.year))
    if new_due_on == commitment.due_on:
        raise ValueError(_("new date: {date} is already the due date").format(
            date=format_date(new_due_on)))
    made = commitment.meeting.held_on
    if new_due_on < made:
        raise ValueError(_("new date: {date} is before the commitment was made ({made})").format(
            date=format_date(new_due_on), made=format_date(made)))
    why = _clean(reason, _("reason"))
    if not why:
        raise ValueError(_("reason: say why a new date is needed"))
    waiting = pending_request(session, commitment.id)
    if waiting is not None:
        raise ValueError(_("request: one is already waiting for an answer ({date})").format(
            date=format_date(waiting.requested_due_on)))
    return _row(session, commitment, CommitmentUpdateKind.DATE_REQUEST, by, text=why,
                requested_due_on=new_due_on, previous_due_on=commitment.due_on)


def answer_date_request(session: Session, request: CommitmentUpdate, accept: bool, *,
                        note: Any = "", by: str) -> CommitmentUpdate:
    """Accept (the due date moves, the first one kept) or refuse (a note says why) a request."""
    if request.kind is not CommitmentUpdateKind.DATE_REQUEST:
        raise ValueError(_("request: not a request for a new date"))
    if pending_request(session, request.commitment_id) is not request:
        raise ValueError(_("request: already answered"))
    commitment = request.commitment
    text = _clean(note, _("note"))
    if not accept and not text:
        raise ValueError(_("note: say why the request is refused"))
    if accept and commitment.state is not CommitmentState.OPEN:
        raise ValueError(_("state: the commitment is already {state}").format(
            state=commitment.state.label))
    answer = _row(session, commitment, CommitmentUpdateKind.DATE_ANSWER, by, text=text,
                  request_id=request.id, accepted=bool(accept),
                  requested_due_on=request.requested_due_on, previous_due_on=commitment.due_on)
    if accept:
        commitment.first_due_on = commitment.original_due_on
        commitment.due_on = request.requested_due_on
        session.flush()
    return answer


# -- the meeting in progress and its corrections ----------------------------------------------


def start_meeting(session: Session, meeting: ReviewMeeting, *, by: str) -> None:
    """The minutes are being taken: the meeting reads "in progress" until closed."""
    _check_open(meeting)
    if meeting.state is MeetingState.CANCELLED:
        raise ValueError(_("state: the meeting was cancelled"))
    if meeting.started_at is not None:
        raise ValueError(_("state: already in progress since {date}").format(
            date=format_date(meeting.started_at.date())))
    session.info["actor"] = by
    at = stamp_now(session)
    meeting.started_at, meeting.started_by = at, by
    session.flush()


EDITABLE = ("description", "owner", "owner_user_id", "owner_secretariat_id", "due_on",
            "goal_id", "agenda_item_id")


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def correct_commitment(session: Session, commitment: Commitment, *, by: str,
                       description: Any = None, owner: Owner | None = None,
                       due_on: date | None = None, goal_id: Any = ...,
                       agenda_item_id: Any = ...) -> CommitmentUpdate | None:
    """Correct a commitment of the minutes while they are open (what is not given stays);
    None when nothing changes. The row records each changed field's before and after."""
    meeting = commitment.meeting
    _check_open(meeting)
    if commitment.state is not CommitmentState.OPEN:
        raise ValueError(_("state: the commitment is already {state}").format(
            state=commitment.state.label))
    wanted: dict[str, Any] = {}
    if description is not None:
        text = _clean(description, _("description"), 2000)
        if not text:
            raise ValueError(_("description: required"))
        wanted["description"] = text
    if owner is not None:
        if not owner.label.strip():
            raise ValueError(_("owner: required"))
        wanted.update(owner=owner.label.strip()[:120], owner_user_id=owner.user_id,
                      owner_secretariat_id=owner.secretariat_id
                      or commitment.owner_secretariat_id)
    if due_on is not None:
        if not isinstance(due_on, date) or not EARLIEST <= due_on <= LATEST:
            raise ValueError(_("due date: required"))
        if due_on < meeting.held_on:
            raise ValueError(_("due date: {date} is before the meeting ({held})").format(
                date=format_date(due_on), held=format_date(meeting.held_on)))
        wanted["due_on"] = due_on
    if goal_id is not ...:
        if goal_id is not None and session.get(Goal, goal_id) is None:
            raise ValueError(_("goal: no goal {id}").format(id=goal_id))
        wanted["goal_id"] = goal_id
    if agenda_item_id is not ...:
        check_agenda_item(meeting, agenda_item_id)
        wanted["agenda_item_id"] = agenda_item_id
    changes = {f: [_shown(getattr(commitment, f)), _shown(v)] for f, v in wanted.items()
               if getattr(commitment, f) != v}
    if not changes:
        return None
    if "due_on" in changes:
        commitment.first_due_on = commitment.original_due_on
    for field, value in wanted.items():
        setattr(commitment, field, value)
    return _row(session, commitment, CommitmentUpdateKind.EDIT, by, changes=changes)


def check_agenda_item(meeting: ReviewMeeting, agenda_item_id: Any) -> None:
    if agenda_item_id is not None and agenda_item_id not in {i.id for i in meeting.agenda_items}:
        raise ValueError(_("agenda item: {id} is not on this meeting's agenda").format(
            id=agenda_item_id))


# -- reading -------------------------------------------------------------------------------

HISTORY_COLUMNS = ["update_id", "kind", "text", "evidence_url", "evidence_text",
                   "requested_due_on", "previous_due_on", "request_id", "accepted", "changes",
                   "recorded_by", "recorded_at"]


def history(session: Session, commitment_id: int) -> pd.DataFrame:
    """The commitment's follow-up, oldest first (``HISTORY_COLUMNS``; ``kind`` as its value)."""
    rows = session.scalars(select(CommitmentUpdate).where(
        CommitmentUpdate.commitment_id == commitment_id).order_by(CommitmentUpdate.id)).all()
    return pd.DataFrame([(u.id, u.kind.value, u.text, u.evidence_url, u.evidence_text,
                          u.requested_due_on, u.previous_due_on, u.request_id, u.accepted,
                          u.changes, u.recorded_by, u.recorded_at) for u in rows],
                        columns=HISTORY_COLUMNS)


def pending_requests(session: Session, commitment_ids: list[int] | None = None
                     ) -> dict[int, Pending]:
    """The requests waiting for an answer, by commitment (of ``commitment_ids`` if given)."""
    answer = aliased(CommitmentUpdate)
    query = (select(CommitmentUpdate.id, CommitmentUpdate.commitment_id,
                    CommitmentUpdate.requested_due_on, CommitmentUpdate.previous_due_on,
                    CommitmentUpdate.text, CommitmentUpdate.recorded_by)
             .where(CommitmentUpdate.kind == CommitmentUpdateKind.DATE_REQUEST,
                    CommitmentUpdate.id.not_in(select(answer.request_id).where(
                        answer.request_id.is_not(None))))
             .order_by(CommitmentUpdate.id))
    if commitment_ids is not None:
        query = query.where(CommitmentUpdate.commitment_id.in_(commitment_ids))
    return {row[1]: Pending(*row) for row in session.execute(query)}


def last_notes(session: Session, commitment_ids: list[int]) -> dict[int, tuple[str, Any]]:
    """Each commitment's latest progress note: (text or evidence, recorded_at)."""
    frame = query_frame(session, select(CommitmentUpdate.commitment_id, CommitmentUpdate.text,
                                        CommitmentUpdate.evidence_url,
                                        CommitmentUpdate.evidence_text,
                                        CommitmentUpdate.recorded_at)
                        .where(CommitmentUpdate.kind == CommitmentUpdateKind.NOTE,
                               CommitmentUpdate.commitment_id.in_(commitment_ids))
                        .order_by(CommitmentUpdate.id),
                        ["commitment_id", "text", "url", "evidence", "at"])
    latest = frame.drop_duplicates("commitment_id", keep="last")
    return {int(r.commitment_id): (r.text or r.evidence or r.url, r.at)
            for r in latest.itertuples()}


def agenda_titles(session: Session, meeting_id: int) -> dict[int, str]:
    return dict(session.execute(select(AgendaItem.id, AgendaItem.title).where(
        AgendaItem.meeting_id == meeting_id)).all())
