"""The SQL source: a query against another database (of the backend under test: PostgreSQL
with ``--backends=postgresql``), its URL taken from an environment variable."""

from __future__ import annotations

import csv
import socket
from datetime import date, timedelta

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    update,
)

from delivery.ingestion import SourceFileError, run_source
from delivery.models import Figure, RunState
from tests.ingestion.conftest import MAPPINGS, NOW, SINESP

MONTHS = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
          "setembro", "outubro", "novembro", "dezembro"]
QUERY = """
    SELECT 'SINESP/PE/' || crime AS goal_code, crime || ' (PE)' AS goal_name,
           period_start, occurrences AS value, provisional
    FROM warehouse_figures
    WHERE state = 'Pernambuco' AND period_start >= '2021-01-01'
    ORDER BY crime, period_start
"""

warehouse = MetaData()
figures = Table(
    "warehouse_figures", warehouse,
    Column("state", String(40)), Column("crime", String(80)), Column("period_start", Date),
    Column("occurrences", Float), Column("provisional", Boolean),
)


@pytest.fixture
def warehouse_url(server, realdata):
    """Another database on the same backend, holding the real SINESP rows of two states."""
    url = server.new_url()
    engine = create_engine(url)
    warehouse.create_all(engine)
    with (realdata / SINESP).open(encoding="utf-8", newline="") as handle:
        rows = [{"state": r["UF"], "crime": r["Tipo Crime"],
                 "period_start": date(int(r["Ano"]), MONTHS.index(r["Mês"]) + 1, 1),
                 "occurrences": float(r["Ocorrências"]),
                 "provisional": r["Ano"] == "2022" and r["Mês"] == "dezembro"}
                for r in csv.DictReader(handle) if r["UF"] in ("Pernambuco", "Bahia")]
    with engine.begin() as conn:
        conn.execute(insert(figures), rows)
    engine.dispose()
    return url


@pytest.fixture
def sql_source(add_source):
    return add_source(name="warehouse", kind="sql", url_env="WAREHOUSE_URL", query=QUERY,
                      mapping=str(MAPPINGS / "sql_figures.yaml"), retries=2, backoff=1)


def expected_rows(realdata):
    with (realdata / SINESP).open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle)
                if r["UF"] == "Pernambuco" and int(r["Ano"]) >= 2021]


def test_the_query_rows_become_figures_and_a_second_pull_adds_nothing(
        session_factory, warehouse_url, sql_source, realdata, count):
    environ = {"WAREHOUSE_URL": warehouse_url}
    expected = expected_rows(realdata)

    result = run_source(session_factory, sql_source, now=NOW, environ=environ)

    assert result.state is RunState.SUCCEEDED, result.error
    assert result.rows_read == len(expected) == result.figures_new == count(Figure)
    assert result.goals_created == 9
    assert count(Figure, Figure.is_provisional.is_(True)) == 9  # December 2022, each crime
    again = run_source(session_factory, sql_source, now=NOW + timedelta(days=1),
                       environ=environ)
    assert (again.figures_new, again.figures_unchanged) == (0, len(expected))


def test_the_warehouse_consolidating_its_figures_consolidates_them_here(
        session_factory, warehouse_url, sql_source, count):
    environ = {"WAREHOUSE_URL": warehouse_url}
    run_source(session_factory, sql_source, now=NOW, environ=environ)
    engine = create_engine(warehouse_url)
    with engine.begin() as conn:
        conn.execute(update(figures).values(provisional=False))
    engine.dispose()

    result = run_source(session_factory, sql_source, now=NOW + timedelta(days=5),
                        environ=environ)

    assert result.figures_consolidated == 9 and result.figures_revised == 0
    assert count(Figure, Figure.is_provisional.is_(True)) == 9  # history is kept


def test_a_query_the_database_refuses_fails_at_once(session_factory, warehouse_url, add_source,
                                                    pauses):
    source = add_source(name="bad-query", kind="sql", url_env="WAREHOUSE_URL",
                        query="SELECT goal_code FROM no_such_table",
                        mapping=str(MAPPINGS / "sql_figures.yaml"))

    result = run_source(session_factory, source, now=NOW, environ={"WAREHOUSE_URL":
                        warehouse_url}, sleep=pauses.append)

    assert result.state is RunState.FAILED and pauses == []
    assert result.error.startswith("the query failed:") and "no_such_table" in result.error


def test_an_unreachable_database_is_retried_then_the_run_fails(session_factory, sql_source,
                                                              pauses):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://reader:secret@127.0.0.1:{port}/warehouse"

    result = run_source(session_factory, sql_source, now=NOW, environ={"WAREHOUSE_URL": url},
                        sleep=pauses.append)

    assert result.state is RunState.FAILED and pauses == [1.0, 2.0]
    assert result.error.startswith("query: gave up after 3 attempts: database unreachable")
    assert "secret" not in result.error


def test_a_database_url_with_a_password_is_refused_in_the_source_file(add_source):
    with pytest.raises(SourceFileError, match="holds a password: put the URL in an "
                                              "environment variable"):
        add_source(name="leaky", kind="sql", query="SELECT 1",
                   url="postgresql+psycopg://reader:secret@db.example/warehouse",
                   mapping=str(MAPPINGS / "sql_figures.yaml"))
