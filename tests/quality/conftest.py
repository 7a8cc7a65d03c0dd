"""Synthetic series for the data-quality checks: counted, seasonal, noisy as real counts are."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def seasonal_counts(level: float = 400.0, years: int = 8, trend: float = -0.03,
                    amplitude: float = 0.15, seed: int = 1,
                    start: str = "2015-01-31") -> pd.Series:
    """Monthly counts with a yearly season (peak in December), a gentle yearly trend and
    Poisson noise with a little extra spread, indexed by month end."""
    rng = np.random.default_rng(seed)
    index = pd.date_range(start, periods=12 * years, freq="ME")
    t = np.arange(len(index))
    season = amplitude * np.cos(2 * np.pi * (index.month.to_numpy() - 12) / 12)
    mean = level * np.exp(trend * t / 12 + season + rng.normal(0, 0.03, len(t)))
    return pd.Series(rng.poisson(mean).astype(float), index=index)


def straight_plan(values: pd.Series, trend: float = -0.03) -> pd.Series:
    """A plan through the series: from its first year's median, down ``trend`` a year (the
    synthetic series' own trend), so the figures fall on both sides of it."""
    months = np.arange(len(values))
    return pd.Series(values.iloc[:12].median() * np.exp(trend * months / 12), index=values.index)


@pytest.fixture
def clean() -> pd.Series:
    return seasonal_counts()
