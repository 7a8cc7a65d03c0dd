"""The statistics under the checks: the calendar, the split, and two tail probabilities."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from delivery.quality.series import (
    binomial_tail,
    chi_square_tail,
    decompose,
    is_count,
    regular,
)
from tests.quality.conftest import seasonal_counts


def test_regular_puts_every_period_on_the_calendar_and_gaps_as_nan() -> None:
    values = pd.Series([5.0, 7.0, 9.0], index=[date(2020, 1, 31), date(2020, 3, 15),
                                                date(2020, 4, 30)])
    out = regular(values)
    assert [d.date() for d in out.index] == [date(2020, 1, 31), date(2020, 2, 29),
                                             date(2020, 3, 31), date(2020, 4, 30)]
    assert out.isna().tolist() == [False, True, False, False]


def test_counts_are_whole_and_never_negative() -> None:
    assert is_count(pd.Series([0.0, 3.0, 12.0]))
    assert not is_count(pd.Series([0.5, 3.0]))
    assert not is_count(pd.Series([-1.0, 3.0]))


def test_the_split_finds_the_season_and_leaves_small_residuals() -> None:
    d = decompose(seasonal_counts(amplitude=0.3))
    december = d.seasonal[d.seasonal.index.month == 12].iloc[0]
    june = d.seasonal[d.seasonal.index.month == 6].iloc[0]
    assert december - june == pytest.approx(0.6, abs=0.1)  # log scale: cos peak to trough
    assert d.noise < 0.1 and d.count


@pytest.mark.parametrize(
    ("k", "n", "p", "expected"),
    [(0, 10, 0.2, 1.0), (11, 10, 0.2, 0.0), (10, 10, 0.5, 0.5**10), (3, 5, 0.5, 0.5)],
)
def test_binomial_tail(k: int, n: int, p: float, expected: float) -> None:
    assert binomial_tail(k, n, p) == pytest.approx(expected)


def test_chi_square_tail_matches_the_tables() -> None:
    # 95th and 99.99th percentiles of chi-square with 9 degrees of freedom
    assert chi_square_tail(16.919, 9) == pytest.approx(0.05, rel=0.05)
    assert chi_square_tail(33.72, 9) == pytest.approx(1e-4, rel=0.2)
    assert np.isclose(chi_square_tail(0, 9), 1.0)
