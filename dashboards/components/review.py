"""The weekly review's blocks, built from ``delivery.review.WeeklyReview`` frames (pure: no
database, no callbacks). Lists are cut to the top N before any component is built."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboards.components.commitments import commitment_link
from dashboards.components.status import status_badge, status_bar, status_counts_line
from dashboards.figures.trajectory import (
    FlagBand,
    GoalChart,
    sparkline_svg,
    svg_data_uri,
)
from dashboards.theme import STATUS_COLOURS, STATUS_ORDER
from delivery.dates import day_or_none
from delivery.goal_dossier import GoalDossier
from delivery.i18n import _, _l, _n, formats
from delivery.review import WeeklyReview
from delivery.status import format_date, format_number
from delivery.vocabulary import CommitmentState, FlagState, Status, flag_kind_label
from pacts.budget import flag_words

TOP = 10
# Status changes and corrections listed (worst first); the rest counted: at national scale
# half of 20,000 goals may change status in a week, and a row per goal is 14 s of server time
# and megabytes to the browser.
SHOWN = 50


def parse_as_of(text: object) -> date | None:
    """``?as_of=2023-01-16`` from a URL; None when absent, not a date, or outside the years
    1900-2200 (a forged 9999-12-31 would overflow the day-after arithmetic of "as of"); the
    page then says so (see ``dashboards.auth.date_notice``)."""
    return day_or_none(text)


def rows_of(frame: pd.DataFrame, columns: list[str]):  # type: ignore[no-untyped-def]
    """Named tuples of the ``columns`` ``frame`` has: pandas builds ``itertuples`` column by
    column, and the review's frames are some forty columns wide."""
    return frame[[c for c in columns if c in frame.columns]].itertuples()


def goal_href(code: str) -> str:
    return "/goal/" + quote(code, safe="")


def group_href(kind: str, code: str) -> str:
    return f"/{kind}/" + quote(code, safe="")


def value_text(value: float | None, unit: str = "", *, with_unit: bool = True,
               up_to: int | None = None) -> str:
    """A figure with the precision its unit deserves (``up_to``: as typed, up to that many
    decimals), the unit after it when short (and ``with_unit``)."""
    if not with_unit:
        return formats.number(value, unit, up_to=up_to)
    return formats.with_unit(value, unit, up_to=up_to, longest=12)


def latest_vs_plan(latest: float | None, planned: float | None, unit: str = "") -> str:
    """``1.234 vs 1.100`` in the figures' precision (the unit is shown beneath)."""
    return _("{latest} vs {planned}").format(
        latest=value_text(latest, unit, with_unit=False),
        planned=value_text(planned, unit, with_unit=False))


def section(title: str, body, *, note: str = "", class_name: str = "") -> html.Section:  # type: ignore[no-untyped-def]
    head = [html.H2(title, className="h5 mb-0")]
    if note:
        head.append(html.Div(note, className="small text-muted"))
    return html.Section([html.Div(head, className="mb-2"), body],
                        className=f"review-section {class_name}")


def pillar_glance(statuses: pd.DataFrame, progress: pd.DataFrame) -> dbc.Row:
    """One card per pillar: its goals by status and a sparkline of progress against plan."""
    cards = []
    # counted on two columns: a group of the whole 20,000-goal frame costs more than the page
    tally = statuses.groupby(["pillar_code", "pillar", "status"], sort=False).size()
    series_of = dict(tuple(progress.groupby("pillar_code", sort=False)))
    for (code, name), by_status in tally.groupby(level=[0, 1], sort=False):
        counts = by_status.droplevel([0, 1]).to_dict()
        series = series_of.get(code, progress.iloc[0:0])
        latest = series.iloc[-1] if len(series) else None
        gap = ("" if latest is None else
               _("{achieved} of the promised change achieved, {planned} planned").format(
                   achieved=formats.percent(latest["actual"]),
                   planned=formats.percent(latest["planned"])))
        cards.append(dbc.Col(html.A(html.Div([
            html.Div([html.Span(name, className="pillar-name"),
                      html.Span(goals_count(sum(counts.values())),
                                className="small text-muted text-nowrap")],
                     className="d-flex justify-content-between align-items-baseline gap-2"),
            status_bar(counts),
            html.Div(_count_chips(counts), className="glance-counts"),
            html.Img(src=svg_data_uri(sparkline_svg(series)), alt=gap or _("No figures yet"),
                     className="sparkline"),
            html.Div(gap, className="small text-muted"),
        ], className="glance-card"), href=group_href("pillar", code), className="glance-link"),
            className="col-glance"))
    return dbc.Row(cards, className="g-3 glance-row")


