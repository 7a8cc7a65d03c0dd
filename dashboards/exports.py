"""Downloads: the figures CSV, limited to the goals the signed-in person may see.

``GET /export/figures.csv?goal=CODE&goal=CODE&as_of=YYYY-MM-DD&all_revisions=1``. A goal code the
person may not see is answered exactly like one that does not exist (404), so a download never
says what exists elsewhere.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from flask import Flask, Response, request
from sqlalchemy import select

from dashboards.auth import SIGNED_IN, route_access
from dashboards.context import current_viewer, read_session
from delivery.access import goal_scope
from delivery.exports import EXPORT_COLUMNS, figures_frame
from delivery.models import Goal


@route_access(SIGNED_IN)
def figures_csv() -> Response:
    viewer = current_viewer()
    asked = [c for c in request.args.getlist("goal") if c]
    try:
        as_of = date.fromisoformat(request.args["as_of"]) if request.args.get("as_of") else None
    except ValueError:
        return Response("as_of must be a date like 2023-01-16\n", 400, mimetype="text/plain")
    with read_session() as session:
        visible = select(Goal.code).where(goal_scope(viewer))
        if asked:
            visible = visible.where(Goal.code.in_(asked))
        codes = list(session.scalars(visible))
        missing = sorted(set(asked) - set(codes))
        if missing:
            return Response(f"no goal with code {', '.join(missing)}\n", 404,
                            mimetype="text/plain")
        every = viewer.sees_everything and not asked
        if every or codes:
            frame = figures_frame(session, goal_codes=None if every else codes, as_of=as_of,
                                  all_revisions=request.args.get("all_revisions") == "1")
        else:  # no goal to show (an empty list would mean every goal to figures_frame)
            frame = pd.DataFrame(columns=EXPORT_COLUMNS)
    return Response(frame.to_csv(index=False), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=figures.csv"})


def register_exports(server: Flask) -> None:
    server.add_url_rule("/export/figures.csv", "export_figures", figures_csv)
