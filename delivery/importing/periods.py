"""Reading reporting periods from text, a whole column at a time.

``parse_periods(texts, format=...)`` and ``parse_year_month(years, months)`` return a frame
aligned with their input: ``start`` and ``end`` (``datetime64[D]``, NaT where the text is not
a period), ``kind`` (day, month, quarter, year, fiscal_year) and ``error`` (why the text is not
a period, else None). A period's end is its last day. Columns hold few distinct periods, so each
distinct text is parsed once, by regular expressions over all of them together, and the results
are spread back over the rows.

Accepted (case and accents do not matter):

- dates: ``2021-03-15`` (also with a time), ``2021/03/15``, ``15/03/2021`` with ``day_first``
  (else ``03/15/2021``), with ``/``, ``.`` or ``-``;
- months: ``2021-03``, ``2021/3``, ``03/2021``, ``2021M03``, ``Mar 2021``, ``março de 2021``,
  ``jan/2024``, ``fev-24``, ``2021 March``; month names in full or abbreviated, in Portuguese,
  Spanish, English, French, Italian and German;
- quarters: ``2021Q1``, ``2021-Q1``, ``Q1 2021``, ``1T2021``, ``T1/2021``, ``1º trimestre 2021``;
- years: ``2021``;
- fiscal years: ``FY2021``, ``FY21``, ``2020/21``, ``2020-2021``. FY2021 ends on the last day of
  month ``fiscal_year_end_month`` of 2021 and lasts twelve months.

With ``format="auto"`` every form is tried. With a named format, a date is also accepted and
stands for the month, quarter, year or fiscal year that holds it (Excel months are often
dates). Two readings are ambiguous there: ``2011/12`` reads
as the fiscal year 2011/12 and ``2011-12`` as December 2011; a plain ``2021`` is a calendar year.
Name the format to be sure. With ``format="fiscal_year"`` a plain ``2021`` is FY2021.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from delivery.i18n import _, _l

FORMATS = ("auto", "date", "month", "quarter", "year", "fiscal_year")
KINDS = ("day", "month", "quarter", "year", "fiscal_year")
FIRST_YEAR, LAST_YEAR = 1800, 2199

_MONTH_NAMES = {
    1: "janeiro enero january janvier gennaio januar jan ene janv gen jän",
    2: "fevereiro febrero february fevrier febbraio februar fev feb fevr",
    3: "marco marzo march mars marz mar mär",
    4: "abril april avril aprile abr apr avr",
    5: "maio mayo may mai maggio mag",
    6: "junho junio june juin giugno juni jun giu",
    7: "julho julio july juillet luglio juli jul juil lug",
    8: "agosto august aout ago aug aou",
    9: "setembro septiembre setiembre september septembre settembre set sep sept",
    10: "outubro octubre october octobre ottobre oktober out oct ott okt",
    11: "novembro noviembre november novembre nov",
    12: "dezembro diciembre december decembre dicembre dezember dez dic dec",
}


def fold(text: str) -> str:
    """Lower case, accents removed, spaces collapsed: how month names and codes are compared."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.lower().split())


MONTHS: dict[str, int] = {
    fold(name): number for number, names in _MONTH_NAMES.items() for name in names.split()
}

EXAMPLES = {
    "date": _l("2021-03-15 or 15/03/2021"),
    "month": _l("2021-03, 03/2021, Mar 2021 or março de 2021"),
    "quarter": _l("2021Q1, Q1 2021 or 1T2021"),
    "year": "2021",
    "fiscal_year": _l("FY2021, 2020/21 or 2020-2021"),
}
# What a period column holds, by its format, as a refusal names it.
NOUNS = {"auto": _l("period"), "date": _l("date"), "month": _l("month"),
         "quarter": _l("quarter"), "year": _l("year"), "fiscal_year": _l("fiscal year")}


@dataclass(frozen=True)
class _Pattern:
    kind: str  # what a match means: day, month, quarter, year, fiscal_year
    formats: tuple[str, ...]  # the formats under which this pattern is tried
    regex: re.Pattern[str]


def _p(kind: str, formats: str, regex: str) -> _Pattern:
    return _Pattern(kind, tuple(formats.split()), re.compile(regex))


