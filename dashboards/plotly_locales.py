"""Charts in the reader's language: plotly.js locales for the languages other than English,
built from Babel's month and day names and the catalogue (nothing copied from plotly's own
locale files, which the packages installed here do not ship), served as one script.

plotly.js registers the locales the script leaves in ``window.PlotlyLocales`` when it loads
(or the script registers them itself when plotly.js came first); each ``dcc.Graph`` then picks
the reader's with ``graph_config()``'s ``locale``: month names on date axes and in hover texts,
the decimal and thousands marks, and the tooltips of the chart's buttons.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import get_day_names, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask, Response

from delivery.i18n import LANGUAGES, N_, _, current_locale, use_locale
from delivery.i18n.formats import d3_date

PATH = "/plotly-locales.js"
# The chart buttons' tooltips and notices a person reads (plotly.js's own English texts).
DICTIONARY = (N_("Download plot as a png"), N_("Zoom"), N_("Pan"), N_("Zoom in"),
              N_("Zoom out"), N_("Autoscale"), N_("Reset axes"), N_("Box Select"),
              N_("Lasso Select"), N_("Toggle Spike Lines"), N_("Show closest data on hover"),
              N_("Compare data on hover"), N_("Double-click to zoom back out"),
              N_("Reset view"), N_("Produced with Plotly.js"))


def plotly_name(code: str) -> str:
    """plotly.js's name of a language: ``pt-BR``, ``es``."""
    return code.replace("_", "-")


def _names(kind: str, width: str, code: str, count: int) -> list[str]:
    getter = get_month_names if kind == "months" else get_day_names
    names = getter(width, "stand-alone", locale=code)
    keys = range(1, count + 1) if kind == "months" else [6, 0, 1, 2, 3, 4, 5]  # Sunday first
    return [str(names[k]).rstrip(".") for k in keys]


def locale_module(code: str) -> dict[str, Any]:
    """The plotly.js locale of ``code`` (moduleType ``locale``)."""
    with use_locale(code):
        dictionary = {english: _(english) for english in DICTIONARY}
        day = d3_date()
    currency = Locale.parse(code).currency_symbols.get("BRL", "R$")
    return {
        "moduleType": "locale", "name": plotly_name(code), "dictionary": dictionary,
        "format": {
            "days": _names("days", "wide", code, 7), "shortDays": _names("days", "abbreviated",
                                                                          code, 7),
            "months": _names("months", "wide", code, 12),
            "shortMonths": _names("months", "abbreviated", code, 12),
            "periods": ["AM", "PM"], "dateTime": "%a %e %b %Y %X", "date": day,
            "time": "%H:%M:%S", "decimal": get_decimal_symbol(code),
            "thousands": get_group_symbol(code), "grouping": [3], "currency": [currency, ""],
            "year": "%Y", "month": "%b %Y", "dayMonth": "%e %b", "dayMonthYear": "%e %b %Y",
        },
    }


@cache
def script() -> str:
    """Every non-English locale, left for plotly.js or registered with it."""
    modules = [locale_module(code) for code in LANGUAGES if code != "en"]
    return ("(function () {\n  var locales = " + json.dumps(modules, ensure_ascii=False)
            + ";\n  if (typeof Plotly === 'undefined') {\n"
            "    window.PlotlyLocales = (window.PlotlyLocales || []).concat(locales);\n"
            "  } else {\n    locales.forEach(function (l) { Plotly.register(l); });\n  }\n"
            "})();\n")


def serve_script(server: Flask, path: str, endpoint: str, script: Callable[[], str]) -> None:
    """Serve the JavaScript ``script()`` builds at ``path``, cached for an hour (the locale
    scripts: built from Babel's data once per process, the same for everyone)."""
    def serve() -> Response:
        response = Response(script(), mimetype="text/javascript")
        response.cache_control.max_age = 3600
        response.cache_control.public = True
        return response

    server.add_url_rule(path, endpoint, serve)


def register_plotly_locales(server: Flask) -> None:
    """Serve ``script()`` at ``PATH`` (the page lists it among its scripts)."""
    serve_script(server, PATH, "plotly_locales", script)


def graph_config(**extra: Any) -> dict[str, Any]:
    """A ``dcc.Graph``'s ``config`` in the reader's language (plus ``extra`` options)."""
    return {"locale": plotly_name(current_locale()), **extra}
