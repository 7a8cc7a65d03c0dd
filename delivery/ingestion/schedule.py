"""When a source runs: a cron line (in a time zone) or a fixed interval, or only when asked.

APScheduler's own triggers parse the cron line and compute the fire times, so that what is
checked when a source is saved is exactly what the scheduler will run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from delivery.i18n import _

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_DURATION = 366 * 86400  # longer is a typo (and would overflow the scheduler's clock)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


class ScheduleError(ValueError):
    """A schedule that cannot be used, with the reason."""


def parse_duration(text: str | int | float) -> float:
    """Seconds in ``90``, ``"45s"``, ``"30m"``, ``"6h"`` or ``"1d"``."""
    if isinstance(text, bool) or (isinstance(text, float) and not math.isfinite(text)):
        raise ScheduleError(_("{value} is not a duration").format(value=repr(text)))
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        match = _DURATION.match(str(text))
        if not match:
            raise ScheduleError(_("{value} is not a duration like 90, 45s, 30m, 6h or 1d").format(
                value=repr(text)))
        seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds <= 0:
        raise ScheduleError(_("{value}: a duration must be more than zero").format(
            value=repr(text)))
    if seconds > MAX_DURATION:
        raise ScheduleError(_("{value}: a duration can be at most a year").format(
            value=repr(text)))
    return seconds


@dataclass(frozen=True)
class Schedule:
    cron: str | None = None
    interval_seconds: int | None = None
    timezone: str = "UTC"

    @property
    def manual(self) -> bool:
        return self.cron is None and self.interval_seconds is None

    def trigger(self) -> BaseTrigger | None:
        """The APScheduler trigger; None for a source that only runs when asked."""
        if self.cron is not None:
            return CronTrigger.from_crontab(self.cron, timezone=ZoneInfo(self.timezone))
        if self.interval_seconds is not None:
            return IntervalTrigger(seconds=self.interval_seconds, timezone=ZoneInfo(self.timezone))
        return None

    def missed_since(self, last_start: datetime | None, now: datetime) -> bool:
        """Whether a run was due between ``last_start`` and ``now`` (never run: due at once)."""
        if self.manual:
            return False
        if last_start is None:
            return True
        if self.interval_seconds is not None:
            return now - last_start >= timedelta(seconds=self.interval_seconds)
        trigger = self.trigger()
        assert trigger is not None
        due = trigger.get_next_fire_time(None, last_start + timedelta(seconds=1))
        return due is not None and due <= now

    def describe(self) -> str:
        if self.cron is not None:
            return _("cron {cron} ({zone})").format(cron=self.cron, zone=self.timezone)
        if self.interval_seconds is not None:
            return _("every {interval}").format(interval=_human(self.interval_seconds))
        return _("on request only")


def parse_schedule(raw: object) -> Schedule:
    """A schedule from a source file: ``{cron: "0 6 * * 1-5", timezone: America/Recife}``,
    ``{every: 6h}``, or nothing / ``manual`` for a source that only runs when asked."""
    if raw is None or raw == "manual":
        return Schedule()
    if not isinstance(raw, dict):
        raise ScheduleError(_("should be {{cron: ...}} or {{every: ...}} or manual, not "
                              "{value}").format(value=repr(raw)))
    unknown = set(raw) - {"cron", "every", "timezone"}
    if unknown:
        raise ScheduleError(_("unknown key {key} (expected one of {keys})").format(
            key=repr(sorted(map(str, unknown))[0]), keys="cron, every, timezone"))
    if ("cron" in raw) == ("every" in raw):
        raise ScheduleError(_("give either cron or every"))
    zone = str(raw.get("timezone") or "UTC")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(_("unknown time zone {value}").format(value=repr(zone))) from None
    if "every" in raw:
        return Schedule(interval_seconds=max(1, round(parse_duration(raw["every"]))), timezone=zone)
    line = str(raw["cron"]).strip()
    try:
        CronTrigger.from_crontab(line, timezone=ZoneInfo(zone))
    except ValueError as exc:
        raise ScheduleError(_("cron {line}: {reason} (five fields: minute hour day month "
                              "day-of-week)").format(line=repr(line), reason=exc)) from None
    return Schedule(cron=line, timezone=zone)


def _human(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
