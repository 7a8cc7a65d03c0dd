"""What every ``delivery`` subcommand group shares: opening the database, reading dates, and
speaking the CLI's language on help pages."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date
from typing import Any

import click
from sqlalchemy.orm import Session, sessionmaker

from delivery.dates import DateError, parse_day
from delivery.db import SchemaOutOfDate, open_database
from delivery.i18n import N_, _, gettext, use_locale
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


# click's own words on a help page or in an error, put in the CLI's language by ``localize``.
CLICK_WORDS = (N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
               N_("Error: {message}"), N_("Try '{command} {option}' for help."),
               N_("Missing argument '{param}'."), N_("Missing option '{param}'."),
               N_("No such command {name!r}."), N_("No such option: {name}"),
               N_("Invalid value for {param_hint}: {message}"), N_("Aborted!"), N_("required"),
               N_("default: {default}"), N_("Error: The two entered values do not match."))
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def cli_language() -> str:
    """The CLI's language: ``DELIVERY_LANGUAGE`` (English while the settings cannot be read)."""
    try:
        return str(load_settings().language)
    except ValueError:
        return "en"


def help_texts(command: click.Command) -> Iterator[tuple[str, str]]:
    """(where, text) of every help text of ``command`` and its subcommands, as a help page shows
    them: the catalogue extracts these (``delivery.i18n.catalogues``), ``localize`` shows them
    translated."""
    name = command.name or ""
    if command.help:
        yield name, inspect.cleandoc(command.help)
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            yield name, param.help
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from help_texts(sub)


class _Localized:
    """A command whose help page is in the CLI's language: each help text is swapped for its
    translation while the page is written (the texts themselves stay the English msgids); run
    from the command line, click's own messages (``Error: ...``) are in that language too."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with use_locale(cli_language()):
            return super().main(*args, **kwargs)  # type: ignore[misc]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        command: click.Command = self  # type: ignore[assignment]
        with use_locale(cli_language()):
            parts: list[Any] = [command, *command.get_params(ctx)]  # with --help
            if isinstance(command, click.Group):
                parts += list(command.commands.values())
            saved = [(p, p.help) for p in parts]
            helper = command.get_help_option(ctx)  # made once, in the language of that moment
            try:
                for part, text in saved:
                    if part is helper:
                        text = CLICK_WORDS[3]  # its English: "Show this message and exit."
                    if text:
                        part.help = _(inspect.cleandoc(text) if part is command
                                      or isinstance(part, click.Command) else text)
                super().format_help(ctx, formatter)  # type: ignore[misc]
            finally:
                for part, text in saved:
                    part.help = text


class LocalizedCommand(_Localized, click.Command):
    pass


class LocalizedGroup(_Localized, click.Group):
    pass


def localize(command: click.Command) -> None:
    """Make ``command`` and its subcommands speak the CLI's language on their help pages, and
    click's own words (``Usage:``, ``Error:``) go through the catalogue."""
    for module in _CLICK_MODULES:
        getattr(click, module)._ = gettext
    for sub in ([*command.commands.values()] if isinstance(command, click.Group) else []):
        localize(sub)
    if not isinstance(command, _Localized):
        command.__class__ = LocalizedGroup if isinstance(command, click.Group) \
            else LocalizedCommand