_TIME = r"(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
_QUARTER_WORD = r"(?:o|a|er|e|st|nd|rd|th)?\.?\s*(?:trimestre|quarter|trim|quartal)\.?"
_ANY = " ".join(FORMATS)  # a date is accepted for any kind: it stands for the period holding it
# Order matters only in "auto": the first pattern that gives a valid period wins.
_PATTERNS = (
    _p("day", _ANY, rf"^(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}$"),
    _p("day", _ANY, rf"^(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}}){_TIME}$"),
    _p("day", _ANY, rf"^(?P<a>\d{{1,2}})([/.-])(?P<b>\d{{1,2}})\2(?P<y>\d{{4}}){_TIME}$"),
    _p("fiscal_year", "auto fiscal_year", r"^(?P<y1>\d{4})\s*/\s*(?P<y2>\d{2})$"),
    _p("month", "auto month", r"^(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})$"),
    _p("month", "auto month", r"^(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})$"),
    _p("month", "auto month", r"^(?P<y>\d{4})\s*-?\s*m(?P<m>\d{1,2})$"),
    _p("month", "auto month",
       r"^(?P<name>[a-z]+)\.?(?:\s+del?\s+|\s*[-/,]\s*|\s*)(?P<y>\d{4}|\d{2})$"),
    _p("month", "auto month", r"^(?P<y>\d{4})(?:\s*[-/,]\s*|\s*)(?P<name>[a-z]+)\.?$"),
    _p("quarter", "auto quarter", r"^(?P<y>\d{4})\s*[-/]?\s*[qt](?P<q>[1-4])$"),
    _p("quarter", "auto quarter", r"^[qt](?P<q>[1-4])\s*[-/]?\s*(?P<y>\d{4})$"),
    _p("quarter", "auto quarter", r"^(?P<q>[1-4])\s*[qt]\s*[-/]?\s*(?P<y>\d{4})$"),
    _p("quarter", "auto quarter",
       rf"^(?P<q>[1-4])\s*{_QUARTER_WORD}\s*(?:del?\s+|[-/]\s*)?(?P<y>\d{{4}})$"),
    _p("fiscal_year", "auto fiscal_year", r"^fy\s*-?\s*(?P<y>\d{4}|\d{2})$"),
    _p("fiscal_year", "auto fiscal_year", r"^(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d{4}|\d{2})$"),
    _p("year", "auto year", r"^(?P<y>\d{4})$"),
    _p("fiscal_year", "fiscal_year", r"^(?P<y>\d{4})$"),
)


def parse_periods(
    texts: pd.Series,
    format: str = "auto",  # noqa: A002 - the mapping file's own word
    *,
    day_first: bool = False,
    fiscal_year_end_month: int = 12,
) -> pd.DataFrame:
    """Parse a column of period texts; see the module docstring for what is accepted."""
    if format not in FORMATS:
        raise ValueError(_("unknown period format {format}; use one of {formats}").format(
            format=repr(format), formats=", ".join(FORMATS)))
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    parsed = _parse_unique(
        np.asarray(uniques, dtype=object), format, day_first, fiscal_year_end_month
    )
    return _spread(parsed, codes, texts.index, blank_error=_("no period given"))


def parse_year_month(years: pd.Series, months: pd.Series) -> pd.DataFrame:
    """Parse a year column and a month column (numbers 1-12 or month names) into months.

    The frame has one more column, ``part``: "year" or "month", whichever is wrong.
    """
    year_codes, year_uniques = pd.factorize(years, use_na_sentinel=True)
    month_codes, month_uniques = pd.factorize(months, use_na_sentinel=True)
    year, year_error = _years(np.asarray(year_uniques, dtype=object))
    month, month_error = _month_numbers(np.asarray(month_uniques, dtype=object))
    # Each distinct (year, month) pair is parsed once.
    pair = year_codes.astype(np.int64) * (len(month_uniques) + 1) + month_codes
    pairs, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    yc, mc = year_codes[first], month_codes[first]
    y = np.where(yc >= 0, year[yc], -1)
    m = np.where(mc >= 0, month[mc], -1)
    errors = np.full(len(pairs), None, dtype=object)
    parts = np.full(len(pairs), None, dtype=object)
    for k in range(len(pairs)):
        if yc[k] < 0 or not str(year_uniques[yc[k]]).strip():
            errors[k], parts[k] = _("no year given"), "year"
        elif year_error[yc[k]]:
            errors[k], parts[k] = year_error[yc[k]], "year"
        elif mc[k] < 0 or not str(month_uniques[mc[k]]).strip():
            errors[k], parts[k] = _("no month given"), "month"
        elif month_error[mc[k]]:
            errors[k], parts[k] = month_error[mc[k]], "month"
    ok = np.array([e is None for e in errors], dtype=bool)
    start, end = _month_bounds(np.where(ok, y, 2000), np.where(ok, m, 1))
    kind = np.array(["month" if good else None for good in ok], dtype=object)
    frame = _frame(start, end, kind, errors, ok)
    result = _take(frame, inverse.ravel(), years.index)
    result["part"] = parts[inverse.ravel()]  # which of the two columns is wrong
    return result


