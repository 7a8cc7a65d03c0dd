"""Pooling: a break shared by many related series is one event listing them, not a flag on
each; a break in one series alone stays its own finding."""

from __future__ import annotations

from datetime import date

import pytest

from delivery.quality import checks as c
from delivery.quality import plant as p
from delivery.quality.pooling import SHARED_BREAK, families, fold, in_family, shared_events
from tests.quality.conftest import seasonal_counts

STATES = ["Acre", "Bahia", "Ceará", "Goiás", "Pará"]
BREAK = date(2020, 4, 30)


def _states_with_a_break(broken: list[str], at: date = BREAK) -> dict[str, list[c.Finding]]:
    """Level-shift findings of five states' series, a 40% drop planted at ``at`` in
    ``broken``."""
    found = {}
    for k, state in enumerate(STATES):
        x = seasonal_counts(seed=10 + k)
        if state in broken:
            x = p.level_shift(x, size=0.4, at=at, seed=1).series
        found[f"SINESP/{state}/Roubo"] = c.check_level_shift(x)
    return found


@pytest.mark.parametrize(
    ("code", "family", "member"),
    [("SINESP/Acre/Roubo", "SINESP/*/Roubo", True),
     ("SINESP/Acre/Roubo", "SINESP/Acre/*", True),
     ("SINESP/Acre/Furto", "SINESP/*/Roubo", False),
     ("ISP-RJ/roubo", "SINESP/*/Roubo", False)],
    ids=["same-crime", "same-state", "other-crime", "other-source"],
)
def test_a_family_is_the_codes_that_differ_in_one_part(code: str, family: str,
                                                       member: bool) -> None:
    assert in_family(code, family) is member


def test_families_need_three_members() -> None:
    found = families(["A/x", "B/x", "C/x", "A/y"])
    assert found == {"*/x": ["A/x", "B/x", "C/x"]}


def test_a_break_in_most_related_series_at_once_is_one_event_listing_them() -> None:
    found = _states_with_a_break(STATES[:4])
    assert sum(bool(f) for f in found.values()) == 4  # each series alone would be flagged
    (event,) = shared_events(found)
    assert event.family == "SINESP/*/Roubo"
    assert sorted(event.members) == [f"SINESP/{s}/Roubo" for s in STATES[:4]]
    assert all(fold(code, findings, [event]) == [] for code, findings in found.items())
    finding = event.as_finding()
    assert finding.kind == SHARED_BREAK and finding.period_end.year == 2020
    assert finding.evidence["series"] == sorted(event.members)
    assert "4 of the 5" in finding.reason


def test_a_break_in_one_series_alone_stays_its_own_finding() -> None:
    found = _states_with_a_break(["Bahia"])
    assert shared_events(found) == []
    assert [f.kind for f in fold("SINESP/Bahia/Roubo", found["SINESP/Bahia/Roubo"], [])] == [
        c.LEVEL_SHIFT]


def test_breaks_in_different_years_are_not_pooled() -> None:
    found = _states_with_a_break(["Acre", "Bahia"])
    found.update({k: v for k, v in _states_with_a_break(["Ceará", "Goiás"],
                                                         at=date(2018, 6, 30)).items()
                  if "Ceará" in k or "Goiás" in k})
    assert shared_events(found) == []
