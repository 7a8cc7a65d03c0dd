"""Builders for the analyst workspace screens: plain data in, components or rows out, so tests
import them without an app. No AG Grid string functions here (they would need ``eval``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboards.components.grid_cells import date_column, number_column
from delivery.dates import DateError, parse_day
from delivery.i18n import N_, _, _l, formats
from delivery.importing import ImportReport, RowError
from delivery.ingestion.jobs import run_state_label
from delivery.trajectories import Milestone
from delivery.vocabulary import Shape, flag_kind_label

SCREENS = [  # path, label
    ("/workspace/trajectory", N_("Trajectories")),
    ("/workspace/figures", N_("Figures")),
    ("/workspace/import", N_("Import a file")),
    ("/workspace/quality", N_("Data quality")),
    ("/workspace/jobs", N_("Scheduled jobs")),
    ("/workspace/public", N_("Public goals")),
    ("/workspace/plans", N_("Delivery plans")),
]
MAX_ERRORS_SHOWN = 200
WRAPPED = {"lineHeight": "1.4", "paddingTop": "8px", "paddingBottom": "8px"}


def workspace_nav(active: str) -> dbc.Nav:
    """The workspace's own row of tabs, the current screen marked."""
    return dbc.Nav([dbc.NavItem(dbc.NavLink(_(label), href=path, active=path == active))
                    for path, label in SCREENS], pills=True, className="mb-3 workspace-nav")


def screen_header(title: str, subtitle: str, active: str) -> html.Div:
    return html.Div([
        workspace_nav(active),
        html.H1(_(title), className="h3 mb-0"),
        html.Div(_(subtitle), className="text-muted mb-3"),
    ])


# -- trajectories -----------------------------------------------------------------------------

def milestone_rows(milestones: Iterable[Milestone]) -> list[dict[str, Any]]:
    """Grid rows, one per milestone: ISO date text and the value."""
    return [{"on": d.isoformat(), "value": round(float(v), 2)} for d, v in milestones]


def read_milestones(rows: Sequence[dict[str, Any]] | None) -> list[Milestone]:
    """Milestones from grid rows, sorted by date; blank rows are skipped.

    Raises ValueError naming the row (as numbered on screen) whose date or value is not
    understood, or two rows with the same date.
    """
    found: dict[date, float] = {}
    for number, row in enumerate(rows or [], start=1):
        on, value = str(row.get("on") or "").strip(), row.get("value")
        if not on and value in (None, ""):
            continue
        try:
            if not on:
                raise ValueError(_("{field}: missing").format(field=_("date")))
            try:
                day = parse_day(on)
            except DateError as exc:
                raise ValueError(exc) from None
            if value in (None, "") or isinstance(value, bool):
                raise ValueError(_("{field}: missing").format(field=_("value")) if value in (
                    None, "") else _("{field}: {text} is not a number").format(
                        field=_("value"), text=repr(value)))
            try:
                number_value = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise ValueError(_("{field}: {text} is not a number").format(
                    field=_("value"), text=repr(value))) from None
            if day in found:
                raise ValueError(_("two milestones on {date}").format(date=formats.day(day)))
        except ValueError as error:
            raise ValueError(_("row {number}: {error}").format(number=number,
                                                               error=error)) from None
        found[day] = number_value
    return sorted(found.items())


def unrounded(milestones: Sequence[Milestone], loaded: Sequence[Milestone]) -> list[Milestone]:
    """The grid shows values to two decimals: a milestone left as loaded keeps its exact value,
    so that a save changes only what the person changed."""
    exact = {d: v for d, v in loaded}
    return [(d, exact[d] if d in exact and round(exact[d], 2) == v else v)
            for d, v in milestones]


def shape_to_save(shape: Shape, milestones: Sequence[Milestone]) -> Shape:
    """An S-curve is one smoothstep between two anchors; with points in between it is saved as
    hand-set milestones (straight lines between them), so the path does not wiggle."""
    if shape is Shape.S_CURVE and len(milestones) > 2:
        return Shape.MILESTONES
    return shape


