"""The cells of a budget file read one way for accounts and links alike: templates rendered
for whole columns, amounts in whole cents (or the reason they are refused), fiscal years, length
limits, and the mapping key or column an error is reported under."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from delivery.i18n import _
from delivery.importing.budget_mapping import BudgetMapping
from delivery.importing.mapping import MappingError, Template
from delivery.importing.reader import ReadOptions

MAX_CENTS = 10**18 - 1  # Numeric(18, 2)
YEARS = range(1900, 2201)
_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def rendered(template: Template, frame: pd.DataFrame, blank: Iterable[str]) -> list[str | None]:
    """The template's text in every row, stripped; None where a cell it uses is blank."""
    markers = {"", *(b.strip() for b in blank)}
    columns = template.columns
    if template.text.strip() == "{" + (columns[0] if columns else "") + "}":
        cells = frame[columns[0]].str.strip()
        return [None if c in markers else c for c in cells.tolist()]
    if not columns:
        text = template.text.strip()
        return [text or None] * len(frame)
    cells = {c: frame[c].str.strip().tolist() for c in columns}
    out: list[str | None] = []
    for i in range(len(frame)):
        row = {c: None if cells[c][i] in markers else cells[c][i] for c in columns}
        filled = template.render(row.__getitem__)
        out.append(filled.strip() if filled is not None else None)
    return out


def blame(mapping: BudgetMapping, name: str) -> str:
    """The column an error in ``name`` is reported under: its template's first column."""
    template = mapping.templates.get(name)
    if template is not None and template.columns:
        return template.columns[0]
    return mapping.amounts.get(name) or name


def check_columns(frame: pd.DataFrame, mapping: BudgetMapping, name: str) -> None:
    """MappingError for a column the mapping names that the file lacks, or a column's name
    given where a template was meant (``Conta`` for ``{Conta}``)."""
    present = set(frame.columns)
    for key, column in mapping.column_uses():
        if column not in present:
            raise MappingError(mapping.path, key, f"column {column!r} is not in {name} (its "
                               f"columns: {', '.join(map(str, frame.columns))})")
    for key, text in mapping.constant_columns():
        if text.strip() in present:
            raise MappingError(mapping.path, key, f"{text!r} is a column of {name}: write "
                               f"{{{text.strip()}}} to take each row's text")


def amount_reader(read: ReadOptions) -> Callable[[str], int | str]:
    """A function from an amount's text to its whole cents or the reason it is refused.

    The text must be written exactly as the mapping's ``read.decimal`` and ``read.thousands``
    say: with ``decimal: "."`` and no thousands mark, ``1,234.56`` and ``1.234,56`` are both
    refused rather than guessed.
    """
    dec, thou = re.escape(read.decimal), re.escape(read.thousands) if read.thousands else None
    whole = rf"(?:\d{{1,3}}(?:{thou}\d{{3}})+|\d+)" if thou else r"\d+"
    pattern = re.compile(rf"([+-]?)({whole})(?:{dec}(\d*))?")
    hint = (_(' (for 1.234,56 set read.decimal: "," and read.thousands: ".")')
            if read.decimal == "." else
            _(' (for 1,234.56 set read.decimal: "." and read.thousands: ",")'))

    def read_amount(text: str) -> int | str:
        cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
        if not cleaned:
            return _("no amount (write 0 for none)")
        if cleaned.lower() in _NOT_FINITE:
            return _("{text} is not a finite amount").format(text=repr(text))
        match = pattern.fullmatch(cleaned)
        if match is None:
            other = "," if read.decimal == "." else "."
            return (_("{text} is not an amount").format(text=repr(text))
                    + (hint if other in cleaned else ""))
        sign, digits, cents = match.groups()
        if cents and len(cents) > 2:
            return _("{text} has {places} decimal places (at most 2); is {mark} a thousands "
                     "mark here?").format(text=repr(text), places=len(cents),
                                          mark=repr(read.decimal)) + hint
        value = int(digits.replace(read.thousands, "") if read.thousands else digits) * 100 \
            + int((cents or "0").ljust(2, "0"))
        if sign == "-" and value:
            return _("{text} is negative (amounts are never negative)").format(text=repr(text))
        if value > MAX_CENTS:
            return _("{text} is larger than the largest amount stored ({largest})").format(
                text=repr(text), largest=f"{MAX_CENTS // 100:,}")
        return value

    return read_amount


def fiscal_year(text: str) -> int | str:
    """The year, or the reason the text is not one."""
    try:
        year = int(text)
    except ValueError:
        return _("{text} is not a year").format(text=repr(text))
    return year if year in YEARS else _("{year} is not a year between 1900 and 2200").format(
        year=year)


def too_long(text: str, what: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return _("{what} is {length} characters long (at most {limit})").format(
        what=what, length=len(text), limit=limit)


def limit(model: Any, column: str) -> int:
    length = model.__table__.c[column].type.length
    return int(length) if length else 10**9


def amount_cents(texts: pd.Series, read: ReadOptions) -> tuple[np.ndarray, np.ndarray]:
    """(cents, reasons) of a column of amounts: whole cents (0 where refused) and the reason
    each refused one is refused (None where read).

    Plain amounts (unsigned, the mapping's marks, at most two decimals) are read as whole
    columns; only the rest go one by one through ``amount_reader``, which says what is wrong.
    """
    dec, thou = re.escape(read.decimal), re.escape(read.thousands) if read.thousands else None
    whole = rf"\d{{1,3}}(?:{thou}\d{{3}}){{0,4}}|\d{{1,16}}" if thou else r"\d{1,16}"
    plain = re.compile(rf"\s*({whole})(?:{dec}(\d\d?))?\s*").fullmatch
    marks = read.thousands or ""
    cents = np.zeros(len(texts), dtype=np.int64)
    reasons = np.full(len(texts), None, dtype=object)
    read_one = amount_reader(read)
    for i, text in enumerate(texts.tolist()):
        match = plain(text)
        if match is not None:  # the common case, without a call per amount
            digits, part = match.groups()
            cents[i] = int((digits.replace(marks, "") if marks else digits)
                           + (part or "").ljust(2, "0"))
            continue
        value = read_one(text)
        if isinstance(value, str):
            reasons[i] = value
        else:
            cents[i] = value
    return cents, reasons
