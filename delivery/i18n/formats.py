"""Every number, amount, percentage, date and period a person reads, in the current locale.

One home for formats (Babel underneath): pages, documents and domain sentences call these and
never format numbers or dates themselves. Each function takes an optional ``locale``; without it
the current one (``delivery.i18n.current_locale``). Missing values (None, NaN) read as "—".
The currency comes from ``DELIVERY_CURRENCY`` (``use_currency`` in a CLI
command, ``enter_currency`` per web request, ``set_currency`` for the whole process), and the
time zone moments are shown in from ``DELIVERY_TIME_ZONE`` the same way (``use_time_zone``,
``enter_time_zone``, ``set_time_zone``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_month_names
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
)
from babel.units import format_unit

from delivery.i18n import _, current_locale, use_locale
from delivery.vocabulary import Frequency

MISSING = "—"
DEFAULT_CURRENCY = "BRL"
_currency: list[str] = [DEFAULT_CURRENCY]  # the process's (the CLI's), set at start-up
_currency_here: ContextVar[str | None] = ContextVar("delivery_currency", default=None)
DEFAULT_TIME_ZONE = "America/Recife"  # as the demo's currency, BRL
_zone: list[str] = [DEFAULT_TIME_ZONE]  # the process's (the CLI's), set at start-up
_zone_here: ContextVar[str | None] = ContextVar("delivery_time_zone", default=None)

# Dates as each language's administrations write them; other locales get Babel's medium date.
_DATE_PATTERNS = {"en": "d MMM y", "pt_BR": "dd/MM/y", "es": "dd/MM/y"}
# Short month periods (``jan/2023``): abbreviated month, separator, year.
_MONTH_SEPARATORS = {"pt_BR": "/", "es": " ", "en": " "}
# Quarters as read in reports: 1º tri 2023, 1.er trim. 2023, Q1 2023.
_QUARTERS_SHORT = {
    "pt_BR": lambda q, y: f"{q}º tri {y}",
    "es": lambda q, y: f"{q}.{'er' if q in (1, 3) else 'º'} trim. {y}",
    "en": lambda q, y: f"Q{q} {y}",
}
# Quarters in sentences: 1º trimestre de 2023, 1.er trimestre de 2023, Q1 2023.
_QUARTER_LONG_PATTERNS = {"pt_BR": "QQQQ 'de' y", "es": "QQQQ 'de' y", "en": "'Q'Q y"}

# Words that say a unit is money, a percentage, a rate or a measured quantity; any other unit
# names things counted, which have no decimals ("1.05 occurrences" never appears).
_MONEY = re.compile(r"(R\$|US\$|\$|€|\breais\b|\bpesos\b|\bBRL\b|\bCLP\b|\bUSD\b)", re.I)
_FRACTIONAL = re.compile(
    r"(%|\bper\b|\bpor\b|\bthousands?\b|\bmil\b|\bmillions?\b|\bmilh|\bmill[oó]n|\bbillion|"
    r"\bratio\b|\brate\b|\btaxa\b|\btasa\b|\bindex\b|\bíndice\b|\bscore\b|\bnota\b|"
    r"\bminutes?\b|\bhours?\b|\bdays?\b|\byears?\b|\bminutos?\b|\bhoras?\b|\bdias?\b|\bdías?\b|"
    r"\bkm\b|\bkg\b|\bt\b|\bha\b|\bteu\b)", re.I)


def set_currency(code: str | None) -> None:
    """The currency amounts are shown in, for the whole process (the CLI's
    ``DELIVERY_CURRENCY``)."""
    _currency[0] = (code or DEFAULT_CURRENCY).upper()


def enter_currency(code: str) -> Token[str | None]:
    """The currency for this request only (the web app's settings); ``leave_currency`` ends it."""
    return _currency_here.set(code.upper())


def leave_currency(token: Token[str | None]) -> None:
    _currency_here.reset(token)


@contextmanager
def use_currency(code: str) -> Iterator[str]:
    """Run a block with amounts in ``code`` (a CLI command, a test)."""
    token = enter_currency(code)
    try:
        yield currency()
    finally:
        leave_currency(token)


def currency() -> str:
    """The currency amounts are shown in: this request's, else the process's."""
    return _currency_here.get() or _currency[0]


def set_time_zone(name: str | None) -> None:
    """The time zone moments are shown in, for the whole process (``DELIVERY_TIME_ZONE``)."""
    _zone[0] = name or DEFAULT_TIME_ZONE


def enter_time_zone(name: str) -> Token[str | None]:
    """The time zone for this request only; ``leave_time_zone`` ends it."""
    return _zone_here.set(name)


def leave_time_zone(token: Token[str | None]) -> None:
    _zone_here.reset(token)


@contextmanager
def use_time_zone(name: str) -> Iterator[str]:
    """Run a block with moments shown in ``name`` (a CLI command, a test)."""
    token = enter_time_zone(name)
    try:
        yield time_zone()
    finally:
        leave_time_zone(token)


def time_zone() -> str:
    """The IANA name of the time zone moments are shown in: this request's, else the process's."""
    return _zone_here.get() or _zone[0]


def local(at: datetime, zone: str | None = None) -> datetime:
    """``at`` (naive means UTC, as SQLite gives it back) in the site's time zone."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(ZoneInfo(zone or time_zone()))


def moment(at: datetime | None, *, seconds: bool = False, locale: str | None = None,
           zone: str | None = None) -> str:
    """A moment in the site's time zone (stored moments without one are UTC): ``16/01/2023
    14:05`` in pt_BR and es, ``16 Jan 2023 14:05`` in English; with ``seconds`` ``14:05:09``."""
    if at is None:
        return MISSING
    locale = locale or current_locale()
    here = local(at, zone)
    clock = format_time(here, "HH:mm:ss" if seconds else "HH:mm", locale=locale)
    return f"{day(here.date(), locale=locale)} {clock}"


def is_missing(value: object) -> bool:
    """None, NaN or infinite: shown as ``MISSING``."""
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # pandas' NA, or not a number at all
        return True


def unit_kind(unit: str | None) -> str:
    """``count``, ``money``, ``fraction`` (percentages, rates, thousands, durations) or ``any``
    (no unit): what precision a figure in ``unit`` deserves."""
    if not unit or not unit.strip():
        return "any"
    if _MONEY.search(unit):
        return "money"
    if _FRACTIONAL.search(unit):
        return "fraction"
    return "count"


def number(value: float | None, unit: str | None = None, *, locale: str | None = None,
           decimals: int | None = None, up_to: int | None = None) -> str:
    """A figure: ``1.234,5`` in pt_BR. Counts get no decimals; money, percentages, rates and
    measured quantities one; with no unit, at most two, none once the number is 100 or more or
    whole. ``decimals`` forces a fixed precision; ``up_to`` keeps up to that many decimals,
    none trailing (a value as someone typed it, e.g. a milestone being approved)."""
    if is_missing(value):
        return MISSING
    value = float(value)  # type: ignore[arg-type]
    locale = locale or current_locale()
    if up_to is not None:
        return format_decimal(round(value, up_to), format="#,##0." + "#" * up_to,
                              locale=locale)
    if decimals is None:
        kind = unit_kind(unit)
        if kind == "count":
            decimals = 0
        elif kind in ("money", "fraction"):
            return format_decimal(value, format="#,##0.#", locale=locale)
        else:
            pattern = "#,##0" if abs(value) >= 100 else "#,##0.##"
            return format_decimal(value, format=pattern, locale=locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(round(value, decimals), format=pattern, locale=locale)


def with_unit(value: float | None, unit: str | None = None, *, locale: str | None = None,
              decimals: int | None = None, up_to: int | None = None,
              longest: int | None = None) -> str:
    """A figure followed by its unit, the one way screens and documents write it: a goal in
    ``%`` (its value already in points, 40.3) gets the locale's percent sign as Babel's
    percent pattern places it (``40,3%`` in pt_BR, ``40,3 %`` in Spanish, ``40.3%``); any
    other unit follows after a space (``1.234 homicídios``), left out when longer than
    ``longest`` characters. Missing values read as "—", with no unit."""
    text = number(value, unit, locale=locale, decimals=decimals, up_to=up_to)
    unit = (unit or "").strip()
    if is_missing(value) or not unit or (longest is not None and len(unit) > longest):
        return text
    if unit == "%":
        prefix, suffix = _percent_affixes(locale or current_locale(), negative=text[:1] == "-")
        return prefix + text.lstrip("-") + suffix
    return f"{text} {unit}"


def _percent_affixes(locale: str, *, negative: bool = False) -> tuple[str, str]:
    """What the locale's percent pattern writes before and after the digits."""
    pattern = Locale.parse(locale).percent_formats[None]
    return pattern.prefix[negative], pattern.suffix[negative]


def amount(value: float | None, *, compact: bool = False, locale: str | None = None,
           currency_code: str | None = None) -> str:
    """Money in the site's currency: ``R$ 35.035.539,00``, or with ``compact`` ``R$ 35,0 mi``
    (one decimal, the locale's word for thousands, millions, billions)."""
    if is_missing(value):
        return MISSING
    value = float(value)  # type: ignore[arg-type]
    locale = locale or current_locale()
    code = currency_code or currency()
    if not compact:
        return format_currency(value, code, locale=locale)
    pattern, scaled = _compact(value, Locale.parse(locale))
    return format_currency(scaled, code, format=pattern, locale=locale, currency_digits=False)


def _compact(value: float, locale: Locale) -> tuple[str, float]:
    """The pattern and divided value of a compact amount: the locale's short currency pattern
    for the largest magnitude that ``value`` still reaches once rounded, its digits given one
    fixed decimal (Babel's own compact form drops it: ``R$ 35 mi``); below a thousand, the
    standard pattern without cents."""
    patterns = locale.compact_currency_formats["short"]["other"]
    for magnitude in sorted((int(m) for m in patterns), reverse=True):
        pattern = str(patterns[str(magnitude)].pattern)
        zeros = pattern.count("0")
        if pattern == "0" or not zeros:
            continue
        divisor = magnitude // 10 ** (zeros - 1)
        if round(abs(value) / divisor, 1) * divisor >= magnitude:
            return re.sub(r"0+", "#,##0.0", pattern, count=1), value / divisor
    standard = str(locale.currency_formats["standard"].pattern).split(";")[0]
    return re.sub(r"\.0+", "", standard), round(value)


def percent(share: float | None, *, decimals: int = 0, locale: str | None = None) -> str:
    """A share as a percentage: 0.064 -> ``6%`` (``6 %`` in Spanish)."""
    if is_missing(share):
        return MISSING
    locale = locale or current_locale()
    share = float(share)  # type: ignore[arg-type]
    if round(share * 100, decimals) == 0:
        share = 0.0  # -0.3% shown with no decimal is 0%, not "-0%"
    pattern = str(Locale.parse(locale).percent_formats[None].pattern)
    if decimals:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * decimals)
    return format_percent(share, format=pattern, locale=locale)


