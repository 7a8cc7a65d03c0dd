"""What the account pages (sessions, API tokens) share."""

from __future__ import annotations

from datetime import UTC, datetime

from delivery.i18n import formats

WIDE_ONLY = "d-none d-md-table-cell"  # columns a phone leaves out


def moment(at: datetime) -> str:
    """A stored moment as the day in the reader's locale and the UTC time."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{formats.day(at.date())} {at:%H:%M}"