def _parse_unique(values: np.ndarray, format: str, day_first: bool, fy_end: int) -> pd.DataFrame:  # noqa: A002
    n = len(values)
    texts = pd.Series([fold(str(v)) for v in values], dtype=object)
    start = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    end = start.copy()
    kind = np.full(n, None, dtype=object)
    error = np.full(n, None, dtype=object)
    done = np.array(texts.eq("").to_numpy(), dtype=bool)
    error[done] = _("no period given")
    for pattern in _PATTERNS:
        if format not in pattern.formats or done.all():
            continue
        todo = np.flatnonzero(~done)
        found = texts.iloc[todo].str.extract(pattern.regex)
        hit = found.notna().any(axis=1).to_numpy()
        if not hit.any():
            continue
        rows, found = todo[hit], found[hit]
        s, e, why = _BUILDERS[pattern.kind](found, day_first=day_first, fy_end=fy_end)
        good = pd.isna(why)
        start[rows[good]], end[rows[good]] = s[good], e[good]
        kind[rows[good]] = pattern.kind
        done[rows[good]] = True
        for row, reason in zip(rows[~good], why[~good], strict=True):
            if error[row] is None:  # the first pattern that matched explains best
                error[row] = reason
    missing = ~done & pd.isna(error)
    noun = str(NOUNS.get(format, format.replace("_", " ")))
    expected = str(EXAMPLES.get(format, _("2021-03-15, 2021-03, 2021Q1, 2021 or FY2021")))
    for row in np.flatnonzero(missing):
        error[row] = _("{text} is not a {noun} (expected e.g. {expected})").format(
            text=repr(values[row]), noun=noun, expected=expected)
    ok = pd.notna(kind)
    error[ok] = None
    if format not in ("auto", "date"):
        days = kind == "day"
        start[days], end[days] = _containing(format, start[days], fy_end)
        kind[days] = format
    return _frame(start, end, kind, error, ok)


def _containing(format: str, days: np.ndarray, fy_end: int) -> tuple[np.ndarray, np.ndarray]:  # noqa: A002
    """The month, quarter, year or fiscal year that holds each day."""
    months = days.astype("datetime64[M]").astype(np.int64)  # months since January 1970
    year, month = 1970 + months // 12, months % 12 + 1
    if format == "month":
        return _month_bounds(year, month)
    if format == "quarter":
        return _month_bounds(year, (month - 1) // 3 * 3 + 1, span=3)
    if format == "year":
        return _month_bounds(year, np.ones_like(month), span=12)
    fiscal_year = np.where(month > fy_end, year + 1, year)
    return _month_bounds(fiscal_year, np.full_like(month, fy_end) - 11, span=12)


def _frame(start, end, kind, error, ok) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    start = np.where(ok, start, np.datetime64("NaT")).astype("datetime64[D]")
    end = np.where(ok, end, np.datetime64("NaT")).astype("datetime64[D]")
    return pd.DataFrame({
        "start": start,
        "end": end,
        "kind": pd.Series(kind, dtype=object),
        "error": pd.Series(np.where(ok, None, error), dtype=object),
    })


def _spread(
    parsed: pd.DataFrame, codes: np.ndarray, index: pd.Index, blank_error: str
) -> pd.DataFrame:
    blank = pd.DataFrame(
        {"start": [np.datetime64("NaT", "D")], "end": [np.datetime64("NaT", "D")],
         "kind": [None], "error": [blank_error]}
    )
    table = pd.concat([parsed, blank], ignore_index=True)
    return _take(table, np.where(codes < 0, len(parsed), codes), index)


def _take(table: pd.DataFrame, positions: np.ndarray, index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start": table["start"].to_numpy(dtype="datetime64[D]")[positions],
            "end": table["end"].to_numpy(dtype="datetime64[D]")[positions],
            # object columns: None, not NaN, where there is no kind or no error
            "kind": pd.Series(table["kind"].to_numpy(dtype=object)[positions], dtype=object,
                              index=index),
            "error": pd.Series(table["error"].to_numpy(dtype=object)[positions], dtype=object,
                               index=index),
        },
        index=index,
    )


