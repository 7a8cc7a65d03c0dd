"""Charts in the reader's language: the plotly.js locales served to the browser and each
graph's config naming the reader's."""

from __future__ import annotations

import json

from dashboards.plotly_locales import graph_config, locale_module, script
from delivery.i18n import use_locale


def test_the_portuguese_locale_has_its_month_names_marks_and_button_texts():
    module = locale_module("pt_BR")
    assert module["name"] == "pt-BR" and module["moduleType"] == "locale"
    assert module["format"]["shortMonths"][:3] == ["jan", "fev", "mar"]
    assert module["format"]["months"][11] == "dezembro"
    assert module["format"]["shortDays"][0] == "dom"  # plotly's weeks start on Sunday
    assert (module["format"]["decimal"], module["format"]["thousands"]) == (",", ".")
    assert module["dictionary"]["Download plot as a png"] != "Download plot as a png"


def test_spanish_months_and_the_script_holds_every_language_but_english():
    assert locale_module("es")["format"]["shortMonths"][0] == "ene"
    body = script()
    modules = json.loads(body.split("var locales = ", 1)[1].split(";\n", 1)[0])
    assert [m["name"] for m in modules] == ["pt-BR", "es"]
    assert "Plotly.register" in body and "window.PlotlyLocales" in body


def test_a_graph_config_names_the_readers_locale():
    with use_locale("pt_BR"):
        assert graph_config(displaylogo=False) == {"locale": "pt-BR", "displaylogo": False}
    with use_locale("en"):
        assert graph_config()["locale"] == "en"
