"""Numbers, money, percentages, dates and periods in each language, from one module."""

from __future__ import annotations

import math
from datetime import date

import pytest

from delivery.i18n import formats, use_locale
from delivery.vocabulary import Frequency

NBSP = "\xa0"


def cases(table):  # type: ignore[no-untyped-def]
    """(locale, input, expected) rows with readable ids."""
    return pytest.mark.parametrize(("locale", "args", "expected"), [r[1:] for r in table],
                                   ids=[r[0] for r in table])


@cases([
    ("pt-decimal", "pt_BR", (1234.5, "per 100,000"), "1.234,5"),
    ("es-decimal", "es", (1234.5, "per 100,000"), "1.234,5"),
    ("en-decimal", "en", (1234.5, "per 100,000"), "1,234.5"),
    ("count-has-no-decimals", "en", (1.05, "occurrences"), "1"),
    ("count-rounds", "pt_BR", (35035539.4, "deaths"), "35.035.539"),
    ("percent-unit-one-decimal", "pt_BR", (93.46, "%"), "93,5"),
    ("money-unit-one-decimal", "pt_BR", (694.33, "R$ million"), "694,3"),
    ("minutes-one-decimal", "es", (12.25, "minutes"), "12,2"),
    ("whole-drops-decimals", "pt_BR", (70.0, "%"), "70"),
    ("no-unit-two-decimals", "pt_BR", (3.14159, None), "3,14"),
    ("no-unit-large-no-decimals", "en", (3912.4, None), "3,912"),
    ("negative", "pt_BR", (-1234.0, "cases"), "-1.234"),
    ("missing-none", "pt_BR", (None, "cases"), "—"),
    ("missing-nan", "en", (math.nan, None), "—"),
    ("missing-infinity", "en", (math.inf, None), "—"),
])
def test_numbers_keep_the_precision_their_unit_deserves(locale, args, expected):
    assert formats.number(*args, locale=locale) == expected


def test_a_fixed_precision_can_be_asked_for():
    assert formats.number(2.0, decimals=1, locale="pt_BR") == "2,0"


def test_a_value_as_typed_keeps_its_decimals_up_to_a_limit_whatever_its_unit():
    assert formats.number(9.75, "deaths", up_to=4, locale="en") == "9.75"
    assert formats.number(1150.16666, "%", up_to=4, locale="pt_BR") == "1.150,1667"
    assert formats.number(70.0, None, up_to=4, locale="es") == "70"


@cases([
    ("pt-compact-millions", "pt_BR", (35_035_539, True), f"R${NBSP}35,0{NBSP}mi"),
    ("pt-compact-billions", "pt_BR", (1.1e9, True), f"R${NBSP}1,1{NBSP}bi"),
    ("pt-compact-thousands", "pt_BR", (3_500, True), f"R${NBSP}3,5{NBSP}mil"),
    ("pt-compact-rounds-up-a-magnitude", "pt_BR", (999_960, True), f"R${NBSP}1,0{NBSP}mi"),
    ("pt-compact-small", "pt_BR", (350.4, True), f"R${NBSP}350"),
    ("pt-full", "pt_BR", (35_035_539, False), f"R${NBSP}35.035.539,00"),
    ("es-compact", "es", (694.3e6, True), f"694,3{NBSP}M{NBSP}BRL"),
    ("en-compact", "en", (694.3e6, True), "R$694.3M"),
    ("en-full", "en", (1797, False), "R$1,797.00"),
    ("missing", "pt_BR", (math.nan, True), "—"),
])
def test_amounts_carry_the_currency(locale, args, expected):
    value, compact = args
    assert formats.amount(value, compact=compact, locale=locale) == expected


def test_the_currency_comes_from_the_setting():
    formats.set_currency("CLP")
    try:
        assert formats.amount(1500, locale="es") == f"1.500{NBSP}CLP"
    finally:
        formats.set_currency(formats.DEFAULT_CURRENCY)


@cases([
    ("pt", "pt_BR", (0.064, 0), "6%"),
    ("es-has-a-space", "es", (0.064, 0), f"6{NBSP}%"),
    ("en", "en", (0.064, 0), "6%"),
    ("pt-one-decimal", "pt_BR", (0.0649, 1), "6,5%"),
])
def test_percentages(locale, args, expected):
    share, decimals = args
    assert formats.percent(share, decimals=decimals, locale=locale) == expected


@cases([
    ("up", "pt_BR", (1234.0, False), "+1.234"),
    ("down", "pt_BR", (-5.0, False), "−5"),
    ("zero-has-no-sign", "pt_BR", (0.2, False), "0"),
    ("percent", "en", (0.06, True), "+6%"),
])
def test_a_change_is_signed(locale, args, expected):
    delta, as_percent = args
    assert formats.change(delta, "cases", as_percent=as_percent, locale=locale) == expected


