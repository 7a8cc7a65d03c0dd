"""How the web workers' memory is held down (the load test's aim: under 400 MB resident each).

gunicorn builds the app and the review's kept data in its master, then forks the workers
(``delivery.serving``). A worker's resident set is what it inherited and still maps, plus what
it allocated since; glibc's malloc keeps freed memory for reuse rather than giving it back, so
a worker's size is the high-water mark of everything it ever held at once. Here:

- ``few_malloc_arenas``: at most two malloc arenas per process (not one per thread);
- ``big_blocks_mapped``: every block from ``MMAP_THRESHOLD`` up (a numpy column of a few
  thousand rows and more) is a mapping of its own, returned to the system when freed, instead
  of a hole in the heap that only a block of its size or smaller can fill again;
- ``give_back``: the heap's free pages returned (``malloc_trim``): after a grading pass, whose
  superseded frames and workings leave tens of megabytes free;
- ``before_fork``: garbage collected and the survivors frozen (``gc.freeze``), the heap trimmed,
  just before gunicorn forks: a worker's collector then never walks (and so writes to, copying
  them) the pages of the objects it inherited, and the master's free pages are not copied into
  every worker. (This lowers what each worker costs the machine, its PSS/USS; resident size
  counts shared pages as well as its own.)

All of them do nothing off glibc (they return False).

And ``shared_values``, for the frames kept between requests: a text read from the database is a
new Python object per row, so a pillar's name read with each of 20,000 goals is 20,000 copies
of it; kept once each, the goals and trajectory frames are megabytes smaller in every process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache

import numpy as np
import pandas as pd

MALLOC_ARENAS = 2  # per worker: see few_malloc_arenas
MMAP_THRESHOLD = 128 * 1024  # bytes: glibc's own starting value, kept from moving up
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8  # mallopt's parameters (malloc.h)


@cache
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc's, not every libc's
    except (OSError, AttributeError):
        return None
    return libc


def few_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Let glibc's malloc keep at most ``arenas`` arenas in this process and the workers it
    forks (what ``MALLOC_ARENA_MAX`` sets at start-up). By default it gives each thread that
    allocates at once an arena of its own, up to eight per core, and pandas frames freed in one
    stay mapped there: a gthread worker's memory grew by a quarter under the load test for no
    speed. Whether it took."""
    libc = _libc()
    return libc is not None and bool(libc.mallopt(_M_ARENA_MAX, arenas))


def big_blocks_mapped(threshold: int = MMAP_THRESHOLD) -> bool:
    """Serve every allocation of ``threshold`` bytes or more from a mapping of its own, given
    back to the system when it is freed. glibc starts at 128 KiB but raises the threshold to
    the size of each mapped block freed (up to 32 MiB): after the first frame is dropped, the
    columns of every later one go into the heap, whose freed space stays resident. Fixing it
    keeps the threshold where it starts (and turns off the heap's automatic trimming's own
    moving threshold likewise). Whether it took."""
    libc = _libc()
    return libc is not None and bool(libc.mallopt(_M_MMAP_THRESHOLD, threshold))


def tune_malloc() -> bool:
    """``few_malloc_arenas`` and ``big_blocks_mapped``: called before the app is built (its
    blocks are placed by these rules too), in the process gunicorn forks. Whether both took."""
    return few_malloc_arenas() & big_blocks_mapped()


def give_back() -> bool:
    """Return the malloc heap's free pages to the system (``malloc_trim``: a millisecond or a
    few tens of them, more the more there is to return)."""
    libc = _libc()
    return libc is not None and bool(libc.malloc_trim(0))


def before_fork() -> None:
    """Ready this process to be forked into workers: garbage collected, every surviving object
    moved to the collector's permanent generation (never examined again, in this process or in
    a child), the heap's free pages returned."""
    gc.collect()
    gc.freeze()
    give_back()


def shared_values(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each column of Python objects (texts, dates) holding one object per
    distinct value, the rows that repeat it all pointing to it: the same values and types,
    less memory. Columns whose values are all distinct (a code, a name) are left as they are;
    ``frame`` itself is not changed."""
    out = frame.copy(deep=False)
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        shared = values.to_numpy(dtype=object, copy=True)  # missing ones stay as they are
        codes, distinct = pd.factorize(shared, use_na_sentinel=True)
        if len(distinct) == len(values):
            continue
        present = codes >= 0
        shared[present] = np.asarray(distinct, dtype=object)[codes[present]]
        out[column] = pd.Series(pd.array(shared, dtype=values.dtype), index=frame.index)
    return out
