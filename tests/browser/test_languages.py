"""The language switch as a person uses it: the sign-in page in the browser's language, the
menu in the navigation bar, the page reloaded in the chosen language, at desktop and phone
widths. Screenshots go to tests/screenshots/ for people to look at."""

from __future__ import annotations

from sqlalchemy import select

from delivery.models import User
from tests.browser.conftest import open_account_menu, screenshot, settle

PERSON = "see"  # a demo user no other browser test signs in as; put back as found


def test_the_sign_in_page_speaks_the_browsers_language(browser, live_app, backend):
    for width, height in ((1440, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="pt-BR")
        page = context.new_page()
        page.goto(live_app.url + "/signin")
        settle(page)
        assert page.get_attribute("html", "lang") == "pt-BR"
        assert page.inner_text("h1") == "Entrar"
        assert page.inner_text("label[for=signin-username]") == "Usuário"
        screenshot(page, f"signin-pt_BR-{width}", backend)
        context.close()


def test_the_navbar_switch_reloads_the_page_in_the_chosen_language(signed_in_page, live_app,
                                                                    backend):
    page = signed_in_page(username=PERSON, next="/pacts")
    try:
        assert page.get_attribute("html", "lang") == "en"
        page.click("#language-menu button.dropdown-toggle")
        with page.expect_navigation():
            page.click("#language-menu button[value=pt_BR]")
        settle(page)
        assert page.url.endswith("/pacts")
        assert page.get_attribute("html", "lang") == "pt-BR"
        menu = open_account_menu(page)
        assert "Sair" in menu and "Metas" in menu and "Sign out" not in menu
        screenshot(page, "navbar-pt_BR-1440", backend)
        page.set_viewport_size({"width": 390, "height": 844})
        settle(page)
        screenshot(page, "navbar-pt_BR-390", backend)
        page.set_viewport_size({"width": 1440, "height": 900})
        page.click("#language-menu button.dropdown-toggle")
        with page.expect_navigation():
            page.click("#language-menu button[value=es]")
        settle(page)
        assert "Cerrar sesión" in open_account_menu(page)
        page.problems.assert_none()  # type: ignore[attr-defined]
    finally:
        with live_app.session_factory() as session, session.begin():  # type: ignore[operator]
            session.scalars(select(User).where(User.username == PERSON)).one().language = None
