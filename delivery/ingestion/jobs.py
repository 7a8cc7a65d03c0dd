"""The run log, as ``delivery jobs`` shows it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from delivery.ingestion.lease import as_utc
from delivery.models import JobRun, RunState, Source


def recent_runs(session: Session, *, source: str | None = None, state: RunState | None = None,
                limit: int = 20) -> list[JobRun]:
    """The latest runs, newest first, with their source loaded."""
    query = select(JobRun).options(joinedload(JobRun.source)).order_by(JobRun.id.desc())
    if source is not None:
        query = query.join(Source).where(Source.name == source)
    if state is not None:
        query = query.where(JobRun.state == state)
    return list(session.scalars(query.limit(limit)))


def describe_run(run: JobRun) -> str:
    """One line: id, source, start, duration, state, counts, and the error if any."""
    started = as_utc(run.started_at).strftime("%Y-%m-%d %H:%M:%S")
    took = "..." if run.finished_at is None else \
        f"{(as_utc(run.finished_at) - as_utc(run.started_at)).total_seconds():.1f}s"
    line = (f"#{run.id:<5} {run.source.name:24} {started}Z {took:>7} {run.state.value:9} "
            f"read {run.rows_read}, new {run.figures_new}, revised {run.figures_revised}, "
            f"consolidated {run.figures_consolidated}, unchanged {run.figures_unchanged}, "
            f"rejected {run.rejected}")
    if run.retries:
        line += f", retries {run.retries}"
    if run.flags_raised:
        line += f", flags {run.flags_raised}"
    return line + (f"\n       error: {run.error}" if run.error else "")
