"""The documents of three demo meetings, rendered to PNG pages for people to look at
(tests/screenshots/briefing/): the governor's meeting held on 9 Jan 2023, the Pact for Life
meeting of 12 Dec 2022 and the governor's meeting scheduled for 16 Jan 2023.

Whatever the demo's agendas lack of what the agenda builder would add is added by hand (goals
worst first, one data-quality flag, a decision), so that every kind of section is drawn.
Nothing here is committed to the demo."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pypdfium2 as pdfium
from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.assessment import goal_statuses
from delivery.briefing import briefing_pdf, followup_pdf, meeting_pack
from delivery.db import make_engine, make_session_factory, upgrade
from delivery.demo import load_demo
from delivery.meetings import meeting_scope_goal_ids
from delivery.models import AgendaItem, DataQualityFlag, Decision, Goal, ReviewMeeting
from delivery.vocabulary import AgendaKind

SHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "briefing"
REVIEW_DATE = date(2023, 1, 16)
MEETINGS = {  # title -> (file tag, flagged goal, flag kind, flag reason, evidence, decision)
    "Weekly review: roads, housing and urban mobility": (
        "2023-01-09-roads-housing", "SCIDADES-BRT", "definition_change",
        "From July 2022 the operator also counts boardings at the integration terminals, "
        "so the figures since then are not comparable with the baseline.",
        {"from": "Jul 2022", "source": "Grande Recife Consórcio", "terminals": 9},
        "The Secretaria das Cidades will restate the BRT series on the old definition before "
        "the next review."),
    "Pact for Life: monthly results": (
        "2022-12-12-pact-for-life", "PPV Homicídio doloso", "pattern",
        "Deaths under investigation rose by a third in October and November while homicides "
        "fell in the same areas: some homicides may be being recorded as undetermined deaths.",
        {"period": "Oct-Nov 2022", "deaths_under_investigation": "+35%",
         "areas": "AIS 6, AIS 9"},
        "The Secretaria de Defesa Social will audit the undetermined deaths of October and "
        "November with the forensic institute."),
}


def add_missing_items(session: Session, meeting: ReviewMeeting, spec: tuple) -> None:
    """What the agenda builder would add and the demo may not hold: the off-track then
    slipping goals not yet on the agenda, one data-quality flag, and a decision."""
    _, flagged, kind, reason, evidence, decision = spec
    on_agenda = {i.goal_id for i in meeting.agenda_items if i.kind == AgendaKind.GOAL}
    statuses = goal_statuses(session, meeting.held_on, with_reasons=False,
                             goal_ids=meeting_scope_goal_ids(session, meeting) - on_agenda)
    worst = statuses[statuses["status"].isin(["off_track", "slipping"])]
    worst = worst.assign(_rank=worst["status"].eq("slipping")).sort_values(
        ["_rank", "shortfall"], ascending=[True, False])
    position = len(meeting.agenda_items)
    for row in worst.itertuples():
        session.add(AgendaItem(meeting_id=meeting.id, position=position, kind=AgendaKind.GOAL,
                               goal_id=row.goal_id, title=row.name, added_by="agenda builder"))
        position += 1
    if not any(i.kind == AgendaKind.FLAG for i in meeting.agenda_items):
        goal = session.scalars(select(Goal).where(Goal.code == flagged)).one()
        flag = DataQualityFlag(goal_id=goal.id, kind=kind, reason=reason, evidence=evidence,
                               raised_at=datetime.combine(meeting.held_on,
                                                          datetime.min.time()).replace(hour=7))
        session.add(flag)
        session.flush()
        session.add(AgendaItem(meeting_id=meeting.id, position=position,
                               kind=AgendaKind.FLAG, flag_id=flag.id, goal_id=goal.id,
                               title=f"Data quality: {goal.name}", added_by="agenda builder"))
    if not meeting.decisions:
        session.add(Decision(meeting_id=meeting.id, text=decision, recorded_by="ana"))
    session.flush()
    session.expire_all()


def save_pages(data: bytes, stem: str) -> list[Path]:
    doc = pdfium.PdfDocument(data)
    paths = []
    for number in range(len(doc)):
        path = SHOTS / f"{stem}-p{number + 1}.png"
        doc[number].render(scale=1.5).to_pil().save(path)
        paths.append(path)
    return paths


def test_demo_meetings_render_to_readable_pages(tmp_path: Path) -> None:
    # Pictures, not a database test: one SQLite file whatever --backends says.
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    upgrade(engine)
    session_factory = make_session_factory(engine)
    load_demo(session_factory)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    with session_factory() as session:
        meetings = {m.title: m for m in session.scalars(select(ReviewMeeting))}
        for title, spec in MEETINGS.items():
            add_missing_items(session, meetings[title], spec)
        documents = []
        for title, spec in MEETINGS.items():
            meeting = meetings[title]
            documents.append((f"{spec[0]}-briefing", briefing_pdf(
                meeting_pack(session, meeting.id, meeting.held_on)), title))
            documents.append((f"{spec[0]}-followup", followup_pdf(
                meeting_pack(session, meeting.id, REVIEW_DATE)), title))
        ahead = meetings["Weekly review: lethal violent crime"]
        documents.append(("2023-01-16-lethal-violence-briefing", briefing_pdf(
            meeting_pack(session, ahead.id, REVIEW_DATE)), ahead.title))
        session.rollback()
    for stem, data, title in documents:
        pages = save_pages(data, stem)
        first = pdfium.PdfDocument(data)[0].get_textpage().get_text_range()
        assert title in " ".join(first.split()), stem
        assert pages and all(p.stat().st_size > 20_000 for p in pages), stem
    engine.dispose()
