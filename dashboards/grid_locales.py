"""Editable grids in the reader's language: what ``assets/grid_formats.js`` needs to show and
read numbers and dates in AG Grid cells as each language writes them, built from Babel's
symbols, ``formats``' date patterns and the catalogue, served as one script at ``PATH`` (as
``plotly_locales`` serves the charts').

The grids' data stays what the domain reads (numbers, ISO dates): the cells' ``valueFormatter``
writes ``1.234,5`` and ``31/01/2023`` in pt_BR, and their ``valueParser`` reads back what a person
there types (a comma decimal, day first; ISO dates in any language), refusing anything else
with a message under the grid. The script leaves every language in
``window.deliveryGridLocales``; the functions pick the page's by ``<html lang>``, as the date
pickers do (``date_locales``).
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from babel.dates import get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from flask import Flask

from dashboards.plotly_locales import serve_script
from delivery.i18n import LANGUAGES, _, use_locale
from delivery.i18n.formats import day, day_pattern, number

PATH = "/grid-locales.js"
EXAMPLE_DAY, EXAMPLE_NUMBER = date(2023, 1, 31), 1234.5


def grid_locale(code: str) -> dict[str, Any]:
    """What the grid functions need for ``code``: the decimal, thousands and minus signs, the
    date pattern (Babel's: ``dd/MM/y``, ``d MMM y``), month names to write and read, and the
    messages of a refused cell."""
    months = {width: [str(get_month_names(width, "format", locale=code)[m]).rstrip(".")
                      for m in range(1, 13)] for width in ("abbreviated", "wide")}
    with use_locale(code):
        messages = {
            "number": _("{text} is not a number: type it as {example}").format(
                text="{text}", example=number(EXAMPLE_NUMBER, up_to=2)),
            "date": _("{text} is not a date: type it as {example}").format(
                text="{text}", example=day(EXAMPLE_DAY)),
            "where": _("Row {row}, {column}: {problem}"),
        }
    return {"decimal": get_decimal_symbol(code), "group": get_group_symbol(code),
            "minus": get_minus_sign_symbol(code), "date": day_pattern(code), "months": months,
            "messages": messages}


@cache
def script() -> str:
    """Every language's grid locale, keyed by its ``<html lang>`` tag (``pt-BR``)."""
    data = {code.replace("_", "-"): grid_locale(code) for code in LANGUAGES}
    return ("window.deliveryGridLocales = " + json.dumps(data, ensure_ascii=False) + ";\n")


def register_grid_locales(server: Flask) -> None:
    """Serve ``script()`` at ``PATH`` (the page lists it among its scripts)."""
    serve_script(server, PATH, "grid_locales", script)
