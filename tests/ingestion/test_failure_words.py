"""A failed pull keeps its reason as a message id and parameters, worded when read: a run that
failed under the scheduler's Portuguese reads in Spanish on /workspace/jobs and in English in
``delivery jobs``; rows older than that keep their text."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import select

from dashboards.components.workspace import run_rows
from delivery.i18n import use_locale
from delivery.i18n.worded import Number, from_json, w_, wn_
from delivery.ingestion import run_source
from delivery.ingestion.errors import SourceError
from delivery.ingestion.jobs import describe_run
from delivery.models import JobRun, RunState
from tests.ingestion.conftest import NOW, SHIPPED_MAPPINGS


def test_a_worded_text_goes_through_json_and_reads_in_each_language():
    words = wn_("{what}: gave up after {n} attempt: {reason}",
                "{what}: gave up after {n} attempts: {reason}", 2,
                what=w_("page at offset {offset}", offset=1200), n=2,
                reason=SourceError(w_("cannot reach {host}: {reason}", host="example.org",
                                      reason="[Errno 111] Connection refused")))
    stored = from_json(words.to_json())
    assert stored == words
    assert stored.text("pt_BR") == ("página no deslocamento 1.200: desistiu após 2 tentativas: "
                                    "não foi possível alcançar example.org: [Errno 111] "
                                    "Connection refused")
    assert stored.text("es").startswith("página en el desplazamiento 1.200: se abandonó tras 2 "
                                        "intentos: no se pudo alcanzar example.org")
    assert stored.text("en").startswith("page at offset 1,200: gave up after 2 attempts")


def test_numbers_are_written_in_the_readers_format():
    words = w_("{host} sent more than {limit} MB; the answer was not read", host="h",
               limit=Number(1536.5, decimals=1))
    again = from_json(words.to_json())
    assert again is not None and "1.536,5 MB" in again.text("pt_BR")
    assert "1,536.5 MB" in again.text("en")


@pytest.mark.parametrize("data", [None, "text", {"id": 3}, {"id": "x", "params": []},
                                  {"id": "x", "plural": "y", "n": "two"}, {"params": {}}],
                         ids=["none", "text", "id-not-text", "params-not-dict", "bad-plural",
                              "no-id"])
def test_anything_else_stored_is_not_worded(data):
    assert from_json(data) is None


@pytest.mark.parametrize(("data", "read"), [
    ({"id": "{host} broke off the answer: {reason}", "params": {"host": "h"}},
     "h interrompeu a resposta: {reason}"),
    ({"id": "odd {0} {}", "params": {}}, "odd {0} {}"),
    ({"id": "odd {x.y}", "params": {"x": "text"}}, "odd {x.y}"),
], ids=["missing-field", "positional", "attribute"])
def test_a_stored_message_that_does_not_fit_its_fields_still_reads(data, read):
    words = from_json(data)
    assert words is not None and words.text("pt_BR") == read


def test_a_failure_stored_under_portuguese_reads_in_spanish_and_english(session_factory,
                                                                       add_source):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = add_source(name="down", kind="ckan", url=f"http://127.0.0.1:{port}",
                        resource_id="abc", mapping=str(SHIPPED_MAPPINGS / "isp_rj_monthly.yaml"),
                        retries=1, backoff=1)
    with use_locale("pt_BR"):  # the scheduler's DELIVERY_LANGUAGE
        result = run_source(session_factory, source, now=NOW, sleep=lambda _: None,
                            environ={})
    assert result.state is RunState.FAILED
    with session_factory() as session:
        run = session.scalars(select(JobRun).where(JobRun.id == result.run_id)).one()
        # the text column keeps what the scheduler logged, in its language
        assert run.error.startswith("página no deslocamento 0: desistiu após 2 tentativas: "
                                    "não foi possível alcançar 127.0.0.1")
        with use_locale("es"):
            spanish = run.error_text
            row = run_rows([run])[0]
            line = describe_run(run)
        with use_locale("en"):
            english = run.error_text
            cli = describe_run(run)
    assert spanish.startswith("página en el desplazamiento 0: se abandonó tras 2 intentos: "
                              "no se pudo alcanzar 127.0.0.1")
    assert row["error"] == spanish and spanish in line
    assert english.startswith("page at offset 0: gave up after 2 attempts: cannot reach "
                              "127.0.0.1")
    assert english in cli and "desistiu" not in cli


def test_a_run_logged_before_the_words_were_kept_reads_as_it_was_written(session_factory,
                                                                         add_source):
    source = add_source(name="old", kind="ckan", url="http://127.0.0.1:9", resource_id="abc",
                        mapping=str(SHIPPED_MAPPINGS / "isp_rj_monthly.yaml"))
    with session_factory() as session, session.begin():
        session.add(JobRun(source_id=source, state=RunState.FAILED, error="falhou à moda antiga"))
    with session_factory() as session:
        run = session.scalars(select(JobRun).where(JobRun.source_id == source)).one()
        with use_locale("es"):
            assert run.error_text == "falhou à moda antiga"
