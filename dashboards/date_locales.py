"""Date pickers in the reader's language: date-fns locales for the languages other than English,
built from Babel's month and day names and date patterns (as ``plotly_locales`` builds the
charts'), served as one script at ``PATH``.

Dash 4's ``dcc.DatePickerSingle`` and ``dcc.DatePickerRange`` format with date-fns and take
their locale from the page: ``window.dateFns.locale``, an object of date-fns locales, of which
they pick the one matching the *browser's* languages (``navigator.languages``), else the first
(``getUserLocale`` in dash-core-components' ``utils/calendar/helpers.ts``; there is no
``locale`` prop). The reader's language here is the one saved with their account, which the
page states in ``<html lang>``; so the script makes ``window.dateFns.locale`` a getter that
holds only the locale of ``<html lang>`` (nothing for English: date-fns' own ``en-US``), and
every picker speaks the page's language whatever the browser prefers: month names in the
caption and the typed date, weekday initials over the days.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import (
    get_day_names,
    get_era_names,
    get_month_names,
    get_period_names,
    get_quarter_names,
)
from flask import Flask

from dashboards.plotly_locales import serve_script
from delivery.i18n import LANGUAGES

PATH = "/date-locales.js"
# date-fns' widths and Babel's: date-fns' ``short`` weekday (``EEEEEE``, the calendar's
# column heads) is CLDR's ``short``; the rest have the same names.
_WIDTHS = ("wide", "abbreviated", "narrow")
_DAY_WIDTHS = ("wide", "abbreviated", "short", "narrow")
_CONTEXTS = {"formatting": "format", "standalone": "stand-alone"}


def date_fns_name(code: str) -> str:
    """The key date-fns gives a language's locale: ``ptBR``, ``es``."""
    return code.replace("_", "")


def _clean(name: str) -> str:
    return str(name).rstrip(".")


def _months(code: str) -> dict[str, dict[str, list[str]]]:
    return {context: {width: [_clean(get_month_names(width, babel_context, locale=code)[m])
                              for m in range(1, 13)] for width in _WIDTHS}
            for context, babel_context in _CONTEXTS.items()}


def _days(code: str) -> dict[str, dict[str, list[str]]]:
    order = [6, 0, 1, 2, 3, 4, 5]  # date-fns counts from Sunday, Babel from Monday
    return {context: {width: [_clean(get_day_names(width, babel_context, locale=code)[d])
                              for d in order] for width in _DAY_WIDTHS}
            for context, babel_context in _CONTEXTS.items()}


def locale_data(code: str) -> dict[str, Any]:
    """What the script turns into the date-fns locale of ``code``: names by context and width,
    the date, time and date-time patterns (CLDR's, which date-fns reads the same way), and the
    first day of the week (0 = Sunday)."""
    locale = Locale.parse(code)
    eras = {w: [str(get_era_names(w, locale=code)[e]) for e in (0, 1)] for w in _WIDTHS}
    quarters = {w: [str(get_quarter_names(w, locale=code)[q]) for q in (1, 2, 3, 4)]
                for w in _WIDTHS}
    periods = {w: {p: str(get_period_names(w, locale=code).get(p, p)) for p in ("am", "pm")}
               for w in _WIDTHS}
    datetime_join = {w: str(p).replace("{1}", "{{date}}").replace("{0}", "{{time}}")
                     for w, p in locale.datetime_formats.items() if w in ("full", "long",
                                                                          "medium", "short")}
    return {
        "code": code.replace("_", "-"),
        "months": _months(code), "days": _days(code), "eras": eras, "quarters": quarters,
        "periods": periods,
        "date": {w: str(p.pattern) for w, p in locale.date_formats.items()},
        "time": {w: str(p.pattern) for w, p in locale.time_formats.items()},
        "dateTime": datetime_join,
        "weekStartsOn": (locale.first_week_day + 1) % 7,
        "firstWeekContainsDate": locale.min_week_days,
    }