def file_size(size: int | None, *, locale: str | None = None) -> str:
    """A file's size in binary units as people read them: ``12 bytes``, ``340 kB``, ``1,2 MB``."""
    if is_missing(size):
        return MISSING
    size = int(size)  # type: ignore[arg-type]
    locale = locale or current_locale()
    if size < 1024:  # the long form: the short one reads "12 byte" in English
        return format_unit(size, "digital-byte", length="long", locale=locale)
    if size < 1024 * 1024:
        return format_unit(round(size / 1024), "digital-kilobyte", length="short", locale=locale)
    return format_unit(round(size / 2**20, 1), "digital-megabyte", length="short",
                       format="#,##0.#", locale=locale)


def change(delta: float | None, unit: str | None = None, *, as_percent: bool = False,
           locale: str | None = None, decimals: int = 0) -> str:
    """A signed change: ``+1.234`` / ``−5`` / ``+6%`` (``decimals`` of a percentage:
    ``−2,9%``); zero has no sign."""
    if is_missing(delta):
        return MISSING
    delta = float(delta)  # type: ignore[arg-type]
    text = (percent(abs(delta), locale=locale, decimals=decimals) if as_percent
            else number(abs(delta), unit, locale=locale))
    return text if not re.search(r"[1-9]", text) else ("+" if delta > 0 else "−") + text