SHAPE_LABELS = {  # marked here, translated where shown (``shape_label``)
    Shape.LINEAR: N_("Straight line"), Shape.S_CURVE: N_("S-curve (slow start, slow finish)"),
    Shape.STEP: N_("Steps at each year end"), Shape.MILESTONES: N_("Hand-set milestones"),
}


def shape_label(shape: Shape) -> str:
    return _(SHAPE_LABELS[shape])


def milestone_columns() -> list[dict[str, Any]]:
    """The date and the value of each milestone, both as the reader writes them."""
    return [date_column("on", _("Date"), flex=1),
            number_column("value", _("Planned value"), flex=1)]


# -- import -----------------------------------------------------------------------------------

def import_counts(report: ImportReport) -> list[tuple[str, int]]:
    """The counts a person checks before importing, in reading order, zeros left out."""
    counts = [
        (N_("rows read"), report.rows_read),
        (N_("left out by the mapping's filter"), report.skipped_by_filter),
        (N_("new figures"), report.figures_new),
        (N_("revised figures"), report.figures_revised),
        (N_("consolidated figures"), report.figures_consolidated),
        (N_("unchanged figures"), report.figures_unchanged),
        (N_("backfilled figures (known before the review date)"), report.figures_backfilled),
        (N_("new goals"), report.goals_created),
        (N_("updated goals"), report.goals_updated),
        (N_("blank values skipped"), report.blank_values),
        (N_("repeated rows ignored"), report.duplicate_rows),
        (N_("rejected rows"), report.rejected),
    ]
    return [(label, n) for label, n in counts if n or label in {"rows read", "rejected rows"}]


def import_summary(report: ImportReport) -> html.Div:
    """What the file would do (dry run) or did, and every rejected row."""
    if report.dry_run:
        head = dbc.Alert([html.Strong(_("Preview only: nothing has been stored. ")),
                          _("Check the counts and the rejected rows, then import.")],
                         color="info", className="py-2 mb-2")
    else:
        head = dbc.Alert(html.Strong(_("Imported.") if report.written else
                                     _("Nothing was stored.")),
                         color="success" if report.written else "warning", className="py-2 mb-2")
    items = [html.Li([html.Span(formats.number(n, decimals=0), className="fw-semibold"),
                      f" {_(label)}"],
                     className="list-inline-item me-4") for label, n in import_counts(report)]
    return html.Div([head, html.Ul(items, className="list-inline mb-3 import-counts"),
                     figure_changes_table(report), row_errors_table(report.errors)],
                    className="import-summary")


def figure_changes_table(report: ImportReport) -> html.Div | None:
    """The figures the file writes (or would), each beside the value stored before: revised
    ones first, largest change first; new periods after."""
    if not report.changes:
        return None
    total = report.figures_written
    rows = [html.Tr([html.Td(c.goal), html.Td(formats.day(c.period_start)),
                     html.Td(_("new") if c.before is None else formats.number(c.before),
                             className="text-end"),
                     html.Td(formats.number(c.after), className="text-end"),
                     html.Td("" if c.before is None else formats.change(c.after - c.before),
                             className="text-end")])
            for c in report.changes]
    heading = (_("Figures that would change") if report.dry_run
               else _("Figures written"))
    shown = _("{shown} of {total}, revised ones first, the largest change first").format(
        shown=formats.number(len(report.changes), decimals=0),
        total=formats.number(total, decimals=0))
    return html.Div([
        html.H2(heading, className="h6 mt-2"), html.P(shown, className="small text-muted"),
        html.Div(dbc.Table([html.Thead(html.Tr([
            html.Th(_("Goal")), html.Th(_("Period from")),
            html.Th(_("Before"), className="text-end"), html.Th(_("After"), className="text-end"),
            html.Th(_("Change"), className="text-end")])), html.Tbody(rows)],
            size="sm", striped=True, className="figure-changes bg-white mb-0"),
            className="table-responsive mb-3")])


