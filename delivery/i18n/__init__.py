"""The languages Delivery Tracker speaks and the one current locale every layer reads.

Domain code, the CLI and the web app share one mechanism: a context variable holding the
locale code (``pt_BR``, ``es``, ``en``). The web app sets it for each request from the
person's saved language (see ``dashboards/i18n.py``), the CLI from ``DELIVERY_LANGUAGE``, tests
with ``use_locale``. ``_``, ``_n`` and ``_l`` translate through the gettext catalogues in
``delivery/i18n/locale/``, read from their ``.po`` files once per process: a clean clone needs
no build step. Messages are written in English (the msgid); English needs no translations.

Placeholders are ``str.format`` names: ``_("The figure for {period}").format(period=...)``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
# The languages offered, with their names in their own language (for the language switch).
LANGUAGES: dict[str, str] = {"pt_BR": "Português (Brasil)", "es": "Español", "en": "English"}
DEFAULT_LANGUAGE = "en"

_current: ContextVar[str | None] = ContextVar("delivery_locale", default=None)
_site_default: list[str] = [DEFAULT_LANGUAGE]  # one process-wide value, set at start-up


def normalize(code: str | None) -> str | None:
    """The supported language ``code`` stands for (``pt-br``, ``pt``, ``es-CL`` -> ``pt_BR``,
    ``es``), or None when it is none of them."""
    if not code:
        return None
    code = code.strip().replace("-", "_")
    lowered = {c.lower(): c for c in LANGUAGES}
    if code.lower() in lowered:
        return lowered[code.lower()]
    base = code.split("_")[0].lower()
    return next((c for c in LANGUAGES if c.split("_")[0].lower() == base), None)


def negotiate(preferred: Iterable[str]) -> str | None:
    """The first supported language among ``preferred`` (e.g. Accept-Language, best first)."""
    return next((found for code in preferred if (found := normalize(code))), None)


def set_site_default(code: str | None) -> None:
    """The language used where no person's or request's choice applies (``DELIVERY_LANGUAGE``)."""
    _site_default[0] = normalize(code) or DEFAULT_LANGUAGE


def current_locale() -> str:
    """The locale code in force: the one set for this request or command, else the site's."""
    return _current.get() or _site_default[0]


def set_locale(code: str | None) -> Token[str | None]:
    """Set the current locale (unsupported codes fall back to the site default); returns the
    token ``reset_locale`` takes."""
    return _current.set(normalize(code))


def reset_locale(token: Token[str | None]) -> None:
    _current.reset(token)


@contextmanager
def use_locale(code: str | None) -> Iterator[str]:
    """Run a block in ``code``'s locale (a document rendered for a reader, a test)."""
    token = set_locale(code)
    try:
        yield current_locale()
    finally:
        reset_locale(token)


@cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of ``locale``, compiled in memory from its ``.po`` file once per process;
    fuzzy and empty entries fall back to the English msgid."""
    path = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(message: str) -> str:
    """``message`` in the current locale."""
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current locale (``{n}`` is not filled)."""
    return translations(current_locale()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current locale, told apart from the same English words elsewhere."""
    return str(translations(current_locale()).pgettext(context, message))


def lazy_gettext(message: str) -> LazyProxy:
    """A text translated each time it is turned into a string, for module-level constants;
    pass ``str(...)`` of it to Dash components (they need plain strings)."""
    return LazyProxy(gettext, message, enable_cache=False)


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogue where it must stay English until shown (a page's
    name registered once, translated with ``_(name)`` when the navigation bar is drawn)."""
    return message


_, _n, _l, N_ = gettext, ngettext, lazy_gettext, gettext_noop
