"""The goal attributes a mapping may set, and how each is read from the text of a cell."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd

from delivery.i18n import _
from delivery.importing.periods import fold, parse_periods
from delivery.importing.reader import ReadOptions
from delivery.models import Goal
from delivery.vocabulary import Direction, Frequency

REFERENCES = ("objective", "owner", "pillar")  # looked up by code or name, created if missing
NUMBERS = (
    "baseline_value", "target_value", "target_low", "target_high", "tolerance",
    "off_track_tolerance",
)
DATES = ("baseline_date", "target_date")
FLAGS = ("is_public", "is_output")
TEXTS = ("name", "indicator", "unit")
WHOLE_NUMBERS = ("reporting_lag_days",)
ATTRIBUTES = (
    "name", "objective", "owner", "indicator", "unit", "direction", "frequency",
    *NUMBERS, *DATES, *FLAGS, *WHOLE_NUMBERS, "pillar",
)

_TRUE = {"true", "yes", "y", "1", "x", "sim", "s", "si", "oui", "vrai", "ja", "verdadeiro"}
_FALSE = {"false", "no", "n", "0", "nao", "non", "faux", "nein", "falso", ""}


def number(text: str, options: ReadOptions) -> float:
    """A number written with the file's decimal mark and thousands separator."""
    cleaned = text.strip().replace("\u00a0", " ")
    if options.thousands:
        cleaned = cleaned.replace(options.thousands, "")
    if options.decimal != ".":
        cleaned = cleaned.replace(options.decimal, ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(_("{text} is not a number").format(text=repr(text))) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(_("{text} is not a number").format(text=repr(text)))
    return value


def convert(attribute: str, text: str, options: ReadOptions) -> Any:
    """The attribute's value from its text; ValueError with the reason if it cannot be one."""
    return _CONVERTERS.get(attribute, _text(attribute))(text, options)


def _text(attribute: str) -> Callable[[str, ReadOptions], str]:
    column = Goal.__table__.columns.get(attribute)
    limit = getattr(column.type, "length", None) if column is not None else None

    def read(text: str, options: ReadOptions) -> str:
        value = text.strip()
        if limit and len(value) > limit:
            raise ValueError(_("{attribute} is longer than {limit} characters").format(
                attribute=attribute, limit=limit))
        return value

    return read


def _reference(text: str, options: ReadOptions) -> str:
    value = text.strip()
    if len(value) > 200:  # the longest name of an objective, secretariat or pillar
        raise ValueError(_("{text}... is longer than 200 characters").format(
            text=repr(value[:40])))
    return value


def _choice(enum: type[Direction] | type[Frequency]) -> Callable[[str, ReadOptions], Any]:
    def read(text: str, options: ReadOptions) -> Any:
        try:
            return enum(fold(text))
        except ValueError:
            choices = ", ".join(m.value for m in enum)
            raise ValueError(_("{text} is not a {what} (use {choices})").format(
                text=repr(text), what=enum.__name__.lower(), choices=choices)) from None

    return read


@lru_cache(maxsize=4096)
def _date(text: str, options: ReadOptions) -> date:
    # Catalogues repeat the same few dates over thousands of goals: parse each text once.
    if _ISO_DAY.fullmatch(text.strip()):
        return date.fromisoformat(text.strip())
    parsed = parse_periods(pd.Series([text], dtype=object), "date", day_first=options.day_first)
    if parsed["error"].iloc[0]:
        raise ValueError(parsed["error"].iloc[0])
    return parsed["start"].iloc[0].date()


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _flag(text: str, options: ReadOptions) -> bool:
    folded = fold(text)
    if folded in _TRUE or folded in _FALSE:
        return folded in _TRUE
    raise ValueError(_("{text} is not yes or no (use true/false, yes/no, sim/não, 1/0)").format(
        text=repr(text)))


def _whole(text: str, options: ReadOptions) -> int:
    if not re.fullmatch(r"\s*\d+(\.0+)?\s*", text):
        raise ValueError(_("{text} is not a whole number of days").format(text=repr(text)))
    return int(float(text))


_CONVERTERS: dict[str, Callable[[str, ReadOptions], Any]] = {
    "direction": _choice(Direction),
    "frequency": _choice(Frequency),
    **{name: number for name in NUMBERS},
    **{name: _date for name in DATES},
    **{name: _flag for name in FLAGS},
    **{name: _whole for name in WHOLE_NUMBERS},
    **{name: _text(name) for name in TEXTS},
    **{name: _reference for name in REFERENCES},
}