def day(d: date | None, *, locale: str | None = None) -> str:
    """A date: ``16/01/2023`` in pt_BR and es, ``16 Jan 2023`` in English."""
    if d is None:
        return MISSING
    locale = locale or current_locale()
    return format_date(d, _DATE_PATTERNS.get(locale, "medium"), locale=locale)


def day_pattern(locale: str | None = None) -> str:
    """The CLDR pattern ``day`` writes dates with (``dd/MM/y``, ``d MMM y``), for the screens
    that write and read dates in the browser (the editable grids)."""
    locale = locale or current_locale()
    return _DATE_PATTERNS.get(locale) or str(Locale.parse(locale).date_formats["medium"].pattern)


def month(d: date, *, long: bool = False, locale: str | None = None) -> str:
    """A month period: ``jan/2023`` (pt_BR), ``ene 2023``, ``Jan 2023``; with ``long``
    ``janeiro de 2023`` / ``January 2023``."""
    locale = locale or current_locale()
    if long:
        return format_skeleton("yMMMM", d, locale=locale)
    name = get_month_names("abbreviated", "stand-alone", locale=locale)[d.month].rstrip(".")
    return f"{name}{_MONTH_SEPARATORS.get(locale, ' ')}{d.year}"


def quarter(d: date, *, long: bool = False, locale: str | None = None) -> str:
    """A quarter: ``1º tri 2023`` / ``1.er trim. 2023`` / ``Q1 2023``; with ``long``
    ``1º trimestre de 2023`` / ``1.er trimestre de 2023`` / ``Q1 2023``."""
    locale = locale or current_locale()
    if long:
        return format_date(d, _QUARTER_LONG_PATTERNS.get(locale, "QQQQ y"), locale=locale)
    short = _QUARTERS_SHORT.get(locale)
    return short((d.month - 1) // 3 + 1, d.year) if short else format_date(d, "QQQ y",
                                                                              locale=locale)


