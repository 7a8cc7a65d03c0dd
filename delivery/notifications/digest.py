"""The governor's Monday digest: the week's review in a few lines and the briefing memo of the
week's review meeting, if one is scheduled."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery.briefing import briefing_pdf, meeting_pack
from delivery.models import Initiative, ReviewMeeting, Risk
from delivery.notifications.compose import review_summary
from delivery.plans.board import milestones_frame
from delivery.plans.rules import HIGH_RISK_SCORE
from delivery.plans.vocabulary import MilestoneStatus, RiskStatus, Stage
from delivery.review import weekly_review
from delivery.vocabulary import MeetingState


def week_meeting(session: Session, as_of: date) -> ReviewMeeting | None:
    """The governor's review meeting (one on an objective) in the week of ``as_of``."""
    monday = as_of - timedelta(days=as_of.weekday())
    return session.scalars(
        select(ReviewMeeting).where(ReviewMeeting.objective_id.is_not(None),
                                    ReviewMeeting.state != MeetingState.CANCELLED,
                                    ReviewMeeting.held_on.between(monday, monday + timedelta(6)))
        .order_by(ReviewMeeting.held_on, ReviewMeeting.id)).first()


def week_summary(session: Session, as_of: date) -> list[str]:
    """The lines of the digest, in the current language."""
    review = weekly_review(session, as_of)
    counts = review.statuses["status"].value_counts()
    statuses = {s: int(counts[s]) for s in ("off_track", "slipping", "on_track",
                                             "no_recent_data") if s in counts}
    worst = list(zip(review.worst["code"].head(5), review.worst["name"].head(5), strict=True))
    commitments = review.commitments
    is_open = commitments["state"] == "open"
    overdue = int((commitments.loc[is_open, "days_overdue"] > 0).sum())
    return review_summary(statuses, worst, int(is_open.sum()), overdue,
                          *plan_counts(session, as_of))


def plan_counts(session: Session, as_of: date) -> tuple[int, int]:
    """(late milestones, open risks scored 15 or more) across the government on ``as_of``
    (cancelled initiatives left out)."""
    milestones = milestones_frame(session, as_of)
    late = int((milestones["status"] == MilestoneStatus.LATE.value).sum())
    risks = session.scalar(
        select(func.count(Risk.id)).outerjoin(Initiative, Initiative.id == Risk.initiative_id)
        .where(Risk.status == RiskStatus.OPEN.value,
               Risk.probability * Risk.impact >= HIGH_RISK_SCORE,
               (Initiative.id.is_(None)) | (Initiative.stage != Stage.CANCELLED.value))) or 0
    return late, int(risks)


def memo(session: Session, as_of: date) -> tuple[str, bytes] | None:
    """(file name, PDF) of the briefing memo of the week's meeting, or None without one."""
    meeting = week_meeting(session, as_of)
    if meeting is None:
        return None
    pack = meeting_pack(session, meeting.id, min(as_of, meeting.held_on))
    return f"briefing-{meeting.held_on.isoformat()}.pdf", briefing_pdf(pack)
