"""The ``delivery`` command: database, demo, import, export, status and the web app."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from delivery.cli_support import localize, parse_date
from delivery.db import SchemaOutOfDate, current_revision, head_revision, open_database, upgrade
from delivery.i18n import _, _n, formats, use_locale
from delivery.i18n.formats import set_time_zone, use_currency
from delivery.settings import SETTINGS, Settings, load_settings
from delivery.vocabulary import Status


class Context:
    def __init__(self) -> None:
        self.settings: Settings = load_settings()

    def database(self, check: bool = True):  # type: ignore[no-untyped-def]
        try:
            return open_database(self.settings, check=check)
        except SchemaOutOfDate as exc:
            raise click.ClickException(str(exc)) from None


pass_context = click.make_pass_decorator(Context, ensure=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(command: click.Context) -> None:
    """Delivery Tracker: goals, trajectories, pacts and the weekly review.

    Settings come from environment variables (see `delivery settings`).
    """
    # Every subcommand speaks DELIVERY_LANGUAGE and shows money in DELIVERY_CURRENCY, until it
    # ends (commands run in one process, as tests do, do not leak into each other).
    try:
        settings = load_settings()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    command.with_resource(use_locale(settings.language))
    command.with_resource(use_currency(settings.currency))
    set_time_zone(settings.time_zone)


@main.command("settings")
def show_settings() -> None:
    """Show every setting, its environment variable and its current value."""
    settings = load_settings()
    for setting in SETTINGS:
        value = getattr(settings, setting.name)
        if setting.name == "secret_key" and value:
            value = "(set)"
        click.echo(f"{setting.env:36} {value!s:40} {setting.help}")


@main.group()
def db() -> None:
    """Create, upgrade or inspect the database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(ctx: Context) -> None:
    """Create the tables or bring them up to this version (safe to run again)."""
    engine, _factory = ctx.database(check=False)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    said = _("{url}: already at revision {revision}") if before == after else _(
        "{url}: upgraded to revision {revision}")
    click.echo(said.format(url=url, revision=after))


@db.command("status")
@pass_context
def db_status(ctx: Context) -> None:
    """Say whether the database is at the revision this code expects (exit 1 if not)."""
    engine, _factory = ctx.database(check=False)
    current, head = current_revision(engine), head_revision()
    click.echo(_("database revision: {current}; code expects: {head}").format(
        current=current or _("(none)"), head=head))
    if current != head:
        raise click.ClickException(_("the database is not up to date: run `delivery db upgrade`"))


