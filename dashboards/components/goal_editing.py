"""Builders for changing a goal from its screens: the pending trajectory proposal with its
decision buttons, the comments, and figure entry. Plain data in, components out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards.components.grid_cells import date_column, number_column
from dashboards.components.review import value_text, version_state
from delivery.comments import MAX_LENGTH, CommentThread
from delivery.figure_entry import RowOutcome
from delivery.i18n import _, _n, formats
from delivery.models import GoalComment, Trajectory
from delivery.proposals import Proposal
from delivery.status import format_date


def when(moment: datetime) -> str:
    return f"{format_date(moment.date())} {moment:%H:%M}"


# -- trajectory proposals -------------------------------------------------------------------

def proposal_ids(prefix: str) -> dict[str, str]:
    """Component ids of a page's proposal panel (each page defines its own callbacks and
    places the ``result`` element outside the panel, which is drawn again after a decision)."""
    return {k: f"{prefix}-{k}" for k in ("id", "approve", "reject", "reason", "result")}


def proposal_table(p: Proposal, unit: str = "") -> dbc.Table:
    """The proposed path against the one in force, on every milestone date of either."""
    current = (_("In force (v{version})").format(version=p.in_force.version) if p.in_force
               else _("In force"))
    rows = []
    for r in p.comparison.itertuples():
        changed = pd.isna(r.change) or abs(r.change) > 1e-9
        rows.append(html.Tr([
            html.Td(format_date(r.on)),
            # milestones as typed (up to four decimals): whoever approves sees what changes
            html.Td(value_text(r.in_force, unit, up_to=4), className="text-end"),
            html.Td(value_text(r.proposed, unit, up_to=4), className="text-end fw-semibold"
                    if changed else "text-end"),
            html.Td("" if not changed or pd.isna(r.change) else formats.change(r.change, unit),
                    className="text-end small text-muted"),
        ], className="proposal-changed" if changed else ""))
    head = html.Thead(html.Tr([html.Th(_("Milestone")), html.Th(current, className="text-end"),
                               html.Th(_("Proposed (v{version})").format(
                                   version=p.trajectory.version), className="text-end"),
                               html.Th(_("Change"), className="text-end")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="proposal-table mb-2",
                     style={"maxWidth": "46rem"})


def proposal_panel(p: Proposal | None, *, prefix: str, can_decide: bool, why_not: str,
                   unit: str = "") -> html.Div:
    """The version awaiting approval, its milestones against those in force, and Approve /
    Reject for those who decide (else the reason they do not)."""
    if p is None:
        return html.Div(_("No trajectory change is waiting for approval."),
                        className="text-muted small proposal-none")
    t = p.trajectory
    ids = proposal_ids(prefix)
    head = html.Div([
        html.Span(_("Version {version}").format(version=t.version), className="fw-semibold"),
        " " + _("proposed by {who} on {when}").format(who=t.proposed_by,
                                                      when=when(t.created_at)) + " · ",
        version_state(t),
    ], className="mb-1")
    why = html.Div([html.Span(_("Why:") + " ", className="text-muted"),
                    t.rationale or _("no reason given")],
                   className="small mb-2")
    if can_decide:
        actions: Any = html.Div([
            dcc.Store(id=ids["id"], data=t.id),
            dbc.Button(_("Approve version {version}").format(version=t.version),
                       id=ids["approve"], color="success", size="sm"),
            dbc.Input(id=ids["reason"], placeholder=_("Why reject it? (needed to reject)"),
                      size="sm", style={"maxWidth": "22rem"}),
            dbc.Button(_("Reject"), id=ids["reject"], color="danger", outline=True, size="sm"),
        ], className="d-flex gap-2 align-items-center flex-wrap")
    else:
        actions = html.Div(why_not, className="small text-muted proposal-why-not")
    return html.Div([head, why, proposal_table(p, unit), actions], className="proposal-panel")


def decided_note(versions: Sequence[Trajectory], decided: object) -> dbc.Alert | None:
    """What became of the version named by the page's ``decided=v<N>`` query (the page loads
    again after a decision), read from the versions themselves: None when it names no decided
    version."""
    number = decided[1:] if isinstance(decided, str) and decided.startswith("v") else ""
    t = next((t for t in versions if number.isdigit() and t.version == int(number)), None)
    if t is not None and t.rejected_at is not None:
        return dbc.Alert([html.Strong(_("Rejected: {reason}").format(reason=t.rejection_reason)),
                          html.Span(" · " + _("version {version}, by {who}. The trajectory in "
                                              "force is unchanged.").format(
                              version=t.version, who=t.rejected_by), className="small")],
                         color="secondary", className="py-2 goal-decided")
    if t is None or t.approved_at is None:
        return None
    later = [v.version for v in versions if v.approved_at is not None and v.version > t.version]
    head = (_("Approved, since replaced by version {version}").format(version=later[-1])
            if later else _("Approved — now in force"))
    return dbc.Alert([html.Strong(head), html.Span(" · " + _("version {version}, by {who}.").format(
        version=t.version, who=t.approved_by), className="small")],
                     color="success", className="py-2 goal-decided")


def decision_alert(version: int, action: str) -> dbc.Alert:
    if action == "approve":
        return dbc.Alert(_("Version {version} approved: it is the trajectory in force.").format(
            version=version),
                         color="success", className="py-2 proposal-decided")
    return dbc.Alert(_("Version {version} rejected: the trajectory in force is unchanged.").format(
        version=version),
                     color="secondary", className="py-2 proposal-decided")


# -- comments -------------------------------------------------------------------------------

def comment_ids(prefix: str) -> dict[str, str]:
    """Ids of the form and list, and the ``type`` of each comment's own pattern-matching ids
    (``{"type": ..., "index": comment id}``): its text, Edit button and inline editor."""
    return {k: f"{prefix}-{k}" for k in ("list", "body", "post", "result", "shown", "edit",
                                          "editor", "text", "save", "cancel", "message")}


def comment_editor(c: GoalComment, ids: dict[str, str]) -> tuple[dbc.Button, html.Div]:
    """The Edit button and the inline editor (hidden until Edit is clicked) of one comment."""
    key = {"index": c.id}
    return (
        dbc.Button(_("Edit"), id={"type": ids["edit"], **key}, color="link", size="sm",
                   className="comment-edit p-0 ms-2 align-baseline"),
        html.Div([
            dbc.Textarea(id={"type": ids["text"], **key}, value=c.body, maxLength=MAX_LENGTH,
                         rows=3, className="mb-2", style={"maxWidth": "46rem"}),
            html.Div([
                dbc.Button(_("Save"), id={"type": ids["save"], **key}, color="primary",
                           size="sm"),
                dbc.Button(_("Cancel"), id={"type": ids["cancel"], **key}, color="secondary",
                           outline=True, size="sm"),
                html.Div(id={"type": ids["message"], **key}, className="small"),
            ], className="d-flex gap-2 align-items-center"),
        ], id={"type": ids["editor"], **key}, hidden=True, className="comment-editor mt-1"),
    )


def comment_item(thread: CommentThread, ids: dict[str, str] | None = None,
                 editable_by: str | None = None) -> html.Li:
    """One comment as it reads now; with ``ids``, its author (``editable_by``) gets an Edit
    button on it."""
    c = thread.current
    meta: list[Any] = [html.Span(c.author, className="fw-semibold"), " · ",
                       html.Span(when(thread.posted_at), className="text-muted")]
    history = None
    if thread.edited:
        meta += [" · ", html.Span(_("edited {when}").format(when=when(c.created_at)),
                                            className="text-muted")]
        history = html.Details([
            html.Summary(_n("Earlier text", "Earlier texts", len(thread.earlier)),
                         className="small text-muted"),
            html.Ul([html.Li([html.Span(when(e.created_at), className="text-muted me-2"),
                              e.body], className="small comment-earlier")
                     for e in thread.earlier], className="list-unstyled ms-3 mb-0"),
        ], className="mt-1")
    if ids is None or editable_by is None or c.author != editable_by:
        return html.Li([html.Div(meta, className="small"),
                        html.Div(c.body, className="comment-body"), history],
                       className="comment py-2")
    button, editor = comment_editor(c, ids)
    body = html.Div(c.body, id={"type": ids["shown"], "index": c.id}, className="comment-body")
    return html.Li([html.Div([*meta, button], className="small"), body, editor, history],
                   className="comment py-2")


def comments_list(threads: Sequence[CommentThread], *, prefix: str | None = None,
                  editable_by: str | None = None) -> html.Ul | html.P:
    """The comments, newest first; with a ``prefix``, the ones ``editable_by`` wrote can be
    edited in place."""
    if not threads:
        return html.P(_("No comments yet."), className="text-muted small comments-empty")
    ids = comment_ids(prefix) if prefix else None
    return html.Ul([comment_item(t, ids, editable_by) for t in threads],
                   className="list-unstyled mb-0 comments")


def comment_form(prefix: str) -> html.Div:
    ids = comment_ids(prefix)
    return html.Div([
        dbc.Textarea(id=ids["body"], placeholder=_("Add a comment on this goal"),
                     maxLength=MAX_LENGTH, rows=3, className="mb-2"),
        html.Div([dbc.Button(_("Post"), id=ids["post"], color="primary", size="sm"),
                  html.Div(id=ids["result"], className="small")],
                 className="d-flex gap-3 align-items-center"),
    ], className="comment-form mb-2")


# -- figure entry ---------------------------------------------------------------------------

ENTRY_FIELDS = ("period_start", "period_end", "value", "provisional", "note")


def entry_rows(n: int = 4) -> list[dict[str, Any]]:
    return [{"period_start": "", "period_end": "", "value": None, "provisional": False,
             "note": ""} for _ in range(n)]


def entry_columns() -> list[dict[str, Any]]:
    """The figure entry grid: dates and values as the reader writes them."""
    return [
        date_column("period_start", _("Period start"), flex=2),
        date_column("period_end", _("Period end"), flex=2),
        number_column("value", _("Value"), flex=1),
        {"field": "provisional", "headerName": _("Provisional"), "editable": True,
         "cellDataType": "boolean", "width": 120},
        {"field": "note", "headerName": _("Note"), "editable": True, "cellDataType": "text",
         "flex": 3},
    ]


def recent_table(frame: pd.DataFrame, unit: str = "") -> dbc.Table | html.P:
    """The goal's latest periods at their current revision."""
    if frame.empty:
        return html.P(_("No figure yet."), className="text-muted small recent-empty")
    rows = [html.Tr([
        html.Td(format_date(r.period_end), className="text-nowrap"),
        html.Td(value_text(r.value, unit if len(unit) <= 6 else ""), className="text-end"),
        html.Td(_("provisional") if r.is_provisional else "", className="text-muted"),
        html.Td(f"r{r.revision}"),
        html.Td(f"{r.reported_by}, {format_date(r.known_on)}"),
    ]) for r in frame.itertuples()]
    head = html.Thead(html.Tr([html.Th(_("Period ending")),
                               html.Th(_("Value"), className="text-end"),
                               html.Th(""), html.Th(_("Revision")), html.Th(_("Reported"))]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", striped=True,
                     className="recent-figures bg-white mb-0 small")


def outcomes_alert(outcomes: Sequence[RowOutcome]) -> dbc.Alert:
    written = sum(o.written for o in outcomes)
    return dbc.Alert([
        html.Strong(_n("{n} figure recorded.", "{n} figures recorded.", written).format(
            n=written)),
        html.Ul([html.Li(_("Row {row} ({date}): {message}").format(
            row=o.row.number, date=format_date(o.row.period_start), message=o.message))
                 for o in outcomes], className="mb-0 mt-1"),
    ], color="success" if written else "info", className="py-2 figure-outcomes")


def row_errors_alert(errors: Sequence[str]) -> dbc.Alert:
    return dbc.Alert([
        html.Strong(_("Nothing was saved.") + " "), _("Correct these rows and save again:"),
        html.Ul([html.Li(e) for e in errors], className="mb-0 mt-1"),
    ], color="warning", className="py-2 figure-row-errors")
