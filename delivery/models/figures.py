"""Progress figures (append-only revisions) and the data-quality flags raised on them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from delivery.models.base import Base, enum_column, utcnow
from delivery.vocabulary import FlagState


class Figure(Base):
    """One revision of the value of a goal's indicator for one period.

    Rows are only ever added: a correction or a consolidation is a new row with the next
    ``revision`` for the same goal and period. ``recorded_at`` is the moment the row was stored
    (the audit trail's, never set by a person); ``known_on`` is the day the figure became known
    (published, reported): the same day, unless an import backfilled history. What the unit
    knew on a date is, per goal and period, the highest revision known on that date.
    """

    __tablename__ = "figure"
    __table_args__ = (
        UniqueConstraint("goal_id", "period_start", "revision"),
        # a goal's latest figure known on a date: one short range per goal
        Index("ix_figure_goal_period_known", "goal_id", "period_end", "known_on"),
        Index("ix_figure_known_on", "known_on"),  # what became known in a week
        Index("ix_figure_recorded_at", "recorded_at"),  # the audit trail, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[float] = mapped_column(Float)
    is_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(300), default="")
    reported_by: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    known_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class DataQualityFlag(Base):
    """A reason to doubt a figure or a goal's reporting, with evidence; resolved, never deleted."""

    __tablename__ = "data_quality_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)
    figure_id: Mapped[int | None] = mapped_column(ForeignKey("figure.id"))
    kind: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[FlagState] = mapped_column(enum_column(FlagState), default=FlagState.OPEN)
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolution_note: Mapped[str] = mapped_column(Text, default="")


class GoalRule(Base):
    """A goal's plausibility rules where they differ from the defaults its unit implies.

    A row of its own rather than columns on ``goal``: rules are edited apart from the goal
    (the goal's version guards its own edits, and a rule change must not make an analyst's
    open goal form stale), and a goal without a row simply follows the defaults. Empty
    columns mean "the default" (see ``delivery.plausibility.rules``).
    """

    __tablename__ = "goal_rule"

    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    allow_negative: Mapped[bool | None] = mapped_column(Boolean)
    allow_over_100: Mapped[bool | None] = mapped_column(Boolean)
    min_plausible: Mapped[float | None] = mapped_column(Float)
    max_plausible: Mapped[float | None] = mapped_column(Float)
    max_jump: Mapped[float | None] = mapped_column(Float)  # relative change, 1.0 = 100%
