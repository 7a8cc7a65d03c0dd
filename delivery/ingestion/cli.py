"""``delivery sources``, ``delivery jobs`` and ``delivery scheduler``."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import func, select

from delivery.cli_support import session_factory
from delivery.db import SchemaOutOfDate, open_database, transaction
from delivery.i18n import _, _l, formats
from delivery.ingestion.jobs import describe_run, recent_runs, run_state_label
from delivery.ingestion.lease import as_utc, lease_holder
from delivery.ingestion.run_requests import request_run
from delivery.ingestion.schedule import Schedule
from delivery.ingestion.sources import (
    SourceFileError,
    load_sources,
    save_sources,
    source_named,
)
from delivery.models import JobRun, RunState, Source
from delivery.settings import load_settings

# What ``save_sources`` did to each source, as the command says it.
SAVED = {"created": _l("created"), "updated": _l("updated"), "unchanged": _l("unchanged")}

def _now() -> datetime:
    return datetime.now(UTC)


@click.group("sources")
def sources_group() -> None:
    """The sources scheduled jobs pull figures from (see docs/ingestion.md)."""


@sources_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def sources_add(file: Path) -> None:
    """Create or update the sources defined in a YAML FILE (matched by name)."""
    try:
        specs = load_sources(file)
    except SourceFileError as exc:
        click.echo(_("Error: {message}").format(message=exc), err=True)
        sys.exit(2)
    with transaction(session_factory()) as session:
        session.info["actor"] = "cli"
        outcome = save_sources(session, specs, now=_now())
    for name, what in outcome.items():
        click.echo(f"{SAVED.get(what, what)!s:9} {name}")


@sources_group.command("list")
def sources_list() -> None:
    """Every source: kind, schedule, whether enabled, and its last run."""
    with session_factory()() as session:
        last = dict(session.execute(select(JobRun.source_id, func.max(JobRun.id))
                                    .group_by(JobRun.source_id)).all())
        runs = {r.id: r for r in session.scalars(select(JobRun).where(
            JobRun.id.in_(list(last.values()))))}
        for source in session.scalars(select(Source).order_by(Source.name)):
            schedule = Schedule(source.cron, source.interval_seconds, source.timezone)
            run = runs.get(last.get(source.id, -1))
            seen = _("never run") if run is None else _("last run #{id} {state} {when}").format(
                id=run.id, state=run_state_label(run.state),
                when=f"{as_utc(run.started_at):%Y-%m-%d %H:%M}Z")
            flag = "" if source.enabled else " " + _("(disabled)")
            click.echo(f"{source.name:24} {source.kind.value:9} {schedule.describe():32} "
                       f"{seen}{flag}")


@sources_group.command("enable")
@click.argument("name")
def sources_enable(name: str) -> None:
    """Let the scheduler run source NAME on its schedule."""
    _set_enabled(name, True)


@sources_group.command("disable")
@click.argument("name")
def sources_disable(name: str) -> None:
    """Stop running source NAME on its schedule (run-now requests still run it)."""
    _set_enabled(name, False)


def _set_enabled(name: str, enabled: bool) -> None:
    with transaction(session_factory()) as session:
        try:
            source_named(session, name).enabled = enabled
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo((_("{name}: enabled") if enabled else _("{name}: disabled")).format(name=name))


@click.group("jobs", invoke_without_command=True)
@click.option("--source", help="Only this source's runs.")
@click.option("--failed", is_flag=True, help="Only failed runs.")
@click.option("--limit", default=20, show_default=True, help="How many runs to show.")
@click.pass_context
def jobs_group(ctx: click.Context, source: str | None, failed: bool, limit: int) -> None:
    """Recent runs of the scheduled jobs, newest first; or a subcommand."""
    if ctx.invoked_subcommand is not None:
        return
    with session_factory()() as session:
        runs = recent_runs(session, source=source, limit=limit,
                           state=RunState.FAILED if failed else None)
        if not runs:
            click.echo(_("No runs yet."))
        for run in runs:
            click.echo(describe_run(run))


@jobs_group.command("show")
@click.argument("run_id", type=int)
def jobs_show(run_id: int) -> None:
    """One run in full: counts, files, and every rejection kept."""
    with session_factory()() as session:
        run = session.get(JobRun, run_id)
        if run is None:
            raise click.ClickException(_("there is no run #{id}").format(id=run_id))
        click.echo(describe_run(run))
        click.echo("       " + _("trigger: {trigger}; ran in: {holder}").format(
            trigger=run.trigger, holder=run.holder or "-"))
        for name in run.files:
            click.echo("       " + _("file: {name}").format(name=name))
        if run.rejections:
            click.echo("       " + _("rejected ({n}; the first {kept} kept):").format(
                n=formats.number(run.rejected), kept=formats.number(len(run.rejections))))
        for reason in run.rejections:
            click.echo(f"         {reason}")


@jobs_group.command("run-now")
@click.argument("source")
@click.option("--actor", default="cli", show_default=True, help="Who asks, for the log.")
def jobs_run_now(source: str, actor: str) -> None:
    """Ask the scheduler to run SOURCE at its next poll (nothing runs in this process)."""
    with transaction(session_factory()) as session:
        try:
            request = request_run(session, source, requested_by=actor, now=_now())
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None
        holder = lease_holder(session, now=_now())
        request_id = request.id
    click.echo(_("run-now request #{id} for {source} left for the scheduler").format(
        id=request_id, source=source))
    if holder is None:
        click.echo(_("Warning: no scheduler is running (start one with `delivery scheduler`)."),
                   err=True)


@click.command("scheduler")
@click.option("--log-level", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]))
def scheduler_command(log_level: str) -> None:
    """Run the scheduled jobs in the foreground until stopped (Ctrl-C or SIGTERM).

    Only one scheduler process runs jobs at a time: another one waits for its lease.
    """
    from delivery.scheduler import Scheduler

    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    try:
        _, factory = open_database(settings)
    except SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from None
    Scheduler(factory, settings).serve()


COMMANDS = (sources_group, jobs_group, scheduler_command)
