"""How long a run may take and how much it may read, so that one source cannot hold a worker
or the scheduler's memory: a deadline for the whole run (every HTTP request, retry pause and
file counts against it), a cap on each HTTP answer, and a cap on each dropped file, measured
unpacked for a workbook (an .xlsx is a zip: a few kilobytes can unpack to gigabytes).
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from delivery.i18n.worded import Number, w_
from delivery.ingestion.errors import SourceError, TransientError
from delivery.ingestion.http import HttpClient

MB = 1 << 20
ZIPPED_SUFFIXES = {".xlsx", ".xlsm"}


class PastDeadline(SourceError):
    """The run took longer than its deadline: it is failed, and writes nothing."""


class FileTooLarge(SourceError):
    """A dropped file (or what it unpacks to) is larger than a run may read."""


@dataclass(frozen=True)
class RunLimits:
    deadline_seconds: float = 1800.0
    max_download_bytes: int = 200 * MB
    max_file_bytes: int = 100 * MB

    @classmethod
    def of(cls, settings: Any) -> RunLimits:
        return cls(float(settings.ingestion_run_deadline_seconds),
                   int(settings.ingestion_max_download_mb) * MB,
                   int(settings.ingestion_max_file_mb) * MB)


class Deadline:
    """The moment a run must be over, checked before each step and shortening every wait."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = seconds, clock
        self.at = clock() + seconds

    def remaining(self) -> float:
        """Seconds left; PastDeadline once there are none."""
        left = self.at - self.clock()
        if left <= 0:
            raise PastDeadline(w_("the run passed its deadline of {seconds}s and was stopped; "
                                 "nothing it read was recorded",
                seconds=Number(self.seconds, up_to=1)))
        return left

    def sleep(self, sleep: Callable[[float], None]) -> Callable[[float], None]:
        """``sleep`` that never waits past the deadline (and says so when it would)."""

        def bounded(seconds: float) -> None:
            if seconds >= self.remaining():
                sleep(self.remaining())
                self.remaining()
            sleep(seconds)

        return bounded


class BoundedClient:
    """An HttpClient whose every request ends by the run's deadline."""

    def __init__(self, client: HttpClient, deadline: Deadline) -> None:
        self.client, self.deadline = client, deadline

    def get_json(self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str],
                 timeout: float) -> Any:
        try:
            return self.client.get_json(url, params=params, headers=headers,
                                        timeout=min(timeout, self.deadline.remaining()))
        except TransientError:
            self.deadline.remaining()  # out of time: fail the run rather than retry
            raise


def check_file_size(path: Path, limit: int) -> None:
    """FileTooLarge when the file, or for a workbook the sum of its members unpacked (as its
    zip directory declares them, read before anything is unpacked), exceeds ``limit``.

    The declared sizes bind: Python's zipfile never unpacks a member past its declared size
    (a member that would is refused as corrupt), so a bomb cannot lie its way past this."""
    size = path.stat().st_size
    if size > limit:
        raise FileTooLarge(w_("{name} is {size} MB; a run reads files of at most {limit} MB",
                              name=path.name, size=Number(size / MB, decimals=1),
                                   limit=Number(limit / MB, up_to=1)))
    if path.suffix.lower() not in ZIPPED_SUFFIXES or not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    if unpacked > limit:
        raise FileTooLarge(w_("{name} unpacks to {size} MB; a run reads files of at most {limit} "
                             "MB", name=path.name,
                                          size=Number(unpacked / MB, decimals=1),
                                          limit=Number(limit / MB, up_to=1)))
