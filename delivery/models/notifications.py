"""What the reminders sent (or tried to send): one row per person, thing and step."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from delivery.models.base import Base, utcnow


class NotificationSent(Base):
    """One reminder step for one person: ``thing`` names what it is about (``figure:12:
    2024-05-31``, ``commitment:7``, ...), ``step`` how far it has gone (``due_soon``,
    ``overdue``, ``escalated``, ...). Unique, so a step is never sent twice; a row whose
    sending failed stays ``failed`` (with the error) and is tried again on the next run."""

    __tablename__ = "notification_sent"
    __table_args__ = (UniqueConstraint("user_id", "thing", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    thing: Mapped[str] = mapped_column(String(120))
    step: Mapped[str] = mapped_column(String(40))
    as_of: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending, sent, failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