def row_errors_table(errors: Sequence[RowError]) -> html.Div:
    if not errors:
        return html.P(_("No row was rejected."), className="text-success mb-0")
    shown = errors[:MAX_ERRORS_SHOWN]
    body = [html.Tr([html.Td(e.row), html.Td(e.column or "—"), html.Td(e.reason)])
            for e in shown]
    more = len(errors) - len(shown)
    return html.Div([
        html.H2(_("Rejected rows ({n})").format(n=formats.number(len(errors), decimals=0)),
                className="h6 mt-2"),
        dbc.Table([html.Thead(html.Tr([html.Th(_("Row"), style={"width": "5rem"}),
                                       html.Th(_("Column"), style={"width": "12rem"}),
                                       html.Th(_("Why"))])),
                   html.Tbody(body)], size="sm", striped=True, className="row-errors bg-white"),
        html.P(_("... and {count} more.").format(count=formats.number(more, decimals=0)),
               className="text-muted") if more else None,
    ])


# -- data quality and jobs --------------------------------------------------------------------

def _when(moment: datetime | None) -> str:
    return formats.moment(moment) if moment else ""


def flag_rows(flags: Iterable[Any], codes: dict[int, str]) -> list[dict[str, Any]]:
    """Grid rows for data-quality flags; ``codes`` maps goal ids to goal codes."""
    return [{
        "id": f.id, "goal": codes.get(f.goal_id, str(f.goal_id)), "kind": flag_kind_label(f.kind),
        "reason": f.reason, "raised": _when(f.raised_at), "state": f.state.label,
        "resolved": " ".join(x for x in (f.resolved_by or "", _when(f.resolved_at)) if x),
        "note": f.resolution_note or "",
    } for f in flags]


def flag_columns() -> list[dict[str, Any]]:
    return [
        {"field": "goal", "headerName": _("Goal"), "width": 190, "pinned": "left"},
        {"field": "kind", "headerName": _("Kind"), "width": 140},
        {"field": "reason", "headerName": _("Reason"), "flex": 1, "minWidth": 320,
         "wrapText": True, "autoHeight": True, "cellStyle": WRAPPED},
        {"field": "state", "headerName": _("State"), "width": 110},
        {"field": "raised", "headerName": _("Raised"), "width": 150},
        {"field": "resolved", "headerName": _("Resolved"), "width": 190},
        {"field": "note", "headerName": _("Note"), "width": 200, "wrapText": True,
         "autoHeight": True, "cellStyle": WRAPPED},
    ]


def source_rows(sources: Iterable[Any], last_runs: dict[int, Any],
                waiting: set[int]) -> list[dict[str, Any]]:
    """One row per source: its schedule, its last run, whether a run-now is waiting."""
    rows = []
    for s in sources:
        run = last_runs.get(s.id)
        schedule = s.cron or (_("every {n} min").format(n=s.interval_seconds // 60)
                              if s.interval_seconds else _("only when asked"))
        rows.append({
            "name": s.name, "kind": s.kind.value, "schedule": schedule,
            "enabled": _("yes") if s.enabled else _("no"),
            "last_run": _when(run.started_at) if run else _("never"),
            "last_state": run_state_label(run.state) if run else "",
            "waiting": _("run requested") if s.id in waiting else "",
        })
    return rows


def run_rows(runs: Iterable[Any]) -> list[dict[str, Any]]:
    return [{
        "id": r.id, "source": r.source.name, "started": _when(r.started_at),
        "state": run_state_label(r.state), "read": r.rows_read, "new": r.figures_new,
        "revised": r.figures_revised, "rejected": r.rejected, "error": r.error_text or "",
    } for r in runs]


def simple_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
                 empty: str, class_name: str) -> html.Div | dbc.Table:
    """A plain table of ``rows`` with ``(key, header)`` columns, or ``empty`` when none."""
    if not rows:
        return html.P(empty, className=f"text-muted {class_name}-empty")
    return dbc.Table([
        html.Thead(html.Tr([html.Th(_(h) if h != "#" else h) for _key, h in columns])),
        html.Tbody([html.Tr([html.Td(row.get(k, "")) for k, _head in columns]) for row in rows]),
    ], size="sm", striped=True, className=f"{class_name} bg-white stack-on-phone")


