"""The review date: today, unless the database pins one (the demo does, so that its story holds)."""

from __future__ import annotations

from datetime import date

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
