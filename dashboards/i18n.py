"""The web app's language: Flask-Babel's locale selector, the current locale set for each
request (so ``delivery.i18n._`` and ``formats`` speak it in layouts, callbacks and exports),
``<html lang>``, and the language menu of the navigation bar.

Who gets which language: a signed-in person their saved choice, else the site's
``DELIVERY_LANGUAGE``; someone not signed in (the sign-in page, the public scorecard) the best
match of the browser's Accept-Language, else the site's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash_bootstrap_components as dbc
from babel import Locale
from dash import Dash, dcc, html
from flask import current_app, g, request
from flask_babel import Babel, get_locale

from dashboards.context import EXTENSION, current_viewer
from delivery.i18n import (
    LANGUAGES,
    LOCALE_DIR,
    _,
    current_locale,
    negotiate,
    reset_locale,
    set_locale,
)
from delivery.i18n.formats import (
    enter_currency,
    enter_time_zone,
    leave_currency,
    leave_time_zone,
)
from delivery.settings import Settings

LANGUAGE_PATH = "/account/language"


def select_locale() -> str:
    """Flask-Babel's locale selector (see the module docstring)."""
    site = current_app.extensions[EXTENSION]["settings"].language
    viewer = current_viewer()
    if viewer.is_anonymous:
        return negotiate(request.accept_languages.values()) or site
    return viewer.language or site


def html_lang(locale: str | None = None) -> str:
    """The BCP 47 tag of ``locale`` (default: the current one) for ``<html lang>``."""
    return (locale or current_locale()).replace("_", "-")


def _enter() -> None:
    settings = current_app.extensions[EXTENSION]["settings"]
    g.i18n_tokens = (set_locale(str(get_locale())), enter_currency(settings.currency),
                     enter_time_zone(settings.time_zone))


def _leave(_error: BaseException | None) -> None:
    tokens = g.pop("i18n_tokens", None)
    if tokens is not None:
        reset_locale(tokens[0])
        leave_currency(tokens[1])
        leave_time_zone(tokens[2])


def init_i18n(app: Dash, settings: Settings) -> None:
    """Wire Flask-Babel, the current locale, currency and time zone into each request of
    ``app`` (nothing process-wide: apps with other settings may share the process); register
    before the auth guard so even its refusals are in the reader's language."""
    server = app.server
    server.config["BABEL_DEFAULT_LOCALE"] = settings.language
    Babel(server, locale_selector=select_locale,
          default_translation_directories=str(LOCALE_DIR))
    server.before_request(_enter)
    server.teardown_request(_leave)
    plain_index = app.interpolate_index

    def index_with_lang(**parts: Any) -> str:
        return plain_index(**parts).replace("<html>", f'<html lang="{html_lang()}">', 1)

    app.interpolate_index = index_with_lang  # type: ignore[method-assign,assignment]


def language_menu() -> dbc.DropdownMenu:
    """The navigation bar's language switch: each language a button posting the choice to
    ``LANGUAGE_PATH``, which saves it and reloads the page."""
    current = current_locale()
    def choice(code: str, name: str) -> html.Button:
        chosen: dict[str, Any] = {"aria-current": "true" if code == current else "false"}
        return html.Button(name, type="submit", name="language", value=code,
                           lang=html_lang(code), **chosen,
                           className="dropdown-item" + (" active" if code == current else ""))

    buttons = [choice(code, name) for code, name in LANGUAGES.items()]
    form = html.Form(buttons, action=LANGUAGE_PATH, method="POST", className="m-0")
    label = [html.Span(_("Language") + ": ", className="visually-hidden"),
             html.Span(current.split("_")[0].upper(), lang=html_lang(current))]
    return dbc.DropdownMenu(form, label=label, size="sm", color="dark", align_end=True,
                            toggle_class_name="btn-outline-light", id="language-menu")


def date_picker_week_start(locale: str | None = None) -> int:
    """The first day of a date picker's week as the locale's calendars have it (Dash's
    ``first_day_of_week``: 0 Sunday, as in Brazil; 1 Monday, as in Spanish)."""
    return (Locale.parse(locale or current_locale()).first_week_day + 1) % 7


def date_picker_format(locale: str | None = None) -> str:
    """The display format of a date picker, as the locale writes dates (``16/01/2023``)."""
    return "D MMM YYYY" if (locale or current_locale()) == "en" else "DD/MM/YYYY"


def date_picker(ident: str, **extra: Any) -> dcc.DatePickerSingle:
    """A date picker in the reader's language: their date format and first day of the week
    (``extra``: its date, bounds, placeholder...). It sends the server ISO dates whatever the
    browser's language, which ``<input type="date">`` would show its own way."""
    return dcc.DatePickerSingle(id=ident, display_format=date_picker_format(),
                                first_day_of_week=date_picker_week_start(),  # type: ignore[arg-type]
                                **extra)


def page_title(*parts: str) -> Callable[..., str]:
    """A page's browser-tab title in the reader's language (``Metas · Delivery Tracker``):
    Dash calls it for each request, with the page's path variables; ``parts`` are messages
    marked with ``N_``, from the most specific out."""
    def title(**_path: str) -> str:
        return " · ".join([*(_(part) for part in parts), "Delivery Tracker"])
    return title
