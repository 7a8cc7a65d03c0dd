"""My work: what is waiting for a person as of a date, each thing with where it is done.

``inbox(session, viewer, as_of)`` gathers the items of every source in ``SOURCES``: figures
due and overdue for the goals the person reports, commitments they own, trajectory proposals
awaiting their decision, data-quality flags to answer, milestones late or due soon and open
high risks of the person's secretariat (``delivery.inbox.plans``). A source is a plain function
``(session, viewer, as_of) -> list[InboxItem]``, added with ``register_source``. Done things
leave by themselves: a source only lists what is still open on ``as_of``.
"""

from delivery.inbox.items import (
    AHEAD_DAYS,
    SOURCES,
    InboxItem,
    inbox,
    register_source,
)
from delivery.inbox.plans import milestones_owned, milestones_waiting, risks_open
from delivery.inbox.sources import (
    commitments_owned,
    figures_waiting,
    flags_to_answer,
    goals_reported_by,
    proposals_awaiting,
)

__all__ = [
    "AHEAD_DAYS",
    "SOURCES",
    "InboxItem",
    "commitments_owned",
    "figures_waiting",
    "flags_to_answer",
    "goals_reported_by",
    "inbox",
    "milestones_owned",
    "milestones_waiting",
    "proposals_awaiting",
    "register_source",
    "risks_open",
]
