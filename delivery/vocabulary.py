"""The fixed words of the domain: directions, frequencies, trajectory shapes, statuses, ratings."""

from __future__ import annotations

from enum import StrEnum

from delivery.i18n import _


class Direction(StrEnum):
    UP = "up"  # higher is better
    DOWN = "down"  # lower is better
    RANGE = "range"  # inside a band is good


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def days(self) -> int:
        """Nominal length of one reporting period, in days."""
        return {"weekly": 7, "monthly": 31, "quarterly": 92, "yearly": 366}[self.value]


class Shape(StrEnum):
    LINEAR = "linear"  # straight lines between milestones
    S_CURVE = "s_curve"  # slow start, fast middle, slow finish between milestones
    STEP = "step"  # each milestone's value holds until the next milestone
    MILESTONES = "milestones"  # hand-set milestones, straight lines between them


class Status(StrEnum):
    ON_TRACK = "on_track"
    SLIPPING = "slipping"
    OFF_TRACK = "off_track"
    NO_RECENT_DATA = "no_recent_data"

    @property
    def label(self) -> str:
        """The status as people read it, in the current language: On track, No rumo..."""
        return _STATUS_LABELS[self.value]()


_STATUS_LABELS = {  # functions: translated each time, in the reader's language
    "on_track": lambda: _("On track"), "slipping": lambda: _("Slipping"),
    "off_track": lambda: _("Off track"), "no_recent_data": lambda: _("No recent data"),
}


class Likelihood(StrEnum):
    """The delivery unit's four-point judgement, kept apart from the computed status."""

    GREEN = "green"
    AMBER_GREEN = "amber_green"
    AMBER_RED = "amber_red"
    RED = "red"

    @property
    def label(self) -> str:
        return self.value.replace("_", "-").capitalize()


# The parts of a likelihood-of-delivery judgement besides the overall rating (keys of
# ``LikelihoodAssessment.judgements``), after the UK Prime Minister's Delivery Unit's framework.
LIKELIHOOD_FACTORS = {
    "challenge": "Degree of challenge",
    "planning": "Quality of planning",
    "implementation": "Quality of implementation",
    "performance_management": "Quality of performance management",
    "capacity": "Capacity to drive progress",
    "stage": "Stage of delivery",
}


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    GOVERNOR = "governor"
    SECRETARIAT = "secretariat"


class MeetingKind(StrEnum):
    GOVERNOR = "governor"  # the governor's weekly review, rotating through the objectives
    PACT = "pact"  # one pact's own review


class MeetingState(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"  # took place; its minutes may still be open until ``closed_at``
    CANCELLED = "cancelled"


class AgendaKind(StrEnum):
    GOAL = "goal"  # a goal off track or slipping
    FLAG = "flag"  # a data-quality flag raised on a goal
    COMMITMENT = "commitment"  # a commitment due or overdue
    TOPIC = "topic"  # anything else the analyst adds


class CommitmentState(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class FlagState(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
