"""The web workers' memory (``delivery.malloc``, ``delivery.db.frame_of_rows``): frames kept
between requests hold the same values in less memory, and the process gunicorn forks is
collected, frozen and trimmed."""

from __future__ import annotations

import gc
import platform
import subprocess
import sys
import weakref
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from delivery import malloc
from delivery.db import frame_of_rows

ROOT = Path(__file__).resolve().parents[1]
GLIBC = platform.libc_ver()[0] == "glibc"


class Number(float):
    """A float whose lifetime a weak reference can follow."""


def test_a_frame_of_rows_keeps_no_row_object_alive_beyond_its_texts():
    numbers = [Number(i / 3) for i in range(50)]
    alive = [weakref.ref(n) for n in numbers]
    rows = [(i, f"G{i:03d}", n, None if i % 7 else "note") for i, n in enumerate(numbers)]
    frame = frame_of_rows(rows, ["goal_id", "code", "value", "note"])
    expected = pd.DataFrame(rows, columns=["goal_id", "code", "value", "note"])
    del numbers, rows
    gc.collect()
    # pandas' own frame keeps them all: its text columns view the table of every row's objects
    assert sum(ref() is not None for ref in alive) == len(alive)
    del expected
    gc.collect()
    assert sum(ref() is not None for ref in alive) == 0
    assert frame["value"].tolist() == [i / 3 for i in range(50)]
    assert frame["code"].iloc[3] == "G003"
    assert frame["note"].isna().sum() == 42  # all but rows 0, 7, ..., 49


def test_a_frame_of_rows_is_typed_as_pandas_types_it():
    rows = [(1, "a", 1.5, date(2020, 1, 31), True), (2, None, None, None, False)]
    columns = ["goal_id", "code", "value", "on", "flag"]
    pd.testing.assert_frame_equal(frame_of_rows(rows, columns), pd.DataFrame(rows, columns=columns))
    assert frame_of_rows([], columns).columns.tolist() == columns


def test_shared_values_keep_every_value_and_type_and_share_repeats():
    texts = [f"pillar {i % 3}" for i in range(30)]  # 30 distinct objects, 3 values
    frame = pd.DataFrame({
        "goal_id": np.arange(30), "code": [f"G{i}" for i in range(30)],
        "pillar": pd.array([None if i == 4 else t for i, t in enumerate(texts)], dtype="str"),
        "on": [date(2020, 1 + i % 2, 1) for i in range(30)],
        "value": np.linspace(0, 1, 30)})
    before = frame.copy(deep=True)
    shared = malloc.shared_values(frame)
    pd.testing.assert_frame_equal(shared, before)
    pd.testing.assert_frame_equal(frame, before)  # the frame given is left as it was
    pillars = shared["pillar"].to_numpy(dtype=object)
    assert pillars[0] is pillars[3] is pillars[6] and pillars[1] is pillars[7]
    assert pd.isna(pillars[4])
    days = shared["on"].to_numpy()
    assert days[0] is days[2] and days[1] is days[3]
    assert len({id(d) for d in days}) == 2


def test_shared_values_of_a_column_without_values():
    frame = pd.DataFrame({"goal_id": [1, 2], "lag": pd.Series([None, None], dtype=object)})
    pd.testing.assert_frame_equal(malloc.shared_values(frame), frame)


def test_the_allocator_is_tuned_and_trimmed_on_glibc():
    assert malloc.tune_malloc() is GLIBC
    assert malloc.give_back() in ((True, False) if GLIBC else (False,))  # nothing to give: False


def test_before_the_fork_every_object_is_frozen():
    code = ("import gc; from delivery import malloc; malloc.before_fork(); "
            "print(gc.get_freeze_count() > 1000, gc.collect())")
    answer = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert answer.stdout.split() == ["True", "0"]  # frozen, and nothing left to collect
