"""The planting helper: deterministic, never touches the original, keeps counts whole."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from delivery.quality import plant as p
from delivery.vocabulary import Direction
from tests.quality.conftest import seasonal_counts, straight_plan

PLANTERS = {
    p.SPIKE: lambda x, seed: p.spike(x, seed=seed),
    p.SHIFT: lambda x, seed: p.level_shift(x, seed=seed),
    p.BUNCH: lambda x, seed: p.bunch(x, straight_plan(x), Direction.DOWN, seed=seed),
    p.FLATTEN: lambda x, seed: p.flatten(x, seed=seed),
    p.ROUND: lambda x, seed: p.round_figures(x, seed=seed),
    p.RECLASSIFY: lambda x, seed: p.reclassify(x, x / 10, seed=seed),
    p.WITHHOLD: lambda x, seed: p.withhold(x),
}


@pytest.mark.parametrize("manipulation", list(PLANTERS), ids=list(PLANTERS))
def test_planting_is_deterministic_and_leaves_the_original_alone(manipulation: str) -> None:
    x = seasonal_counts()
    before = x.copy()
    first, again = PLANTERS[manipulation](x, 3), PLANTERS[manipulation](x, 3)
    pd.testing.assert_series_equal(x, before)
    pd.testing.assert_series_equal(first.series, again.series)
    assert first.periods == again.periods and first.periods
    assert first.manipulation == manipulation
    changed = first.series.reindex(x.index).ne(x)
    assert changed.any()
    counted = first.series.dropna()
    assert (counted == counted.round()).all() and (counted >= 0).all()


def test_a_spike_changes_one_period_by_the_size_asked() -> None:
    x = seasonal_counts()
    planted = p.spike(x, size=0.5, at=date(2019, 5, 31))
    diff = planted.series.ne(x)
    assert diff.sum() == 1 and planted.start == date(2019, 5, 31)
    ratio = planted.series[diff].iloc[0] / x[diff].iloc[0]
    assert ratio == pytest.approx(planted.detail["factor"], abs=0.01)


def test_a_level_shift_scales_everything_from_its_start() -> None:
    x = seasonal_counts()
    planted = p.level_shift(x, size=0.3, at=date(2019, 5, 31))
    ratio = (planted.series / x)[x.index >= "2019-05-31"]
    assert ratio.between(planted.detail["factor"] - 0.02, planted.detail["factor"] + 0.02).all()
    assert planted.series[x.index < "2019-05-31"].equals(x[x.index < "2019-05-31"])


def test_bunching_moves_near_misses_just_past_the_plan() -> None:
    x = seasonal_counts()
    plan = straight_plan(x)
    planted = p.bunch(x, plan, Direction.DOWN, periods=36, reach=0.1, margin=0.01)
    moved = [pd.Timestamp(d) for d in planted.periods]
    assert len(moved) == planted.detail["moved"] > 0
    assert (planted.series[moved] <= plan[moved]).all()
    assert (planted.series[moved] >= plan[moved] * 0.99 - 1).all()


def test_reclassification_moves_cases_without_losing_any() -> None:
    x = seasonal_counts()
    shadow = seasonal_counts(level=40, seed=4)
    planted = p.reclassify(x, shadow, share=0.2, at=date(2020, 1, 31))
    total_before = x + shadow
    pd.testing.assert_series_equal(planted.series + planted.shadow, total_before,
                                   check_freq=False)
    assert (planted.series[x.index >= "2020-01-31"] < x[x.index >= "2020-01-31"]).all()


def test_rounding_rounds_about_the_share_asked() -> None:
    x = seasonal_counts()
    planted = p.round_figures(x, periods=24, share=0.6, seed=2)
    window = planted.series[[pd.Timestamp(d) for d in planted.periods]]
    assert np.isin(window % 5, 0).mean() >= 0.5
    assert planted.detail["rounded"] <= 24


def test_withholding_drops_the_latest_figures() -> None:
    planted = p.withhold(seasonal_counts(), latest=3)
    assert len(planted.series) == 93
    assert planted.periods == [date(2022, 10, 31), date(2022, 11, 30), date(2022, 12, 31)]
