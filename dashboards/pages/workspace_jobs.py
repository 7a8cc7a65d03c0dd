"""Workspace · scheduled jobs: every source the scheduler pulls, its last run, the run log, and
"run now", which leaves a request for the scheduler process (web workers never run a source)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from sqlalchemy import select

from dashboards.components.workspace import run_rows, screen_header, simple_table, source_rows
from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import page_title
from delivery.access import AccessDenied, can_edit_strategy, require
from delivery.edits import NOT_YOURS
from delivery.i18n import N_, _
from delivery.ingestion import recent_runs, request_run
from delivery.models import RunRequest, Source
from delivery.vocabulary import Role

PATH = "/workspace/jobs"
dash.register_page(__name__, path=PATH, title=page_title(N_("Scheduled jobs"), N_("Workspace")),
                   name="Scheduled jobs", access=(Role.ADMIN, Role.ANALYST))

SOURCES, RUNS, PICK, RUN_NOW, RESULT = ("wsj-sources", "wsj-runs", "wsj-pick", "wsj-run-now",
                                        "wsj-result")
SOURCE_COLUMNS = [("name", N_("Source")), ("kind", N_("Kind")), ("schedule", N_("Schedule")),
                  ("enabled", N_("Enabled")), ("last_run", N_("Last run (UTC)")),
                  ("last_state", N_("Last state")), ("waiting", N_("Run now"))]
RUN_COLUMNS = [("id", "#"), ("source", N_("Source")), ("started", N_("Started (UTC)")),
               ("state", N_("State")), ("read", N_("Rows read")), ("new", N_("New")),
               ("revised", N_("Revised")), ("rejected", N_("Rejected")), ("error", N_("Error"))]


def tables() -> tuple[Any, Any, list[dict[str, str]]]:
    with read_session() as session:
        sources = list(session.scalars(select(Source).order_by(Source.name)))
        runs = recent_runs(session, limit=30)
        last = {}
        for run in reversed(runs):
            last[run.source_id] = run
        waiting = set(session.scalars(select(RunRequest.source_id)
                                      .where(RunRequest.picked_at.is_(None))))
        source_table = simple_table(source_rows(sources, last, waiting), SOURCE_COLUMNS,
                                    _("No sources yet: define them in a YAML file and load "
                                      "it with `delivery sources add` (docs/ingestion.md)."),
                                    "wsj-source-table")
        run_table = simple_table(run_rows(runs), RUN_COLUMNS, _("No runs yet."),
                                 "wsj-run-table")
        options = [{"label": s.name, "value": s.name} for s in sources if s.enabled]
    return source_table, run_table, options


def layout(**_query: str) -> html.Div:
    source_table, run_table, options = tables()
    return html.Div([
        screen_header(N_("Scheduled jobs"), N_("Where figures are pulled from, when, and how the "
                                               "last runs went. \"Run now\" asks the scheduler "
                                               "to pull a source soon."), PATH),
        html.H2(_("Sources"), className="h5"),
        html.Div(source_table, id=SOURCES),
        html.Div([
            dcc.Dropdown(id=PICK, options=options, placeholder=_("Pick a source"),
                         value=options[0]["value"] if options else None,
                         style={"flex": "1 1 14rem", "minWidth": "12rem", "maxWidth": "24rem"}),
            dbc.Button(_("Run now"), id=RUN_NOW, color="primary", disabled=not options,
                       className="text-nowrap"),
            html.Div(id=RESULT),
        ], className="d-flex flex-wrap gap-2 align-items-center mb-4"),
        html.H2(_("Recent runs"), className="h5"),
        html.Div(run_table, id=RUNS),
    ])


@callback(Output(RESULT, "children"), Output(SOURCES, "children"),
          Input(RUN_NOW, "n_clicks"), State(PICK, "value"), prevent_initial_call=True)
def run_now(_clicks: Any, name: Any) -> tuple[Any, Any]:
    viewer = current_viewer()
    try:
        require(can_edit_strategy(viewer), NOT_YOURS)
        if not isinstance(name, str):
            raise ValueError(_("pick a source first"))
        with write_session() as session:
            request_run(session, name, requested_by=viewer.username, now=datetime.now(UTC))
    except (AccessDenied, ValueError, LookupError) as error:
        return dbc.Alert(str(error), color="danger", className="py-1 mb-0"), dash.no_update
    message = dbc.Alert(_("Asked the scheduler to run {name}; it picks the request up within "
                          "a minute.").format(name=name), color="success", className="py-1 mb-0")
    return message, tables()[0]
