"""The catalogue's search text is folded fast for plain ASCII and exactly as ``fold`` for
everything else; pact lists keep the pacts' code order."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from delivery.catalogue.grid import fast_fold, fold, with_catalogue_columns


@pytest.mark.parametrize("text", ["Goal 12 SEC01", "Saúde Pública", "ÇÃO", "Straße",
                                  "İstanbul", "ﬁnance", "", "MiXeD ascii 123 !?", "日本語",
                                  "e\u0301cole"])
def test_fast_fold_answers_as_fold(text):
    assert fast_fold(text) == fold(text)


def test_each_goal_lists_its_pacts_in_code_order():
    frame = pd.DataFrame({"goal_id": [1, 2, 3], "code": ["A", "B", "C"],
                          "name": ["Saúde", "b", "c"], "indicator": [None, "x", "y"],
                          "owner_code": ["S", None, "S"], "owner": ["Sec", "Sec", None],
                          "frequency": ["monthly"] * 3, "reporting_lag_days": [None] * 3,
                          "latest_period_end": [date(2020, 11, 30)] * 3,
                          "baseline_date": [date(2019, 1, 1)] * 3})
    links = pd.DataFrame({"goal_id": [3, 1, 3], "pact": ["P1", "P2", "P3"]})
    out = with_catalogue_columns(frame, links, date(2020, 12, 31))
    assert out["pacts"].tolist() == ["P2", "", "P1 · P3"]
    assert out["pact_key"].tolist() == ["|P2|", "", "|P1|P3|"]
    assert out["haystack"].tolist()[0] == "a saude  s sec"
