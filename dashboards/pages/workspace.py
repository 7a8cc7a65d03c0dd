"""Workspace: the analyst's screens in one place (trajectories, figures, imports, data quality,
jobs), each a page of its own under /workspace/; this one says what waits on each."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html
from sqlalchemy import func, select

from dashboards.components.workspace import SCREENS, screen_header
from dashboards.context import read_session
from dashboards.i18n import page_title
from delivery.i18n import N_, _, _n, formats
from delivery.models import DataQualityFlag, Goal, Initiative, JobRun, RunState, Source, Trajectory
from delivery.trajectory_versions import awaiting_decision
from delivery.vocabulary import FlagState, Role

PATH = "/workspace"
dash.register_page(__name__, path=PATH, title=page_title(N_("Workspace")), name=N_("Workspace"),
                   access=(Role.ADMIN, Role.ANALYST), nav_order=6)

BLURBS = {
    "/workspace/trajectory": N_("Edit a goal's planned path in a grid, from a shape or by hand."),
    "/workspace/figures": N_("Type in figures or corrections; each becomes a revision."),
    "/workspace/import": N_("Upload a spreadsheet, see every rejected row, then import."),
    "/workspace/quality": N_("Confirm or dismiss the reasons to doubt a figure."),
    "/workspace/jobs": N_("Sources pulled on a schedule, their runs, and \"run now\"."),
    "/workspace/public": N_("Choose which goals the public scorecard and open data show."),
    "/workspace/plans": N_("Record milestones done, physical progress and risks."),
}


def waiting() -> dict[str, str]:
    """One line per screen on what waits there."""
    with read_session() as session:
        proposed = session.scalar(select(func.count(Trajectory.id))
                                  .where(awaiting_decision())) or 0
        open_flags = session.scalar(select(func.count(DataQualityFlag.id))
                                    .where(DataQualityFlag.state == FlagState.OPEN)) or 0
        sources = session.scalar(select(func.count(Source.id))) or 0
        goals = session.scalar(select(func.count(Goal.id))) or 0
        public = session.scalar(select(func.count(Goal.id)).where(Goal.is_public.is_(True))) or 0
        initiatives = session.scalar(select(func.count(Initiative.id))) or 0
        failed = session.scalar(select(func.count(JobRun.id))
                                .where(JobRun.state == RunState.FAILED)) or 0
    # zero has words of its own: Portuguese's singular also covers 0 ("0 alerta em aberto")
    return {
        "/workspace/trajectory": _n("{n} proposed version awaiting approval",
                                    "{n} proposed versions awaiting approval",
                                    proposed).format(n=proposed) if proposed
                                 else _("No version awaiting approval"),
        "/workspace/figures": _n("{n} goal to report on", "{n} goals to report on",
                                 goals).format(n=formats.number(goals, decimals=0)) if goals
                              else _("No goal to report on"),
        "/workspace/import": _("CSV and Excel, with the mappings in data/mappings"),
        "/workspace/quality": _n("{n} open flag", "{n} open flags", open_flags).format(
            n=open_flags) if open_flags else _("No open flags"),
        "/workspace/jobs": (_n("{n} source", "{n} sources", sources).format(n=sources)
                            if sources else _("No sources")) + " · "
                           + (_n("{n} failed run", "{n} failed runs", failed).format(n=failed)
                              if failed else _("no failed runs")),
        "/workspace/public": _n("{n} public goal", "{n} public goals", public).format(n=public)
                             if public else _("No public goals"),
        "/workspace/plans": _n("{n} initiative", "{n} initiatives", initiatives).format(
            n=formats.number(initiatives, decimals=0)) if initiatives else _("No initiatives"),
    }


def layout(**_query: str) -> html.Div:
    counts = waiting()
    cards = [dbc.Col(dbc.Card(dbc.CardBody([
        html.A(_(label), href=path, className="h5 d-block mb-1 stretched-link"),
        html.P(_(BLURBS[path]), className="mb-2"),
        html.Div(counts[path], className="small text-muted workspace-count"),
    ]), className="h-100 border-0 shadow-sm workspace-card"), md=6, xl=True)
        for path, label in SCREENS]
    return html.Div([
        screen_header(N_("Workspace"), N_("The delivery unit's everyday tools."), PATH),
        dbc.Row(cards, className="g-3"),
    ])
