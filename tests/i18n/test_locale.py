"""One current locale for domain code, the CLI and the web app."""

from __future__ import annotations

import threading

import pytest

from delivery.i18n import (
    _,
    _l,
    _n,
    current_locale,
    negotiate,
    normalize,
    set_site_default,
    use_locale,
)
from delivery.vocabulary import Status


@pytest.mark.parametrize(("code", "expected"), [
    ("pt_BR", "pt_BR"), ("pt-BR", "pt_BR"), ("pt-br", "pt_BR"), ("pt", "pt_BR"),
    ("pt_PT", "pt_BR"), ("es", "es"), ("es-CL", "es"), ("en-GB", "en"), ("EN", "en"),
    ("fr", None), ("", None), (None, None), ("../../etc", None),
], ids=lambda v: repr(v))
def test_a_language_code_is_read_as_the_language_offered(code, expected):
    assert normalize(code) == expected


def test_the_browsers_first_offered_language_wins():
    assert negotiate(["fr-FR", "es-CL", "pt-BR"]) == "es"
    assert negotiate(["de", "fr"]) is None


def test_use_locale_nests_and_restores():
    assert current_locale() == "en"
    with use_locale("pt_BR"):
        with use_locale("es"):
            assert _("Goals") == "Metas" and current_locale() == "es"
        assert current_locale() == "pt_BR"
    assert current_locale() == "en"


def test_the_site_default_applies_where_nothing_was_chosen():
    set_site_default("es")
    try:
        assert current_locale() == "es" and Status.OFF_TRACK.label == "Atrasada"
        with use_locale("pt_BR"):
            assert Status.ON_TRACK.label == "No rumo"
    finally:
        set_site_default(None)
    assert current_locale() == "en"


def test_a_lazy_text_is_translated_when_shown():
    text = _l("Goals")
    with use_locale("pt_BR"):
        assert str(text) == "Metas"
    assert str(text) == "Goals"


@pytest.mark.parametrize(("n", "expected"), [(1, "1 segundo"), (2, "2 segundos"),
                                             (0, "0 segundo")], ids=["one", "two", "zero"])
def test_plurals_follow_the_languages_rule(n, expected):
    # Portuguese counts zero as singular ("0 segundo"), as CLDR says.
    with use_locale("pt_BR"):
        text = _n("Too many failed attempts: wait {seconds} second before trying again.",
                  "Too many failed attempts: wait {seconds} seconds before trying again.", n)
        assert expected in text.format(seconds=n)


def test_each_thread_has_its_own_locale():
    seen: dict[str, str] = {}

    def work(code: str) -> None:
        with use_locale(code):
            seen[code] = _("Sign out")

    with use_locale("pt_BR"):
        thread = threading.Thread(target=work, args=("es",))
        thread.start()
        thread.join()
        assert _("Sign out") == "Sair"
    assert seen == {"es": "Cerrar sesión"}