# The script: turns each language's data into a date-fns Locale (localize to write names,
# match to read them back from a typed date, formatLong for the P patterns) and exposes the
# page's one through the getter described in the module docstring.
_SCRIPT = """(function () {
  var data = %(data)s;
  function pick(table, options) {
    var byContext = table[(options && options.context) === 'standalone' ? 'standalone'
                          : 'formatting'] || table.formatting || table;
    return byContext[(options && options.width) || 'wide'] || byContext.wide;
  }
  function finder(lists) {
    return function (text, options) {
      var widths = options && options.width ? [options.width, 'wide', 'abbreviated', 'narrow']
                                            : ['wide', 'abbreviated', 'narrow'];
      var lower = text.toLowerCase();
      for (var w = 0; w < widths.length; w++) {
        var names = lists(widths[w]);
        if (!names) { continue; }
        var best = -1, length = 0;
        for (var i = 0; i < names.length; i++) {
          var n = String(names[i]).toLowerCase();
          if (n && lower.indexOf(n) === 0 && n.length > length) { best = i; length = n.length; }
        }
        if (best >= 0) {
          var value = options && options.valueCallback ? options.valueCallback(best) : best;
          return {value: value, rest: text.slice(length)};
        }
      }
      return null;
    };
  }
  function build(d) {
    var formatLong = {
      date: function (o) { return d.date[(o && o.width) || 'full']; },
      time: function (o) { return d.time[(o && o.width) || 'full']; },
      dateTime: function (o) { return d.dateTime[(o && o.width) || 'full']; }
    };
    function namesOf(table, context) {
      return function (width) { return (table[context] || {})[width]; };
    }
    return {
      code: d.code,
      formatLong: formatLong,
      formatDistance: function (token, count) { return String(count); },
      formatRelative: function () { return "P"; },
      localize: {
        ordinalNumber: function (n) { return String(n); },
        era: function (n, o) { return pick({formatting: d.eras}, o)[n]; },
        quarter: function (n, o) { return pick({formatting: d.quarters}, o)[n - 1]; },
        month: function (n, o) { return pick(d.months, o)[n]; },
        day: function (n, o) { return pick(d.days, o)[n]; },
        dayPeriod: function (p, o) {
          return pick({formatting: d.periods}, o)[p === 'pm' || p === 'afternoon'
                                                   || p === 'evening' || p === 'night'
                                                   ? 'pm' : 'am'];
        }
      },
      match: {
        ordinalNumber: function (text, o) {
          var m = /^(\\d+)/.exec(text);
          if (!m) { return null; }
          var v = parseInt(m[1], 10);
          return {value: o && o.valueCallback ? o.valueCallback(v) : v,
                  rest: text.slice(m[0].length)};
        },
        era: finder(function (w) { return d.eras[w]; }),
        quarter: function (text, o) {
          var found = finder(function (w) { return d.quarters[w]; })(text, o);
          return found ? {value: found.value + 1, rest: found.rest} : null;
        },
        month: function (text, o) {
          return finder(namesOf(d.months, 'formatting'))(text, o)
            || finder(namesOf(d.months, 'standalone'))(text, o);
        },
        day: finder(namesOf(d.days, 'formatting')),
        dayPeriod: finder(function (w) { return [d.periods[w].am, d.periods[w].pm]; })
      },
      options: {weekStartsOn: d.weekStartsOn, firstWeekContainsDate: d.firstWeekContainsDate}
    };
  }
  var locales = {};
  Object.keys(data).forEach(function (key) { locales[key] = build(data[key]); });
  window.dateFns = window.dateFns || {};
  Object.defineProperty(window.dateFns, 'locale', {
    configurable: true,
    get: function () {
      var lang = (document.documentElement.getAttribute('lang') || 'en').replace('-', '');
      var key = locales[lang] ? lang : lang.split(/[-_]/)[0];
      var chosen = {};
      if (locales[key]) { chosen[key] = locales[key]; }
      return chosen;
    }
  });
})();
"""


@cache
def script() -> str:
    """Every non-English language's date-fns locale, chosen by the page's ``<html lang>``."""
    data = {date_fns_name(code): locale_data(code) for code in LANGUAGES if code != "en"}
    return _SCRIPT % {"data": json.dumps(data, ensure_ascii=False)}


def register_date_locales(server: Flask) -> None:
    """Serve ``script()`` at ``PATH`` (the page lists it among its scripts)."""
    serve_script(server, PATH, "date_locales", script)
