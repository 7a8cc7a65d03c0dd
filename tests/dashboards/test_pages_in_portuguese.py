"""The pages a governor and a secretariat open first, rendered in Portuguese for each role:
no English text of the catalogue is left on them (names and codes are the data's own).

The layouts are built as the app builds them for a request, with the person signed in and
the locale set; ``tests/i18n/untranslated.py`` does the comparison (the browser matrix calls
the same function on what Chromium shows)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import dash
import flask
import pytest
from sqlalchemy import select

from dashboards.context import TOKEN_KEY
from delivery.i18n import use_locale
from delivery.models import Goal, Objective, Pact, Pillar, Secretariat, User
from delivery.signin.sessions import Lifetime, start_session
from tests.i18n.untranslated import english_leftovers, layout_texts

# id, the page's path as registered (its layout is the app's own, access gate included), its
# arguments, who may open it
PAGES = [
    ("home", "/", {}, ["analyst", "governor", "secretariat"]),
    ("review", "/review", {}, ["analyst", "governor"]),
    ("goal", "/goal/<code>", {"code": "homicides"}, ["analyst", "governor", "secretariat"]),
    ("pacts", "/pacts", {}, ["analyst", "governor", "secretariat"]),
    ("pact", "/pact/<code>", {"code": "PPV"}, ["analyst", "governor", "secretariat"]),
    ("objective", "/objective/<code>", {"code": "OE01"}, ["analyst", "governor"]),
    ("meetings", "/meetings", {}, ["analyst", "governor", "secretariat"]),
    ("likelihood", "/likelihood", {}, ["analyst", "governor"]),
]
CASES = [pytest.param(layout, kwargs, persona, id=f"{page}-{persona}")
         for page, layout, kwargs, personas in PAGES for persona in personas]


def names(site: Any) -> set[str]:
    """Every name and code of the persona government: data, not messages."""
    with site.factory() as session:
        found: set[str] = set()
        for model in (Goal, Objective, Pact, Pillar, Secretariat):
            for code, name in session.execute(select(model.code, model.name)):
                found |= {code, name}
        found |= set(session.scalars(select(User.display_name)))
        found |= set(session.scalars(select(User.username)))
    return found


def render(site: Any, persona: str, layout: str, kwargs: dict[str, Any], locale: str) -> list:
    """The texts of ``layout(**kwargs)`` as ``persona`` sees it in ``locale``."""
    with site.factory() as session, session.begin():
        user = session.get(User, site.gov.users[persona])
        token = start_session(session, user, datetime.now(UTC), Lifetime(),
                              user_agent="pytest", address="127.0.0.1")
    function = next(p["layout"] for p in dash.page_registry.values()
                    if (p.get("path_template") or p["path"]) == layout)
    with site.app.server.test_request_context("/"), use_locale(locale):
        flask.session[TOKEN_KEY] = token
        return list(layout_texts(function(**kwargs)))


@pytest.mark.parametrize(("layout", "kwargs", "persona"), CASES)
def test_a_page_in_portuguese_has_no_english_left(site, layout, kwargs, persona) -> None:
    texts = render(site, persona, layout, kwargs, "pt_BR")
    assert texts, "the page showed nothing"
    assert english_leftovers(texts, "pt_BR", names(site)) == []


@pytest.mark.parametrize(("layout", "kwargs", "persona"), CASES[:4])
def test_the_same_page_in_english_is_caught_by_the_check(site, layout, kwargs,
                                                         persona) -> None:
    """The check is not vacuous: the English page is full of what it looks for."""
    texts = render(site, persona, layout, kwargs, "en")
    assert english_leftovers(texts, "pt_BR", names(site))
