"""The fixed words of the domain: directions, frequencies, trajectory shapes, statuses, ratings."""

from __future__ import annotations

from enum import StrEnum

from delivery.i18n import N_, _, _n, pgettext


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

    def counted(self, n: int) -> str:
        """The words after a count of goals in this status: ``2 atrasadas`` reads ``off track``
        in English, ``atrasadas`` in Portuguese (the count itself is not included)."""
        return _STATUS_COUNTED[self.value](n)


_STATUS_COUNTED = {  # the adjective agreeing with a number of goals (metas, feminine)
    "on_track": lambda n: _n("on track", "on track", n),
    "slipping": lambda n: _n("slipping", "slipping", n),
    "off_track": lambda n: _n("off track", "off track", n),
    "no_recent_data": lambda n: _n("with no recent data", "with no recent data", n),
}

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
        """Green, Amber-green, Amber-red, Red in the current language."""
        return {"green": lambda: _("Green"), "amber_green": lambda: _("Amber-green"),
                "amber_red": lambda: _("Amber-red"), "red": lambda: _("Red")}[self.value]()


# The parts of a likelihood-of-delivery judgement besides the overall rating (keys of
# ``LikelihoodAssessment.judgements``), after the UK Prime Minister's Delivery Unit's framework.
LIKELIHOOD_FACTORS = {
    "challenge": N_("Degree of challenge"),
    "planning": N_("Quality of planning"),
    "implementation": N_("Quality of implementation"),
    "performance_management": N_("Quality of performance management"),
    "capacity": N_("Capacity to drive progress"),
    "stage": N_("Stage of delivery"),
}


def factor_label(key: str) -> str:
    """A likelihood factor's name in the current language."""
    return _(LIKELIHOOD_FACTORS[key]) if key in LIKELIHOOD_FACTORS else key



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

    @property
    def label(self) -> str:
        return {"scheduled": lambda: pgettext("meeting", "scheduled"),
                "held": lambda: pgettext("meeting", "held"),
                "cancelled": lambda: pgettext("meeting", "cancelled")}[self.value]()


class AgendaKind(StrEnum):
    GOAL = "goal"  # a goal off track or slipping
    FLAG = "flag"  # a data-quality flag raised on a goal
    COMMITMENT = "commitment"  # a commitment due or overdue
    TOPIC = "topic"  # anything else the analyst adds

    @property
    def label(self) -> str:
        """Goal, Data flag, Commitment, Topic in the current language (the agenda's tags)."""
        return {"goal": lambda: _("Goal"), "flag": lambda: _("Data flag"),
                "commitment": lambda: _("Commitment"), "topic": lambda: _("Topic")}[self.value]()


class CommitmentState(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {"open": lambda: pgettext("commitment", "open"),
                "done": lambda: pgettext("commitment", "done"),
                "dropped": lambda: pgettext("commitment", "dropped")}[self.value]()


class CommitmentUpdateKind(StrEnum):
    """What a row of a commitment's follow-up records (each change is a new row)."""

    NOTE = "note"  # a progress note, with optional evidence (a link, a text)
    DATE_REQUEST = "date_request"  # the owner asks for a new due date, saying why
    DATE_ANSWER = "date_answer"  # the delivery unit accepts or refuses a request
    EDIT = "edit"  # the minutes corrected while the meeting was open (before/after)

    @property
    def label(self) -> str:
        return {"note": lambda: pgettext("commitment update", "progress note"),
                "date_request": lambda: pgettext("commitment update", "new date requested"),
                "date_answer": lambda: pgettext("commitment update", "request answered"),
                "edit": lambda: pgettext("commitment update", "corrected")}[self.value]()


class Digest(StrEnum):
    """How often a person's reminders come by e-mail (none: only in their inbox)."""

    DAILY = "daily"
    WEEKLY = "weekly"  # on Mondays
    NONE = "none"

    @property
    def label(self) -> str:
        return {"daily": lambda: pgettext("digest", "daily"),
                "weekly": lambda: pgettext("digest", "weekly, on Mondays"),
                "none": lambda: pgettext("digest", "none (inbox only)")}[self.value]()


class FlagState(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"

    @property
    def label(self) -> str:
        return {"open": lambda: pgettext("flag", "open"),
                "confirmed": lambda: pgettext("flag", "confirmed"),
                "dismissed": lambda: pgettext("flag", "dismissed")}[self.value]()


_FLAG_KINDS = {  # the data-quality checks' names (``delivery.quality.checks.KINDS``)
    "late": N_("Late"), "missing": N_("Missing"), "outlier": N_("Outlier"),
    "level_shift": N_("Level shift"), "bunching": N_("Bunching"),
    "variance_collapse": N_("Variance collapse"), "digit_pattern": N_("Digit pattern"),
    "shadow_divergence": N_("Shadow divergence"),
}


def flag_kind_label(kind: str) -> str:
    """A data-quality check's name in the current language (unknown kinds as they are)."""
    return _(_FLAG_KINDS[kind]) if kind in _FLAG_KINDS else kind
