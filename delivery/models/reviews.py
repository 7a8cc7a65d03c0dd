"""The review routine: meeting series and the meetings they schedule, each meeting's agenda,
attendance, decisions and commitments; likelihood-of-delivery judgements; comments on goals."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delivery.models.base import Base, enum_column, utcnow
from delivery.vocabulary import (
    AgendaKind,
    CommitmentState,
    CommitmentUpdateKind,
    Likelihood,
    MeetingKind,
    MeetingState,
)


class MeetingSeries(Base):
    """A recurring review: the governor's weekly meeting, or one pact's own meetings, held on
    ``weekday`` (0 is Monday) every ``every_weeks`` weeks from ``starts_on``."""

    __tablename__ = "meeting_series"
    __table_args__ = (
        CheckConstraint("(kind = 'pact') = (pact_id IS NOT NULL)", name="pact_series_has_pact"),
        CheckConstraint("weekday BETWEEN 0 AND 6 AND every_weeks >= 1", name="cadence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind))
    pact_id: Mapped[int | None] = mapped_column(ForeignKey("pact.id"), index=True)
    weekday: Mapped[int] = mapped_column(default=0)
    every_weeks: Mapped[int] = mapped_column(default=1)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # Who is invited by default (names or titles); each meeting keeps its own copy.
    invited: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)


class ReviewMeeting(Base):
    """A dated meeting on one objective or one pact: scheduled, then held or cancelled.

    ``invited`` is who was expected, ``attendees`` who came. The minutes (decisions and
    commitments) stay open after the meeting until ``closed_at``.
    """

    __tablename__ = "review_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_series.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"))
    pact_id: Mapped[int | None] = mapped_column(ForeignKey("pact.id"))
    state: Mapped[MeetingState] = mapped_column(
        enum_column(MeetingState), default=MeetingState.SCHEDULED
    )
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    invited: Mapped[list[str]] = mapped_column(JSON, default=list)
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by: Mapped[str | None] = mapped_column(String(120))
    # Set when the analyst starts taking the minutes: the meeting is "in progress" until closed.
    started_at: Mapped[datetime | None] = mapped_column()
    started_by: Mapped[str | None] = mapped_column(String(120))

    commitments: Mapped[list[Commitment]] = relationship(back_populates="meeting")
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="(AgendaItem.position, AgendaItem.id)"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", order_by="Decision.id"
    )

    @property
    def is_held(self) -> bool:
        return self.state is MeetingState.HELD

    @property
    def in_progress(self) -> bool:
        """Started, not cancelled, minutes not closed yet."""
        return (self.started_at is not None and self.closed_at is None
                and self.state is not MeetingState.CANCELLED)


class AgendaItem(Base):
    """One item of a meeting's agenda, in ``position`` order. Built items point at the goal,
    flag, commitment, milestone or risk that put them there (``added_by`` "agenda builder") and
    are worded from it when read (delivery.agenda_texts); ``title`` and ``note`` keep what the
    builder wrote that day. The analyst can add topics and reorder."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meeting.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[AgendaKind] = mapped_column(enum_column(AgendaKind))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("data_quality_flag.id"))
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitment.id"))
    # A delivery plan's late milestone or high risk (topics the agenda builder adds).
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id"))
    risk_id: Mapped[int | None] = mapped_column(ForeignKey("risk.id"))
    title: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(120))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="agenda_items")


class Decision(Base):
    """A decision recorded in a meeting, optionally on one agenda item or goal."""

    __tablename__ = "meeting_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meeting.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="decisions")


class Commitment(Base):
    """Something promised in a meeting; carried forward until done or dropped."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meeting.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    description: Mapped[str] = mapped_column(Text)
    # The owner's name as shown (the account's or the secretariat's, kept with the row so
    # readers need no join; a free-text owner that matched nobody keeps its text).
    owner: Mapped[str] = mapped_column(String(120))
    # Who answers for it: an account (``owner_user_id``), else the secretariat
    # (``owner_secretariat_id``: the one that reports on it, also when an account owns it).
    owner_secretariat_id: Mapped[int | None] = mapped_column(ForeignKey("secretariat.id"))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[CommitmentState] = mapped_column(
        enum_column(CommitmentState), default=CommitmentState.OPEN
    )
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(120))
    closing_note: Mapped[str] = mapped_column(Text, default="")
    # The agenda item it was made on, if any (one of its meeting's; checked by
    # delivery.meetings, no foreign key: agenda items already point at commitments).
    agenda_item_id: Mapped[int | None] = mapped_column()
    # The due date first agreed, kept when an accepted request or a correction moves ``due_on``.
    first_due_on: Mapped[date | None] = mapped_column(Date)

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="commitments")
    updates: Mapped[list[CommitmentUpdate]] = relationship(
        back_populates="commitment", order_by="CommitmentUpdate.id")

    @property
    def original_due_on(self) -> date:
        return self.first_due_on or self.due_on


class CommitmentUpdate(Base):
    """One step of a commitment's follow-up, never changed afterwards: a progress note with
    its evidence, a request for a new due date (with the date it would replace), the delivery
    unit's answer to a request, or a correction of the minutes (``changes``: field -> [before,
    after])."""

    __tablename__ = "commitment_update"
    __table_args__ = (Index("commitment_update_answered_once", "request_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    kind: Mapped[CommitmentUpdateKind] = mapped_column(enum_column(CommitmentUpdateKind))
    text: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    requested_due_on: Mapped[date | None] = mapped_column(Date)
    previous_due_on: Mapped[date | None] = mapped_column(Date)
    # An answer names its request; unique, so a request is answered once.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("commitment_update.id"))
    accepted: Mapped[bool | None] = mapped_column()
    changes: Mapped[dict[str, list]] = mapped_column(JSON, default=dict)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="updates")


class EvidenceFile(Base):
    """A file attached to a progress note as evidence (a signed memo, a photo of the works, a
    spreadsheet), kept in the database with the note. Never changed or deleted (the database
    refuses it, migration 0022): a correction is a new note with the right file.
    ``commitment_id`` repeats the note's so that a download checks access in one look-up."""

    __tablename__ = "evidence_file"
    __table_args__ = (CheckConstraint("size > 0", name="not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("commitment_update.id"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class LikelihoodAssessment(Base):
    """One rater's judgement of the likelihood of delivery of a goal or a pact. Raters assess
    independently; a new judgement is a new row, never an update."""

    __tablename__ = "likelihood_assessment"
    __table_args__ = (
        CheckConstraint("(goal_id IS NULL) <> (pact_id IS NULL)", name="goal_or_pact"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"), index=True)
    pact_id: Mapped[int | None] = mapped_column(ForeignKey("pact.id"), index=True)
    rater: Mapped[str] = mapped_column(String(120))
    assessed_on: Mapped[date] = mapped_column(Date)
    rating: Mapped[Likelihood] = mapped_column(enum_column(Likelihood))
    # The factors of vocabulary.LIKELIHOOD_FACTORS: challenge, planning, implementation,
    # performance_management, capacity, stage; each a rating word or, for stage, a stage name.
    judgements: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    reasons: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class GoalComment(Base):
    """A comment on a goal's page. An edit is a new comment that ``replaces`` the earlier one,
    which stays in the history."""

    __tablename__ = "goal_comment"
    __table_args__ = (Index("goal_comment_replaced_once", "replaces_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    author: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Unique: two edits of the same text at once end with one replacement, not a fork.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("goal_comment.id"))
