"""The API's rate limit: at most N requests per token per minute, counted in the database
(``api_rate_window``), so every gunicorn worker and host shares one count. A fixed window:
the count starts again at each minute; a client told 429 is told how many seconds to wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from delivery.models import ApiRateWindow

WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class RateVerdict:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


def window_of(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _bump(session: Session, token_id: int, start: datetime) -> int | None:
    where = (ApiRateWindow.token_id == token_id, ApiRateWindow.window_start == start)
    result = session.execute(update(ApiRateWindow).where(*where)
                             .values(count=ApiRateWindow.count + 1))
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return int(session.scalar(select(ApiRateWindow.count).where(*where)) or 0)


def count_request(session: Session, token_id: int, limit: int, now: datetime) -> RateVerdict:
    """Count one request of ``token_id`` in its window; whether it is within ``limit``.

    Runs in the caller's transaction (commit it at once: the row is locked until then). Two
    workers starting the same window at once: one insert wins, the other counts on it."""
    start = window_of(now)
    count = _bump(session, token_id, start)
    if count is None:
        try:
            with session.begin_nested():
                session.add(ApiRateWindow(token_id=token_id, window_start=start, count=1))
            count = 1
        except IntegrityError:
            count = _bump(session, token_id, start) or 1
        # the windows before this one are of no more use
        session.execute(delete(ApiRateWindow).where(ApiRateWindow.token_id == token_id,
                                                    ApiRateWindow.window_start < start))
    reset = int((start + WINDOW - now).total_seconds()) + 1
    return RateVerdict(limit <= 0 or count <= limit, limit, max(limit - count, 0), reset)
