"""The shadow check with peers: the same target-and-shadow pair in other places (every other
state's), whose common movement of share is taken out before a move is judged. Table tests on
synthetic counted series."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from delivery.i18n import use_locale
from delivery.quality import checks as c
from delivery.quality import plant as p
from delivery.quality.checks import shadow as shadow_module
from delivery.quality.shadows import pairs_from_mapping
from delivery.vocabulary import Direction

from .conftest import seasonal_counts

MOVE = date(2019, 1, 31)  # when a move of cases starts, in every case below


def pair(seed: int, level: float = 400.0, ratio: float = 0.5) -> tuple[pd.Series, pd.Series]:
    """A state's target heading and its shadow (``ratio`` of its size), each counted."""
    return (seasonal_counts(level=level, seed=seed),
            seasonal_counts(level=level * ratio, seed=seed + 100))


def moved(target: pd.Series, shadow: pd.Series, share: float) -> tuple[pd.Series, pd.Series]:
    """``share`` of the target's cases recorded under the shadow from MOVE on."""
    planted = p.reclassify(target, shadow, Direction.DOWN, share=share, at=MOVE)
    assert planted.shadow is not None
    return planted.series, planted.shadow


def national(pairs: list[tuple[pd.Series, pd.Series]], share: float
             ) -> list[tuple[pd.Series, pd.Series]]:
    """The same move of share in every place at once (a national change of counting rules)."""
    return [moved(x, y, share) for x, y in pairs]


PEERS = [pair(seed) for seed in range(2, 10)]

# case -> (the target pair, its peers, whether a finding is expected, peers used in evidence)
CASES = {
    "a move in this state alone, peers as they were": (
        moved(*pair(1), 0.25), PEERS, True, len(PEERS)),
    "a move in every state at once: a shared event, not this state's": (
        national([pair(1)], 0.25)[0], national(PEERS, 0.25), False, None),
    "nothing moved anywhere": (pair(1), PEERS, False, None),
    "a move, too few peers to take anything out": (
        moved(*pair(1), 0.25), PEERS[:2], True, 0),
    "a move, no peers (the check as on a single pair)": (
        moved(*pair(1), 0.25), [], True, 0),
}


@pytest.mark.parametrize("case", list(CASES))
def test_moves_of_share_are_judged_against_the_same_pair_elsewhere(case: str) -> None:
    (x, y), peers, expected, used = CASES[case]
    findings = c.check_shadow(x, y, Direction.DOWN, shadow_name="bodily harm", peers=peers)
    assert bool(findings) is expected
    assert all(f.kind == c.SHADOW for f in findings)
    if expected:
        (finding,) = findings
        assert abs((finding.period_end - MOVE).days) <= 92
        assert finding.evidence["peers"] == used
        assert ("other places" in finding.reason) is bool(used)


def test_without_peers_a_national_move_is_flagged_in_each_state() -> None:
    """What the peers are for: the same national move, judged pair by pair, flags a state."""
    (x, y) = national([pair(1)], 0.25)[0]
    assert c.check_shadow(x, y, Direction.DOWN)
    assert c.check_shadow(x, y, Direction.DOWN, peers=national(PEERS, 0.25)) == []


HOSTILE = {
    "empty peers": [(pd.Series(dtype=float), pd.Series(dtype=float))] * 4,
    "NaN and infinite figures": [(s.where(s.index.month != 6, np.nan).replace(
        s.iloc[3], np.inf), t) for s, t in PEERS[:4]],
    "negative figures (not counts)": [(-s, t) for s, t in PEERS[:4]],
    "peers that end before the target starts": [
        (s.set_axis(s.index - pd.DateOffset(years=30)), t.set_axis(t.index - pd.DateOffset(
            years=30))) for s, t in PEERS[:4]],
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_peers_never_break_the_check(case: str) -> None:
    x, y = moved(*pair(1), 0.25)
    findings = c.check_shadow(x, y, Direction.DOWN, peers=HOSTILE[case])
    assert [f.kind for f in findings] == [c.SHADOW]


def test_the_peer_sentence_reads_in_each_language() -> None:
    x, y = moved(*pair(1), 0.25)
    for locale, word in (("en", "other places"), ("pt_BR", "outros"), ("es", "otros")):
        with use_locale(locale):
            (finding,) = c.check_shadow(x, y, Direction.DOWN, peers=PEERS)
        assert word in finding.reason, (locale, finding.reason)


def test_peers_can_be_switched_off() -> None:
    (x, y) = national([pair(1)], 0.25)[0]
    before = shadow_module.SHADOW_PEERS
    shadow_module.SHADOW_PEERS = False
    try:
        assert c.check_shadow(x, y, Direction.DOWN, peers=national(PEERS, 0.25))
    finally:
        shadow_module.SHADOW_PEERS = before


PAIRS = pairs_from_mapping({
    "SINESP/{uf}/Homicídio doloso": ["SINESP/{uf}/Lesão corporal seguida de morte"],
    "ISP-RJ/hom_doloso": ["ISP-RJ/lesao_corp_morte"],
})
CODES = [f"SINESP/{uf}/{kind}" for uf in ("Acre", "Bahia", "Ceará", "Pará")
         for kind in ("Homicídio doloso", "Lesão corporal seguida de morte", "Estupro")
         ] + ["ISP-RJ/hom_doloso", "ISP-RJ/lesao_corp_morte", "SINESP/Goiás/Homicídio doloso"]

PEER_TABLE = {
    # (target, shadow) -> the same pair elsewhere
    ("SINESP/Acre/Homicídio doloso", "SINESP/Acre/Lesão corporal seguida de morte"): [
        ("SINESP/Bahia/Homicídio doloso", "SINESP/Bahia/Lesão corporal seguida de morte"),
        ("SINESP/Ceará/Homicídio doloso", "SINESP/Ceará/Lesão corporal seguida de morte"),
        ("SINESP/Pará/Homicídio doloso", "SINESP/Pará/Lesão corporal seguida de morte"),
    ],  # Goiás has no bodily-harm goal: not a peer
    ("ISP-RJ/hom_doloso", "ISP-RJ/lesao_corp_morte"): [],  # one state: no peers
    ("SINESP/Acre/Estupro", "SINESP/Acre/Homicídio doloso"): [],  # not a shipped pair
    ("SINESP/Acre/Homicídio doloso", "ISP-RJ/lesao_corp_morte"): [],  # codes of other shapes
}


@pytest.mark.parametrize("target,shadow", list(PEER_TABLE))
def test_the_same_pair_elsewhere_is_found_from_the_codes(target: str, shadow: str) -> None:
    assert PAIRS.peers_of(target, shadow, CODES) == PEER_TABLE[(target, shadow)]


def test_the_check_judges_the_steps_steps_of_share_gives(monkeypatch) -> None:
    """``steps_of_share`` is where bench/shadow_variants.py puts other tests of a move of
    share: the check judges exactly the steps it returns (and still tests cases moved)."""
    x, y = moved(*pair(1), 0.25)
    seen = []

    def none(odds, floor, target, other, common, up):
        seen.append((len(odds), len(target), len(other), common is not None, up, floor > 0))
        return []

    assert c.check_shadow(x, y, Direction.DOWN, peers=PEERS)
    monkeypatch.setattr(shadow_module, "steps_of_share", none)
    assert c.check_shadow(x, y, Direction.DOWN, peers=PEERS) == []
    assert seen == [(len(x), len(x), len(x), True, False, True)]