def year(d: date | int) -> str:
    """A year, never with a thousands separator."""
    return str(d if isinstance(d, int) else d.year)


def period(period_end: date, frequency: Frequency | str, *, long: bool = False,
           locale: str | None = None) -> str:
    """The period a figure of ``frequency`` ending on ``period_end`` is for: a month, a
    quarter, a year or a week (``week ending 6 Oct 2024``); ``long`` for sentences."""
    frequency = Frequency(frequency)
    if frequency is Frequency.MONTHLY:
        return month(period_end, long=long, locale=locale)
    if frequency is Frequency.QUARTERLY:
        return quarter(period_end, long=long, locale=locale)
    if frequency is Frequency.YEARLY:
        return year(period_end)
    with use_locale(locale or current_locale()):
        week = _("the week ending {date}") if long else _("week ending {date}")
        return week.format(date=day(period_end))


def separators(*, locale: str | None = None) -> str:
    """The decimal then the thousands separator of the locale (``,.`` in pt_BR), as charting
    libraries take them (plotly's ``separators``)."""
    locale = locale or current_locale()
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def d3_date(*, locale: str | None = None) -> str:
    """A day as charts format it (d3's time format), as ``day`` writes it: ``%d/%m/%Y``, or
    ``%d %b %Y`` in English."""
    return "%d %b %Y" if (locale or current_locale()) == "en" else "%d/%m/%Y"


def weekday(d: date, *, locale: str | None = None) -> str:
    """The day of the week, capitalised as a heading reads: ``Monday``, ``Segunda-feira``."""
    locale = locale or current_locale()
    name = format_date(d, "EEEE", locale=locale)
    return name[:1].upper() + name[1:]