@cases([
    ("pt-date", "pt_BR", ("day", date(2023, 1, 16)), "16/01/2023"),
    ("es-date", "es", ("day", date(2023, 1, 16)), "16/01/2023"),
    ("en-date", "en", ("day", date(2023, 1, 16)), "16 Jan 2023"),
    ("pt-month", "pt_BR", ("month", date(2023, 1, 31)), "jan/2023"),
    ("es-month", "es", ("month", date(2023, 1, 31)), "ene 2023"),
    ("en-month", "en", ("month", date(2023, 1, 31)), "Jan 2023"),
    ("pt-quarter", "pt_BR", ("quarter", date(2023, 3, 31)), "1º tri 2023"),
    ("es-quarter", "es", ("quarter", date(2023, 3, 31)), "1.er trim. 2023"),
    ("es-second-quarter", "es", ("quarter", date(2023, 6, 30)), "2.º trim. 2023"),
    ("en-quarter", "en", ("quarter", date(2023, 3, 31)), "Q1 2023"),
])
def test_dates_and_periods(locale, args, expected):
    function, value = args
    assert getattr(formats, function)(value, locale=locale) == expected


@cases([
    ("pt-monthly", "pt_BR", (Frequency.MONTHLY, False), "dez/2022"),
    ("pt-monthly-long", "pt_BR", (Frequency.MONTHLY, True), "dezembro de 2022"),
    ("es-monthly-long", "es", (Frequency.MONTHLY, True), "diciembre de 2022"),
    ("en-monthly-long", "en", (Frequency.MONTHLY, True), "December 2022"),
    ("pt-quarterly-long", "pt_BR", (Frequency.QUARTERLY, True), "4º trimestre de 2022"),
    ("es-quarterly-long", "es", (Frequency.QUARTERLY, True), "4.º trimestre de 2022"),
    ("en-quarterly-long", "en", (Frequency.QUARTERLY, True), "Q4 2022"),
    ("yearly-has-no-separator", "pt_BR", (Frequency.YEARLY, False), "2022"),
    ("pt-weekly", "pt_BR", (Frequency.WEEKLY, False), "semana encerrada em 31/12/2022"),
    ("en-weekly-long", "en", (Frequency.WEEKLY, True), "the week ending 31 Dec 2022"),
    ("frequency-as-text", "es", ("monthly", False), "dic 2022"),
])
def test_the_period_of_a_goals_frequency(locale, args, expected):
    frequency, long = args
    assert formats.period(date(2022, 12, 31), frequency, long=long, locale=locale) == expected


def test_without_a_locale_the_current_one_is_used():
    with use_locale("pt_BR"):
        assert formats.number(1234.5, "%") == "1.234,5"
        assert formats.day(date(2023, 1, 16)) == "16/01/2023"
    assert formats.number(1234.5, "%") == "1,234.5"


@pytest.mark.parametrize(("unit", "kind"), [
    ("cases", "count"), ("deaths", "count"), ("firearms", "count"), ("%", "fraction"),
    ("per 1,000 live births", "fraction"), ("thousand passengers", "fraction"),
    ("minutes", "fraction"), ("R$ million", "money"), ("", "any"), (None, "any"),
], ids=lambda v: str(v))
def test_units_are_sorted_by_the_precision_they_deserve(unit, kind):
    assert formats.unit_kind(unit) == kind


@pytest.mark.parametrize(("locale", "expected"), [
    ("pt_BR", "40,3%"), ("es", "40,3\u00a0%"), ("en", "40.3%")])
def test_a_figure_in_percent_follows_babels_percent_pattern_like_a_share(locale, expected):
    # one rule for "%": the locale's percent pattern, as formats.percent writes shares
    assert formats.with_unit(40.3, "%", locale=locale) == expected
    assert formats.percent(0.403, decimals=1, locale=locale) == expected
    assert formats.with_unit(-4.5, "%", locale=locale).startswith("-4")
    assert formats.with_unit(1234, "homicides", locale=locale).endswith(" homicides")
    assert formats.with_unit(1234, "a very long unit name", locale=locale, longest=12) in {
        "1.234", "1,234"}
    assert formats.with_unit(float("nan"), "%", locale=locale) == formats.MISSING


def test_screens_and_the_memo_write_a_percent_figure_the_same_way():
    from dashboards.components.overview import _value
    from dashboards.components.public import amount
    from dashboards.components.review import value_text
    from delivery.briefing.pdf import _amount

    with use_locale("pt_BR"):
        written = {value_text(40.3, "%"), amount(40.3, "%"), _value(40.3, "%"),
                   _amount(40.3, "%"), _amount(40.3, "%", bare=True)}
    assert written == {"40,3%"}


@pytest.mark.parametrize(("locale", "size", "expected"), [
    ("pt_BR", 12, "12 bytes"), ("en", 1, "1 byte"), ("es", 2048, "2 kB"),
    ("pt_BR", 1_258_291, "1,2 MB"), ("en", 1_258_291, "1.2 MB"), ("es", 10 * 2**20, "10 MB"),
    ("en", None, "—"), ("pt_BR", math.nan, "—"),
])
def test_file_sizes_in_binary_units_and_the_readers_decimals(locale, size, expected):
    assert formats.file_size(size, locale=locale) == expected
