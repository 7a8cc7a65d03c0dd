"""What every ``delivery`` subcommand group shares: opening the database, reading dates."""

from __future__ import annotations

from datetime import date

import click
from sqlalchemy.orm import Session, sessionmaker

from delivery.dates import DateError, parse_day
from delivery.db import SchemaOutOfDate, open_database
from delivery.settings import load_settings


def session_factory() -> sessionmaker[Session]:
    """Sessions on the configured database; a schema that is behind stops the command with
    the message naming the upgrade command."""
    try:
        return open_database(load_settings())[1]
    except SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from None


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A click callback for ISO dates, with a message naming the expected form."""
    if value is None:
        return None
    try:
        return parse_day(value)
    except DateError as exc:
        raise click.BadParameter(str(exc)) from None
