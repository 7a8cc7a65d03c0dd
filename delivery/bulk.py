"""Bulk work (a file of tens of thousands of lines, a graph of 100,000 nodes) without paying
for Python's cycle collector.

The collector walks every live object each time enough new ones are made; building many small
objects that are not garbage sets it off over and over, and the walks can cost more than the
work itself. Reference counting still frees what is dropped while it is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (it runs as before afterwards)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
