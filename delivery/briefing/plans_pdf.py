"""The briefing memo's delivery-plans section: one block per initiative on the agenda (its
status and slip, physical against financial progress, late milestones, high risks)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from delivery.briefing.layout import WIDTH, facts, grid, para, section
from delivery.i18n import _, _n, formats
from delivery.plans.briefing import InitiativeBrief
from delivery.plans.vocabulary import MilestoneStatus, Stage
from delivery.status import format_date


def plans_section(briefs: list[InitiativeBrief]) -> list[Flowable]:
    """The section, or nothing when no initiative serves a goal on the agenda."""
    if not briefs:
        return []
    story = section(_("Delivery plans on the agenda"))
    story.append(para(_n("{n} initiative serves the goals on the agenda, worst first.",
                         "{n} initiatives serve the goals on the agenda, worst first.",
                         len(briefs)).format(n=len(briefs)), "small"))
    for brief in briefs:
        story += [Spacer(1, 10), KeepTogether(_block(brief))]
    return story


def _pct(value: float | None) -> str:
    return formats.MISSING if value is None else formats.percent(value)


def _progress(brief: InitiativeBrief) -> str:
    words = _("physical {physical}, budget spent {spent}").format(
        physical=_pct(None if brief.physical_pct is None else brief.physical_pct / 100),
        spent=_pct(brief.financial_share))
    if brief.money_ahead and brief.gap is not None:
        words += " · " + _("money ahead of work by {n} points").format(
            n=formats.number(brief.gap, decimals=0))
    return words


def _block(brief: InitiativeBrief) -> list[Flowable]:
    status = (MilestoneStatus(brief.status).label if brief.status else _("No milestones"))
    block: list[Flowable] = [
        para(f"{brief.code} · {brief.name}", "h2"),
        facts([
            (_("Status"), _("{status}, {n} days of slip").format(status=status, n=brief.slip)),
            (_("Lead"), " · ".join(filter(None, [brief.secretariat, brief.responsible]))),
            (_("Stage"), Stage(brief.stage).label),
            (_("Goals"), ", ".join(brief.goal_codes)),
            (_("Progress"), _progress(brief)),
        ], 30 * mm)]
    if brief.late:
        block += [Spacer(1, 4), grid(
            [_("Late milestone"), _("Baseline"), _("Forecast"), _("Slip"), _("Owner")],
            [[m.name, format_date(m.baseline_on), format_date(m.forecast_on),
              _("{n} d").format(n=m.slip), m.owner] for m in brief.late],
            [WIDTH - 122 * mm, 26 * mm, 26 * mm, 20 * mm, 50 * mm], right=(3,))]
    else:
        block.append(para(_("No milestone is late."), "small"))
    if brief.risks:
        block += [Spacer(1, 4), grid(
            [_("Risk scored 15 or more"), _("Score"), _("Owner"), _("Mitigation")],
            [[r.description + (" " + _("(review overdue)") if r.review_overdue else ""),
              str(r.score), r.owner, r.mitigation] for r in brief.risks],
            [WIDTH - 126 * mm, 16 * mm, 40 * mm, 70 * mm], right=(1,))]
    return block
