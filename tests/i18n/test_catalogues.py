"""The catalogues are complete and current: every text has a translation whose placeholders
match, and messages.pot is what a fresh extraction gives (so no text goes untranslated
silently: add a text, run `make messages`, translate it)."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from delivery.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, _, translations, use_locale
from delivery.i18n.catalogues import TEMPLATE, extract

# Languages whose every message needs a translation; English messages are their own msgid.
TRANSLATED = [code for code in LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%[sdifr%]")


def read(path) -> Catalog:  # type: ignore[no-untyped-def]
    with path.open("rb") as po:
        return read_po(po)


def catalogue(language: str) -> Catalog:
    return read(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def forms(message) -> list[str]:  # type: ignore[no-untyped-def]
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def msgids(message) -> list[str]:  # type: ignore[no-untyped-def]
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def entries(catalog: Catalog) -> dict:
    return {(m.context, m.id): m for m in catalog if m.id}


def test_the_template_matches_a_fresh_extraction():
    fresh, kept = entries(extract()), entries(read(TEMPLATE))
    missing = sorted(str(k[1]) for k in fresh.keys() - kept.keys())
    stale = sorted(str(k[1]) for k in kept.keys() - fresh.keys())
    assert not missing and not stale, (
        f"messages.pot is out of date; run `make messages` and translate. "
        f"New texts: {missing}; gone: {stale}")


@pytest.mark.parametrize("language", LANGUAGES, ids=list(LANGUAGES))
def test_each_catalogue_holds_exactly_the_templates_messages(language):
    assert entries(catalogue(language)).keys() == entries(read(TEMPLATE)).keys(), (
        "run `make messages` to bring the catalogue up to messages.pot")


@pytest.mark.parametrize("language", TRANSLATED, ids=TRANSLATED)
def test_every_message_has_a_translation_that_is_not_fuzzy(language):
    untranslated = [str(m.id) for m in catalogue(language)
                    if m.id and (m.fuzzy or not all(s.strip() for s in forms(m)))]
    assert not untranslated, f"{language} lacks (or has fuzzy) translations of {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES, ids=list(LANGUAGES))
def test_translations_keep_the_placeholders_of_their_message(language):
    wrong = []
    for m in catalogue(language):
        expected = placeholders(msgids(m)[-1])  # the plural's placeholders (the singular's
        for text in forms(m):                   # may leave out the count)
            if text and placeholders(text) != expected and placeholders(text) != placeholders(
                    msgids(m)[0]):
                wrong.append((str(m.id), text))
    assert not wrong, f"{language}: placeholders differ from the message's in {wrong}"


@pytest.mark.parametrize("language", TRANSLATED, ids=TRANSLATED)
def test_the_header_gives_the_plural_rule_gettext_needs(language):
    assert "Plural-Forms" in dict(catalogue(language).mime_headers)
    catalog = translations(language)
    assert catalog.plural(1) != catalog.plural(5)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pt_BR", "Metas"), ("es", "Metas"), ("en", "Goals"), ("fr", "Goals")],
    ids=["pt_BR", "es", "en", "unsupported-falls-back-to-english"],
)
def test_a_message_is_read_in_the_current_language(language, expected):
    with use_locale(language):
        assert _("Goals") == expected


def test_the_placeholder_check_sees_both_styles():
    assert placeholders("%(name)s has {count} goals") == ["%(name)s", "{count}"]
    assert placeholders("{count} metas de %(name)s") == ["%(name)s", "{count}"]
    assert placeholders("{name} has goals") != placeholders("{nome} tem metas")
