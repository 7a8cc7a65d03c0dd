"""Texts worded when read, not when made: a message id (the English text, marked for the
catalogue where it is made) and its parameters, kept as JSON and put in the reader's language
each time it is shown. A job that fails under the scheduler's ``DELIVERY_LANGUAGE`` stores
one, and a Spanish reader of ``/workspace/jobs`` reads it in Spanish.

Parameters are kept as they are: numbers are written in the reader's format when read
(``Number`` fixes their precision), a ``Worded`` (or an exception carrying one) stays worded;
anything else is kept as its text (host names, paths, a driver's own message)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from delivery.i18n import formats, gettext, ngettext, use_locale

MAX_DEPTH = 8  # a stored message nests its reasons a few levels, never more


@dataclass(frozen=True)
class Number:
    """A number written in the reader's format when read (``formats.number``)."""

    value: float
    decimals: int | None = None
    up_to: int | None = None

    def __str__(self) -> str:
        return formats.number(self.value, decimals=self.decimals, up_to=self.up_to)


@dataclass(frozen=True)
class Worded:
    """``msgid`` (with ``plural`` and ``n``: its plural form and count) and its parameters.
    ``str()`` words it in the current language."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    n: int | None = None

    def __str__(self) -> str:
        template = (gettext(self.msgid) if self.plural is None or self.n is None
                    else ngettext(self.msgid, self.plural, self.n))
        values = _Kept({key: _shown(value) for key, value in self.params.items()})
        try:  # a stored row is data: a field it lacks shows as its name, never as an error
            return template.format_map(values)
        except (IndexError, ValueError, AttributeError):
            return self.msgid

    def text(self, locale: str | None = None) -> str:
        """Worded in ``locale`` (else the current language)."""
        if locale is None:
            return str(self)
        with use_locale(locale):
            return str(self)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.msgid,
                                "params": {k: _param_json(v) for k, v in self.params.items()}}
        if self.plural is not None:
            data.update(plural=self.plural, n=self.n)
        return data


class _Kept(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def w_(msgid: str, /, **params: Any) -> Worded:
    """A text worded when read (the catalogue extracts ``msgid``, as for ``_``)."""
    return Worded(msgid, {k: _kept(v) for k, v in params.items()})


def wn_(singular: str, plural: str, count: int, /, **params: Any) -> Worded:
    """The plural-aware ``w_`` (as ``_n``); ``{n}`` is among ``params`` if the text names it."""
    return Worded(singular, {k: _kept(v) for k, v in params.items()}, plural, count)


def words_of(thing: object) -> Worded | None:
    """The ``Worded`` a value or an exception carries (its first argument), if any."""
    if isinstance(thing, Worded):
        return thing
    if isinstance(thing, BaseException) and thing.args and isinstance(thing.args[0], Worded):
        return thing.args[0]
    return None


def from_json(data: object, depth: int = 0) -> Worded | None:
    """The ``Worded`` stored as ``data``; None for anything that is not one (a row written by
    hand, or by an older version)."""
    if not isinstance(data, dict) or depth > MAX_DEPTH:
        return None
    msgid, params, plural, n = (data.get("id"), data.get("params", {}), data.get("plural"),
                                data.get("n"))
    if not isinstance(msgid, str) or not isinstance(params, dict):
        return None
    if plural is not None and not (isinstance(plural, str) and isinstance(n, int)):
        return None
    return Worded(msgid, {str(k): _param_from_json(v, depth) for k, v in params.items()},
                  plural, n if plural is not None else None)


def _kept(value: Any) -> Any:
    words = words_of(value)
    if words is not None:
        return words
    if isinstance(value, Number) or (isinstance(value, int | float)
                                     and not isinstance(value, bool)):
        return value
    return str(value)


def _shown(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number(value, decimals=0)
    if isinstance(value, float):
        return formats.number(value)
    return str(value)


def _param_json(value: Any) -> Any:
    if isinstance(value, Worded):
        return {"worded": value.to_json()}
    if isinstance(value, Number):
        return {"number": value.value, "decimals": value.decimals, "up_to": value.up_to}
    return value


def _param_from_json(value: Any, depth: int) -> Any:
    if isinstance(value, dict) and "worded" in value:
        return from_json(value["worded"], depth + 1) or ""
    if isinstance(value, dict) and isinstance(value.get("number"), int | float):
        decimals, up_to = value.get("decimals"), value.get("up_to")
        return Number(value["number"], decimals if isinstance(decimals, int) else None,
                      up_to if isinstance(up_to, int) else None)
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        return value
    return str(value)