def _count_chips(counts: dict) -> list:
    return [html.Span([html.B(formats.number(counts.get(s.value, 0), decimals=0),
                              style={"color": STATUS_COLOURS[s]}),
                       " " + s.counted(counts.get(s.value, 0))], className="me-2 text-nowrap")
            for s in STATUS_ORDER]


def goals_count(n: int) -> str:
    """``12 goals`` / ``12 metas``."""
    return _n("{n} goal", "{n} goals", n).format(n=formats.number(n, decimals=0))


def focus_card(review: WeeklyReview, commitments: pd.DataFrame | None = None, *,
               can_close: bool = False) -> html.Div:
    """The objective in focus this week: its goals by status, the trend of its progress against
    plan over twelve months, its worst goals and the open commitments on its goals (with Mark
    done for those who may close them)."""
    focus = review.focus
    if focus is None:
        return dbc.Alert(_("No strategic objective yet."), color="secondary")
    goals = review.statuses[review.statuses["objective_id"] == focus.id]
    counts = goals["status"].value_counts().to_dict()
    worst = goals[goals["status"].isin(["off_track", "slipping"])].sort_values(
        "shortfall", ascending=False).head(5)
    return html.Div([
        html.Div([
            html.Div([html.A(focus.name, href=group_href("objective", focus.code),
                             className="h4 d-block mb-1 focus-name"),
                      html.Div(f"{focus.code} · {review.focus_why}",
                               className="small text-muted")]),
            html.Div(goals_count(len(goals)), className="text-muted text-nowrap"),
        ], className="d-flex justify-content-between align-items-start gap-3"),
        status_bar(counts, height="12px"),
        html.Div(status_counts_line(counts), className="mt-2 mb-2"),
        focus_trend(review.focus_progress),
        attention_table(worst, compact=True) if len(worst) else
        html.Div(_("Every goal of this objective is on track or awaiting data."),
                 className="text-muted small"),
        html.Div([html.Div(_("Open commitments on its goals"), className="small fw-semibold mt-3"),
                  commitments_table(commitments, can_close=can_close, where="focus",
                                    empty=_("No open commitment on this objective's goals."))])
        if commitments is not None else None,
    ], className="focus-card")


def focus_trend(series: pd.DataFrame) -> html.Div | None:
    """The objective's progress against plan (the pillars' sparkline, drawn larger)."""
    if series.empty:
        return None
    latest = series.iloc[-1]
    return html.Div([
        html.Img(src=svg_data_uri(sparkline_svg(series)), alt=_("Progress against plan"),
                 className="focus-trend"),
        html.Div(_("{achieved} of the promised change achieved, {planned} planned").format(
            achieved=formats.percent(latest["actual"]), planned=formats.percent(latest["planned"])),
            className="small text-muted mb-2"),
    ])


