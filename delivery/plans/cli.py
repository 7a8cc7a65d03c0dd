"""``delivery plans``: import delivery plans from files, list initiatives worst first, export."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from delivery.cli_support import parse_date, session_factory
from delivery.clock import review_date
from delivery.db import transaction
from delivery.i18n import _
from delivery.i18n.formats import day, percent
from delivery.importing.mapping import MappingError
from delivery.importing.reader import ReadError
from delivery.plans.board import BoardFilters, plan_board
from delivery.plans.vocabulary import MilestoneStatus

SHOWN_ERRORS = 200


@click.group("plans")
def plans() -> None:
    """Delivery plans: initiatives, milestones, physical progress and risks."""


@plans.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", "-m", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML mapping whose kind is initiatives, milestones, risks or progress "
                   "(see docs/delivery-plans.md).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--actor", default="cli", show_default=True, help="Name recorded with changes.")
def import_plans(file: Path, mapping: Path, dry_run: bool, actor: str) -> None:
    """Import initiatives, milestones, risks or physical progress from a CSV or Excel FILE.

    Refused rows are listed as file:row column: reason and the good rows kept; the same file
    again changes nothing. Exits 1 when a row was refused, 2 on a bad mapping or file.
    """
    from delivery.plans.importing import import_plan_file
    from delivery.plans.mapping import load_plan_mapping

    try:
        spec = load_plan_mapping(mapping)
        with transaction(session_factory()) as session:
            report = import_plan_file(session, file, spec, actor=actor, dry_run=dry_run)
    except (MappingError, ReadError, OSError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    if dry_run:
        click.echo(_("DRY RUN: nothing was written."))
    click.echo(report.summary())
    for error in report.errors[:SHOWN_ERRORS]:
        click.echo(f"  {error}")
    if len(report.errors) > SHOWN_ERRORS:
        click.echo(_("  and {n} more").format(n=len(report.errors) - SHOWN_ERRORS))
    if report.errors:
        sys.exit(1)


@plans.command("list")
@click.option("--late", is_flag=True, help="Only initiatives with a late milestone.")
@click.option("--as-of", callback=parse_date, help="Assess as of this date (YYYY-MM-DD; "
              "default: the review date).")
def list_plans(late: bool, as_of: date | None) -> None:
    """List the initiatives worst first: status, slip, late milestones, physical and
    financial progress."""
    with session_factory()() as session:
        as_of = as_of or review_date(session)
        board = plan_board(session, as_of, filters=BoardFilters(late_only=late))
    click.echo(_("Initiatives as of {date}: {n}").format(date=day(as_of), n=len(board)))
    for row in board.itertuples():
        status = (MilestoneStatus(row.status).label if isinstance(row.status, str)
                  else _("No milestones"))
        money = _(" · money ahead of work") if row.money_ahead else ""
        click.echo(_("  {code:<20} {status:<14} slip {slip:>4} d · {late} late · physical "
                     "{physical} · spent {spent}{money}  {name}").format(
            code=row.code, status=status, slip=row.slip, late=row.late,
            physical=percent(None if row.physical_pct != row.physical_pct
                             else row.physical_pct / 100),
            spent=percent(None if row.financial_share != row.financial_share
                          else row.financial_share), money=money, name=row.name))


@plans.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_plans_command(file: Path) -> None:
    """Write every initiative, milestone, risk and progress report to an Excel FILE, one sheet
    each, in the columns data/mappings/plans_*.yaml read back."""
    from delivery.plans.exchange import export_plans

    if file.suffix.lower() != ".xlsx":
        raise click.BadParameter(_("the file should end in .xlsx"), param_hint="FILE")
    with session_factory()() as session:
        counts = export_plans(session, file)
    click.echo(_("{file}: {initiatives} initiatives, {milestones} milestones, {risks} risks, "
                 "{progress} progress reports").format(file=file, **counts))
