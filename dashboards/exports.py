"""Downloads: the figures CSV, limited to the goals the signed-in person may see; a review
meeting's briefing memo and follow-up note, as PDF or Excel, for those who may see the meeting;
a progress note's evidence file, for those who may see the commitment.

``GET /export/figures.csv?goal=CODE&goal=CODE&as_of=YYYY-MM-DD&all_revisions=1``. A goal code the
person may not see is answered exactly like one that does not exist (404), so a download never
says what exists elsewhere.
"""

from __future__ import annotations

from io import BytesIO

import pandas as pd
from flask import Flask, Response, request, send_file
from sqlalchemy import select

from dashboards.auth import SIGNED_IN, route_access
from dashboards.context import current_viewer, read_session
from delivery.access import can_see_commitment, can_see_meeting, goal_filter, goal_scope
from delivery.briefing import briefing_pdf, briefing_xlsx, followup_pdf, followup_xlsx
from delivery.briefing.pack import document_as_of, meeting_pack
from delivery.catalogue import GoalQuery, catalogue_frame, filter_goals
from delivery.catalogue.export import goals_csv, goals_xlsx
from delivery.clock import review_date
from delivery.dates import parse_day
from delivery.evidence_files import file_of
from delivery.exports import EXPORT_COLUMNS, csv_text, figures_frame
from delivery.models import Commitment, Goal, ReviewMeeting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEETING_DOCUMENTS = {  # (document, format) -> (builder, mimetype)
    ("briefing", "pdf"): (briefing_pdf, "application/pdf"),
    ("briefing", "xlsx"): (briefing_xlsx, XLSX),
    ("followup", "pdf"): (followup_pdf, "application/pdf"),
    ("followup", "xlsx"): (followup_xlsx, XLSX),
}


@route_access(SIGNED_IN)
def figures_csv() -> Response:
    viewer = current_viewer()
    asked = [c for c in request.args.getlist("goal") if c]
    try:
        as_of = parse_day(request.args["as_of"]) if request.args.get("as_of") else None
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
    return Response(csv_text(frame), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=figures.csv"})


@route_access(SIGNED_IN)
def meeting_document(meeting_id: int, document: str, fmt: str) -> Response:
    """``GET /meeting/<id>/briefing.pdf`` (or ``.xlsx``, or ``followup.*``), ``?as_of=`` to
    gather it as known on another day. 404: no such meeting; 403: a meeting of a pact the
    person's secretariat is not a member of."""
    viewer = current_viewer()
    build, mimetype = MEETING_DOCUMENTS[(document, fmt)]
    try:
        asked = parse_day(request.args["as_of"]) if request.args.get("as_of") else None
    except ValueError:
        return Response("as_of must be a date like 2023-01-16\n", 400, mimetype="text/plain")
    with read_session() as session:
        meeting = session.get(ReviewMeeting, meeting_id) if meeting_id < 2**31 else None
        if meeting is None:
            return Response(f"no meeting with id {meeting_id}\n", 404, mimetype="text/plain")
        if not can_see_meeting(session, viewer, meeting_id):
            return Response("You may not see this meeting.\n", 403, mimetype="text/plain")
        as_of = asked or document_as_of(document, meeting.held_on, review_date(session))
        pack = meeting_pack(session, meeting_id, as_of)
    name = f"meeting-{meeting_id}-{document}-{pack.held_on.isoformat()}.{fmt}"
    return Response(build(pack), mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={name}"})


@route_access(SIGNED_IN)
def goals_download(fmt: str) -> Response:
    """``GET /export/goals.csv`` (or ``.xlsx``) with a catalogue view's query string (and
    ``as_of``): the goals that view shows the person, in its order. Only their own goals for a
    secretariat; an unknown filter value shows nothing more than the grid would."""
    viewer = current_viewer()
    try:
        asked = parse_day(request.args["as_of"]) if request.args.get("as_of") else None
    except ValueError:
        return Response("as_of must be a date like 2023-01-16\n", 400, mimetype="text/plain")
    query = GoalQuery.from_params(request.args.to_dict(flat=False))
    with read_session() as session:
        day = asked or review_date(session)
        shown = filter_goals(catalogue_frame(session, day, goal_filter(session, viewer)), query)
    name = f"goals-{day.isoformat()}.{fmt}"
    if fmt == "csv":
        return Response(goals_csv(shown), mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename={name}"})
    return Response(goals_xlsx(shown), mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename={name}"})


@route_access(SIGNED_IN)
def evidence_file(commitment_id: int, file_id: int) -> Response:
    """``GET /commitment/<id>/evidence/<file id>``: a progress note's file, as an attachment
    under its (already safe) name and the media type its content was checked to be, never
    rendered by the browser. 404: no such commitment, or no such file of it; 403: a commitment
    the person may not see (asked before the file, so it says nothing of the files)."""
    viewer = current_viewer()
    with read_session() as session:
        if commitment_id >= 2**31 or session.get(Commitment, commitment_id) is None:
            return Response(f"no commitment with id {commitment_id}\n", 404,
                            mimetype="text/plain")
        if not can_see_commitment(session, viewer, commitment_id):
            return Response("You may not see this commitment.\n", 403, mimetype="text/plain")
        found = file_of(session, commitment_id, file_id) if file_id < 2**31 else None
        if found is None:
            return Response(f"no file {file_id} on commitment {commitment_id}\n", 404,
                            mimetype="text/plain")
        content, name, media_type = found.content, found.name, found.media_type
    response = send_file(BytesIO(content), mimetype=media_type, as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"  # no shared cache keeps a copy
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def register_exports(server: Flask) -> None:
    server.add_url_rule("/export/goals.<any(csv, xlsx):fmt>", "export_goals", goals_download)
    server.add_url_rule("/export/figures.csv", "export_figures", figures_csv)
    server.add_url_rule("/meeting/<int:meeting_id>/<any(briefing, followup):document>"
                        ".<any(pdf, xlsx):fmt>", "meeting_document", meeting_document)
    server.add_url_rule("/commitment/<int:commitment_id>/evidence/<int:file_id>",
                        "evidence_file", evidence_file)
