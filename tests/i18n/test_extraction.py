"""A text wrapped in ``_()`` inside an f-string is invisible to extraction on Python 3.11 (the
f-string is one token), so it would never reach the catalogue and stay English on every
page: such texts must be in the template all the same (extracted from another place), or be
translated outside the f-string."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from babel.messages.pofile import read_po

from delivery.i18n.catalogues import ROOT, TEMPLATE

PACKAGES = ("delivery", "dashboards", "strategy_maps", "pacts")
_CALL = re.compile(r"""\b_\(\s*(['"])((?:(?!\1).)+)\1\s*\)""")


def _fstring_texts(path: Path) -> list[tuple[int, str]]:
    found = []
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type == tokenize.STRING and re.match(r"(?i)^[rb]*f", token.string):
            found += [(token.start[0], m.group(2)) for m in _CALL.finditer(token.string)]
    return found


def test_no_text_in_an_f_string_is_missing_from_the_catalogue():
    with TEMPLATE.open("rb") as pot:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot)}
    missing = [f"{path.relative_to(ROOT)}:{line}: {text!r}"
               for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
               for line, text in _fstring_texts(path) if text not in known]
    assert missing == []


def test_the_check_sees_a_text_inside_an_f_string(tmp_path):
    path = tmp_path / "example.py"
    path.write_text('x = f"{_(\'slip\'):>4} {y}"\nz = _("outside")\n', encoding="utf-8")
    assert _fstring_texts(path) == [(1, "slip")]
