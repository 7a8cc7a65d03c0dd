"""Trajectories: the planned path from baseline to target, one row per version, never edited."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delivery.models.base import Base, enum_column, utcnow
from delivery.vocabulary import Shape

if TYPE_CHECKING:
    from delivery.models.strategy import Goal


class Trajectory(Base):
    """One version of a goal's trajectory. Version 1 is the original promise.

    A version is in force from ``approved_at`` until a later version is approved; one that is
    proposed but not approved (``approved_at`` empty) is never in force, and one rejected
    (``rejected_at``, with the reason) never will be. Its milestones are never changed.
    """

    __tablename__ = "trajectory"
    __table_args__ = (UniqueConstraint("goal_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    shape: Mapped[Shape] = mapped_column(enum_column(Shape))
    proposed_by: Mapped[str] = mapped_column(String(120))
    approved_by: Mapped[str | None] = mapped_column(String(120))
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column()
    rejected_by: Mapped[str | None] = mapped_column(String(120))
    rejected_at: Mapped[datetime | None] = mapped_column()
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_by: Mapped[str | None] = mapped_column(String(120))
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    restates_past: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    goal: Mapped[Goal] = relationship(back_populates="trajectories")
    points: Mapped[list[TrajectoryPoint]] = relationship(
        order_by="TrajectoryPoint.on", cascade="all, delete-orphan"
    )

    def milestones(self) -> list[tuple[date, float]]:
        return [(p.on, p.value) for p in self.points]


class TrajectoryPoint(Base):
    __tablename__ = "trajectory_point"

    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id"), primary_key=True)
    on: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
