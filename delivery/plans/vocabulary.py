"""The fixed words of delivery plans: an initiative's stage, a milestone's status, a risk's
status. Kept apart from the models so that the pure rules and the screens share them."""

from __future__ import annotations

from enum import StrEnum

from delivery.i18n import _


class Stage(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"planned": _("Planned"), "in_progress": _("In progress"),
                "completed": _("Completed"), "cancelled": _("Cancelled")}[self.value]


class MilestoneStatus(StrEnum):
    """A milestone as of a date, worst last (the order sorts initiatives worst first)."""

    DONE_ON_TIME = "done_on_time"
    NOT_DUE = "not_due"
    DONE_LATE = "done_late"  # history: worse than on time, less pressing than what is due
    DUE = "due"
    AT_RISK = "at_risk"
    LATE = "late"

    @property
    def label(self) -> str:
        return {"done_on_time": _("Done on time"), "not_due": _("Not due"), "due": _("Due"),
                "done_late": _("Done late"), "at_risk": _("At risk"),
                "late": _("Late")}[self.value]

    @property
    def severity(self) -> int:
        return list(MilestoneStatus).index(self)


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATED = "mitigated"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": _("Open"), "mitigated": _("Mitigated"), "closed": _("Closed")}[self.value]
