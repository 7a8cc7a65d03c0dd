"""Reading periods from text: every format and language, fiscal years, and bad input."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from delivery.importing.periods import parse_periods, parse_year_month, snap_to_frequency


def parse_one(text: str, fmt: str = "auto", **options) -> tuple:
    row = parse_periods(pd.Series([text], dtype=object), fmt, **options).iloc[0]
    if row["error"]:
        return None, None, row["error"]
    return row["start"].date(), row["end"].date(), None


MARCH_2021 = (date(2021, 3, 1), date(2021, 3, 31))
Q1_2021 = (date(2021, 1, 1), date(2021, 3, 31))
YEAR_2021 = (date(2021, 1, 1), date(2021, 12, 31))

GOOD = [
    # dates: a one-day period
    ("2021-03-15", "auto", {}, (date(2021, 3, 15), date(2021, 3, 15))),
    ("2021-03-15T00:00:00", "date", {}, (date(2021, 3, 15), date(2021, 3, 15))),
    ("2021-03-15 13:45:00", "auto", {}, (date(2021, 3, 15), date(2021, 3, 15))),
    ("2021/3/5", "date", {}, (date(2021, 3, 5), date(2021, 3, 5))),
    ("15/03/2021", "date", {"day_first": True}, (date(2021, 3, 15), date(2021, 3, 15))),
    ("05/03/2021", "date", {"day_first": True}, (date(2021, 3, 5), date(2021, 3, 5))),
    ("05/03/2021", "date", {}, (date(2021, 5, 3), date(2021, 5, 3))),
    ("15.03.2021", "auto", {"day_first": True}, (date(2021, 3, 15), date(2021, 3, 15))),
    ("29/02/2024", "date", {"day_first": True}, (date(2024, 2, 29), date(2024, 2, 29))),
    # months, numeric
    ("2021-03", "auto", {}, MARCH_2021),
    ("2021/03", "month", {}, MARCH_2021),
    ("2021-3", "auto", {}, MARCH_2021),
    ("03/2021", "auto", {}, MARCH_2021),
    ("3-2021", "month", {}, MARCH_2021),
    ("2021M03", "auto", {}, MARCH_2021),
    ("2021m3", "month", {}, MARCH_2021),
    ("2011-12", "auto", {}, (date(2011, 12, 1), date(2011, 12, 31))),
    ("2011/12", "month", {}, (date(2011, 12, 1), date(2011, 12, 31))),
    ("2024-02", "month", {}, (date(2024, 2, 1), date(2024, 2, 29))),
    # months, by name, in several languages and spellings
    ("Mar 2021", "auto", {}, MARCH_2021),
    ("March 2021", "month", {}, MARCH_2021),
    ("march, 2021", "month", {}, MARCH_2021),
    ("2021 March", "month", {}, MARCH_2021),
    ("2021-mar", "month", {}, MARCH_2021),
    ("março de 2021", "auto", {}, MARCH_2021),
    ("MARÇO/2021", "month", {}, MARCH_2021),
    ("marco 2021", "month", {}, MARCH_2021),
    ("mar/21", "month", {}, MARCH_2021),
    ("marzo del 2021", "month", {}, MARCH_2021),
    ("mars 2021", "month", {}, MARCH_2021),
    ("März 2021", "month", {}, MARCH_2021),
    ("jan/2024", "month", {}, (date(2024, 1, 1), date(2024, 1, 31))),
    ("fev/2024", "month", {}, (date(2024, 2, 1), date(2024, 2, 29))),
    ("fevereiro de 2023", "month", {}, (date(2023, 2, 1), date(2023, 2, 28))),
    ("févr. 2021", "month", {}, (date(2021, 2, 1), date(2021, 2, 28))),
    ("Février 2021", "month", {}, (date(2021, 2, 1), date(2021, 2, 28))),
    ("ene-2021", "month", {}, (date(2021, 1, 1), date(2021, 1, 31))),
    ("enero 2021", "month", {}, (date(2021, 1, 1), date(2021, 1, 31))),
    ("abr 2021", "month", {}, (date(2021, 4, 1), date(2021, 4, 30))),
    ("avril 2021", "month", {}, (date(2021, 4, 1), date(2021, 4, 30))),
    ("mai 2021", "month", {}, (date(2021, 5, 1), date(2021, 5, 31))),
    ("ago 2021", "month", {}, (date(2021, 8, 1), date(2021, 8, 31))),
    ("août 2021", "month", {}, (date(2021, 8, 1), date(2021, 8, 31))),
    ("setembro 2021", "month", {}, (date(2021, 9, 1), date(2021, 9, 30))),
    ("setiembre 2021", "month", {}, (date(2021, 9, 1), date(2021, 9, 30))),
    ("sept. 2021", "month", {}, (date(2021, 9, 1), date(2021, 9, 30))),
    ("out/2021", "month", {}, (date(2021, 10, 1), date(2021, 10, 31))),
    ("dez 2021", "month", {}, (date(2021, 12, 1), date(2021, 12, 31))),
    ("dic 2021", "month", {}, (date(2021, 12, 1), date(2021, 12, 31))),
    ("décembre 2021", "month", {}, (date(2021, 12, 1), date(2021, 12, 31))),
    ("  Mar   2021 ", "month", {}, MARCH_2021),
    # quarters
    ("2021Q1", "auto", {}, Q1_2021),
    ("2021-Q1", "quarter", {}, Q1_2021),
    ("2021 q1", "quarter", {}, Q1_2021),
    ("Q1 2021", "auto", {}, Q1_2021),
    ("Q1/2021", "quarter", {}, Q1_2021),
    ("1T2021", "auto", {}, Q1_2021),
    ("T1 2021", "quarter", {}, Q1_2021),
    ("1Q 2021", "quarter", {}, Q1_2021),
    ("1º trimestre 2021", "quarter", {}, Q1_2021),
    ("1er trimestre de 2021", "quarter", {}, Q1_2021),
    ("4T2021", "quarter", {}, (date(2021, 10, 1), date(2021, 12, 31))),
    # years
    ("2021", "auto", {}, YEAR_2021),
    ("2021", "year", {}, YEAR_2021),
    # fiscal years: FY2021 ends in month fiscal_year_end_month of 2021
    ("FY2021", "auto", {}, YEAR_2021),
    ("FY2021", "fiscal_year", {"fiscal_year_end_month": 3},
     (date(2020, 4, 1), date(2021, 3, 31))),
    ("fy 21", "fiscal_year", {"fiscal_year_end_month": 6},
     (date(2020, 7, 1), date(2021, 6, 30))),
    ("2020/21", "auto", {"fiscal_year_end_month": 3}, (date(2020, 4, 1), date(2021, 3, 31))),
    ("2011/12", "auto", {"fiscal_year_end_month": 3}, (date(2011, 4, 1), date(2012, 3, 31))),
    ("2020-2021", "auto", {"fiscal_year_end_month": 9}, (date(2020, 10, 1), date(2021, 9, 30))),
    ("2020-21", "fiscal_year", {"fiscal_year_end_month": 3},
     (date(2020, 4, 1), date(2021, 3, 31))),
    ("1999/00", "fiscal_year", {"fiscal_year_end_month": 3},
     (date(1999, 4, 1), date(2000, 3, 31))),
    ("2021", "fiscal_year", {"fiscal_year_end_month": 3}, (date(2020, 4, 1), date(2021, 3, 31))),
    ("FY2021", "fiscal_year", {"fiscal_year_end_month": 1},
     (date(2020, 2, 1), date(2021, 1, 31))),
]


@pytest.mark.parametrize(("text", "fmt", "options", "expected"), GOOD,
                         ids=[f"{t}-{f}" for t, f, *_ in GOOD])
def test_it_reads_the_period_as_its_first_and_last_day(text, fmt, options, expected):
    start, end, error = parse_one(text, fmt, **options)
    assert error is None
    assert (start, end) == expected


BAD = [
    ("2021-13", "month", "month 13 is not 1-12"),
    ("13/2021", "auto", "month 13 is not 1-12"),
    ("2021-02-30", "date", "day 30 does not exist in 2021-02"),
    ("31/04/2021", "date", "month 31 is not 1-12 (reading month/day/year (set day_first"),
    ("floréal 2021", "month", "'floreal' is not a month name"),
    ("2021Q5", "quarter", "'2021Q5' is not a quarter (expected e.g. 2021Q1"),
    ("2020/22", "fiscal_year", "2020/22 is not a fiscal year: its two years must follow"),
    ("2021-03", "date", "'2021-03' is not a date (expected e.g. 2021-03-15"),
    ("Q1 2021", "month", "'Q1 2021' is not a month (expected e.g. 2021-03"),
    ("soon", "auto", "'soon' is not a period (expected e.g."),
    ("", "auto", "no period given"),
    ("   ", "month", "no period given"),
    ("0999", "year", "year 999 is out of range"),
]


@pytest.mark.parametrize(("text", "fmt", "message"), BAD, ids=[f"{t!r}-{f}" for t, f, _ in BAD])
def test_it_says_why_a_text_is_not_a_period(text, fmt, message):
    start, end, error = parse_one(text, fmt)
    assert start is None and end is None
    assert error is not None and message in error


def test_it_parses_a_whole_column_keeping_its_index_and_each_rows_error():
    texts = pd.Series(["2021-03", "bad", "2021-03", "2021Q2", None], index=[10, 11, 12, 13, 14])
    parsed = parse_periods(texts)
    assert list(parsed.index) == [10, 11, 12, 13, 14]
    assert list(parsed["kind"]) == ["month", None, "month", "quarter", None]
    assert parsed["error"].notna().tolist() == [False, True, False, False, True]
    assert parsed.loc[13, "end"] == pd.Timestamp("2021-06-30")


YEAR_MONTH = [
    ("2021", "3", MARCH_2021),
    ("2021", "03", MARCH_2021),
    ("2021", "3.0", MARCH_2021),
    ("2021.0", "março", MARCH_2021),
    ("2021", "Março", MARCH_2021),
    ("2021", "MAR", MARCH_2021),
    ("2021", "marzo", MARCH_2021),
    ("2021", "mars", MARCH_2021),
    ("2024", "fevereiro", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2023", "february", (date(2023, 2, 1), date(2023, 2, 28))),
]


@pytest.mark.parametrize(("year", "month", "expected"), YEAR_MONTH,
                         ids=[f"{y}-{m}" for y, m, _ in YEAR_MONTH])
def test_it_reads_a_month_from_a_year_column_and_a_month_column(year, month, expected):
    row = parse_year_month(pd.Series([year]), pd.Series([month])).iloc[0]
    assert row["error"] is None
    assert (row["start"].date(), row["end"].date()) == expected


@pytest.mark.parametrize(("year", "month", "part", "message"), [
    ("2021", "13", "month", "month 13 is not 1-12"),
    ("2021", "smarch", "month", "'smarch' is not a month"),
    ("2021", "", "month", "no month given"),
    ("21", "3", "year", "'21' is not a year"),
    ("", "3", "year", "no year given"),
], ids=["month-13", "unknown-name", "blank-month", "short-year", "blank-year"])
def test_it_says_which_of_year_and_month_is_wrong(year, month, part, message):
    row = parse_year_month(pd.Series([year]), pd.Series([month])).iloc[0]
    assert row["part"] == part
    assert message in row["error"]


@pytest.mark.parametrize(("day", "frequency", "expected"), [
    ("2021-03-17", "monthly", ("2021-03-01", "2021-03-31")),
    ("2021-05-17", "quarterly", ("2021-04-01", "2021-06-30")),
    ("2021-05-17", "yearly", ("2021-01-01", "2021-12-31")),
    ("2021-03-17", "weekly", ("2021-03-15", "2021-03-21")),  # a Wednesday: Monday to Sunday
    ("2021-03-21", "weekly", ("2021-03-15", "2021-03-21")),  # a Sunday ends its week
], ids=["monthly", "quarterly", "yearly", "weekly", "weekly-sunday"])
def test_a_date_stands_for_the_reporting_period_that_contains_it(day, frequency, expected):
    start, end = snap_to_frequency(np.array([day], dtype="datetime64[D]"),
                                   np.array([frequency], dtype=object))
    assert (str(start[0]), str(end[0])) == expected


@pytest.mark.parametrize(("text", "fmt", "expected"), [
    ("2021-03-01", "month", MARCH_2021),
    ("2021-03-17 00:00:00", "month", MARCH_2021),
    ("2021-02-17", "quarter", Q1_2021),
    ("2021-11-30", "year", YEAR_2021),
    ("2021-04-01", "fiscal_year", (date(2021, 4, 1), date(2022, 3, 31))),
    ("2021-03-31", "fiscal_year", (date(2020, 4, 1), date(2021, 3, 31))),
], ids=["month", "month-with-time", "quarter", "year", "fiscal-year-after-end",
        "fiscal-year-last-day"])
def test_a_date_given_for_a_named_format_stands_for_the_period_holding_it(text, fmt, expected):
    start, end, error = parse_one(text, fmt, fiscal_year_end_month=3)
    assert error is None
    assert (start, end) == expected