# Builders: from the regex groups of the matching rows to (start, end, error) arrays.

Builder = Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]]


def _ints(found: pd.DataFrame, column: str) -> np.ndarray:
    if column not in found:
        return np.full(len(found), -1, dtype=np.int64)
    return pd.to_numeric(found[column], errors="coerce").fillna(-1).to_numpy(dtype=np.int64)


def _full_year(year: np.ndarray, text: pd.Series) -> np.ndarray:
    """Two-digit years: 00-68 are 2000-2068, 69-99 are 1969-1999 (as Python's strptime)."""
    short = text.fillna("").str.len().to_numpy() == 2
    return np.where(short, np.where(year < 69, 2000 + year, 1900 + year), year)


def _check_year(year: np.ndarray, why: np.ndarray) -> None:
    bad = (year < FIRST_YEAR) | (year > LAST_YEAR)
    for k in np.flatnonzero(bad & pd.isna(why)):
        why[k] = _("year {year} is out of range ({first}-{last})").format(
            year=year[k], first=FIRST_YEAR, last=LAST_YEAR)


def _month_bounds(
    year: np.ndarray, month: np.ndarray, span: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    first = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    start = first.astype("datetime64[D]")
    end = (first + span).astype("datetime64[D]") - np.timedelta64(1, "D")
    return start, end


def _safe(year: np.ndarray, month: np.ndarray, why: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ok = pd.isna(why)
    return np.where(ok, year, 2000), np.where(ok, month, 1)


def _day(found: pd.DataFrame, *, day_first: bool, fy_end: int) -> tuple:  # type: ignore[type-arg]
    year = _ints(found, "y")
    if "a" in found and found["a"].notna().any():
        a, b = _ints(found, "a"), _ints(found, "b")
        month, day = (b, a) if day_first else (a, b)
        order = _("day/month/year") if day_first else _("month/day/year (set day_first for "
                                                           "d/m/Y)")
    else:
        month, day = _ints(found, "m"), _ints(found, "d")
        order = _("year-month-day")
    why = np.full(len(found), None, dtype=object)
    _check_year(year, why)
    for k in np.flatnonzero(((month < 1) | (month > 12)) & pd.isna(why)):
        why[k] = _("month {month} is not 1-12 (reading {order})").format(month=month[k],
                                                                         order=order)
    y, m = _safe(year, month, why)
    start, last = _month_bounds(y, m)
    length = (last - start).astype(np.int64) + 1
    for k in np.flatnonzero(((day < 1) | (day > length)) & pd.isna(why)):
        why[k] = _("day {day} does not exist in {month} (reading {order})").format(
            day=day[k], month=f"{y[k]:04d}-{m[k]:02d}", order=order)
    ok = pd.isna(why)
    date = start + np.where(ok, day - 1, 0).astype("timedelta64[D]")
    return date, date, why


def _month(found: pd.DataFrame, *, day_first: bool, fy_end: int) -> tuple:  # type: ignore[type-arg]
    why = np.full(len(found), None, dtype=object)
    year = _full_year(_ints(found, "y"), found["y"])
    if "name" in found:
        names = found["name"].fillna("")
        month = names.map(lambda n: MONTHS.get(n, -1)).to_numpy(dtype=np.int64)
        for k in np.flatnonzero(month < 0):
            why[k] = _("{text} is not a month name").format(text=repr(names.iloc[k]))
    else:
        month = _ints(found, "m")
        for k in np.flatnonzero((month < 1) | (month > 12)):
            why[k] = _("month {month} is not 1-12").format(month=month[k])
    _check_year(year, why)
    return (*_month_bounds(*_safe(year, month, why)), why)


def _quarter(found: pd.DataFrame, *, day_first: bool, fy_end: int) -> tuple:  # type: ignore[type-arg]
    why = np.full(len(found), None, dtype=object)
    year, quarter = _ints(found, "y"), _ints(found, "q")
    _check_year(year, why)
    y, q = _safe(year, quarter, why)
    return (*_month_bounds(y, (q - 1) * 3 + 1, span=3), why)


def _year(found: pd.DataFrame, *, day_first: bool, fy_end: int) -> tuple:  # type: ignore[type-arg]
    why = np.full(len(found), None, dtype=object)
    year = _ints(found, "y")
    _check_year(year, why)
    y, _same = _safe(year, year, why)
    return (*_month_bounds(y, np.ones_like(y), span=12), why)


def _fiscal_year(found: pd.DataFrame, *, day_first: bool, fy_end: int) -> tuple:  # type: ignore[type-arg]
    why = np.full(len(found), None, dtype=object)
    if "y1" in found:
        first = _ints(found, "y1")
        second = _ints(found, "y2")
        two_digits = found["y2"].str.len().to_numpy() == 2
        follows = np.where(two_digits, second == (first + 1) % 100, second == first + 1)
        for k in np.flatnonzero(~follows):
            why[k] = _("{text} is not a fiscal year: its two years must follow each other").format(
                text=f"{found['y1'].iloc[k]}/{found['y2'].iloc[k]}")
        year = first + 1
    else:
        year = _full_year(_ints(found, "y"), found["y"])
    _check_year(year, why)
    y, _same = _safe(year, year, why)
    # FY y ends on the last day of month fy_end of year y and lasts twelve months.
    return (*_month_bounds(y, np.full_like(y, fy_end) - 11, span=12), why)


_BUILDERS: dict[str, Builder] = {
    "day": _day,
    "month": _month,
    "quarter": _quarter,
    "year": _year,
    "fiscal_year": _fiscal_year,
}


def _years(values: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    years = np.full(len(values), -1, dtype=np.int64)
    errors: list[str | None] = []
    for k, value in enumerate(values):
        text = fold(str(value))
        match = re.fullmatch(r"(\d{4})(?:\.0+)?", text)
        year = int(match.group(1)) if match else -1
        if not match:
            errors.append(_("{text} is not a year").format(text=repr(value)))
        elif not FIRST_YEAR <= year <= LAST_YEAR:
            errors.append(_("year {year} is out of range ({first}-{last})").format(
                year=year, first=FIRST_YEAR, last=LAST_YEAR))
        else:
            errors.append(None)
        years[k] = year
    return years, errors


def _month_numbers(values: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    months = np.full(len(values), -1, dtype=np.int64)
    errors: list[str | None] = []
    for k, value in enumerate(values):
        text = fold(str(value)).rstrip(".")
        match = re.fullmatch(r"(\d{1,2})(?:\.0+)?", text)
        month = int(match.group(1)) if match else MONTHS.get(text, -1)
        if match and not 1 <= month <= 12:
            errors.append(_("month {month} is not 1-12").format(month=month))
        elif month < 0:
            errors.append(_("{text} is not a month (a number 1-12 or a month name)").format(
                text=repr(value)))
        else:
            errors.append(None)
        months[k] = month
    return months, errors


def snap_to_frequency(days: np.ndarray, frequency: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The reporting period of the given frequency that contains each day.

    weekly: Monday to Sunday; monthly, quarterly, yearly: the calendar month, quarter, year.
    Days with any other frequency are their own period.
    """
    days = days.astype("datetime64[D]")
    start, end = days.copy(), days.copy()
    months = days.astype("datetime64[M]")
    month_index = months.astype(np.int64)  # months since 1970-01
    for freq, span in (("monthly", 1), ("quarterly", 3), ("yearly", 12)):
        pick = frequency == freq
        first = (month_index[pick] // span) * span
        start[pick] = first.astype("datetime64[M]").astype("datetime64[D]")
        after = (first + span).astype("datetime64[M]").astype("datetime64[D]")
        end[pick] = after - np.timedelta64(1, "D")
    weekly = frequency == "weekly"
    weekday = (days[weekly].astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (3)
    start[weekly] = days[weekly] - weekday.astype("timedelta64[D]")
    end[weekly] = start[weekly] + np.timedelta64(6, "D")
    return start, end
