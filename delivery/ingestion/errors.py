"""Why a pull failed, and the retry policy: transient failures are tried again with backoff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from delivery.i18n.worded import Worded, wn_

T = TypeVar("T")
MAX_PAUSE = 300.0  # seconds: backoff never waits longer than this between two attempts


class SourceError(RuntimeError):
    """The source cannot be pulled as configured: trying again will not help."""


class TransientError(SourceError):
    """The source is down, slow or overloaded (timeout, refused, HTTP 5xx/429): try again."""


@dataclass
class Retrier:
    """Calls a function, retrying it on TransientError after ``backoff * 2**n`` seconds.

    ``sleep`` is injectable so that tests need not wait; ``used`` counts the retries made.
    """

    retries: int
    backoff: float
    sleep: Callable[[float], None]
    used: int = 0

    def call(self, what: str | Worded, action: Callable[[], T]) -> T:
        for attempt in range(self.retries + 1):
            try:
                return action()
            except TransientError as exc:
                if attempt == self.retries:
                    raise SourceError(wn_("{what}: gave up after {n} attempt: {reason}",
                                          "{what}: gave up after {n} attempts: {reason}",
                                          attempt + 1, what=what, n=attempt + 1,
                                          reason=exc)) from None
                self.used += 1
                self.sleep(min(MAX_PAUSE, self.backoff * 2**attempt))
        raise AssertionError("unreachable")
