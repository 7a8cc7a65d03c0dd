"""``delivery briefing MEETING_ID --out DIR``: write a meeting's four documents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from delivery.cli_support import parse_date, session_factory
from delivery.i18n import _


@click.command("briefing")
@click.argument("meeting_id", type=int)
@click.option("--out", "out", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the four files into (created if missing).")
@click.option("--as-of", callback=parse_date,
              help="Gather both documents as known on this date (default: the briefing as of "
                   "the meeting day, the follow-up as of the review date).")
def briefing(meeting_id: int, out: Path, as_of: date | None) -> None:
    """Write the briefing memo and the follow-up note of a review meeting, as PDF and Excel."""
    from delivery.briefing import (
        briefing_pdf,
        briefing_xlsx,
        followup_pdf,
        followup_xlsx,
        meeting_pack,
    )
    from delivery.briefing.pack import document_as_of
    from delivery.clock import review_date
    from delivery.models import ReviewMeeting

    with session_factory()() as session:
        meeting = session.get(ReviewMeeting, meeting_id)
        if meeting is None:
            raise click.ClickException(_("meeting: no meeting with id {id}").format(
                id=meeting_id))
        today = review_date(session)
        packs = {doc: meeting_pack(session, meeting_id,
                                   as_of or document_as_of(doc, meeting.held_on, today))
                 for doc in ("briefing", "followup")}
    out.mkdir(parents=True, exist_ok=True)
    builders = {("briefing", "pdf"): briefing_pdf, ("briefing", "xlsx"): briefing_xlsx,
                ("followup", "pdf"): followup_pdf, ("followup", "xlsx"): followup_xlsx}
    for (doc, fmt), build in builders.items():
        path = out / f"meeting-{meeting_id}-{doc}-{packs[doc].held_on.isoformat()}.{fmt}"
        path.write_bytes(build(packs[doc]))
        click.echo(_("wrote {path} (as of {date})").format(path=path,
                                                            date=packs[doc].as_of.isoformat()))
