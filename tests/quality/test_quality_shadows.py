"""Shadow pairs: goal codes with placeholders, read from data/quality/shadows.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from delivery.quality.shadows import SHADOWS_FILE, load_shadows, pairs_from_mapping


def test_a_placeholder_pairs_each_state_with_its_own_shadow() -> None:
    pairs = pairs_from_mapping({"SINESP/{uf}/Homicídio doloso":
                                ["SINESP/{uf}/Lesão corporal seguida de morte"]})
    assert pairs.shadows_of("SINESP/Pernambuco/Homicídio doloso") == [
        "SINESP/Pernambuco/Lesão corporal seguida de morte"]
    assert pairs.shadows_of("SINESP/Pernambuco/Estupro") == []
    assert pairs.shadows_of("SINESP/A/B/Homicídio doloso") == []  # one part per placeholder


def test_plain_codes_and_several_shadows_keep_file_order_without_repeats() -> None:
    pairs = pairs_from_mapping({"A": ["B", "C"], "{x}": ["B", "{x}"]})
    assert pairs.shadows_of("A") == ["B", "C"]  # and never itself


def test_a_shadow_with_a_placeholder_its_goal_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="does not define"):
        pairs_from_mapping({"SINESP/Homicídio": ["SINESP/{uf}/Lesão"]})


def test_the_shipped_pairs_cover_both_real_files() -> None:
    pairs = load_shadows(SHADOWS_FILE)
    assert "SINESP/Acre/Furto de veículo" in pairs.shadows_of("SINESP/Acre/Roubo de veículo")
    assert pairs.shadows_of("ISP-RJ/hom_doloso") == [
        "ISP-RJ/lesao_corp_morte", "ISP-RJ/hom_por_interv_policial", "ISP-RJ/encontro_cadaver"]


def test_no_file_means_no_pairs(tmp_path: Path) -> None:
    assert load_shadows(tmp_path / "absent.yaml").shadows_of("ISP-RJ/hom_doloso") == []
