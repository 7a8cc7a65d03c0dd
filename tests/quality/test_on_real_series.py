"""The checks on the real monthly series: the floors measured by bench/quality_on_real_series.py.

The numbers are what the bench printed (seed 0, 296 series, 1,703 planted cases). Planting is
seeded, so a run gives the same counts; the small slack below absorbs float differences
between numpy/pandas versions, nothing more. If a change to a check moves a number past its
floor, re-run the bench, and change the floor here and in docs/data-quality.md together.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from delivery.quality.measure import (
    flagged_table,
    load_real_series,
    planted_cases,
    recall_table,
    untouched_findings,
)
from delivery.quality.shadows import load_shadows

# check -> untouched series it flagged when measured (of 296). Missing counts real gaps in the
# SINESP file (308 absent state-type-months), not false alarms.
UNTOUCHED_FLAGGED = {
    "late": 0,
    "missing": 46,
    "outlier": 78,
    "level_shift": 36,
    "bunching": 3,
    "variance_collapse": 10,
    "digit_pattern": 0,
    "shadow_divergence": 7,
}
# plant -> (caught, planted) when measured
CAUGHT = {
    "spike 40%": (55, 195),
    "spike 60%": (106, 195),
    "level shift 35%": (30, 195),
    "level shift 60%": (92, 195),
    "bunching, misses up to 10% moved": (109, 190),
    "flattening to 15% of variation, 18 months": (171, 195),
    "60% of 24 months rounded to 5": (161, 195),
    "last 2 figures withheld": (195, 195),
    "15% of cases reclassified to the shadow": (28, 74),
    "25% of cases reclassified to the shadow": (39, 74),
}
SLACK_SERIES = 3  # untouched series
SLACK_RECALL = 0.03  # share of the planted cases


@pytest.fixture(scope="module")
def measured(realdata: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    series = load_real_series(realdata)
    pairs = load_shadows()
    flagged = flagged_table(untouched_findings(series, pairs), series)
    recall = recall_table(planted_cases(series, pairs, seed=0))
    return flagged.set_index("check"), recall.set_index("plant")


def test_both_real_files_load_as_their_goal_codes(realdata: Path) -> None:
    series = load_real_series(realdata)
    assert len(series) == 243 + 53
    homicides = series["SINESP/Pernambuco/Homicídio doloso"]
    assert homicides.index.min() == pd.Timestamp("2015-01-31") and len(homicides) <= 96
    assert series["ISP-RJ/letalidade_violenta"].index.max() == pd.Timestamp("2021-05-31")


@pytest.mark.parametrize("check", list(UNTOUCHED_FLAGGED))
def test_untouched_series_are_rarely_flagged(measured, check: str) -> None:
    flagged, _ = measured
    assert flagged.loc[check, "of_series"] == 296
    assert flagged.loc[check, "series_flagged"] <= UNTOUCHED_FLAGGED[check] + SLACK_SERIES


@pytest.mark.parametrize("plant", list(CAUGHT))
def test_planted_manipulations_are_caught(measured, plant: str) -> None:
    _, recall = measured
    caught, planted = CAUGHT[plant]
    assert recall.loc[plant, "planted"] == planted
    assert recall.loc[plant, "caught"] >= caught - SLACK_RECALL * planted