@main.group()
def demo() -> None:
    """The demo government (Pernambuco-shaped, deterministic)."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has goals.")
@pass_context
def demo_load(ctx: Context, if_empty: bool) -> None:
    """Load the demo into an empty database."""
    from delivery.demo import DemoError

    _engine, factory = ctx.database()
    try:
        load_demo_and_people(factory, if_empty=if_empty)
    except DemoError as exc:
        raise click.ClickException(str(exc)) from None


def load_demo_and_people(factory, *, if_empty: bool) -> None:  # type: ignore[no-untyped-def]
    """Load the demo (``if_empty``: unless the database has goals) and, when it was loaded just
    now, its sign-in accounts; say what was done."""
    from sqlalchemy import func, select

    from delivery.demo import load_demo
    from delivery.models import Goal

    with factory() as session:
        was_empty = not session.scalar(select(func.count(Goal.id)))
    click.echo(load_demo(factory, if_empty=if_empty))
    if was_empty:  # loaded just now (in any language: the summary is translated)
        _demo_people(factory)


def _demo_people(factory) -> None:  # type: ignore[no-untyped-def]
    """Sign-in accounts for the demo, when the demo was loaded just now."""
    from delivery.db import transaction
    from delivery.users import add_demo_users_if_none

    with transaction(factory) as session:
        session.info["actor"] = "demo"
        note = add_demo_users_if_none(session)
    if note:
        click.echo(note)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", "-m", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML file saying which column is what (see docs/import-mappings.md).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--all-or-nothing", is_flag=True,
              help="Write nothing if any row is rejected (default: keep the good rows).")
@click.option("--actor", default="cli", show_default=True, help="Name recorded as reporter.")
@click.option("--known-on", callback=parse_date,
              help="The day every figure of the file became known (a backfill of history; "
                   "default: the review date). Overrides the mapping's known_on.")
@pass_context
def import_command(ctx: Context, file: Path, mapping: Path, dry_run: bool,
                   all_or_nothing: bool, actor: str, known_on: date | None) -> None:
    """Import goals and/or figures, budget accounts or goal-account links from a CSV or Excel
    FILE using a mapping (its `kind` says which).

    A backfill (figures known before the review date) is refused when --actor names a user
    who is not an analyst or admin. Exits 1 when any row was rejected, 2 on a bad mapping or
    unreadable file, 3 when another import held the database too long.
    """
    from sqlalchemy.exc import DBAPIError

    from delivery.access import named_may_backfill
    from delivery.importing import MappingError, import_file, load_mapping
    from delivery.importing.locks import ImportBusy
    from delivery.importing.report import SHOWN_ERRORS

    try:
        spec = load_mapping(mapping)
    except MappingError as exc:
        click.echo(_("Error: {message}").format(message=exc), err=True)
        sys.exit(2)
    _engine, factory = ctx.database()
    with factory() as session:
        try:
            with session.begin():
                report = import_file(session, file, spec, actor=actor, dry_run=dry_run,
                                     all_or_nothing=all_or_nothing, known_on=known_on,
                                     may_backfill=named_may_backfill(session, actor))
                if dry_run:
                    session.rollback()
        except (MappingError, OSError, ValueError) as exc:
            click.echo(_("Error: {message}").format(message=f"{file}: {exc}"), err=True)
            sys.exit(2)
        except ImportBusy as exc:
            click.echo(_("Error: {message}").format(message=f"{file}: {exc}"), err=True)
            sys.exit(3)
        except DBAPIError as exc:  # a concurrent writer won a race the lock does not cover
            reason = " ".join(str(exc.orig).split())[:200]
            click.echo(_("Error: {message}").format(message=_(
                "{file}: the database refused the import ({reason}); nothing was written: run "
                "it again").format(file=file, reason=reason)), err=True)
            sys.exit(3)
    click.echo((_("DRY RUN: nothing was written.") + "\n" if dry_run else "")
               + report.render_text(max_errors=SHOWN_ERRORS))
    if report.errors:
        sys.exit(1)


@main.group()
def export() -> None:
    """Export data."""


@export.command("figures")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV file to write (default: standard output).")
@click.option("--goal", "goal_codes", multiple=True, help="Only this goal code (repeatable).")
@click.option("--as-of", callback=parse_date, help="Figures as known on this date.")
@click.option("--all-revisions", is_flag=True, help="Every revision, not just the one in force.")
@pass_context
def export_figures(ctx: Context, output: Path | None, goal_codes: tuple[str, ...],
                   as_of: date | None, all_revisions: bool) -> None:
    """Export figures as CSV (goal code, period, value, revision, provisional, source...)."""
    from delivery.exports import csv_text, figures_frame

    _engine, factory = ctx.database()
    with factory() as session:
        try:
            frame = figures_frame(session, goal_codes=list(goal_codes), as_of=as_of,
                                  all_revisions=all_revisions)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None
    text = csv_text(frame)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(_n("wrote {n} figure to {file}", "wrote {n} figures to {file}", len(frame))
                   .format(n=formats.number(len(frame)), file=output), err=True)
    else:
        click.echo(text, nl=False)


@main.command("status")
@click.option("--as-of", callback=parse_date, help="Date to assess (default: the review date).")
@click.option("--only", type=click.Choice(["on_track", "slipping", "off_track", "no_recent_data"]),
              help="Only goals with this status.")
@pass_context
def status_command(ctx: Context, as_of: date | None, only: str | None) -> None:
    """Print the computed status of every goal."""
    from delivery.assessment import goal_statuses
    from delivery.clock import review_date

    _engine, factory = ctx.database()
    with factory() as session:
        day = as_of or review_date(session)
        frame = goal_statuses(session, day)
    if only:
        frame = frame[frame["status"] == only]
    click.echo(_n("Status as of {date}: {n} goal", "Status as of {date}: {n} goals",
                  len(frame)).format(date=formats.day(day), n=len(frame)))
    for row in frame.itertuples():
        click.echo(f"{row.code:28} {Status(row.status).label:15} {row.reason}")


@main.command("run")
@click.option("--host", help="Address to listen on (default: DELIVERY_HOST).")
@click.option("--port", type=int, help="Port (default: DELIVERY_PORT).")
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Create the database and load the demo if it is empty.")
@pass_context
def run(ctx: Context, host: str | None, port: int | None, demo: bool) -> None:
    """Run the web app on the development server (in production: `delivery serve`)."""
    if demo:
        engine, factory = ctx.database(check=False)
        upgrade(engine)
        load_demo_and_people(factory, if_empty=True)
    # The composition root is the one place the domain package reaches for the UI.
    from dashboards.app import create_app

    try:
        app = create_app(ctx.settings)
    except SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from None
    app.run(host=host or ctx.settings.host, port=port or ctx.settings.port,
            debug=ctx.settings.debug)


@main.command("serve")
@click.option("--host", help="Address to listen on (default: DELIVERY_HOST).")
@click.option("--port", type=int, help="Port (default: DELIVERY_PORT).")
@click.option("--workers", type=int, help="Worker processes (default: DELIVERY_WEB_WORKERS).")
@pass_context
def serve_command(ctx: Context, host: str | None, port: int | None,
                  workers: int | None) -> None:
    """Serve the web app in production: gunicorn, several workers, access log to stdout.

    Run `delivery db upgrade` first; the database must be up to date.
    """
    from delivery.serving import gunicorn_options, serve, warm_review

    engine, _factory = ctx.database()  # refuses a schema that is behind, before workers start
    engine.dispose()
    settings = ctx.settings
    settings.resolved_secret_key()  # made once here: workers racing to make it would disagree

    def load_app():  # type: ignore[no-untyped-def]
        from dashboards.app import create_app

        server = create_app(settings).server
        kept = server.extensions["delivery"]
        warm_review(kept["session_factory"], kept["engine"])  # before the fork: all start warm
        return server

    serve(load_app, gunicorn_options(settings, workers=workers, host=host, port=port))


def _register_subcommands() -> None:
    from delivery.api.cli import tokens
    from delivery.briefing.cli import briefing
    from delivery.ingestion.cli import COMMANDS as ingestion_commands
    from delivery.meetings_cli import meetings
    from delivery.notifications.cli import reminders
    from delivery.plans.cli import plans
    from delivery.users_cli import users
    from strategy_maps.cli import map_group

    main.add_command(map_group)
    main.add_command(meetings)
    main.add_command(users)
    main.add_command(briefing)
    main.add_command(reminders)
    main.add_command(plans)
    main.add_command(tokens)
    for command in ingestion_commands:
        main.add_command(command)


_register_subcommands()
localize(main)

if __name__ == "__main__":
    main()
