"""Run-now requests: a row left by the CLI (or the UI), picked up by the scheduler.

Nothing outside the scheduler process runs a source, so a request is how a person asks for a
pull without starting a second runner. A request is claimed with a conditional UPDATE (so it
is run once), and linked to the run it started. A request claimed by a process that is no
longer the lease holder and never started its run is claimed again by the new holder.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from delivery.ingestion.lease import as_utc, updated
from delivery.ingestion.sources import source_named
from delivery.models import RunRequest


def request_run(session: Session, source_name: str, *, requested_by: str,
                now: datetime) -> RunRequest:
    """Ask the scheduler to run the source soon; an unclaimed request for it is reused."""
    source = source_named(session, source_name)
    waiting = session.scalar(select(RunRequest).where(
        RunRequest.source_id == source.id, RunRequest.picked_at.is_(None)))
    if waiting is not None:
        return waiting
    request = RunRequest(source_id=source.id, requested_by=requested_by,
                         requested_at=as_utc(now))
    session.add(request)
    session.flush()
    return request


def _open(holder: str):  # type: ignore[no-untyped-def]
    return or_(RunRequest.picked_at.is_(None),
               and_(RunRequest.run_id.is_(None), RunRequest.picked_by != holder))


def open_requests(session: Session, holder: str) -> list[RunRequest]:
    """Requests ``holder`` may claim, oldest first."""
    return list(session.scalars(select(RunRequest).where(_open(holder)).order_by(RunRequest.id)))


def claim_request(session: Session, request_id: int, holder: str, *, now: datetime) -> bool:
    """Take the request for ``holder``; False if another process took it first."""
    return updated(session, (
        update(RunRequest).where(RunRequest.id == request_id, _open(holder))
        .values(picked_by=holder, picked_at=as_utc(now))
    )) == 1


def attach_run(session: Session, request_id: int, run_id: int) -> None:
    updated(session, update(RunRequest).where(RunRequest.id == request_id)
            .values(run_id=run_id))
