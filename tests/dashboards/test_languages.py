"""The language each person gets: their saved choice, else the site's DELIVERY_LANGUAGE; not
signed in, the browser's Accept-Language. The navigation bar's switch saves the choice (in the
audit trail) and goes back to the page; ``<html lang>`` says the language of every page."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from dashboards.app import create_app
from delivery.i18n import current_locale, formats
from delivery.models import AuditEntry, User
from tests.dashboards.conftest import ORIGIN, Site
from tests.dashboards.test_auth_routes import route

LAYOUT = "/_dash-layout"


def html_lang(response) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True))
    assert found, "the page has no <html lang>"
    return found.group(1)


def text(response) -> str:  # type: ignore[no-untyped-def]
    """What a Dash JSON answer says, with its non-ASCII letters as they are."""
    return json.dumps(response.get_json(), ensure_ascii=False)


def saved_language(site: Site, persona: str) -> str | None:
    with site.factory() as session:
        return session.get(User, site.gov.users[persona]).language


@pytest.fixture
def chooser(site: Site):  # type: ignore[no-untyped-def]
    """The governor, whose saved language is put back after the test."""
    yield "governor"
    with site.factory() as session, session.begin():
        session.get(User, site.gov.users["governor"]).language = None


@pytest.mark.parametrize(("accept", "lang", "words"), [
    ("pt-BR,pt;q=0.9,en;q=0.5", "pt-BR", ["Entrar", "Usuário", "Senha", "Veja o painel público"]),
    ("es-CL,es;q=0.9", "es", ["Iniciar sesión", "Usuario", "Contraseña"]),
    ("fr-FR,de;q=0.8", "en", ["Sign in", "Username", "Password"]),
    ("", "en", ["Sign in", "Username"]),
], ids=["portuguese", "spanish", "unoffered-gives-the-site-default", "none"])
def test_the_sign_in_page_follows_the_browsers_language(site, accept, lang, words):
    client = site.client()
    headers = {"Accept-Language": accept} if accept else {}
    assert html_lang(client.get("/signin", headers=headers)) == lang
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
    page = text(route(client, "/signin"))
    assert all(word in page for word in words), page[:500]


def test_a_signed_in_person_without_a_choice_gets_the_site_language(site):
    client = site.client("analyst")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pt-BR"  # the browser's is not used
    assert html_lang(client.get("/")) == "en"
    assert "Sign out" in text(client.get(LAYOUT))


def test_the_switch_saves_the_choice_audited_and_goes_back_to_the_page(site, chooser):
    client = site.client(chooser)
    response = client.post("/account/language", data={"language": "pt_BR"},
                           headers={"Referer": f"{ORIGIN}/review?as_of=2024-06-30"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/review?as_of=2024-06-30"
    assert saved_language(site, chooser) == "pt_BR"
    with site.factory() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "User",
            AuditEntry.object_id == str(site.gov.users[chooser])
        ).order_by(AuditEntry.id.desc())).first()
    assert entry.after == {"language": "pt_BR"} and entry.before == {"language": None}
    assert html_lang(client.get("/review")) == "pt-BR"
    frame = text(client.get(LAYOUT))
    assert "Sair" in frame and "Revisão semanal" in frame and "Sign out" not in frame


def test_a_status_sentence_comes_in_the_persons_language(site, chooser):
    client = site.client(chooser)
    client.post("/account/language", data={"language": "es"})
    page = text(route(client, "/goal/SDS-HOM"))
    assert "El dato " in page or "No se ha informado" in page, page[:1000]
    assert "The figure for" not in page


@pytest.mark.parametrize("data", [
    {"language": "fr"}, {"language": ""}, {}, {"language": "pt_BR" * 1000},
    {"language": "../../etc/passwd"},
], ids=["unoffered", "empty", "missing", "huge", "path"])
def test_a_language_not_offered_is_refused_and_nothing_changes(site, chooser, data):
    client = site.client(chooser)
    response = client.post("/account/language", data=data)
    assert response.status_code == 400
    assert saved_language(site, chooser) is None


def test_the_switch_does_nothing_for_someone_not_signed_in_or_from_another_site(site, chooser):
    assert site.client().post("/account/language",
                              data={"language": "es"}).status_code == 302
    forged = site.client(chooser, origin="https://evil.example")
    assert forged.post("/account/language", data={"language": "es"}).status_code == 403
    assert saved_language(site, chooser) is None


def test_a_referer_from_another_site_sends_the_person_home(site, chooser):
    client = site.client(chooser)
    response = client.post("/account/language", data={"language": "es"},
                           headers={"Referer": f"{ORIGIN}//evil.example/x"})
    assert response.headers["Location"] == "/"


def test_the_site_language_setting_is_the_default_for_everyone(site):
    settings = type(site.settings)({**site.settings.values, "language": "es"})
    other = Site(create_app(settings), site.factory, site.gov, settings)
    client = other.client("analyst")
    assert html_lang(client.get("/")) == "es"
    assert "Cerrar sesión" in text(client.get(LAYOUT))
    assert html_lang(other.client().get("/signin")) == "es"  # no Accept-Language sent


def test_language_and_currency_hold_for_the_request_not_the_process(site):
    settings = type(site.settings)({**site.settings.values, "language": "es",
                                    "currency": "CLP"})
    app = create_app(settings)
    with app.server.test_request_context("/signin"):
        app.server.preprocess_request()
        assert current_locale() == "es" and formats.currency() == "CLP"
        assert formats.amount(1500) == "1.500\xa0CLP"
    assert current_locale() == "en" and formats.currency() == "BRL"


def test_the_browser_tab_and_a_missing_page_speak_the_persons_language(site, chooser):
    """The tab's title (Dash's page store) and the page for an address that is no page were
    English whatever the language ("Weekly review · Delivery Tracker", "404 - Page not
    found")."""
    client = site.client(chooser)
    client.post("/account/language", data={"language": "pt_BR"})
    assert '"title": "Revisão semanal · Delivery Tracker"' in text(route(client, "/review"))
    assert 'og:title" content="Revisão semanal · Delivery Tracker"' in client.get(
        "/review").get_data(as_text=True)
    missing = text(route(client, "/no-such-page"))
    assert "Página não encontrada" in missing and "Page not found" not in missing
    client.post("/account/language", data={"language": "es"})
    assert '"title": "Página no encontrada · Delivery Tracker"' in text(
        route(client, "/no-such-page"))