DEFAULT = "default"  # a rule left to the default its goal's unit implies
RULE_LABELS = {  # rule field -> label on the rules form
    "allow_negative": _l("Negative values"),
    "allow_over_100": _l("Percentages over 100"),
    "min_plausible": _l("Plausible from"),
    "max_plausible": _l("Plausible up to"),
    "max_jump": _l("Largest jump from the previous period (1 = 100%; 0 = no limit)"),
}


def rules_form(ids: dict[str, str], goals: Sequence[tuple[int, str, str]]) -> dbc.Card:
    """A goal's plausibility rules: each field blank for "the default its unit implies"."""
    def choice(field: str) -> dbc.Select:
        return dbc.Select(id=ids[field], value=DEFAULT, options=[
            {"label": _("Default for the unit"), "value": DEFAULT},
            {"label": _("Allowed"), "value": "yes"},
            {"label": _("Refused"), "value": "no"}])

    def number(field: str) -> dbc.Input:
        return dbc.Input(id=ids[field], type="text", inputMode="decimal",
                         placeholder=_("default"), debounce=True)

    fields = [dbc.Col([dbc.Label(str(label), html_for=ids[f], className="small mb-1"),
                       choice(f) if f.startswith("allow_") else number(f)], xs=12, md=6, lg=4,
                      className="mb-2") for f, label in RULE_LABELS.items()]
    return dbc.Card(dbc.CardBody([
        html.Div(_("Plausibility rules of a goal"), className="fw-semibold mb-1"),
        html.Div(_("A figure breaking a rule is refused; one outside the plausible band or "
                   "jumping beyond the limit needs a note and is flagged here."),
                 className="small text-muted mb-2"),
        dbc.Label(_("Goal"), html_for=ids["goal"], className="small mb-1"),
        dbc.Select(id=ids["goal"], placeholder=_("Pick a goal"), className="mb-2", options=[
            {"label": f"{code} · {name}", "value": str(goal_id)}
            for goal_id, code, name in goals]),
        dbc.Row(fields),
        html.Div(id=ids["in_force"], className="small text-muted mb-2"),
        dbc.Button(_("Save the rules"), id=ids["save"], color="primary"),
        html.Div(id=ids["result"], className="mt-2"),
    ]), className="border-0 shadow-sm mt-3")


def rules_in_force(rules: Any) -> str:
    """One line: the rules a goal's figures are judged by now."""
    low = "" if rules.min_plausible is None else formats.number(rules.min_plausible)
    high = "" if rules.max_plausible is None else formats.number(rules.max_plausible)
    band = (_("from its own history once it has 12 figures") if not (low or high)
            else _("{low} to {high}").format(low=low or "…", high=high or "…"))
    return _("In force: unit read as {kind}; negative values {negative}; over 100% {over}; "
             "plausible band {band}; jump limit {jump}.").format(
        kind=rules.kind.value, band=band,
        negative=_("allowed") if rules.allow_negative else _("refused"),
        over=_("allowed") if rules.allow_over_100 else _("refused"),
        jump=_("none") if rules.max_jump is None else formats.percent(rules.max_jump))


def rule_form_values(row: Any) -> list[str]:
    """The form's field values for a goal's ``goal_rule`` row (blank where default)."""
    values = []
    for field in RULE_LABELS:
        value = getattr(row, field) if row is not None else None
        if value is None:
            values.append(DEFAULT if field.startswith("allow_") else "")
        elif field.startswith("allow_"):
            values.append("yes" if value else "no")
        else:
            values.append(f"{value:g}")
    return values
