"""Scheduled ingestion: pulling progress figures from where they live, without anyone's help.

A ``Source`` (file drop, Socrata, CKAN, generic JSON or SQL) is defined in a YAML file
(``load_sources`` / ``save_sources``) and pulled by ``run_source(session_factory, source_id,
now=...)``, the job body: fetch with retries and backoff, map the records with the same
mapping files as the import, record the figures as revisions, log the run, flag late goals.
``delivery.scheduler`` wires it to APScheduler; see docs/ingestion.md.
"""

from delivery.ingestion.errors import Retrier, SourceError, TransientError
from delivery.ingestion.http import HttpClient, UrllibClient
from delivery.ingestion.jobs import describe_run, recent_runs
from delivery.ingestion.late import after_pull, flag_late_goals
from delivery.ingestion.lease import (
    LEASE,
    LeaseLost,
    acquire_lease,
    as_utc,
    check_lease,
    lease_holder,
    release_lease,
)
from delivery.ingestion.limits import FileTooLarge, PastDeadline, RunLimits
from delivery.ingestion.records import records_table, rows_table
from delivery.ingestion.run import RunResult, run_source
from delivery.ingestion.run_requests import attach_run, claim_request, open_requests, request_run
from delivery.ingestion.schedule import Schedule, ScheduleError, parse_schedule
from delivery.ingestion.sources import (
    SourceFileError,
    SourceSpec,
    load_sources,
    save_sources,
    source_named,
)

__all__ = [
    "FileTooLarge",
    "PastDeadline",
    "RunLimits",
    "LEASE",
    "HttpClient",
    "LeaseLost",
    "Retrier",
    "RunResult",
    "Schedule",
    "ScheduleError",
    "SourceError",
    "SourceFileError",
    "SourceSpec",
    "TransientError",
    "UrllibClient",
    "acquire_lease",
    "after_pull",
    "as_utc",
    "attach_run",
    "check_lease",
    "claim_request",
    "describe_run",
    "flag_late_goals",
    "lease_holder",
    "load_sources",
    "open_requests",
    "parse_schedule",
    "recent_runs",
    "records_table",
    "release_lease",
    "request_run",
    "rows_table",
    "run_source",
    "save_sources",
    "source_named",
]
