"""The strategy map: secretariats, pillars, objectives (with cause-and-effect links) and goals."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delivery.models.base import Base, enum_column, utcnow
from delivery.vocabulary import Direction, Frequency

if TYPE_CHECKING:
    from delivery.models.trajectory import Trajectory


class Secretariat(Base):
    __tablename__ = "secretariat"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    goals: Mapped[list[Goal]] = relationship(back_populates="owner")

    def __repr__(self) -> str:
        return f"<Secretariat {self.code}>"


class Pillar(Base):
    __tablename__ = "pillar"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    objectives: Mapped[list[Objective]] = relationship(
        back_populates="pillar", order_by="Objective.position"
    )


class Objective(Base):
    """A strategic objective; objectives may contribute to other objectives."""

    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    pillar_id: Mapped[int] = mapped_column(ForeignKey("pillar.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    pillar: Mapped[Pillar] = relationship(back_populates="objectives")
    goals: Mapped[list[Goal]] = relationship(back_populates="objective", order_by="Goal.code")


class ObjectiveLink(Base):
    """Objective ``source`` contributes to objective ``target`` with a weight (cause and effect)."""

    __tablename__ = "objective_link"
    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint("weight > 0", name="positive_weight"),
    )

    source_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)


class Goal(Base):
    """A priority goal: a promise with an owner, an indicator, a baseline and a target.

    ``version`` guards concurrent edits: a save based on an older version is refused.
    """

    __tablename__ = "goal"
    __table_args__ = (
        CheckConstraint(
            "direction <> 'range' OR (target_low IS NOT NULL AND target_high IS NOT NULL"
            " AND target_low <= target_high)",
            name="range_has_band",
        ),
        CheckConstraint("tolerance >= 0 AND off_track_tolerance >= tolerance", name="bands"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("secretariat.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(60), default="")
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency))
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_date: Mapped[date | None] = mapped_column(Date)
    # For RANGE goals: the acceptable band at the deadline; target_value is its midpoint.
    target_low: Mapped[float | None] = mapped_column(Float)
    target_high: Mapped[float | None] = mapped_column(Float)
    # Shortfall against the trajectory, as a share of the planned change, that still counts as
    # on track (tolerance) and beyond which the goal is off track (off_track_tolerance).
    tolerance: Mapped[float] = mapped_column(Float, default=0.05)
    off_track_tolerance: Mapped[float] = mapped_column(Float, default=0.15)
    # Days after a period ends before its figure is late; empty means one reporting period.
    reporting_lag_days: Mapped[int | None] = mapped_column(Integer)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    is_output: Mapped[bool] = mapped_column(Boolean, default=False)  # enables cost per unit
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    objective: Mapped[Objective] = relationship(back_populates="goals")
    owner: Mapped[Secretariat | None] = relationship(back_populates="goals")
    trajectories: Mapped[list[Trajectory]] = relationship(
        back_populates="goal", order_by="Trajectory.version"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Goal {self.code}>"


class SiteMeta(Base):
    """Small key-value facts about this installation (e.g. the demo's fixed review date)."""

    __tablename__ = "site_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "Goal",
    "Objective",
    "ObjectiveLink",
    "Pillar",
    "Secretariat",
    "SiteMeta",
]