def attention_table(worst: pd.DataFrame, *, compact: bool = False) -> dbc.Table:
    """Goals most off track, worst first, with their owner (and, when ``worst`` has them, the
    reasons as the tooltip of the figures)."""
    rows = [html.Tr([
        html.Td(status_badge(g.status)),
        html.Td([html.A(g.name, href=goal_href(g.code)),
                 html.Div(g.code, className="goal-code small")]),
        html.Td(g.owner_code or "—", className="small", title=g.owner or ""),
        html.Td([html.Div(latest_vs_plan(g.latest_value, g.planned, g.unit)),
                 html.Div(g.unit, className="small text-muted")],
                className="text-end text-nowrap", title=getattr(g, "reason", None)),
        html.Td(formats.percent(g.shortfall), className="text-end"),
    ]) for g in rows_of(worst, ["status", "name", "code", "owner_code", "owner", "latest_value",
                                "planned", "unit", "shortfall", "reason"])]
    head = html.Thead(html.Tr([html.Th(_("Status")), html.Th(_("Goal")), html.Th(_("Owner")),
                               html.Th(_("Latest vs plan"), className="text-end"),
                               html.Th(_("Behind"), className="text-end",
                                       title=_("share of the planned change not achieved"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=not compact,
                     className="review-table mb-0")


def due_tag(state: str, days_overdue: Any) -> html.Span:
    """An open commitment against its due date ("3 days overdue" in red, "due in 4 days"), or
    a closed one's state."""
    if state != "open":
        return html.Span(CommitmentState(state).label, className="closed-state")
    days_overdue = int(days_overdue)
    days = formats.number(abs(days_overdue), decimals=0)
    when = (_n("{n} day overdue", "{n} days overdue", days_overdue).format(n=days)
            if days_overdue > 0 else _("due today") if days_overdue == 0 else
            _n("due in {n} day", "due in {n} days", -days_overdue).format(n=days))
    return html.Span(when, className="overdue" if days_overdue > 0 else "due-soon")


DONE_BUTTON, DONE_RESULT = "review-commitment-done", "review-commitment-done-result"


def mark_done(commitment_id: int, where: str) -> html.Div:
    """A "Mark done" button for one open commitment in the list ``where`` (a commitment may be
    in two lists of the page; ids must differ), answered by the review page's callback, which
    checks again that the person may update it."""
    key = {"index": commitment_id, "in": where}
    return html.Div(html.Button(_("Mark done"), id={"type": DONE_BUTTON, **key},
                                className="btn btn-outline-success btn-sm py-0 d-print-none"),
                    id={"type": DONE_RESULT, **key})


def commitments_table(commitments: pd.DataFrame, *, can_close: bool = False,
                      empty: str | None = None, where: str = "due") -> html.Div | dbc.Table:
    """Commitments with their due date and state; with ``can_close``, a Mark done button on
    each open one. Every row given is shown (callers choose what to give)."""
    if commitments.empty:
        return html.Div(empty or _("Nothing due."), className="text-muted small")
    rows = []
    for c in commitments.itertuples():
        tag = due_tag(c.state, c.days_overdue)
        is_open = c.state == CommitmentState.OPEN.value
        rows.append(html.Tr([
            html.Td([html.Div(commitment_link(c.description, c.commitment_id)),
                     html.Div(f"{c.meeting} · {format_date(c.held_on)}",
                              className="small text-muted")]),
            html.Td(c.owner, className="small"),
            html.Td(format_date(c.due_on), className="text-nowrap small"),
            html.Td([tag, mark_done(int(c.commitment_id), where)
                     if can_close and is_open else None], className="text-nowrap small"),
        ]))
    head = html.Thead(html.Tr([html.Th(_("Commitment")), html.Th(_("Owner")), html.Th(_("Due")),
                               html.Th("")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="review-table mb-0")


def uncommitted_table(goals: pd.DataFrame) -> html.Div | dbc.Table:
    """Goals off track that no open commitment covers, worst first, with their owner."""
    if goals.empty:
        return html.Div(_("Every goal off track has an open commitment."),
                        className="text-muted small")
    worst = goals["shortfall"].sort_values(ascending=False, kind="stable").index[:TOP]
    rows = [html.Tr([
        html.Td([html.A(g.name, href=goal_href(g.code)),
                 html.Div(g.code, className="goal-code small")]),
        html.Td(g.owner_code or "—", className="small", title=g.owner or ""),
        html.Td(formats.percent(g.shortfall), className="text-end"),
    ], className="uncommitted-row")
        for g in rows_of(goals.loc[worst], ["name", "code", "owner_code", "owner", "shortfall"])]
    more = len(goals) - TOP
    head = html.Thead(html.Tr([html.Th(_("Goal")), html.Th(_("Owner")),
                               html.Th(_("Behind"), className="text-end",
                                       title=_("share of the planned change not achieved"))]))
    return html.Div([dbc.Table([head, html.Tbody(rows)], size="sm",
                               className="review-table mb-0"),
                     html.Div(_n("and {n} more", "and {n} more", more).format(
                         n=formats.number(more, decimals=0)), className="small text-muted")
                     if more > 0 else None])


def changes_block(review: WeeklyReview) -> html.Div:
    """Status changes in the week (worse first), new and corrected figures, re-plans; of the
    changes and the corrections the first ``SHOWN`` listed, the rest counted."""
    changes = review.changes
    worse, better = int((changes["change"] < 0).sum()), int((changes["change"] > 0).sum())
    new = int((review.figures["revision"] == 1).sum())
    fixed = review.figures[review.figures["revision"] > 1]
    summary = html.Div([
        _stat(worse, _n("goal worse", "goals worse", worse)),
        _stat(better, _n("goal better", "goals better", better)),
        _stat(new, _n("new figure", "new figures", new)),
        _stat(len(fixed), _n("figure corrected", "figures corrected", len(fixed))),
        _stat(len(review.replans), _n("trajectory re-planned", "trajectories re-planned",
                                      len(review.replans))),
    ], className="d-flex flex-wrap gap-4 mb-2")
    rows = [html.Tr([
        html.Td([html.A(c.name, href=goal_href(c.code)),
                 html.Div(c.code, className="goal-code small")]),
        html.Td(c.owner_code or "—", className="small"),
        html.Td([status_badge(c.was), html.Span(" → ", className="mx-1"),
                 status_badge(c.status)], className="text-nowrap"),
    ]) for c in rows_of(changes.head(SHOWN), ["name", "code", "owner_code", "was", "status"])]
    table = dbc.Table([html.Thead(html.Tr([html.Th(_("Goal")), html.Th(_("Owner")),
                                           html.Th(_("Status change"))])), html.Tbody(rows)],
                      size="sm", className="review-table mb-2") if rows else None
    table = (html.Div(table, className="review-scroll", tabIndex="0", role="region",
                      **{"aria-label": _("Status change")}) if table is not None else None)
    fixes = [html.Li([html.A(f.code, href=goal_href(f.code), className="goal-code"),
                      _(" {period}: now {value} (revision {revision}, {who})").format(
                          period=format_date(f.period_end), value=format_number(f.value),
                          revision=f.revision, who=f.reported_by)])
             for f in rows_of(fixed.head(SHOWN),
                              ["code", "period_end", "value", "revision", "reported_by"])]
    return html.Div([summary, table, _more(len(changes) - SHOWN),
                     html.Div([html.Div(_("Corrected figures"), className="small fw-semibold"),
                               html.Ul(fixes, className="small mb-0 review-scroll"),
                               _more(len(fixed) - SHOWN)], className="mt-3")
                     if fixes else None])


def _more(more: int) -> html.Div | None:
    """"and N more" under a list cut at ``SHOWN`` rows; None when nothing was left out."""
    return html.Div(_n("and {n} more", "and {n} more", more).format(
        n=formats.number(more, decimals=0)), className="small text-muted") if more > 0 else None


def _stat(n: int, label: str) -> html.Div:
    return html.Div([html.Span(formats.number(n, decimals=0), className="stat-number"),
                     html.Span(f" {label}")],
                    className="stat")


# -- pillar and objective ---------------------------------------------------------------------

TREND = {-1: (_l("▼ worse"), "#c62828"), 0: (_l("steady"), "#57606a"),
         1: (_l("▲ better"), "#1a7f37")}
RANK = {"off_track": 0, "no_recent_data": 1, "slipping": 1, "on_track": 2}


def trend_cell(was: str | None, now: str) -> html.Span:
    if not isinstance(was, str):
        return html.Span("—", className="text-muted")
    step = max(-1, min(1, RANK[now] - RANK[was]))
    text, colour = TREND[step]
    return html.Span(str(text), style={"color": colour},
                     title=_("four weeks ago: {status}").format(status=Status(was).label))


def group_goals_table(goals: pd.DataFrame, *, with_objective: bool = True) -> dbc.Table:
    """The goals beneath a pillar or objective, worst first, with status, trend and owner."""
    order = goals.assign(_r=goals["status"].map(RANK)).sort_values(
        ["_r", "shortfall"], ascending=[True, False], kind="stable")
    rows = [html.Tr([
        html.Td(status_badge(g.status)),
        html.Td([html.A(g.name, href=goal_href(g.code)),
                 html.Div([html.Span(g.code, className="goal-code"),
                           g.objective if with_objective else ""],
                          className="small text-muted")]),
        html.Td(g.owner_code or "—", className="small", title=g.owner or ""),
        html.Td([html.Div(latest_vs_plan(g.latest_value, g.planned, g.unit)),
                 html.Div(g.unit, className="small text-muted")], className="text-end"),
        html.Td(trend_cell(g.was, g.status), className="small text-nowrap"),
    ]) for g in order.itertuples()]
    head = html.Thead(html.Tr([html.Th(_("Status")), html.Th(_("Goal")), html.Th(_("Owner")),
                               html.Th(_("Latest vs plan"), className="text-end"),
                               html.Th(_("4-week trend"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, className="review-table")


def money(x: float) -> str:
    return formats.amount(x, compact=True)


def budget_block(budget: pd.DataFrame) -> html.Div:
    """Money behind the goals: totals, then the goals with most money, with the spending
    pace against physical progress and the flags of ``pacts.budget``."""
    if budget.empty:
        return html.Div(_("No budget accounts are linked to these goals."),
                        className="text-muted small")
    appropriated, spent = float(budget["appropriated"].sum()), float(budget["spent"].sum())
    year = int(budget["fiscal_year"].iloc[0])
    facts = html.Div([
        fact(_("Fiscal year"), formats.year(year)), fact(_("Appropriated"), money(appropriated)),
        fact(_("Spent"), money(spent)),
        fact(_("Executed"), formats.percent(spent / appropriated) if appropriated else "—"),
        fact(_("Flagged goals"), formats.number(int((budget["flag"] != "").sum()), decimals=0)),
    ], className="d-flex flex-wrap gap-4 mb-2")
    rows = [html.Tr([
        html.Td([html.A(b.name, href=goal_href(b.code)),
                 html.Div(b.code, className="goal-code small")]),
        html.Td(status_badge(b.status) if isinstance(b.status, str) else "—"),
        html.Td(money(b.appropriated), className="text-end"),
        html.Td(formats.percent(b.execution), className="text-end"),
        html.Td(formats.percent(b.physical_progress), className="text-end"),
        html.Td(flag_words(b.flag), className="small text-danger"),
    ]) for b in budget.sort_values("appropriated", ascending=False).head(TOP).itertuples()]
    head = html.Thead(html.Tr([html.Th(_("Goal")), html.Th(_("Status")),
                               html.Th(_("Appropriated"), className="text-end"),
                               html.Th(_("Executed"), className="text-end"),
                               html.Th(_("Progress"), className="text-end",
                                       title=_("change achieved over change planned by now")),
                               html.Th("")]))
    return html.Div([facts, dbc.Table([head, html.Tbody(rows)], size="sm",
                                      className="review-table mb-0")])


def fact(label: str, value: str | html.Span) -> html.Div:
    return html.Div([html.Div(label, className="fact-label"),
                     html.Div(value, className="fact-value")], className="fact")


# -- one goal ---------------------------------------------------------------------------------


def goal_chart_data(d: GoalDossier) -> GoalChart:
    """The chart's data from a dossier (pure)."""
    g, f = d.goal, d.forecast
    return GoalChart(
        unit=g.unit, status=d.status["status"], figures=d.figures, current=d.current,
        original=d.original, target_date=g.target_date, target_value=g.target_value,
        target_low=g.target_low, target_high=g.target_high,
        forecast_value=f.value if f else None, forecast_low=f.low if f else None,
        forecast_high=f.high if f else None,
        flag_bands=tuple(FlagBand(flag.kind, date.fromisoformat(flag.evidence["period_end"]),
                                  flag.evidence["band"])
                         for flag in d.flags if flag.state == FlagState.OPEN
                         and isinstance(flag.evidence.get("band"), dict)
                         and flag.evidence.get("period_end")))


def goal_facts(d: GoalDossier) -> html.Div:
    g, s = d.goal, d.status
    return html.Div([
        fact(_("Status"), status_badge(s["status"])),
        fact(_("Owner"), s["owner"] or "—"),
        fact(_("Baseline"), _("{value} ({date})").format(
            value=value_text(g.baseline_value, g.unit, with_unit=False),
            date=format_date(g.baseline_date)) if g.baseline_date else "—"),
        fact(_("Target"), _("{value} by {date}").format(
            value=value_text(g.target_value, g.unit, with_unit=False),
            date=format_date(g.target_date)) if g.target_date else "—"),
        fact(_("Latest"), value_text(s["latest_value"], g.unit)),
        fact(_("Planned then"), value_text(s["planned"], g.unit)),
        fact(_("Unit"), g.unit or "—"),
    ], className="d-flex flex-wrap gap-4 mb-2")


def version_state(t: Any) -> Any:
    """What became of a trajectory version, with a "restates the past" badge when its
    proposer chose to change milestones already past (the goal page and the workspace)."""
    if t.approved_at is not None:
        text, tone = t.approved_by, ""
    elif t.rejected_at is not None:
        text = _("rejected by {who}: {reason}").format(who=t.rejected_by,
                                                       reason=t.rejection_reason)
        tone = "text-danger-emphasis"
    elif t.withdrawn_at is not None:
        text = _("withdrawn by {who} on {day}").format(who=t.withdrawn_by,
                                                       day=format_date(t.withdrawn_at.date()))
        tone = "text-muted"
    else:
        text, tone = _("awaiting approval"), "text-warning-emphasis"
    badge = (dbc.Badge(_("restates the past"), color="warning", text_color="dark",
                       className="ms-1 text-wrap restates-past") if t.restates_past else None)
    return html.Span([html.Span(text, className=tone), badge])


def versions_table(d: GoalDossier) -> dbc.Table | html.Div:
    if not d.versions:
        return html.Div(_("No trajectory yet."), className="text-muted small")
    rows = [html.Tr([
        html.Td(f"v{t.version}"), html.Td(t.proposed_by, className="small text-nowrap"),
        html.Td(version_state(t), className="small"),
        html.Td(formats.day(t.approved_at.date()) if t.approved_at else "—", className="small"),
        html.Td(t.rationale or "—", className="small"),
    ]) for t in reversed(d.versions)]
    head = html.Thead(html.Tr([html.Th(_("Version")), html.Th(_("Proposed by")),
                               html.Th(_("Approved by")), html.Th(_("When")), html.Th(_("Why"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="review-table mb-0")


def corrections_table(d: GoalDossier) -> dbc.Table | html.Div:
    revisions = d.corrections.sort_values(["period_end", "revision"])
    revisions = revisions.assign(was=revisions.groupby("period_end")["value"].shift())
    changed = revisions[(revisions["revision"] > 1) & (revisions["value"] != revisions["was"])]
    changed = changed.sort_values("known_on", ascending=False)
    if changed.empty:
        return html.Div(_("No figure of this goal has been corrected."),
                        className="text-muted small")
    rows = [html.Tr([
        html.Td(format_date(c.period_end), className="small"), html.Td(f"r{c.revision}"),
        html.Td(f"{value_text(c.was, d.goal.unit, with_unit=False)} → "
                f"{value_text(c.value, d.goal.unit, with_unit=False)}",
                className="text-end text-nowrap"),
        html.Td(c.reported_by, className="small text-nowrap"),
        html.Td(format_date(c.known_on), className="small"),
        html.Td(c.note or "—", className="small"),
    ]) for c in changed.head(TOP).itertuples()]
    head = html.Thead(html.Tr([html.Th(_("Period end")), html.Th(_("Revision")),
                               html.Th(_("Was → now ({unit})").format(unit=d.goal.unit)
                                       if d.goal.unit else _("Was → now"),
                                       className="text-end"), html.Th(_("Who")),
                               html.Th(_("When")), html.Th(_("Why"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="review-table mb-0")


def flags_list(d: GoalDossier) -> html.Div:
    if not d.flags:
        return html.Div(_("No data-quality flag has been raised on this goal."),
                        className="text-muted small")
    return html.Ul([html.Li([html.B(flag_kind_label(f.kind)),
                             f" ({FlagState(f.state).label}): {f.reason}"], className="small")
                    for f in d.flags[-TOP:]], className="mb-0")
