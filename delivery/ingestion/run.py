"""One run of one source: fetch, map, record, log. The job body the scheduler calls.

The figures, the goals, the files read and the run's counts are written in one transaction:
a run killed halfway leaves nothing half-written, and the next run does the whole work again
(what was recorded before is unchanged, so nothing is doubled). A failed run's log row is
committed on its own, so the reason survives. The run's start is committed first, so a run in
progress shows in ``delivery jobs``; one whose process died is closed as interrupted when the
next run of its source starts (the scheduler never runs a source twice at the same time).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from delivery.db import transaction
from delivery.i18n.worded import Worded, w_, words_of
from delivery.importing import (
    ImportMapping,
    ImportReport,
    MappingError,
    ReadError,
    RowError,
    import_file,
    import_frame,
    load_mapping,
)
from delivery.ingestion import drops
from delivery.ingestion.errors import Retrier, SourceError
from delivery.ingestion.http import (
    HttpClient,
    UrllibClient,
    ckan_records,
    json_records,
    socrata_records,
)
from delivery.ingestion.late import after_pull
from delivery.ingestion.lease import LeaseLost, as_utc
from delivery.ingestion.limits import (
    BoundedClient,
    Deadline,
    FileTooLarge,
    RunLimits,
    check_file_size,
)
from delivery.ingestion.records import records_table
from delivery.ingestion.sources import SourceSpec
from delivery.ingestion.sql import sql_table
from delivery.models import (
    Figure,
    IngestedFile,
    JobRun,
    RunState,
    Source,
    SourceGoal,
    SourceKind,
)

log = logging.getLogger(__name__)
KEEP_REASONS = 200  # rejection reasons kept on the run's log row (the count is always whole)
# A pulled figure is known on the day of the pull (the pinned day in the demo), unless the
# source's mapping reads a publication day (``known_on: {column: ...}``): sources are set up
# from files the operators (analysts, admins) keep, so a source may backfill.
BACKFILL = True
INTERRUPTED = w_("interrupted: the process running it stopped before the run was committed")
PAGERS = {SourceKind.SOCRATA: socrata_records, SourceKind.CKAN: ckan_records,
          SourceKind.JSON: json_records}


@dataclass
class RunResult:
    """What a run did; the same numbers as its JobRun row."""

    run_id: int
    source: str
    state: RunState = RunState.RUNNING
    rows_read: int = 0
    goals_created: int = 0
    figures_new: int = 0
    figures_revised: int = 0
    figures_consolidated: int = 0
    figures_unchanged: int = 0
    rejected: int = 0
    retries: int = 0
    flags_raised: int = 0
    rejections: list[RowError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    goal_ids: list[int] = field(default_factory=list)
    error: str | None = None  # worded in the language the run ran in
    error_words: dict[str, Any] | None = None  # to word it when read (delivery.i18n.worded)

    @property
    def ok(self) -> bool:
        return self.state is RunState.SUCCEEDED

    def add(self, report: ImportReport) -> None:
        self.rows_read += report.rows_read
        self.goals_created += report.goals_created
        self.figures_new += report.figures_new
        self.figures_revised += report.figures_revised
        self.figures_consolidated += report.figures_consolidated
        self.figures_unchanged += report.figures_unchanged
        self.flags_raised += report.flags_raised  # implausible figures stored with a note
        self.reject(report.errors, report.rejected)
        self.goal_ids = sorted({*self.goal_ids, *report.goal_ids})

    def reject(self, errors: list[RowError], count: int | None = None) -> None:
        self.rejections += errors
        self.rejected += len(errors) if count is None else count


@dataclass
class _Batch:
    """One table to import: records of an API or a query, or one dropped file."""

    name: str
    table: pd.DataFrame | None = None
    file: drops.DroppedFile | None = None
    errors: list[RowError] = field(default_factory=list)  # records rejected before mapping


def run_source(
    session_factory: sessionmaker[Session],
    source_id: int,
    *,
    now: datetime,
    http: HttpClient | None = None,
    sleep: Callable[[float], None] = time.sleep,
    environ: Mapping[str, str] | None = None,
    trigger: str = "manual",
    holder: str = "",
    before_commit: Callable[[Session], None] | None = None,
    limits: RunLimits | None = None,
) -> RunResult:
    """Pull one source now and record what it brings; never raises for a source's fault.

    ``now`` stamps the run and its figures and is the date lateness is judged on. A run that
    passes its deadline (``limits``) is failed and logged, having written nothing.
    ``before_commit`` is called inside the run's transaction just before it commits (the
    scheduler checks its lease there; raising rolls the run back and logs it as failed).
    """
    now = as_utc(now)
    spec, run_id = _start(session_factory, source_id, now, trigger, holder)
    result, clock = RunResult(run_id, spec.name), time.monotonic()
    actor = f"source:{spec.name}"
    limits = limits or RunLimits()
    deadline = Deadline(limits.deadline_seconds)
    retrier = Retrier(spec.retries, spec.backoff, deadline.sleep(sleep))
    put_away: list[tuple[drops.DroppedFile, str]] = []
    lost = False
    try:
        mapping = load_mapping(str(spec.config["mapping"]))
        client = BoundedClient(http or UrllibClient(limits.max_download_bytes), deadline)
        batches = _fetch(spec, client, retrier, os.environ if environ is None else environ,
                         deadline)
        with transaction(session_factory) as session:
            session.info["actor"] = actor
            for batch in batches:
                deadline.remaining()
                _record(session, spec, batch, mapping, result, run_id, now, actor, put_away,
                        limits.max_file_bytes)
            deadline.remaining()
            _link_goals(session, spec, result.goal_ids, now)
            result.state, result.retries = RunState.SUCCEEDED, retrier.used
            _log(session, result, now + timedelta(seconds=time.monotonic() - clock))
            if before_commit is not None:
                before_commit(session)
    except Exception as exc:  # noqa: BLE001 - a job logs every failure and keeps going
        if not isinstance(exc, SourceError | MappingError):
            log.exception("run %s of source %s failed", run_id, spec.name)
        words = words_of(exc) if isinstance(exc, SourceError) else None
        result = RunResult(run_id, spec.name, RunState.FAILED, retries=retrier.used,
                           error=_reason(exc),
                           error_words=None if words is None else words.to_json())
        put_away, lost = [], isinstance(exc, LeaseLost)
        with transaction(session_factory) as session:
            _log(session, result, now + timedelta(seconds=time.monotonic() - clock))
    if spec.config.get("after", "move") == "move":
        _put_away(put_away)
    if not lost:  # a process that lost the lease leaves the checks to the one that has it
        _check(session_factory, spec, result, now, actor)
    return result


def _start(factory: sessionmaker[Session], source_id: int, now: datetime, trigger: str,
           holder: str) -> tuple[SourceSpec, int]:
    with transaction(factory) as session:
        row = session.get(Source, source_id)
        if row is None:
            raise LookupError(f"there is no source {source_id}")
        session.execute(update(JobRun).where(
            JobRun.source_id == source_id, JobRun.state == RunState.RUNNING,
        ).values(state=RunState.FAILED, finished_at=now, error=str(INTERRUPTED),
                 error_words=INTERRUPTED.to_json()))
        run = JobRun(source_id=source_id, trigger=trigger, holder=holder, started_at=now,
                     state=RunState.RUNNING)
        session.add(run)
        session.flush()
        return SourceSpec.of(row), run.id


def _fetch(spec: SourceSpec, client: HttpClient, retrier: Retrier,
           environ: Mapping[str, str], deadline: Deadline) -> list[_Batch]:
    """Everything the source has now, before any write (so the transaction stays short)."""
    config = spec.config
    if spec.kind is SourceKind.FILE_DROP:
        return [_Batch(f.name, file=f) for f in drops.scan(config["folder"], config["pattern"])]
    if spec.kind is SourceKind.SQL:
        timeout = min(spec.timeout, deadline.remaining())
        return [_Batch(spec.name, sql_table(config, environ, timeout=timeout, retrier=retrier))]
    headers = _from_env(config.get("headers_from_env"), environ, w_("header"))
    params = _from_env(config.get("params_from_env"), environ, w_("parameter"))
    records = PAGERS[spec.kind](client, config, headers=headers, params=params,
                                timeout=spec.timeout, retrier=retrier)
    table, errors = records_table(records, spec.name)
    return [_Batch(spec.name, table, errors=errors)]


def _record(session: Session, spec: SourceSpec, batch: _Batch, mapping: ImportMapping,
            result: RunResult, run_id: int, now: datetime, actor: str,
            put_away: list[tuple[drops.DroppedFile, str]], max_file_bytes: int) -> None:
    if batch.file is None:
        assert batch.table is not None
        result.rows_read += len(batch.errors)
        result.reject(batch.errors)
        if len(batch.table):
            result.add(import_frame(session, batch.table, mapping, name=batch.name,
                                    actor=actor, recorded_at=now, may_backfill=BACKFILL,
                                    run_checks=False))
        return
    file = batch.file
    seen = session.scalar(select(IngestedFile).where(IngestedFile.source_id == spec.id,
                                                     IngestedFile.sha256 == file.sha256))
    if seen is not None:  # read by an earlier run that stopped before putting it away
        put_away.append((file, "failed" if seen.error else "processed"))
        return
    error = None
    try:
        check_file_size(file.path, max_file_bytes)
        result.add(import_file(session, file.path, mapping, actor=actor, recorded_at=now,
                               may_backfill=BACKFILL, run_checks=False))
    except (ReadError, MappingError, OSError, FileTooLarge) as exc:
        error = str(exc)
        result.reject([RowError(file.name, 0, "", f"the file was not read: {error}")])
    session.add(IngestedFile(source_id=spec.id, name=file.name, sha256=file.sha256,
                             size=file.size, run_id=run_id, ingested_at=now, error=error))
    result.files.append(file.name)
    put_away.append((file, "failed" if error else "processed"))


def _put_away(files: list[tuple[drops.DroppedFile, str]]) -> None:
    for file, folder in files:
        try:
            drops.put_away(file, folder)
        except OSError:  # recorded already: the next run sees its hash and moves it then
            log.exception("could not move %s into %s/", file.path, folder)


def _link_goals(session: Session, spec: SourceSpec, goal_ids: list[int], now: datetime) -> None:
    known = set(session.scalars(select(SourceGoal.goal_id).where(
        SourceGoal.source_id == spec.id)))
    session.add_all(SourceGoal(source_id=spec.id, goal_id=g, first_seen_at=now)
                    for g in goal_ids if g not in known)


def _log(session: Session, result: RunResult, finished: datetime) -> None:
    run = session.get(JobRun, result.run_id)
    assert run is not None
    run.state, run.finished_at, run.error = result.state, finished, result.error
    run.error_words = result.error_words
    for name in ("rows_read", "goals_created", "figures_new", "figures_revised",
                 "figures_consolidated", "figures_unchanged", "rejected", "retries"):
        setattr(run, name, getattr(result, name))
    run.rejections = [str(e) for e in result.rejections[:KEEP_REASONS]]
    run.files = list(result.files)


def _check(factory: sessionmaker[Session], spec: SourceSpec, result: RunResult, now: datetime,
           actor: str) -> None:
    """The checks after the run, in their own transaction: a check that fails is logged, and
    neither undoes the figures nor fails the run."""
    try:
        with transaction(factory) as session:
            session.info["actor"] = actor
            goal_ids = list(session.scalars(select(SourceGoal.goal_id).where(
                SourceGoal.source_id == spec.id)))
            written = dict(session.execute(
                select(Figure.goal_id, func.min(Figure.period_end))
                .where(Figure.goal_id.in_(result.goal_ids), Figure.recorded_at == now,
                       Figure.reported_by == actor)
                .group_by(Figure.goal_id)).all()) if result.ok else {}
            result.flags_raised += after_pull(session, goal_ids, written=written,
                                              as_of=now.date(), now=now, actor=actor,
                                              source=spec.name)
            run = session.get(JobRun, result.run_id)
            assert run is not None
            run.flags_raised = result.flags_raised
    except Exception:  # noqa: BLE001
        log.exception("the checks after run %s of source %s failed", result.run_id, spec.name)


def _from_env(names: Mapping[str, str] | None, environ: Mapping[str, str],
              what: Worded) -> dict[str, str]:
    values = {}
    for key, variable in (names or {}).items():
        if not environ.get(variable):
            raise SourceError(w_("environment variable {variable} (for the {what} {key}) is "
                                 "not set", variable=variable, what=what, key=key))
        values[str(key)] = environ[variable]
    return values


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SourceError | MappingError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
