"""The scheduler: one lease holder runs everything, a second scheduler stays idle until the
first stops, run-now requests are run once, and a missed schedule is caught up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from delivery.db import transaction
from delivery.ingestion import (
    LeaseLost,
    acquire_lease,
    check_lease,
    lease_holder,
    release_lease,
    request_run,
    run_source,
)
from delivery.models import Figure, JobRun, RunRequest, RunState, Source
from delivery.scheduler import Scheduler
from delivery.settings import load_settings
from tests.factories import make_goal
from tests.ingestion.conftest import MAPPINGS, NOW, Reply, wait_until

MINUTE = timedelta(minutes=1)
FAST = {"scheduler_poll_seconds": 0.2, "scheduler_lease_seconds": 3.0}


@pytest.fixture
def json_api(api, session_factory):
    with session_factory() as session, session.begin():
        make_goal(session, code="SDS-01")
    api.routes["/figures"] = lambda hit: Reply(200, {"items": [
        {"goal": {"code": "SDS-01"}, "month": "2022-11", "value": 41, "status": "final"},
        {"goal": {"code": "SDS-01"}, "month": "2022-12", "value": 38, "status": "final"},
    ]})
    return api


@pytest.fixture
def source_every_second(add_source, json_api):
    return add_source(name="sds-every-second", kind="json", url=json_api.url("/figures"),
                      records="items", mapping=str(MAPPINGS / "json_figures.yaml"),
                      schedule={"every": "1s"})


@pytest.fixture
def schedulers(session_factory):
    """make(holder) -> a Scheduler with fast polling; all are shut down after the test."""
    made: list[Scheduler] = []

    def make(holder: str) -> Scheduler:
        scheduler = Scheduler(session_factory, load_settings(FAST), holder=holder,
                              sleep=lambda _: None)
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.shutdown()


def runs(session_factory) -> list[JobRun]:
    with session_factory() as session:
        return list(session.scalars(select(JobRun).order_by(JobRun.id)))


def test_the_lease_is_held_by_one_process_at_a_time_until_it_expires(session_factory):
    with transaction(session_factory) as s:
        assert acquire_lease(s, "a", now=NOW, duration=MINUTE)
        assert not acquire_lease(s, "b", now=NOW + timedelta(seconds=30), duration=MINUTE)
        assert acquire_lease(s, "a", now=NOW + timedelta(seconds=30), duration=MINUTE)  # renew
        assert not acquire_lease(s, "b", now=NOW + timedelta(seconds=89), duration=MINUTE)
        assert lease_holder(s, now=NOW + timedelta(seconds=89)) == "a"
        assert acquire_lease(s, "b", now=NOW + timedelta(seconds=90), duration=MINUTE)
        with pytest.raises(LeaseLost):
            check_lease(s, "a", now=NOW + timedelta(seconds=91))
        release_lease(s, "b", now=NOW + timedelta(seconds=95))
        assert lease_holder(s, now=NOW + timedelta(seconds=95)) is None
        assert acquire_lease(s, "a", now=NOW + timedelta(seconds=96), duration=MINUTE)


def test_a_run_is_not_committed_by_a_process_that_lost_the_lease(
        session_factory, source_every_second, count):
    with transaction(session_factory) as s:
        acquire_lease(s, "a", now=NOW, duration=MINUTE)
        acquire_lease(s, "b", now=NOW + 2 * MINUTE, duration=MINUTE)  # a stopped renewing

    result = run_source(session_factory, source_every_second, now=NOW + 2 * MINUTE,
                        holder="a", before_commit=lambda s: check_lease(
                            s, "a", now=NOW + 2 * MINUTE))

    assert result.state is RunState.FAILED
    assert result.error == "LeaseLost: a no longer holds the scheduler lease"
    assert count(Figure) == 0


def test_a_second_scheduler_runs_nothing_while_the_first_holds_the_lease(
        session_factory, source_every_second, schedulers):
    first, second = schedulers("first"), schedulers("second")
    first.start()
    second.start()

    assert wait_until(lambda: len(runs(session_factory)) >= 3)
    second.shutdown()
    first.shutdown()

    assert first.holding is False and second.holding is False  # both let go on shutdown
    logged = runs(session_factory)
    assert {r.holder for r in logged} == {"first"}
    assert {r.trigger for r in logged} == {"schedule"}
    assert {r.state for r in logged} == {RunState.SUCCEEDED}
    assert [r.figures_new for r in logged][:2] == [2, 0]  # pulled again: nothing doubled


def test_the_second_scheduler_takes_over_when_the_first_stops(
        session_factory, source_every_second, schedulers):
    first, second = schedulers("first"), schedulers("second")
    first.start()
    second.start()
    assert wait_until(lambda: len(runs(session_factory)) >= 1)
    assert not second.holding

    first.shutdown()
    assert wait_until(lambda: any(r.holder == "second" for r in runs(session_factory)))
    second.shutdown()
    holders = [r.holder for r in runs(session_factory)]
    assert holders[0] == "first" and holders[-1] == "second"
    assert holders == sorted(holders)  # never interleaved


def test_a_run_now_request_is_picked_up_and_run_once(session_factory, add_source, json_api,
                                                      schedulers):
    source_id = add_source(name="sds-manual", kind="json", url=json_api.url("/figures"),
                           records="items", mapping=str(MAPPINGS / "json_figures.yaml"))
    with transaction(session_factory) as session:
        first = request_run(session, "sds-manual", requested_by="analyst", now=NOW).id
        again = request_run(session, "sds-manual", requested_by="governor", now=NOW).id
    assert again == first  # an unclaimed request is not doubled

    scheduler = schedulers("only")
    scheduler.start()
    assert wait_until(lambda: _request(session_factory, first).run_id is not None)
    scheduler.shutdown()

    (run,) = runs(session_factory)
    request = _request(session_factory, first)
    assert (run.source_id, run.trigger, run.state, run.figures_new) == (
        source_id, "request", RunState.SUCCEEDED, 2)
    assert (request.run_id, request.picked_by) == (run.id, "only")


def test_a_source_whose_run_was_missed_runs_as_soon_as_a_scheduler_starts(
        session_factory, add_source, json_api, schedulers):
    add_source(name="sds-daily", kind="json", url=json_api.url("/figures"), records="items",
               mapping=str(MAPPINGS / "json_figures.yaml"), schedule={"cron": "0 6 * * *"})

    scheduler = schedulers("only")
    scheduler.start()
    assert wait_until(lambda: len(runs(session_factory)) == 1)
    job = scheduler.aps.get_job(f"source:{runs(session_factory)[0].source_id}")
    assert job.next_run_time > datetime.now(UTC)  # then it keeps to its cron line
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)


def test_a_disabled_source_loses_its_job(session_factory, source_every_second, schedulers):
    scheduler = schedulers("only")
    scheduler.start()
    assert wait_until(lambda: scheduler.aps.get_job(f"source:{source_every_second}"))
    with transaction(session_factory) as session:
        session.get(Source, source_every_second).enabled = False

    assert wait_until(lambda: scheduler.aps.get_job(f"source:{source_every_second}") is None)


def _request(session_factory, request_id) -> RunRequest:
    with session_factory() as session:
        return session.get(RunRequest, request_id)
