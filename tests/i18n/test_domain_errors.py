"""The domain's refusals reach the screen in the reader's language: the messages are built with
``_()`` when raised, so a person reading Portuguese gets Portuguese through ``{error}``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from delivery.access import AccessDenied, require
from delivery.comments import clean_body
from delivery.edits import NOT_YOURS
from delivery.figure_entry import FigureRowsInvalid, read_rows
from delivery.i18n import formats, use_locale
from delivery.importing.attributes import convert
from delivery.importing.periods import parse_periods
from delivery.importing.reader import ReadOptions
from delivery.plausibility import FigureRefused


def test_typed_rows_are_refused_naming_row_and_field_in_portuguese():
    rows = [{"period_start": "2023-01-01", "period_end": "", "value": "10"},
            {"period_start": "2023-02-01", "period_end": "2023-02-28", "value": "muito"},
            {"period_start": "2023-03-31", "period_end": "2023-03-01", "value": "1"}]
    with use_locale("pt_BR"), pytest.raises(FigureRowsInvalid) as refused:
        read_rows(rows)
    assert refused.value.errors == [
        "linha 1: fim do período: não informado",
        "linha 2: valor: 'muito' não é um número",
        "linha 3: fim do período: antes do início do período",
    ]
    with use_locale("es"), pytest.raises(FigureRowsInvalid) as refused:
        read_rows(rows[:1])
    assert refused.value.errors == ["fila 1: fin del período: falta"]


def test_a_comment_too_long_counts_in_the_readers_format():
    with use_locale("pt_BR"), pytest.raises(ValueError) as refused:
        clean_body("x" * 4001)
    assert str(refused.value) == "comentário: 4.001 caracteres, no máximo 4.000 são guardados"
    with use_locale("en"), pytest.raises(ValueError, match="^comment: write something"):
        clean_body("  ")


def test_a_lazy_module_message_is_put_in_the_language_in_force_when_raised():
    with use_locale("pt_BR"), pytest.raises(AccessDenied) as refused:
        require(False, NOT_YOURS)
    assert str(refused.value) == "Você não tem permissão para alterar isto, ou isto não existe."
    with use_locale("es"), pytest.raises(AccessDenied) as refused:
        require(False)
    assert str(refused.value) == "Usted no tiene permiso para hacer esto."


def test_a_refused_figure_names_its_field_as_people_read_it():
    with use_locale("pt_BR"):
        assert str(FigureRefused("period_end", "x")) == "fim do período: x"
    with use_locale("en"):
        assert str(FigureRefused("period_end", "x")) == "period end: x"


def test_import_row_reasons_are_in_the_readers_language():
    texts = pd.Series(["2021-13", "", "someday"], dtype=object)
    with use_locale("pt_BR"):
        errors = parse_periods(texts, "month")["error"].tolist()
        with pytest.raises(ValueError) as refused:
            convert("is_public", "talvez", ReadOptions())
    assert errors[0] == "o mês 13 não está entre 1 e 12"
    assert errors[1] == "período não informado"
    assert errors[2].startswith("'someday' não se lê como mês (esperado, p. ex., 2021-03")
    assert "não é sim nem não" in str(refused.value)


def test_moments_are_shown_in_the_sites_time_zone():
    at = datetime(2023, 1, 16, 14, 5, tzinfo=UTC)
    assert formats.moment(at, locale="pt_BR", zone="America/Recife") == "16/01/2023 11:05"
    assert formats.moment(at.replace(tzinfo=None), locale="en", zone="UTC") == "16 Jan 2023 14:05"
    assert formats.moment(None) == formats.MISSING
    assert formats.day(date(2023, 1, 16), locale="es") == "16/01/2023"
