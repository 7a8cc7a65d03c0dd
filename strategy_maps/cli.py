"""``delivery map ...``: validate the strategy map, roll it up, trace impact, import/export."""

from __future__ import annotations

import json
import math
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from delivery.cli_support import parse_date, session_factory
from delivery.i18n import _, _n, formats
from strategy_maps.index import MapIndex
from strategy_maps.loader import build_graph

KIND_ORDER = ("pillar", "objective", "pact", "secretariat")


def _as_of(session: Session, as_of: date | None) -> date:
    from delivery.clock import review_date

    return as_of or review_date(session)


def _fy_end() -> int:
    from delivery.settings import load_settings

    return load_settings().fiscal_year_end_month


def _columns(*cells: tuple[str, int]) -> str:
    """A heading row: each text padded to its width (a negative width aligns it right)."""
    return " ".join(text.rjust(-width) if width < 0 else text.ljust(width)
                    for text, width in cells)


def _blank(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _num(value: float | None, decimals: int = 0) -> str:
    """A number of a report's column in the reader's format ("" when missing)."""
    return "" if _blank(value) else formats.number(value, decimals=decimals)


def _signed(value: float | None, decimals: int = 1) -> str:
    """A change with its sign, in the reader's format (``+2,5``, ``-1,0``)."""
    if _blank(value):
        return ""
    return ("+" if value >= 0 else "-") + formats.number(abs(value), decimals=decimals)


def _share(value: float | None, decimals: int = 0, *, signed: bool = False) -> str:
    """A share as a percentage in the reader's format ("" when missing)."""
    if _blank(value):
        return ""
    text = formats.percent(abs(value) if signed else value, decimals=decimals)
    return (("+" if value >= 0 else "-") + text) if signed else text


@click.group("map", context_settings={"help_option_names": ["-h", "--help"]})
def map_group() -> None:
    """The strategy map: validate it, roll it up, trace impact, import and export it."""


@map_group.command("validate")
@click.option("--json", "as_json", is_flag=True, help="Findings as JSON.")
def validate_command(as_json: bool) -> None:
    """List what is wrong or missing in the map, each finding naming its nodes.

    Exits 1 when there is any error (warnings alone exit 0).
    """
    from strategy_maps.validation import ERROR, severity_name, validate

    with session_factory()() as session:
        graph = build_graph(session)
    findings = validate(graph)
    if as_json:
        click.echo(json.dumps([f.to_dict(graph) for f in findings], ensure_ascii=False,
                              indent=1))
    else:
        for f in findings:
            click.echo(f"{severity_name(f.severity):7} {f.rule:24} {f.message}")
        errors = sum(f.severity == ERROR for f in findings)
        click.echo(_("{n} finding(s): {errors} error(s), {warnings} warning(s)").format(
            n=len(findings), errors=errors, warnings=len(findings) - errors))
    if any(f.severity == ERROR for f in findings):
        sys.exit(1)


@map_group.command("rollup")
@click.option("--as-of", callback=parse_date, help="Date to assess (default: the review date).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KIND_ORDER),
              help="Only nodes of this kind (repeatable).")
@click.option("--money/--no-money", default=True, show_default=True,
              help="Add appropriated, committed and spent for the fiscal year.")
@click.option("--fiscal-year", type=int, help="Fiscal year of the money (default: as of).")
@click.option("--rule", is_flag=True, help="Print how the roll-up is worked out first.")
def rollup_command(as_of: date | None, kinds: tuple[str, ...], money: bool,
                   fiscal_year: int | None, rule: bool) -> None:
    """Goals on track, slipping, off track and without data, score and four-week trend, for
    every pillar, objective, pact and secretariat."""
    from strategy_maps.nodes import kind_name
    from strategy_maps.plans import late_milestones_per_node
    from strategy_maps.reports import money_for_year, rollup_as_of
    from strategy_maps.rollup import earlier_date, rollup_rule, trend_text

    with session_factory()() as session:
        day = _as_of(session, as_of)
        index = MapIndex.of(build_graph(session))
        frame = rollup_as_of(session, day, index)
        frame["late_milestones"] = late_milestones_per_node(index, session, day).to_numpy()
    if rule:
        click.echo(rollup_rule())
    year = None
    if money:
        year, cash = money_for_year(index, day, fiscal_year, _fy_end())
        frame = frame.merge(cash[["node", "appropriated", "committed", "spent"]], on="node",
                            how="left")
    if kinds:
        frame = frame[frame["kind"].isin(kinds)]
    # (the words are translated outside the f-strings: gettext extraction does not look inside)
    heading = _columns((_("kind"), 12), (_("code"), 14), (_("goals"), -5), (_("on"), -4),
                       (_("slip"), -4), (_("off"), -4), (_("n/d"), -4), (_("score"), -5),
                       (_("4wk"), -5), (_("trend"), -6)) + "  " + " " * 10 + " " + _columns(
                           (_("late ms"), -7))
    if money and year is not None:
        heading += "   " + _("FY{year} appropriated / committed / spent").format(year=year)
    click.echo(_("Roll-up as of {date} (trend against {earlier})").format(
        date=formats.day(day), earlier=formats.day(earlier_date(day))))
    click.echo(heading)
    for row in frame.itertuples():
        line = (f"{kind_name(row.kind):12} {row.code:14} {row.goals:5d} {row.on_track:4d} "
                f"{row.slipping:4d} {row.off_track:4d} {row.no_recent_data:4d} "
                f"{_num(row.score):>5} {_num(row.previous_score):>5} "
                f"{_signed(row.trend):>6}  {trend_text(row.trend_label):10} "
                f"{row.late_milestones:7d}")
        if money and year is not None:
            line += (f" {_num(row.appropriated):>16} {_num(row.committed):>16}"
                     f" {_num(row.spent):>16}")
        click.echo(line.rstrip())


@map_group.command("impact")
@click.argument("goal_codes", nargs=-1, required=True)
@click.option("--as-of", callback=parse_date, help="Date of the statuses (default: review date).")
def impact_command(goal_codes: tuple[str, ...], as_of: date | None) -> None:
    """Which pillars, objectives and pacts are exposed if the goals GOAL_CODES slip. A code
    may name an initiative: a late initiative exposes what the goals it serves expose."""
    from strategy_maps.impact import impact
    from strategy_maps.nodes import kind_name
    from strategy_maps.plans import add_plans
    from strategy_maps.reports import statuses_on

    with session_factory()() as session:
        day = _as_of(session, as_of)
        graph = add_plans(build_graph(session), session)
        goals, served = _goals_named(graph, goal_codes)
        frame = impact(MapIndex.of(graph), goals, statuses_on(session, day))
    for initiative, codes in served.items():
        click.echo(_("Initiative {code} serves {goals}.").format(
            code=initiative, goals=", ".join(codes) or _("no goal")))
    click.echo(_("If {codes} went off track (statuses as of {date}):").format(
        codes=", ".join(goal_codes), date=formats.day(day)))
    click.echo(_columns((_("kind"), 10), (_("code"), 14), (_("exposure"), -8),
                        (_("score"), -6), (_("if off"), -6), (_("drop"), -5)) + "  " + _("name"))
    for row in frame.itertuples():
        click.echo(f"{kind_name(row.kind):10} {row.code:14} {_share(row.exposure, 1):>8} "
                   f"{_num(row.score):>6} "
                   f"{_num(row.score_if_off_track):>6} {_num(row.drop):>5}  {row.label}")


def _goals_named(graph: Any, codes: tuple[str, ...]) -> tuple[list, dict[str, list[str]]]:
    """The goal nodes named by ``codes`` (goal or initiative codes), and for each initiative
    the codes of the goals it serves."""
    from strategy_maps.nodes import GOAL, by_code
    from strategy_maps.plans import INITIATIVE, goals_advanced

    goals, served = [], {}
    for code in codes:
        try:
            goals.append(by_code(graph, GOAL, code))
            continue
        except KeyError:
            pass
        try:
            advanced = goals_advanced(graph, [by_code(graph, INITIATIVE, code)])
        except KeyError:
            raise click.ClickException(_("no goal or initiative with code {code}").format(
                code=repr(code))) from None
        served[code] = [graph.nodes[g]["code"] for g in advanced]
        goals += [g for g in advanced if g not in goals]
    return goals, served


@map_group.command("keystones")
@click.option("--top", default=15, show_default=True, help="How many goals to list.")
def keystones_command(top: int) -> None:
    """The goals that most objectives depend on."""
    from strategy_maps.impact import keystones

    with session_factory()() as session:
        frame = keystones(MapIndex.of(build_graph(session)), top)
    click.echo(_columns((_("goal"), 28), (_("objectives"), -10), (_("weight"), -7),
                        (_("pacts"), -5)) + "  " + _("depends on it"))
    for row in frame.itertuples():
        click.echo(f"{row.code:28} {row.objectives:10d} {_num(row.weight, 3):>7} {row.pacts:5d}  "
                   f"{row.objective_codes}")


@map_group.command("money")
@click.option("--as-of", callback=parse_date, help="Date to assess (default: the review date).")
@click.option("--fiscal-year", type=int, help="Fiscal year (default: as of).")
@click.option("--all", "show_all", is_flag=True, help="Every funded goal, not only flagged.")
def money_command(as_of: date | None, fiscal_year: int | None, show_all: bool) -> None:
    """Spending against physical progress per goal, and cost per unit of output."""
    from delivery.vocabulary import Status
    from pacts.budget import flag_words, spending_rule
    from strategy_maps.reports import spending_report, unit_costs

    end_month = _fy_end()
    with session_factory()() as session:
        day = _as_of(session, as_of)
        index = MapIndex.of(build_graph(session))
        spending = spending_report(session, day, fiscal_year=fiscal_year, end_month=end_month,
                                   index=index)
        costs = unit_costs(session, day, end_month=end_month, index=index)
    click.echo(spending_rule())
    if not spending.empty:
        shown = spending if show_all else spending[spending["flag"] != ""]
        year = int(spending["fiscal_year"].iloc[0])
        click.echo(_("FY{year} as of {date}: {shown} of {total} funded goals shown").format(
            year=year, date=formats.day(day), shown=len(shown), total=len(spending)))
        for row in shown.itertuples():
            status = Status(row.status).label if row.status in Status._value2member_map_ \
                else str(row.status)
            click.echo(_("{code} {status} spent {execution} pace {pace} progress {progress}  "
                         "{flag}").format(
                code=f"{row.code:28}", status=f"{status:15}",
                execution=f"{_share(row.execution, 1):>6}", pace=f"{_num(row.pace, 2):>5}",
                progress=f"{_share(row.physical_progress):>5}",
                flag=flag_words(row.flag)).rstrip())
    click.echo("\n" + _("Cost per unit of output (spent / output; change on the year before)"))
    for row in costs.itertuples():
        partial = "" if row.complete else " " + _n("(partial year: {n} period)",
                                                   "(partial year: {n} periods)",
                                                   row.periods).format(n=row.periods)
        click.echo(_("{code} FY{year} {output} {unit} {cost} per unit {change}").format(
            code=f"{row.code:28}", year=row.fiscal_year, output=f"{_num(row.output):>14}",
            unit=f"{row.unit or '':16}", cost=f"{_num(row.cost_per_unit, 2):>12}",
            change=f"{_share(row.cost_change, 1, signed=True):>7}") + partial)


@map_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_command(file: Path) -> None:
    """Write the whole map to FILE: .yaml, .xlsx, .json (node-link) or .graphml."""
    from strategy_maps.exchange import export_map

    with session_factory()() as session:
        try:
            export_map(session, file)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(_("wrote the map to {file}").format(file=file))


@map_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and count; write nothing.")
@click.option("--actor", default="cli", show_default=True, help="Name in the audit trail.")
def import_command(file: Path, dry_run: bool, actor: str) -> None:
    """Load a map from FILE (.yaml or .xlsx): rows are matched by code and created or
    updated; nothing is deleted. Nothing is written if any row has a problem (exit 1)."""
    from strategy_maps.exchange import import_map

    with session_factory()() as session:
        session.info["actor"] = actor
        try:
            with session.begin():
                report = import_map(session, file)
                if dry_run or report.problems:
                    session.rollback()
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo((_("DRY RUN: nothing was written.") + "\n" if dry_run else "")
               + report.render_text())
    if report.problems:
        sys.exit(1)
