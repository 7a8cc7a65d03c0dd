"""Scheduled ingestion: the sources figures are pulled from, the log of every run, run-now
requests, the files a drop folder has delivered, and the scheduler's lease."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from delivery.i18n.worded import from_json
from delivery.models.base import Base, enum_column, utcnow


class SourceKind(StrEnum):
    FILE_DROP = "file_drop"  # CSV or Excel files left in a folder
    SOCRATA = "socrata"  # SODA API: $limit / $offset paging, $where filter
    CKAN = "ckan"  # CKAN datastore_search: limit / offset paging
    JSON = "json"  # any JSON document, records found by a path, optional next-page link
    SQL = "sql"  # a query against any database SQLAlchemy reaches


class RunState(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Source(Base):
    """Where the figures of a goal (or a group of goals) come from, and when to pull them.

    ``config`` holds what the kind needs (mapping file, url, folder, query...) and only the
    *names* of environment variables for credentials, never a credential. No ``cron`` and no
    ``interval_seconds``: the source only runs when asked ("run now").
    """

    __tablename__ = "data_source"
    __table_args__ = (
        CheckConstraint("cron IS NULL OR interval_seconds IS NULL", name="one_schedule"),
        CheckConstraint("interval_seconds IS NULL OR interval_seconds > 0", name="interval"),
        CheckConstraint("retries >= 0 AND timeout_seconds > 0 AND backoff_seconds >= 0",
                        name="retry_policy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind))
    description: Mapped[str] = mapped_column(Text, default="")
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    cron: Mapped[str | None] = mapped_column(String(120))
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(60), default="UTC")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    timeout_seconds: Mapped[float] = mapped_column(Float, default=30.0)
    retries: Mapped[int] = mapped_column(Integer, default=3)
    backoff_seconds: Mapped[float] = mapped_column(Float, default=2.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Source {self.name} ({self.kind})>"


class SourceGoal(Base):
    """A goal the source has delivered figures for (learnt from its pulls)."""

    __tablename__ = "source_goal"

    source_id: Mapped[int] = mapped_column(ForeignKey("data_source.id"), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobRun(Base):
    """One run of a source: when, who ran it, what it read and recorded, and why it failed."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_source_started", "source_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("data_source.id"))
    trigger: Mapped[str] = mapped_column(String(20), default="manual")  # schedule|request|manual
    holder: Mapped[str] = mapped_column(String(200), default="")  # the process that ran it
    state: Mapped[RunState] = mapped_column(enum_column(RunState), default=RunState.RUNNING)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    retries: Mapped[int] = mapped_column(Integer, default=0)  # requests repeated after an error
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    goals_created: Mapped[int] = mapped_column(Integer, default=0)
    figures_new: Mapped[int] = mapped_column(Integer, default=0)
    figures_revised: Mapped[int] = mapped_column(Integer, default=0)
    figures_consolidated: Mapped[int] = mapped_column(Integer, default=0)
    figures_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    rejections: Mapped[list[str]] = mapped_column(JSON, default=list)  # the first reasons
    files: Mapped[list[str]] = mapped_column(JSON, default=list)  # file drops: files read
    flags_raised: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)  # as worded when it failed (and logged)
    # the reason as a message id and parameters (``delivery.i18n.worded``), worded when read;
    # None for rows older than it and for reasons in a foreign text (a driver's own message)
    error_words: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    source: Mapped[Source] = relationship()

    @property
    def error_text(self) -> str | None:
        """Why it failed, in the current language when the reason was kept worded."""
        words = from_json(self.error_words)
        return self.error if words is None else str(words)


class RunRequest(Base):
    """A "run now" request, left by the CLI or the UI and picked up by the scheduler."""

    __tablename__ = "run_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("data_source.id"), index=True)
    requested_by: Mapped[str] = mapped_column(String(120), default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    picked_by: Mapped[str | None] = mapped_column(String(200))
    picked_at: Mapped[datetime | None] = mapped_column()
    run_id: Mapped[int | None] = mapped_column(ForeignKey("job_run.id"))


class IngestedFile(Base):
    """A file a drop folder delivered, by content: the same bytes are never read twice."""

    __tablename__ = "ingested_file"
    __table_args__ = (UniqueConstraint("source_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("data_source.id"))
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(ForeignKey("job_run.id"))
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    error: Mapped[str | None] = mapped_column(Text)  # why it could not be read, if it could not


class SchedulerLease(Base):
    """Who may run scheduled jobs until when: one row, taken over only once it has expired."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()


__all__ = [
    "IngestedFile",
    "JobRun",
    "RunRequest",
    "RunState",
    "SchedulerLease",
    "Source",
    "SourceGoal",
    "SourceKind",
]
