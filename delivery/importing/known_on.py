"""When the imported figures became known: the mapping's ``known_on``, or one day for the whole
import (``delivery import --known-on``), read for every record and checked against its period.

A figure cannot become known before its period ends, nor after the review date; a day before
the review date is a backfill of history, which only analysts and admins may do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import numpy as np
import pandas as pd

from delivery.i18n import _, _l
from delivery.importing.goals import Problem
from delivery.importing.mapping import KnownOnSpec
from delivery.importing.periods import parse_periods

KEY = "known_on"  # blamed when the day comes from a template, a constant or the command line
NOT_ALLOWED = _l("known_on {day} is before the review date ({today}): only analysts and admins "
                 "may backfill history")


def read_known_on(columns: Mapping[str, pd.Series], size: int, spec: KnownOnSpec | None,
                  override: date | None,
                  blank: tuple[str, ...]) -> tuple[np.ndarray, Problem | None]:
    """Each record's known_on (datetime64[D]; NaT: the default day) and the records whose text
    is not a date. ``override`` (one day for all) wins over the mapping's ``spec``."""
    if override is not None:
        return np.full(size, np.datetime64(override, "D")), None
    if spec is None:
        return np.full(size, np.datetime64("NaT", "D")), None
    texts = _rendered(columns, size, spec, {"", *(b.strip() for b in blank)})
    given = texts.notna().to_numpy()
    days = np.full(size, np.datetime64("NaT", "D"))
    if not given.any():
        return days, None
    parsed = parse_periods(texts[given].reset_index(drop=True), spec.format,
                           day_first=spec.day_first)
    days[given] = parsed["end"].to_numpy(dtype="datetime64[D]")  # a month: known by its end
    errors = parsed["error"].to_numpy(dtype=object)
    failed = errors != None  # noqa: E711 - element-wise
    if not failed.any():
        return days, None
    positions = np.flatnonzero(given)[failed]
    return days, Problem(positions, blame(spec), np.array(
        [_("known_on {text}: {reason}").format(text=repr(t), reason=e)
         for t, e in zip(texts.iloc[positions], errors[failed], strict=True)], dtype=object))


def blame(spec: KnownOnSpec | None) -> str:
    """The column a known_on problem is reported in: the file's column, or the mapping key."""
    if spec is not None and len(spec.columns) == 1 and spec.template.text.strip() in (
            f"{{{spec.columns[0]}}}", f"{{ {spec.columns[0]} }}"):
        return spec.columns[0]
    return KEY


def refused(days: np.ndarray, ends: np.ndarray, today: date,
            may_backfill: bool) -> np.ndarray:
    """Why each record's known_on (NaT: the default, always fine) is refused, or None."""
    today64 = np.datetime64(today, "D")
    given = ~np.isnat(days)
    reasons = np.full(len(days), None, dtype=object)
    checks = (
        (given & (days > today64), _l("known_on {day} is after the review date ({today})")),
        (given & (days < ends), _l("known_on {day} is before the period ends ({end})")),
        (given & (days < today64) & (not may_backfill), NOT_ALLOWED),
    )
    for mask, why in reversed(checks):  # the first that applies is the one given
        for i in np.flatnonzero(mask):
            reasons[i] = str(why).format(day=np.datetime_as_string(days[i]),
                                         today=today.isoformat(),
                                         end=np.datetime_as_string(ends[i]))
    return reasons


def _rendered(columns: Mapping[str, pd.Series], size: int, spec: KnownOnSpec,
              blank: set[str]) -> pd.Series:
    """The template's text per record (None where a column it uses is blank), each distinct
    combination of cells rendered once."""
    used = list(spec.columns)
    if not used:
        return pd.Series([spec.template.text] * size, dtype=object)
    cells = pd.DataFrame({c: columns[c].astype(object).where(columns[c].notna(), "")
                          .astype(str).str.strip() for c in used})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(cells)) if len(used) > 1 else \
        pd.factorize(cells[used[0]])
    texts = []
    for combination in uniques:
        values = dict(zip(used, combination if len(used) > 1 else (combination,), strict=True))
        texts.append(spec.template.render(_cells(values, blank)))
    return pd.Series(np.array(texts + [None], dtype=object)[codes], dtype=object)


def _cells(values: dict[str, str], blank: set[str]) -> Callable[[str], str | None]:
    return lambda column: None if values[column] in blank else values[column]
