"""A pact's negotiated target against the goal's own: when is it looser?"""

from __future__ import annotations

from datetime import date

import pytest

from pacts.targets import looser_terms

OWN_DATE = date(2024, 12, 31)
LATER = date(2025, 6, 30)

CASES = [
    # direction, own value, negotiated value, negotiated date, band, expected words
    ("up", 100.0, 100.0, OWN_DATE, None, []),
    ("up", 100.0, 110.0, OWN_DATE, None, []),
    ("up", 100.0, 90.0, OWN_DATE, None, ["target 90 instead of 100"]),
    ("down", 70.0, 70.0, OWN_DATE, None, []),
    ("down", 70.0, 65.0, OWN_DATE, None, []),
    ("down", 70.0, 75.0, OWN_DATE, None, ["target 75 instead of 70"]),
    ("up", 100.0, 100.0, LATER, None, ["deadline 30 Jun 2025 instead of 31 Dec 2024"]),
    ("down", 70.0, 80.0, LATER, None, ["target 80 instead of 70", "deadline 30 Jun 2025"]),
    ("range", 80.0, 81.3, OWN_DATE, (75.0, 85.0), []),
    ("range", 80.0, 88.0, OWN_DATE, (75.0, 85.0), ["target 88 instead of the band 75 to 85"]),
    ("range", 80.0, 74.0, OWN_DATE, (75.0, 85.0), ["target 74 instead of the band 75 to 85"]),
    ("up", 100.0, None, None, None, []),
    ("up", None, 50.0, OWN_DATE, None, []),
    ("up", 0.3, 0.1 + 0.2, OWN_DATE, None, []),  # float noise is not a looser target
]


@pytest.mark.parametrize(
    ("direction", "own", "negotiated", "negotiated_date", "band", "expected"), CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_it_says_how_a_negotiated_target_is_looser(direction, own, negotiated, negotiated_date,
                                                   band, expected):
    low, high = band or (None, None)
    terms = looser_terms(direction, own, OWN_DATE, negotiated, negotiated_date,
                         own_low=low, own_high=high)
    assert len(terms) == len(expected)
    for term, words in zip(terms, expected, strict=True):
        assert term.startswith(words)


def test_it_refuses_an_unknown_direction():
    with pytest.raises(ValueError, match="sideways"):
        looser_terms("sideways", 1.0, None, 2.0, None)


# -- impossible negotiated targets: the goal's plausibility rules --------------------------


@pytest.mark.parametrize(("unit", "overrides", "negotiated", "expected"), [
    ("%", {}, 100.6, ["target 100.6% is over 100%, which a percentage cannot be"]),
    ("%", {}, 100.0, []),
    ("%", {"allow_over_100": True}, 120.0, []),
    ("cases", {}, -3.0, ["target -3 is negative, which a count cannot be"]),
    ("index", {}, -3.0, []),  # a signed quantity may be negative
    ("cases", {"max_plausible": 500.0}, 501.0,
     ["target 501 is above the plausible maximum 500"]),
    ("cases", {"min_plausible": 10.0}, 2.5, ["target 2.5 is below the plausible minimum 10"]),
    ("%", {}, None, []),
])
def test_an_impossible_negotiated_target_is_named_with_the_rule_it_breaks(
        unit, overrides, negotiated, expected):
    from delivery.plausibility.rules import Rules
    from pacts.targets import impossible_terms

    rules = Rules.defaults(unit).with_overrides(overrides)
    assert impossible_terms(rules, negotiated) == expected
