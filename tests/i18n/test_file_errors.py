"""Errors in the files people write (import mappings, source files, settings) and in the pulls
of sources are built with ``_()`` when raised: the reader's language, still naming the file,
the key or row, and the reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from delivery.i18n import use_locale
from delivery.importing.mapping import MappingError, load_mapping
from delivery.importing.pipeline import _check_columns
from delivery.ingestion.errors import Retrier, SourceError, TransientError
from delivery.ingestion.http import _too_slow
from delivery.ingestion.schedule import ScheduleError, parse_duration, parse_schedule
from delivery.ingestion.sources import SourceFileError, load_sources
from delivery.ingestion.sql import _url
from delivery.settings import load_settings

FIGURES = 'goal: {code: "{goal}", create_missing: true}\nperiod: {column: period}\n'


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path, language: str) -> str:
    with use_locale(language), pytest.raises(MappingError) as refused:
        load_mapping(path)
    return str(refused.value)


def test_a_mapping_key_is_refused_in_portuguese_naming_file_key_and_value(tmp_path):
    path = _mapping(tmp_path, FIGURES + "value: Valor\nread: {skip_rows: two}\n")
    assert _refusal(path, "pt_BR") == (
        f"{path}: read.skip_rows: deveria ser um número inteiro >= 0, não 'two'")
    assert _refusal(path, "es") == (
        f"{path}: read.skip_rows: debería ser un número entero >= 0, no 'two'")
    assert _refusal(path, "en") == (
        f"{path}: read.skip_rows: should be a whole number >= 0, not 'two'")


@pytest.mark.parametrize(("text", "portuguese"), [
    ("goal: [1, 2]\n", "goal: deveria ser um mapeamento de chaves para valores, não [1, 2]"),
    (FIGURES + "value: Valor\ncolour: red\n", "colour: chave desconhecida (esperava-se uma de "),
    ("goal: {code: [\n", "não é YAML válido: "),
    ("kind: salaries\n", "kind: deveria ser um de figures, budget_accounts, account_links, "
                         "não 'salaries'"),
    (FIGURES + 'value: "{Valor}"\n',
     "value: nomeia uma coluna, não um modelo: escreva Valor, não {Valor}"),
    ("kind: budget_accounts\naccount: {code: x}\n", "account.fiscal_year: é obrigatório"),
])
def test_mapping_reasons_in_portuguese(tmp_path, text, portuguese):
    assert portuguese in _refusal(_mapping(tmp_path, text), "pt_BR")


def test_a_column_missing_from_the_file_is_named_in_spanish(tmp_path):
    mapping = load_mapping(_mapping(tmp_path, FIGURES + "value: Amount\n"))
    table = pd.DataFrame({"goal": ["A"], "period": ["2024-01"], "Valor": ["10"]})
    with use_locale("es"), pytest.raises(MappingError) as refused:
        _check_columns(table, mapping, "datos.csv")
    assert refused.value.key == "value"
    assert refused.value.reason == (
        "la columna 'Amount' no está en datos.csv (sus columnas: goal, period, Valor)")


def test_settings_refuse_in_the_language_in_force_naming_the_variable():
    with use_locale("pt_BR"), pytest.raises(ValueError) as refused:
        load_settings(environ={"DELIVERY_PORT": "oito mil"})
    assert str(refused.value) == (
        "DELIVERY_PORT='oito mil': esperava-se um número inteiro, veio 'oito mil'")
    with use_locale("es"), pytest.raises(ValueError) as refused:
        load_settings(environ={"DELIVERY_FISCAL_YEAR_END_MONTH": "13"})
    assert "se esperaba un número de mes de 1 a 12, llegó '13'" in str(refused.value)
    with use_locale("pt_BR"), pytest.raises(ValueError, match="esperava-se um número, veio"):
        load_settings(environ={"DELIVERY_SCHEDULER_LEASE_SECONDS": "nan"})


def test_schedules_and_durations_in_portuguese_and_hostile_values_refused():
    with use_locale("pt_BR"):
        with pytest.raises(ScheduleError, match="^'soon' não é uma duração como 90, 45s"):
            parse_duration("soon")
        with pytest.raises(ScheduleError, match="^informe cron ou every$"):
            parse_schedule({"cron": "* * * * *", "every": "1h"})
        with pytest.raises(ScheduleError, match="fuso horário desconhecido 'Mars/Olympus'"):
            parse_schedule({"every": "1h", "timezone": "Mars/Olympus"})
        for hostile in (float("inf"), float("nan"), "99999999999d"):
            with pytest.raises(ScheduleError, match="duração"):
                parse_duration(hostile)


def test_a_source_file_is_refused_in_spanish_naming_the_source_and_key(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n- {name: dados, kind: socrata, retries: 99}\n", encoding="utf-8")
    with use_locale("es"), pytest.raises(SourceFileError) as refused:
        load_sources(path)
    assert str(refused.value) == f"{path}: dados.mapping: es obligatorio"
    path.write_text("nothing: here\n", encoding="utf-8")
    with use_locale("pt_BR"), pytest.raises(SourceFileError) as refused:
        load_sources(path)
    assert str(refused.value) == f"{path}: deveria conter `sources:`, uma lista de fontes"


def test_pull_failures_speak_the_language_in_force():
    with use_locale("pt_BR"):
        assert str(_too_slow("dados.gov.br", 2.5)) == "dados.gov.br não respondeu em 2,5s"
        with pytest.raises(SourceError) as refused:
            _url({"url_env": "NO_SUCH_URL"}, {})
        assert "variável de ambiente NO_SUCH_URL" in str(refused.value)

        def flaky() -> None:
            raise TransientError("x")

        with pytest.raises(SourceError) as refused:
            Retrier(retries=1, backoff=0, sleep=lambda _s: None).call("consulta", flaky)
        assert str(refused.value) == "consulta: desistiu após 2 tentativas: x"
