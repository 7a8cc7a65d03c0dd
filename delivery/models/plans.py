"""Delivery plans: initiatives (projects, programmes, actions), their milestones, physical
progress reports and risks. How goals are to be delivered; see docs/delivery-plans.md."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delivery.models.base import Base, enum_column, utcnow
from delivery.models.pacts import BudgetAccount, Pact
from delivery.models.strategy import Goal, Secretariat
from delivery.plans.vocabulary import RiskStatus, Stage


class Initiative(Base):
    """A project, programme or action serving one or more goals.

    ``tolerance_days``: how far a milestone's forecast may run past its baseline before the
    milestone is at risk. A cancelled initiative says why in ``cancel_reason``.
    """

    __tablename__ = "initiative"
    __table_args__ = (
        CheckConstraint("tolerance_days >= 0", name="tolerance_not_negative"),
        CheckConstraint("stage <> 'cancelled' OR cancel_reason IS NOT NULL",
                        name="cancel_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    secretariat_id: Mapped[int] = mapped_column(ForeignKey("secretariat.id"), index=True)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    pact_id: Mapped[int | None] = mapped_column(ForeignKey("pact.id"), index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), default=Stage.PLANNED)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    tolerance_days: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    secretariat: Mapped[Secretariat] = relationship()
    pact: Mapped[Pact | None] = relationship()
    goals: Mapped[list[InitiativeGoal]] = relationship(cascade="all, delete-orphan")
    accounts: Mapped[list[InitiativeAccount]] = relationship(cascade="all, delete-orphan")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="initiative", order_by="Milestone.position",
        cascade="all, delete-orphan")
    progress: Mapped[list[ProgressReport]] = relationship(
        order_by="ProgressReport.on", cascade="all, delete-orphan")
    risks: Mapped[list[Risk]] = relationship(back_populates="initiative")

    def __repr__(self) -> str:
        return f"<Initiative {self.code}>"


class InitiativeGoal(Base):
    """A goal the initiative serves, with the weight of its contribution (more than 0)."""

    __tablename__ = "initiative_goal"
    __table_args__ = (CheckConstraint("weight > 0", name="positive_weight"),)

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True, index=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)

    goal: Mapped[Goal] = relationship()


class InitiativeAccount(Base):
    """A budget account (one fiscal year of it) that pays for the initiative, with the share of
    the account that does (0 < share <= 1), as goal-account links have."""

    __tablename__ = "initiative_account"
    __table_args__ = (CheckConstraint("share > 0 AND share <= 1", name="share_range"),)

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_account.id"), primary_key=True)
    share: Mapped[float] = mapped_column(Float, default=1.0)

    account: Mapped[BudgetAccount] = relationship()


class Milestone(Base):
    """A dated step of an initiative. ``baseline_on`` is never changed; ``forecast_on`` is the
    latest of its revisions (``MilestoneRevision``), each with the reason it moved."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("initiative_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    baseline_on: Mapped[date] = mapped_column(Date)
    forecast_on: Mapped[date] = mapped_column(Date)
    actual_on: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(200), default="")

    initiative: Mapped[Initiative] = relationship(back_populates="milestones")
    revisions: Mapped[list[MilestoneRevision]] = relationship(
        order_by="MilestoneRevision.id", cascade="all, delete-orphan")


class MilestoneRevision(Base):
    """One forecast of a milestone: who set it, when and why. Never edited."""

    __tablename__ = "milestone_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id"), index=True)
    forecast_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProgressReport(Base):
    """The initiative's physical completion (0-100 %) reported for a date. A correction is a
    new report; the latest recorded for a date counts."""

    __tablename__ = "progress_report"
    __table_args__ = (
        CheckConstraint("physical_pct >= 0 AND physical_pct <= 100", name="pct_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    physical_pct: Mapped[float] = mapped_column(Float)
    # what explains the figure ("works stopped by rain"), at most 2,000 characters
    # (``delivery.plans.notes``); None: no note
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    reported_by: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Risk(Base):
    """A risk to an initiative or a goal, scored probability x impact (each 1-5)."""

    __tablename__ = "risk"
    __table_args__ = (
        CheckConstraint("probability BETWEEN 1 AND 5", name="probability_range"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
        CheckConstraint("initiative_id IS NOT NULL OR goal_id IS NOT NULL", name="has_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiative.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    probability: Mapped[int] = mapped_column(Integer)
    impact: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(200), default="")
    mitigation: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[RiskStatus] = mapped_column(enum_column(RiskStatus), default=RiskStatus.OPEN)

    initiative: Mapped[Initiative | None] = relationship(back_populates="risks")
    goal: Mapped[Goal | None] = relationship()
