"""The scheduler process (``delivery scheduler``): the one module that wires APScheduler.

It only calls plain functions of ``delivery.ingestion``; everything it decides is in four jobs:

- ``scheduler:lease`` takes or renews the lease in the database every third of its duration.
  Only the lease holder runs anything, so a second scheduler started by mistake stays idle
  (and takes over if the first one stops renewing). A run commits only while the lease is
  still held (checked inside its transaction).
- ``scheduler:poll`` (every DELIVERY_SCHEDULER_POLL_SECONDS) adds, changes or removes one job
  per enabled source, and claims the run-now requests.
- ``source:<id>``: the source's own schedule (cron or interval), coalesced, with a misfire
  grace time; a source whose run was missed while no scheduler ran is run once at once.
- ``request:<id>``: one run-now request, run once.
- ``scheduler:reminders`` (every DELIVERY_REMINDERS_EVERY_MINUTES; 0 turns it off): the
  reminders due as of the review date, each sent once (``delivery.notifications``); a mail
  server that fails is logged and tried again on the next run, and holds up nothing else.

A source never runs twice at the same time in this process (jobs are ``max_instances=1``, and a
run-now request waits until the scheduled run of the same source is over).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from delivery.db import transaction
from delivery.ingestion import (
    HttpClient,
    RunLimits,
    RunResult,
    Schedule,
    acquire_lease,
    as_utc,
    attach_run,
    check_lease,
    claim_request,
    open_requests,
    release_lease,
    run_source,
)
from delivery.models import JobRun, Source
from delivery.notifications import NO_SERVER, ReminderRun, send_reminders
from delivery.settings import Settings, load_settings

log = logging.getLogger(__name__)


def default_holder() -> str:
    """Who this process is, as the lease and the run log show it."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Scheduler:
    """The scheduled jobs of one process; ``start()`` / ``shutdown()``, or ``serve()``."""

    def __init__(self, session_factory: sessionmaker[Session], settings: Settings | None = None,
                 *, holder: str | None = None, http: HttpClient | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 environ: Mapping[str, str] | None = None) -> None:
        settings = settings or load_settings()
        self.settings = settings
        self.factory, self.http, self.sleep, self.clock = session_factory, http, sleep, clock
        self.environ = environ
        self.limits = RunLimits.of(settings)
        self.holder = holder or default_holder()
        self.lease = timedelta(seconds=float(settings.scheduler_lease_seconds))
        self.poll_seconds = float(settings.scheduler_poll_seconds)
        self.holding = False
        self._busy: set[int] = set()
        self._lock = threading.Lock()
        self._schedules: dict[int, Schedule] = {}
        self.aps = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(int(settings.scheduler_workers) + 2)},
            job_defaults={"coalesce": True, "max_instances": 1,
                          "misfire_grace_time": int(settings.scheduler_misfire_grace_seconds)},
            timezone=UTC,
        )

    def start(self) -> None:
        self.renew_lease()
        self.aps.add_job(self.renew_lease, "interval", seconds=self.lease.total_seconds() / 3,
                         id="scheduler:lease", name="renew the scheduler lease")
        self.aps.add_job(self.poll, "interval", seconds=self.poll_seconds, id="scheduler:poll",
                         name="sources and run-now requests", next_run_time=self.clock())
        minutes = int(self.settings.reminders_every_minutes)
        if minutes > 0:
            self.aps.add_job(self.remind, "interval", minutes=minutes, id="scheduler:reminders",
                             name="reminders by e-mail", next_run_time=self.clock())
            if not self.settings.smtp_host:
                log.info("reminders: %s", NO_SERVER)
        self.aps.start()
        log.info("scheduler %s started (%s the lease)", self.holder,
                 "holds" if self.holding else "waits for")

    def shutdown(self) -> None:
        """Stop starting jobs, wait for the running ones, then give the lease up."""
        if self.aps.running:
            self.aps.shutdown(wait=True)
        with transaction(self.factory) as session:
            release_lease(session, self.holder, now=self.clock())
        self.holding = False
        log.info("scheduler %s stopped", self.holder)

    def serve(self, stop: threading.Event | None = None) -> None:
        """Run in the foreground until SIGINT/SIGTERM (or ``stop`` is set)."""
        stop = stop or threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        self.start()
        try:
            while not stop.wait(1.0):
                pass
        finally:
            self.shutdown()

    # The jobs.

    def renew_lease(self) -> None:
        try:
            with transaction(self.factory) as session:
                held = acquire_lease(session, self.holder, now=self.clock(), duration=self.lease)
        except Exception:  # noqa: BLE001 - the database may be briefly away: try next time
            log.exception("could not renew the scheduler lease")
            held = False
        if held != self.holding:
            log.info("scheduler %s %s the lease", self.holder, "took" if held else "lost")
        self.holding = held

    def poll(self) -> None:
        if not self.holding:
            return
        try:
            self.sync_sources()
            self.pick_requests()
        except Exception:  # noqa: BLE001
            log.exception("polling for sources and requests failed")

    def remind(self) -> ReminderRun | None:
        """Send the reminders due (only the lease holder does)."""
        if not self.holding:
            return None
        try:
            run = send_reminders(self.factory, self.settings, environ=self.environ,
                                 before_commit=self._check_lease)
        except Exception:  # noqa: BLE001 - a job never takes the scheduler down
            log.exception("sending the reminders failed")
            return None
        if run.messages:
            log.info("reminders as of %s: %d sent, %d failed%s", run.as_of, run.sent,
                     run.failed, f" ({run.not_sent_because})" if run.not_sent_because else "")
        return run

    def sync_sources(self) -> None:
        """One job per enabled, scheduled source; a changed schedule replaces its job."""
        now = self.clock()
        with self.factory() as session:
            sources = session.scalars(select(Source).where(Source.enabled.is_(True))).all()
            last = dict(session.execute(select(JobRun.source_id, func.max(JobRun.started_at))
                                        .group_by(JobRun.source_id)).all())
        wanted = {s.id: Schedule(s.cron, s.interval_seconds, s.timezone) for s in sources}
        wanted = {i: sched for i, sched in wanted.items() if not sched.manual}
        for source_id in set(self._schedules) - set(wanted):
            self.aps.remove_job(f"source:{source_id}")
            del self._schedules[source_id]
        for source_id, schedule in wanted.items():
            if self._schedules.get(source_id) == schedule:
                continue
            started = last.get(source_id)
            missed = schedule.missed_since(as_utc(started) if started else None, now)
            extra = {"next_run_time": now} if missed else {}
            self.aps.add_job(self.run_scheduled, schedule.trigger(), args=[source_id],
                             id=f"source:{source_id}", name=f"source {source_id}",
                             replace_existing=True, **extra)
            self._schedules[source_id] = schedule

    def pick_requests(self) -> None:
        claimed: list[tuple[int, int]] = []
        try:
            with transaction(self.factory) as session:
                for request in open_requests(session, self.holder):
                    if not self._reserve(request.source_id):
                        continue  # that source is running: the request waits for the next poll
                    claimed.append((request.source_id, request.id))
                    if not claim_request(session, request.id, self.holder, now=self.clock()):
                        self._release(claimed.pop()[0])
        except Exception:
            for source_id, _ in claimed:
                self._release(source_id)
            raise
        for source_id, request_id in claimed:
            self.aps.add_job(self.run_requested, args=[source_id, request_id],
                             id=f"request:{request_id}", name=f"run-now request {request_id}",
                             replace_existing=True)

    def run_scheduled(self, source_id: int) -> RunResult | None:
        if not self.holding or not self._reserve(source_id):
            return None
        return self._run(source_id, "schedule")

    def run_requested(self, source_id: int, request_id: int) -> RunResult | None:
        return self._run(source_id, "request", request_id)  # reserved when it was claimed

    def _run(self, source_id: int, trigger: str, request_id: int | None = None
             ) -> RunResult | None:
        try:
            result = run_source(self.factory, source_id, now=self.clock(), http=self.http,
                                sleep=self.sleep, environ=self.environ, trigger=trigger,
                                holder=self.holder, before_commit=self._check_lease,
                                limits=self.limits)
            if request_id is not None:
                with transaction(self.factory) as session:
                    attach_run(session, request_id, result.run_id)
            log.info("run %s of source %s: %s", result.run_id, result.source, result.state)
            return result
        except Exception:  # noqa: BLE001 - a job never takes the scheduler down
            log.exception("running source %s failed", source_id)
            return None
        finally:
            self._release(source_id)

    def _check_lease(self, session: Session) -> None:
        check_lease(session, self.holder, now=self.clock())

    def _reserve(self, source_id: int) -> bool:
        with self._lock:
            if source_id in self._busy:
                return False
            self._busy.add(source_id)
            return True

    def _release(self, source_id: int) -> None:
        with self._lock:
            self._busy.discard(source_id)
