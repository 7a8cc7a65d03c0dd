"""Every page, for each role that may open it, in Portuguese and English, on a desktop and a
phone: no sideways scrolling on the phone, no critical or serious axe-core violation, numbers in
the language's format.

Every page a role may open is also measured at 390x844 by that role: a page opened on the
desktop is narrowed to the phone's width once checked (no second load), and must not scroll
sideways there either.

The cost is bounded as the brief asks: each page is opened once per role, the language and
width alternating across pages and roles so that every page is seen in both languages and at
both widths by some role (admin and analyst, who may open every page, always get opposite
languages; governor and secretariat get the other pairings of language and width).

On a ``pt_BR`` page no English is left but names and codes (``tests/i18n/untranslated.py``
compares what the page shows with the catalogue).
Screenshots go to tests/screenshots/ (``matrix-<role>-<page>-<language>-<width>``).
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select, update

from dashboards.i18n import LANGUAGE_PATH
from delivery.access import WHOLE_GOVERNMENT
from delivery.models import (
    AgendaItem,
    Commitment,
    Goal,
    Objective,
    Pact,
    Pillar,
    ReviewMeeting,
    Secretariat,
    User,
)
from delivery.vocabulary import Role
from tests.browser.conftest import DEMO_LOGIN, SCREENSHOTS, screenshot, settle
from tests.i18n.untranslated import english_leftovers, page_texts

# What a page looks like and says does not depend on the database behind it (the data layer is
# tested on both backends elsewhere); one backend keeps the matrix to each page once per role.
pytestmark = pytest.mark.backends("sqlite")

ROLES = ("admin", "analyst", "governor", "secretariat")
ANALYSTS = (Role.ADMIN, Role.ANALYST)
# (name, path or a function of the database giving it, who may open it: None = every signed-in
# person). Kept to what the pages declare in dash.register_page.
PAGES = [
    ("goals", "/", None),
    ("inbox", "/inbox", None),
    ("account", "/account", None),
    ("review", "/review", WHOLE_GOVERNMENT),
    ("meetings", "/meetings", None),
    ("likelihood", "/likelihood", WHOLE_GOVERNMENT),
    ("pacts", "/pacts", None),
    ("map", "/map", WHOLE_GOVERNMENT),
    ("budget", "/budget", WHOLE_GOVERNMENT),
    ("report", "/report", (Role.ADMIN, Role.ANALYST, Role.SECRETARIAT)),
    ("workspace", "/workspace", ANALYSTS),
    ("workspace-figures", "/workspace/figures", ANALYSTS),
    ("workspace-import", "/workspace/import", ANALYSTS),
    ("workspace-jobs", "/workspace/jobs", ANALYSTS),
    ("workspace-quality", "/workspace/quality", ANALYSTS),
    ("workspace-trajectory", "/workspace/trajectory", ANALYSTS),
    ("audit", "/audit", ANALYSTS),
    ("goal", "/goal/SDS-CVP-RMR", None),  # counts in the thousands
    ("pact", "/pact/PPV", None),
    ("plans", "/plans", None),
    ("initiative", "/initiative/SDS-DELEG-SERRA", None),  # the secretariat's own
    ("pillar", lambda s: "/pillar/" + s.scalar(select(Pillar.code).order_by(Pillar.id)),
     WHOLE_GOVERNMENT),
    ("objective", lambda s: "/objective/" + s.scalar(select(Objective.code)
                                                     .order_by(Objective.id)), WHOLE_GOVERNMENT),
    ("meeting", lambda s: "/meeting/" + str(s.scalar(select(ReviewMeeting.id)
                                                     .order_by(ReviewMeeting.id))), None),
    ("commitment", lambda s: "/commitment/" + str(s.scalar(  # one the secretariat (SDS) owns
        select(Commitment.id).join(Secretariat, Commitment.owner_secretariat_id == Secretariat.id)
        .where(Secretariat.code == "SDS").order_by(Commitment.id))), None),
    ("workspace-plans", "/workspace/plans", ANALYSTS),
    ("workspace-public", "/workspace/public", ANALYSTS),
    ("account-sessions", "/account/sessions", None),
    ("account-tokens", "/account/tokens", None),
]
LANGUAGES = ("pt_BR", "en")
PHONE = (390, 844)
WIDTHS = (PHONE, (1440, 900))
# A US-style number (1,234,567 or 1,234.5) on a Portuguese page, a Portuguese one (1.234.567 or
# 1.234,5) on an English page: the formats module was bypassed.
WRONG_NUMBER = {"pt_BR": re.compile(r"\b\d{1,3}(,\d{3})+(\.\d+)?\b(?![.,]\d)"),
                "en": re.compile(r"\b\d{1,3}(\.\d{3})+,\d+\b")}
# Pages known to show a number of a thousand or more: it must carry the language's separator.
THOUSANDS = {"pt_BR": re.compile(r"\b\d{1,3}(\.\d{3})+\b"),
             "en": re.compile(r"\b\d{1,3}(,\d{3})+\b")}
SHOWS_THOUSANDS = {"goal", "budget", "pact"}
REPORT = SCREENSHOTS / "matrix-report.txt"  # one line per page opened: ok, or what failed
NAVBAR_WORDS = {"pt_BR": ("Metas", "Sair"), "en": ("Goals", "Sign out")}


@pytest.fixture(scope="module")
def data_names(live_app) -> set[str]:  # type: ignore[no-untyped-def]
    """The demo government's own names and codes (data, not messages: a demo loaded in English
    keeps its English names whatever language a person reads it in)."""
    with live_app.session_factory() as session:  # type: ignore[operator]
        found: set[str] = set()
        for model in (Goal, Objective, Pact, Pillar, Secretariat):
            for code, name in session.execute(select(model.code, model.name)):
                found |= {code, name}
        found |= set(session.scalars(select(ReviewMeeting.title)))
        found |= set(session.scalars(select(Commitment.description)))
        found |= set(session.scalars(select(AgendaItem.note)))  # composed when the demo loaded
        found |= set(session.scalars(select(Goal.unit)))  # "per 1,000 live births"
        found |= set(session.scalars(select(User.display_name)))
        found |= set(session.scalars(select(User.username)))  # "admin" signed the audit row
    return found - {None, ""}


def without_data(text: str, data_names: set[str]) -> str:
    """``text`` with the data's own names that hold a digit blanked out: a unit typed as
    "per 1,000 live births" is not a number the formats module wrote (names.pt_BR.yaml gives
    the demo loaded in Portuguese its "por 1.000 nascidos vivos")."""
    for name in sorted((n for n in data_names if any(c.isdigit() for c in n)), key=len,
                       reverse=True):
        text = text.replace(name, " ")
    return text


def may_open(role: str, access) -> bool:  # type: ignore[no-untyped-def]
    return access is None or Role(role) in access


CASES = []
for r, role in enumerate(ROLES):
    for i, (name, path, _access) in enumerate(p for p in PAGES if may_open(role, p[2])):
        language = LANGUAGES[(i + r) % 2]
        width = WIDTHS[(i + r + (r >= 2)) % 2]
        CASES.append(pytest.param(role, name, path, language, width,
                                  id=f"{role}-{name}-{language}-{width[0]}"))


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def test_the_matrix_sees_every_page_in_both_languages_and_at_both_widths():
    seen: dict[str, set] = {}
    for case in CASES:
        _, name, _, language, width = case.values
        seen.setdefault(name, set()).update({language, width})
    assert {name: len(s) for name, s in seen.items()} == {name: 4 for name, _, _ in PAGES}


@pytest.mark.parametrize(("role", "name", "path", "language", "width"), CASES)
def test_the_page_fits_the_screen_passes_axe_and_speaks_the_language(
        signed_in_page, live_app, axe, data_names, backend, role, name, path, language, width):
    if callable(path):
        with live_app.session_factory() as session:  # type: ignore[operator]
            path = path(session)
    page = signed_in_page(role, next="/")
    settle(page)  # the landing page's lazy chunks loaded before leaving it
    try:
        page.set_viewport_size({"width": width[0], "height": width[1]})
        page.request.post(live_app.url + LANGUAGE_PATH, form={"language": language},
                          headers={"Origin": live_app.url, "Referer": live_app.url + "/"})
        page.goto(live_app.url + path)
        settle(page)
        page.wait_for_timeout(500)  # plotly redraws at the viewport's width
        screenshot(page, f"matrix-{role}-{name}-{language}-{width[0]}", backend)
        found = []  # every problem on the page, written to the report before failing
        lang = page.get_attribute("html", "lang")
        if lang != language.replace("_", "-"):
            found.append(f"lang={lang}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            found.append(f"{overflow}px wider than the screen")
        found += [f"axe {v['impact']}: {v['id']} ({len(v['nodes'])}x) {v['nodes'][0]['target']}"
                  for v in axe.run(page).response["violations"]
                  if v["impact"] in ("critical", "serious")]
        if width[0] > PHONE[0]:  # every page of every role on a phone too, with no new load
            page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
            page.wait_for_timeout(500)  # plotly and the grids redraw at the phone's width
            on_phone = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            if on_phone > 0:
                found.append(f"{on_phone}px wider than a {PHONE[0]}px phone")
        text = page.inner_text("main")
        wrong = WRONG_NUMBER[language].search(without_data(text, data_names))
        if wrong:
            found.append(f"{wrong.group(0)!r} is not a {language} number")
        if name in SHOWS_THOUSANDS and not THOUSANDS[language].search(text):
            found.append(f"no number with {language} thousands")
        menu = page.evaluate("document.querySelector('#user-menu').textContent")
        if not all(word in menu for word in NAVBAR_WORDS[language]):
            found.append(f"navigation bar not in {language}")
        if language != "en":
            left = english_leftovers(page_texts(page), language, data_names)
            if left:
                found.append(f"English left: {left[:5]}")
        with REPORT.open("a") as report:
            report.write(f"{backend} {role} {path} {language} {width[0]}: "
                         f"{'; '.join(found) or 'ok'}\n")
        assert not found, f"{path}: " + "; ".join(found)
        page.problems.assert_none()  # type: ignore[attr-defined]
    finally:
        with live_app.session_factory() as session, session.begin():  # type: ignore[operator]
            session.execute(update(User).where(User.username == DEMO_LOGIN[role])
                            .values(language=None))


# The pages someone not signed in opens, in the language their browser asks for
# (Accept-Language): each in both languages at both widths.
PUBLIC_PAGES = [("public", "/public"), ("signin", "/signin")]
PUBLIC_CASES = [pytest.param(name, path, language, width,
                             id=f"nobody-{name}-{language}-{width[0]}")
                for name, path in PUBLIC_PAGES for language in LANGUAGES for width in WIDTHS]


@pytest.mark.parametrize(("name", "path", "language", "width"), PUBLIC_CASES)
def test_a_page_for_nobody_signed_in_follows_the_browsers_language(
        browser, live_app, axe, data_names, backend, name, path, language, width):
    context = browser.new_context(viewport={"width": width[0], "height": width[1]},
                                  locale=language.replace("_", "-"))
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    try:
        page.goto(live_app.url + path)
        settle(page)
        page.wait_for_timeout(500)
        screenshot(page, f"matrix-nobody-{name}-{language}-{width[0]}", backend)
        found = []
        lang = page.get_attribute("html", "lang")
        if lang != language.replace("_", "-"):
            found.append(f"lang={lang}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            found.append(f"{overflow}px wider than the screen")
        found += [f"axe {v['impact']}: {v['id']} ({len(v['nodes'])}x) {v['nodes'][0]['target']}"
                  f" {v['nodes'][0].get('failureSummary', '')}"
                  for v in axe.run(page).response["violations"]
                  if v["impact"] in ("critical", "serious")]
        wrong = WRONG_NUMBER[language].search(without_data(page.inner_text("main"),
                                                           data_names))
        if wrong:
            found.append(f"{wrong.group(0)!r} is not a {language} number")
        if language != "en":
            left = english_leftovers(page_texts(page), language, data_names)
            if left:
                found.append(f"English left: {left[:5]}")
        with REPORT.open("a") as report:
            report.write(f"{backend} nobody {path} {language} {width[0]}: "
                         f"{'; '.join(found) or 'ok'}\n")
        assert not found, f"{path}: " + "; ".join(found)
        assert failed == [], "failed requests"
    finally:
        context.close()
