"""An inbox item, and the list of sources the inbox gathers them from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from delivery.access import Viewer

AHEAD_DAYS = 7  # things due within a week are listed before they are late


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for a person. ``thing`` names it for good (the reminders' log keys on
    it): ``figure:<goal id>:<period end>``, ``commitment:<id>``, ``proposal:<trajectory id>``,
    ``flags:<goal id>``, ``milestone:<id>``, ``risk:<id>``. ``due_on`` is when it is (or was)
    due, or since when it waits; ``href`` is the page where it is done ("" when the person
    may not open it). The words are made where the item is shown (``delivery.inbox.text``),
    in the reader's language."""

    kind: str  # figure, commitment, proposal, flags, milestone, risk
    thing: str
    due_on: date
    as_of: date
    href: str
    goal_code: str = ""  # a milestone's (a risk's on an initiative): the initiative's
    goal_name: str = ""
    subject: str = ""  # the commitment's description, the figure's period end, ...
    count: int = 1  # flags: how many are open on the goal; risk: its score
    frequency: str = ""  # figures: the goal's reporting frequency
    secretariat_id: int | None = None  # who reports it (escalation goes to its head)
    undated: bool = False  # risk: no review date set (``due_on`` is then ``as_of``)

    @property
    def days_late(self) -> int:
        """Days past ``due_on`` on ``as_of`` (negative: days left; proposals: days waiting)."""
        return (self.as_of - self.due_on).days

    @property
    def is_overdue(self) -> bool:
        return self.kind in {"figure", "commitment", "milestone", "risk"} and self.days_late > 0


Source = Callable[[Session, Viewer, date], list[InboxItem]]
SOURCES: list[Source] = []
AnySource = TypeVar("AnySource", bound=Source)


def register_source(source: AnySource) -> AnySource:
    """Add a source to every inbox (usable as a decorator); milestones come in this way."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def inbox(session: Session, viewer: Viewer, as_of: date) -> list[InboxItem]:
    """Everything waiting for ``viewer`` on ``as_of``, by date (the most overdue first)."""
    if viewer.is_anonymous:
        return []
    items = [item for source in SOURCES for item in source(session, viewer, as_of)]
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.thing))
