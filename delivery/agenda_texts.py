"""What an agenda item says, in the language of whoever reads it.

The agenda builder writes each item's ``title`` and ``note`` in the language of the moment it
ran, as the record of that day. Items that point at something (a data-quality flag, a
commitment, a delivery plan's milestone or risk) are worded again from it when read, so a
meeting built by a scheduled job in English reads in Portuguese for a Portuguese reader. Topics
people typed are theirs and read as typed; goal items are worded by the screens from the goal's
computed status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.i18n import _, _n
from delivery.models import (
    AgendaItem,
    Commitment,
    DataQualityFlag,
    Goal,
    Initiative,
    Milestone,
    Risk,
)
from delivery.plans.board import milestones_frame
from delivery.plans.rules import risk_score
from delivery.status import format_date
from delivery.vocabulary import flag_kind_label


@dataclass(frozen=True)
class AgendaText:
    title: str
    note: str


def commitment_reason(c: Commitment, as_of: date) -> str:
    """Who owes a commitment and how it stands on ``as_of``: "SDS · 3 days overdue"."""
    late = (as_of - c.due_on).days
    when = (_n("{n} day overdue", "{n} days overdue", late).format(n=late) if late > 0 else
            _("due today") if late == 0 else _("due {date}").format(date=format_date(c.due_on)))
    return f"{c.owner} · {when}"


def agenda_texts(session: Session, items: Iterable[AgendaItem],
                 as_of: date) -> dict[int, AgendaText]:
    """The title and note of each item of ``items`` that points at a flag, a commitment, a
    milestone or a risk, worded now from what it points at as known on ``as_of``, by item id.
    Items pointing at something since deleted keep their stored words (absent here)."""
    items = list(items)
    texts: dict[int, AgendaText] = {}
    flag_ids = [i.flag_id for i in items if i.flag_id is not None]
    flags = {f.id: (f, code) for f, code in session.execute(
        select(DataQualityFlag, Goal.code).join(Goal, DataQualityFlag.goal_id == Goal.id)
        .where(DataQualityFlag.id.in_(flag_ids)))} if flag_ids else {}
    commitment_ids = [i.commitment_id for i in items if i.commitment_id is not None]
    promises = {c.id: c for c in session.scalars(
        select(Commitment).where(Commitment.id.in_(commitment_ids)))} if commitment_ids else {}
    milestones = _milestones(session, [i.milestone_id for i in items
                                       if i.milestone_id is not None], as_of)
    risks = _risks(session, [i.risk_id for i in items if i.risk_id is not None])
    for item in items:
        if item.flag_id in flags:
            flag, code = flags[item.flag_id]
            texts[item.id] = AgendaText(_("Data quality, {code}: {kind}").format(
                code=code, kind=flag_kind_label(flag.kind).lower()), flag.reason)
        elif item.commitment_id in promises:
            promise = promises[item.commitment_id]
            texts[item.id] = AgendaText(promise.description, commitment_reason(promise, as_of))
        elif item.milestone_id in milestones:
            texts[item.id] = milestones[item.milestone_id]
        elif item.risk_id in risks:
            texts[item.id] = risks[item.risk_id]
    return texts


def _milestones(session: Session, ids: list[int], as_of: date) -> dict[int, AgendaText]:
    if not ids:
        return {}
    rows = session.execute(select(Milestone.id, Milestone.initiative_id, Initiative.name)
                           .join(Initiative).where(Milestone.id.in_(ids))).all()
    initiatives = {milestone_id: name for milestone_id, _initiative, name in rows}
    frame = milestones_frame(session, as_of, list({initiative for _id, initiative, _name in rows}))
    frame = frame[frame["milestone_id"].isin(ids)]
    return {int(m.milestone_id): AgendaText(
        _("Late milestone: {milestone} ({initiative})").format(
            milestone=m.name, initiative=initiatives[int(m.milestone_id)]),
        _("forecast {forecast}, {n} days past its baseline").format(
            forecast=format_date(m.forecast_on), n=m.slip))
        for m in frame.itertuples()}


def _risks(session: Session, ids: list[int]) -> dict[int, AgendaText]:
    if not ids:
        return {}
    rows = session.execute(select(Risk, Initiative.name).outerjoin(Initiative)
                           .where(Risk.id.in_(ids)))
    return {risk.id: AgendaText(_("Risk {score}: {risk} ({initiative})").format(
        score=risk_score(risk.probability, risk.impact), risk=risk.description,
        initiative=name or ""), risk.mitigation) for risk, name in rows}
