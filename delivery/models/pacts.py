"""Performance pacts and budget accounts, with the goal-to-account crosswalk."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delivery.models.base import Base
from delivery.models.strategy import Goal, Secretariat


class Pact(Base):
    """A negotiated cross-agency agreement over a set of goals."""

    __tablename__ = "pact"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    members: Mapped[list[PactMember]] = relationship(cascade="all, delete-orphan")
    goals: Mapped[list[PactGoal]] = relationship(cascade="all, delete-orphan")


class PactMember(Base):
    __tablename__ = "pact_member"

    pact_id: Mapped[int] = mapped_column(ForeignKey("pact.id"), primary_key=True)
    secretariat_id: Mapped[int] = mapped_column(ForeignKey("secretariat.id"), primary_key=True)
    is_lead: Mapped[bool] = mapped_column(default=False)

    secretariat: Mapped[Secretariat] = relationship()


class PactGoal(Base):
    """A goal covered by a pact, with the target negotiated in the pact (may differ)."""

    __tablename__ = "pact_goal"

    pact_id: Mapped[int] = mapped_column(ForeignKey("pact.id"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    negotiated_target_value: Mapped[float | None] = mapped_column(Float)
    negotiated_target_date: Mapped[date | None] = mapped_column(Date)

    goal: Mapped[Goal] = relationship()


class BudgetAccount(Base):
    """A line of the budget for one fiscal year. Money is exact: Numeric, not float."""

    __tablename__ = "budget_account"
    __table_args__ = (UniqueConstraint("code", "fiscal_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(300))
    programme: Mapped[str | None] = mapped_column(Text)
    secretariat_id: Mapped[int | None] = mapped_column(ForeignKey("secretariat.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    appropriated: Mapped[float] = mapped_column(Numeric(18, 2), default=0)
    committed: Mapped[float] = mapped_column(Numeric(18, 2), default=0)
    spent: Mapped[float] = mapped_column(Numeric(18, 2), default=0)

    secretariat: Mapped[Secretariat | None] = relationship()


class GoalAccountLink(Base):
    """Goal-to-account crosswalk: ``share`` of the account serves the goal (0 < share <= 1)."""

    __tablename__ = "goal_account_link"
    __table_args__ = (CheckConstraint("share > 0 AND share <= 1", name="share_range"),)

    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("budget_account.id"), primary_key=True)
    share: Mapped[float] = mapped_column(Float, default=1.0)

    account: Mapped[BudgetAccount] = relationship()
