"""Review meetings, the commitments made in them, and likelihood-of-delivery judgements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delivery.models.base import Base, enum_column, utcnow
from delivery.vocabulary import CommitmentState, Likelihood


class ReviewMeeting(Base):
    """A dated meeting on one objective or one pact."""

    __tablename__ = "review_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"))
    pact_id: Mapped[int | None] = mapped_column(ForeignKey("pact.id"))
    agenda: Mapped[list[str]] = mapped_column(JSON, default=list)
    attendees: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    is_held: Mapped[bool] = mapped_column(default=False)

    commitments: Mapped[list[Commitment]] = relationship(back_populates="meeting")


class Commitment(Base):
    """Something promised in a meeting; carried forward until done or dropped."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meeting.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    owner_secretariat_id: Mapped[int | None] = mapped_column(ForeignKey("secretariat.id"))
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[CommitmentState] = mapped_column(
        enum_column(CommitmentState), default=CommitmentState.OPEN
    )
    closed_on: Mapped[date | None] = mapped_column(Date)

    meeting: Mapped[ReviewMeeting] = relationship(back_populates="commitments")


class LikelihoodAssessment(Base):
    """One rater's judgement of the likelihood of delivery of a goal or a pact."""

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
    # Sub-judgements (challenge, planning, implementation, capacity, stage...) as free keys.
    judgements: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    reasons: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
