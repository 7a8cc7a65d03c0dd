"""The run log, as ``delivery jobs`` shows it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from delivery.i18n import _, _l, formats
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


RUN_STATES = {RunState.RUNNING: _l("running"), RunState.SUCCEEDED: _l("succeeded"),
              RunState.FAILED: _l("failed")}


def run_state_label(state: RunState) -> str:
    """A run's state as people read it, in the current language."""
    return str(RUN_STATES.get(state, state.value))


def describe_run(run: JobRun) -> str:
    """One line: id, source, start, duration, state, counts, and the error if any."""
    started = as_utc(run.started_at).strftime("%Y-%m-%d %H:%M:%S")
    took = "..." if run.finished_at is None else \
        f"{(as_utc(run.finished_at) - as_utc(run.started_at)).total_seconds():.1f}s"
    n = formats.number
    line = (f"#{run.id:<5} {run.source.name:24} {started}Z {took:>7} "
            f"{run_state_label(run.state):9} " + _(
                "read {read}, new {new}, revised {revised}, consolidated {consolidated}, "
                "unchanged {unchanged}, rejected {rejected}").format(
                read=n(run.rows_read), new=n(run.figures_new), revised=n(run.figures_revised),
                consolidated=n(run.figures_consolidated), unchanged=n(run.figures_unchanged),
                rejected=n(run.rejected)))
    if run.retries:
        line += ", " + _("retries {n}").format(n=n(run.retries))
    if run.flags_raised:
        line += ", " + _("flags {n}").format(n=n(run.flags_raised))
    error = run.error_text
    return line + ("\n       " + _("error: {error}").format(error=error) if error else "")
