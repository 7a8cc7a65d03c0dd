"""The one reader of dates that come from outside: URLs, forms, callbacks, the command line.

Every such date is an ISO date (or the date part of an ISO timestamp, as date pickers send)
between ``EARLIEST`` and ``LATEST``: the product's arithmetic (periods, trajectories, forecasts)
stays far from the ends of Python's calendar, and a typo such as 0203 or 20023 is caught.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from delivery.i18n import _

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


class DateError(ValueError):
    """Not a date, or a date outside the years the product handles; the message says which."""


def parse_day(text: Any) -> date:
    """``text`` as a date between 1900 and 2200; DateError otherwise."""
    raw = text.strip() if isinstance(text, str) else ""
    if len(raw) > 10 and raw[10] in "T ":  # a timestamp: its date
        raw = raw[:10]
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        shown = text[:40] if isinstance(text, str) else text
        raise DateError(_("{text} is not a date like 2024-06-30").format(text=repr(shown))) \
            from None
    if not EARLIEST <= day <= LATEST:
        raise DateError(_("{text} is outside the years {first} to {last}").format(
            text=repr(raw), first=EARLIEST.year, last=LATEST.year))
    return day


def day_or_none(text: Any) -> date | None:
    """``text`` as a date when it is one in range; None when empty, malformed or out of range."""
    try:
        return parse_day(text) if text else None
    except DateError:
        return None
