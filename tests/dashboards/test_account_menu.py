"""The navigation bar's account menu: the badge's initials and what the menu holds per role."""

from __future__ import annotations

import pytest

from dashboards.auth import initials


@pytest.mark.parametrize(("name", "expected"), [
    ("Ana Lima", "AL"),
    ("Ana Analyst (delivery unit)", "AA"),
    ("Results centre, Defesa Social", "RS"),
    ("governor", "G"),
    ("  ", "?"),
    ("(only brackets)", "?"),
    ("Éva  Łukasz", "ÉŁ"),
    ("José da Silva (SDS", "JS"),  # an unclosed bracket drops the rest
    ("-- ..", "?"),
])
def test_initials_take_the_first_and_last_word_outside_brackets(name: str, expected: str) -> None:
    assert initials(name) == expected
