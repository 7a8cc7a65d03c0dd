"""Pulling rows with an SQL query from any database SQLAlchemy can reach.

The URL comes from the environment variable the source names (``url_env``), so its password
never reaches the Delivery Tracker database; a URL without a password may be given as ``url``.
A connection that fails is tried again with backoff; a query the database refuses is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from delivery.i18n.worded import w_
from delivery.ingestion.errors import Retrier, SourceError, TransientError
from delivery.ingestion.records import rows_table


def sql_table(config: Mapping[str, Any], environ: Mapping[str, str], *, timeout: float,
              retrier: Retrier) -> pd.DataFrame:
    """The query's rows as a text table (row 1 = the first row of the result)."""
    url = _url(config, environ)
    try:
        engine = create_engine(url, poolclass=NullPool, **_connect_args(url, timeout))
    except (SQLAlchemyError, ImportError, ValueError) as exc:  # the text may quote the URL
        raise SourceError(w_("cannot use the database URL ({error}): is it a SQLAlchemy URL "
                            "with an installed driver?", error=type(exc).__name__)
                          ) from None
    try:
        return retrier.call(w_("query"), lambda: _query(engine, str(config["query"])))
    finally:
        engine.dispose()


def _query(engine: Any, query: str) -> pd.DataFrame:
    try:
        with engine.connect() as conn:
            result = conn.execute(text(query))
            columns = list(result.keys())
            return rows_table([str(c) for c in columns], result.fetchall())
    except (OperationalError, InterfaceError) as exc:
        if exc.connection_invalidated or _is_connection_problem(exc):
            raise TransientError(w_("database unreachable: {reason}",
                reason=_first_line(exc))) from None
        raise SourceError(w_("the query failed: {reason}", reason=_first_line(exc))
                          ) from None
    except DBAPIError as exc:
        raise SourceError(w_("the query failed: {reason}", reason=_first_line(exc))
                          ) from None


def _url(config: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    if config.get("url"):
        return str(config["url"])
    name = str(config["url_env"])
    if not environ.get(name):
        raise SourceError(w_("environment variable {name} (the database URL) is not set",
            name=name))
    return environ[name]


def _connect_args(url: str, timeout: float) -> dict[str, Any]:
    if url.startswith("postgresql"):
        return {"connect_args": {"connect_timeout": max(1, round(timeout))}}
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": timeout}}
    return {}


def _is_connection_problem(exc: DBAPIError) -> bool:
    words = ("connect", "connection", "timeout", "timed out", "server closed", "refused",
             "database is locked", "could not translate host")
    message = str(exc.orig).lower()
    return any(word in message for word in words)


def _first_line(exc: DBAPIError) -> str:
    return (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
