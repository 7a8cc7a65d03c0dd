"""The editable grids' locale data: Babel's marks, ``formats``' date patterns and translated
messages for each language, served in one script (the browser test types into the grids)."""

from __future__ import annotations

import json

from dashboards.components.grid_cells import date_column, grid_options, number_column
from dashboards.grid_locales import grid_locale, script
from delivery.i18n.formats import day_pattern


def test_each_language_gets_its_marks_date_pattern_and_messages():
    pt, es, en = grid_locale("pt_BR"), grid_locale("es"), grid_locale("en")
    assert (pt["decimal"], pt["group"], pt["date"]) == (",", ".", "dd/MM/y")
    assert (es["decimal"], es["group"], es["date"]) == (",", ".", "dd/MM/y")
    assert (en["decimal"], en["group"], en["date"]) == (".", ",", "d MMM y")
    assert en["months"]["abbreviated"][0] == "Jan" and pt["months"]["wide"][2] == "março"
    assert pt["messages"]["number"] == "{text} não é um número: digite como 1.234,5"
    assert es["messages"]["date"] == "{text} no es una fecha: escríbala como 31/01/2023"
    assert en["messages"]["where"] == "Row {row}, {column}: {problem}"


def test_the_script_holds_every_language_by_its_html_lang_tag():
    body = script()
    assert body.startswith("window.deliveryGridLocales = ")
    data = json.loads(body.split(" = ", 1)[1].rstrip(";\n"))
    assert sorted(data) == ["en", "es", "pt-BR"]


def test_a_day_pattern_falls_back_to_babels_medium_date():
    assert day_pattern("pt_BR") == "dd/MM/y"
    assert day_pattern("fr") == "d MMM y"


def test_the_columns_name_the_browser_functions_and_the_grid_names_its_message_area():
    value, on = number_column("value", "Valor", flex=1), date_column("on", "Data")
    assert value["valueParser"] == {"function": "readLocalNumber(params)"}
    assert value["cellEditor"] == "agTextCellEditor" and value["flex"] == 1
    assert on["valueFormatter"] == {"function": "localDate(params.value)"}
    assert on["cellDataType"] is False  # not AG Grid's date type: the browser's own format
    assert grid_options("wst-grid-problem")["context"] == {"problem": "wst-grid-problem"}
