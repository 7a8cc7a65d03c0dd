"""The date pickers' locales: date-fns locales built from Babel for every language but English,
chosen in the browser by ``<html lang>`` (the browser test opens a calendar in each)."""

from __future__ import annotations

import json

from dashboards.date_locales import date_fns_name, locale_data, script


def test_the_portuguese_locale_names_months_and_weekdays_as_babel_does():
    data = locale_data("pt_BR")
    assert data["code"] == "pt-BR"
    assert data["months"]["formatting"]["wide"][0] == "janeiro"
    assert data["months"]["formatting"]["abbreviated"][1] == "fev"  # no trailing dot
    assert data["days"]["formatting"]["short"][:2] == ["dom", "seg"]  # from Sunday, date-fns' 0
    assert data["date"]["short"] == "dd/MM/y"
    assert data["weekStartsOn"] == 0  # Brazil's weeks start on Sunday


def test_spanish_weeks_start_on_monday_and_the_script_holds_every_language_but_english():
    data = locale_data("es")
    assert data["months"]["formatting"]["wide"][8] == "septiembre"
    assert data["weekStartsOn"] == 1
    body = script()
    payload = json.loads(body.split("var data = ", 1)[1].split(";\n", 1)[0])
    assert list(payload) == [date_fns_name("pt_BR"), "es"] == ["ptBR", "es"]
    assert "document.documentElement.getAttribute('lang')" in body
    assert "Object.defineProperty(window.dateFns, 'locale'" in body


def test_pickers_start_the_week_as_the_language_does():
    from dashboards.i18n import date_picker_week_start

    assert date_picker_week_start("pt_BR") == 0  # Sunday
    assert date_picker_week_start("es") == 1  # Monday
    assert date_picker_week_start("en") == 1  # CLDR's world English, as "16 Jan 2023"
