"""Small wording a person reads at a glance: nothing waiting is said in words, not as
"0 item aguardando" (Portuguese's singular covers 0); no delay shows no "slip 0 d"; the strategy
map's hint speaks of tapping as well as pointing, in each language."""

from __future__ import annotations

import sys

import dash
import pandas as pd
import pytest

from dashboards.components.inbox import summary_line
from dashboards.components.plans import initiative_list
from delivery.i18n import use_locale


@pytest.mark.parametrize(("locale", "nothing"), [
    ("pt_BR", "Nada aguardando"), ("es", "Nada pendiente"), ("en", "Nothing waiting")])
def test_an_empty_inbox_says_nothing_is_waiting(locale, nothing):
    with use_locale(locale):
        assert summary_line([]) == nothing


def _texts(component) -> str:  # type: ignore[no-untyped-def]
    children = getattr(component, "children", component)
    if isinstance(children, str):
        return children
    if isinstance(children, list | tuple):
        return " ".join(_texts(c) for c in children if c is not None)
    return _texts(children) if children is not None and children is not component else ""


def test_an_initiative_on_time_shows_no_slip_and_a_late_one_its_days():
    board = pd.DataFrame([
        {"status": "not_due", "name": "On time", "code": "A", "slip": 0, "money_ahead": False},
        {"status": "late", "name": "Late", "code": "B", "slip": 12, "money_ahead": False}])
    with use_locale("pt_BR"):
        on_time, late = (_texts(li) for li in initiative_list(board).children)
    assert "atraso" not in on_time and " 0 d" not in on_time
    assert "atraso 12 d" in late


@pytest.mark.parametrize(("locale", "words"), [
    ("pt_BR", "Toque ou aponte"), ("es", "Toque o apunte"), ("en", "Tap or point")])
def test_the_map_hint_speaks_of_tapping_in_each_language(site, locale, words):
    # the page's module as the app loaded it (importing it again would register a second /map)
    page = sys.modules[next(p["module"] for p in dash.page_registry.values()
                            if p["path"] == "/map")]
    with use_locale(locale):
        assert page.describe(None).startswith(words)
    assert page.HOVER_HINT.startswith("Tap or point")
