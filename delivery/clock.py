"""The review date: today, unless the database pins one (the demo does, so that its story holds)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from delivery.models import SiteMeta

REVIEW_DATE_KEY = "review_date"


def review_date(session: Session, today: date | None = None) -> date:
    """The date screens and commands assess "as of" when none is asked for."""
    pinned = session.get(SiteMeta, REVIEW_DATE_KEY)
    if pinned is not None:
        return date.fromisoformat(pinned.value)
    return today or date.today()


def pin_review_date(session: Session, day: date | None) -> None:
    """Pin the review date (``None`` unpins it: screens then follow the calendar)."""
    pinned = session.get(SiteMeta, REVIEW_DATE_KEY)
    if day is None:
        if pinned is not None:
            session.delete(pinned)
    elif pinned is None:
        session.add(SiteMeta(key=REVIEW_DATE_KEY, value=day.isoformat()))
    else:
        pinned.value = day.isoformat()


def stamp_now(session: Session, now: datetime | None = None) -> datetime:
    """The time to record a change made now: the clock's, or, while the review date is pinned
    (the demo), that day at the clock's time of day, so that what people do in the demo is
    known "as of" its date and shows on its screens."""
    now = now or datetime.now(UTC)
    pinned = session.get(SiteMeta, REVIEW_DATE_KEY)
    if pinned is None:
        return now
    return datetime.combine(date.fromisoformat(pinned.value), now.timetz())
