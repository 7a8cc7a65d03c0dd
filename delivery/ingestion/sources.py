"""Source definitions: read from a YAML file, checked, and saved as ``Source`` rows by name.

A file holds ``sources:``, a list of sources (see docs/ingestion.md for every key). Paths
(``mapping``, ``folder``) are relative to the YAML file. Credentials are never written in it:
a source names the environment variables that hold them (``headers_from_env``,
``params_from_env``, ``url_env``), and the scheduler reads them when it runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.importing import ImportMapping, MappingError, load_mapping
from delivery.importing.limits import FileTooLarge, load_yaml_limited
from delivery.ingestion.schedule import Schedule, ScheduleError, parse_duration, parse_schedule
from delivery.models import Source, SourceKind

COMMON = {"name", "kind", "description", "mapping", "schedule", "enabled", "timeout", "retries",
          "backoff"}
HTTP = {"url", "headers_from_env", "params_from_env", "page_size"}
KEYS: dict[SourceKind, set[str]] = {
    SourceKind.FILE_DROP: {"folder", "pattern", "after"},
    SourceKind.SOCRATA: HTTP | {"where", "order", "select"},
    SourceKind.CKAN: HTTP | {"resource_id", "filters", "q", "sort"},
    SourceKind.JSON: (HTTP - {"page_size"}) | {"params", "records", "next", "max_pages"},
    SourceKind.SQL: {"url", "url_env", "query"},
}
REQUIRED: dict[SourceKind, tuple[str, ...]] = {
    SourceKind.FILE_DROP: ("folder",),
    SourceKind.SOCRATA: ("url",),
    SourceKind.CKAN: ("url", "resource_id"),
    SourceKind.JSON: ("url",),
    SourceKind.SQL: ("query",),
}
DEFAULTS: dict[SourceKind, dict[str, Any]] = {
    SourceKind.FILE_DROP: {"pattern": ["*.csv", "*.xlsx"], "after": "move"},
    SourceKind.SOCRATA: {"order": ":id", "page_size": 1000},
    SourceKind.CKAN: {"sort": "_id", "page_size": 1000},
    SourceKind.JSON: {"records": "", "max_pages": 1000},
    SourceKind.SQL: {},
}
T = TypeVar("T")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SourceFileError(ValueError):
    """A source definition that cannot be used: names the file, the source and the key."""


@dataclass(frozen=True)
class SourceSpec:
    """A source as the job needs it: plain values, detached from any session."""

    name: str
    kind: SourceKind
    config: Mapping[str, Any]
    schedule: Schedule = field(default_factory=Schedule)
    description: str = ""
    enabled: bool = True
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    id: int | None = None

    @classmethod
    def of(cls, row: Source) -> SourceSpec:
        return cls(
            name=row.name, kind=SourceKind(row.kind), config=dict(row.config or {}),
            schedule=Schedule(row.cron, row.interval_seconds, row.timezone or "UTC"),
            description=row.description, enabled=row.enabled, timeout=row.timeout_seconds,
            retries=row.retries, backoff=row.backoff_seconds, id=row.id,
        )

    def columns(self) -> dict[str, Any]:
        """The Source row's column values."""
        return {
            "kind": self.kind, "description": self.description, "config": dict(self.config),
            "cron": self.schedule.cron, "interval_seconds": self.schedule.interval_seconds,
            "timezone": self.schedule.timezone, "enabled": self.enabled,
            "timeout_seconds": self.timeout, "retries": self.retries,
            "backoff_seconds": self.backoff,
        }


def load_sources(path: Path | str) -> list[SourceSpec]:
    """Every source in a YAML file, checked; raises SourceFileError at the first problem."""
    path = Path(path)
    try:
        raw = load_yaml_limited(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceFileError(f"{path}: " + _("cannot be read ({reason})").format(
            reason=exc.strerror)) from None
    except FileTooLarge as exc:
        raise SourceFileError(f"{path}: " + _("is refused: {reason}").format(
            reason=exc)) from None
    except yaml.YAMLError as exc:
        raise SourceFileError(f"{path}: " + _("is not valid YAML: {reason}").format(
            reason=" ".join(str(exc).split()))) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), list):
        raise SourceFileError(f"{path}: " + _("should hold `sources:`, a list of sources"))
    specs = [_Checker(path, i).spec(item) for i, item in enumerate(raw["sources"])]
    names = [s.name for s in specs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SourceFileError(f"{path}: " + _("the source name {name} is used twice").format(
            name=repr(repeated[0])))
    return specs


def save_sources(session: Session, specs: list[SourceSpec], *, now: datetime) -> dict[str, str]:
    """Create or update sources by name; returns ``{name: created|updated|unchanged}``."""
    outcome = {}
    for spec in specs:
        row = session.scalar(select(Source).where(Source.name == spec.name))
        values = spec.columns()
        if row is None:
            session.add(Source(name=spec.name, created_at=now, updated_at=now, **values))
            outcome[spec.name] = "created"
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
            outcome[spec.name] = "updated"
        else:
            outcome[spec.name] = "unchanged"
    session.flush()
    return outcome


def source_named(session: Session, name: str) -> Source:
    """The source called ``name``; LookupError (listing the names) if there is none."""
    row = session.scalar(select(Source).where(Source.name == name))
    if row is None:
        known = session.scalars(select(Source.name).order_by(Source.name)).all()
        raise LookupError(_("no source named {name} (sources: {known})").format(
            name=repr(name), known=", ".join(known) or _("none")))
    return row


class _Checker:
    def __init__(self, path: Path, index: int) -> None:
        self.path, self.index, self.name = path, index, f"sources[{index}]"

    def fail(self, key: str, reason: str) -> SourceFileError:
        where = f"{self.name}.{key}" if key else self.name
        return SourceFileError(f"{self.path}: {where}: {reason}")

    def spec(self, raw: Any) -> SourceSpec:
        if not isinstance(raw, dict):
            raise self.fail("", _("should be a mapping of keys to values, not {value}").format(
                value=repr(raw)))
        name = str(raw.get("name") or "")
        if not _NAME.match(name):
            raise self.fail("name", _("is required: letters, digits, '-', '_' or '.', up to 80"))
        self.name = name
        try:
            kind = SourceKind(str(raw.get("kind")))
        except ValueError:
            raise self.fail("kind", _("should be one of {choices}, not {value}").format(
                choices=", ".join(k.value for k in SourceKind),
                value=repr(raw.get("kind")))) from None
        for key in raw:
            if key not in COMMON | KEYS[kind]:
                raise self.fail(key, _("unknown key for a {kind} source (expected one of "
                                       "{keys})").format(
                    kind=kind.value, keys=", ".join(sorted(COMMON | KEYS[kind]))))
        for key in ("mapping", *REQUIRED[kind]):
            if raw.get(key) in (None, ""):
                raise self.fail(key, _("is required"))
        config = {**DEFAULTS[kind], **{k: v for k, v in raw.items() if k in KEYS[kind]}}
        config["mapping"] = self.mapping(raw["mapping"])
        self.check_config(kind, config)
        schedule = self.parsed("schedule", parse_schedule, raw.get("schedule"))
        timeout = self.parsed("timeout", parse_duration, raw.get("timeout", 30))
        backoff = raw.get("backoff", 2)
        backoff = 0.0 if backoff in (0, "0") else self.parsed("backoff", parse_duration, backoff)
        retries = raw.get("retries", 3)
        if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 20:
            raise self.fail("retries", _("should be a whole number from 0 to 20, not "
                                         "{value}").format(value=repr(retries)))
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise self.fail("enabled", _("should be true or false, not {value}").format(
                value=repr(enabled)))
        return SourceSpec(name, kind, config, schedule, str(raw.get("description") or ""),
                          enabled, timeout, retries, backoff)

    def parsed(self, key: str, parse: Callable[[Any], T], raw: Any) -> T:
        try:
            return parse(raw)
        except ScheduleError as exc:
            raise self.fail(key, str(exc)) from None

    def mapping(self, raw: Any) -> str:
        path = (self.path.parent / str(raw)).resolve()
        try:
            mapping = load_mapping(path)
        except MappingError as exc:
            raise self.fail("mapping", str(exc)) from None
        if not isinstance(mapping, ImportMapping):
            raise self.fail("mapping", _("{file} is a budget mapping; scheduled pulls bring "
                                         "figures (import budget files with `delivery "
                                         "import`)").format(file=path.name))
        return str(path)

    def check_config(self, kind: SourceKind, config: dict[str, Any]) -> None:
        for key in ("headers_from_env", "params_from_env"):
            names = config.get(key) or {}
            if not isinstance(names, dict) or not all(_ENV.match(str(v)) for v in names.values()):
                raise self.fail(key, _("should map each header or parameter to the NAME of an "
                                       "environment variable, e.g. {{X-App-Token: "
                                       "SOCRATA_APP_TOKEN}}").format())
        for key in ("page_size", "max_pages"):
            if key in config and (isinstance(config[key], bool)
                                  or not isinstance(config[key], int) or config[key] < 1):
                raise self.fail(key, _("should be a whole number above 0, not {value}").format(
                    value=repr(config[key])))
        for key in ("filters", "params"):
            if key in config and not isinstance(config[key], dict):
                raise self.fail(key, _("should map names to values"))
        if kind is SourceKind.FILE_DROP:
            config["folder"] = str((self.path.parent / str(config["folder"])).resolve())
            patterns = config["pattern"]
            config["pattern"] = [patterns] if isinstance(patterns, str) else list(patterns)
            if config["after"] not in ("move", "keep"):
                raise self.fail("after", _("should be move or keep, not {value}").format(
                    value=repr(config["after"])))
        if kind is SourceKind.SQL:
            self.check_sql(config)

    def check_sql(self, config: dict[str, Any]) -> None:
        if ("url" in config) == ("url_env" in config):
            raise self.fail("url", _("give either url (no password in it) or url_env (the name "
                                     "of an environment variable holding the URL)"))
        if "url_env" in config and not _ENV.match(str(config["url_env"])):
            raise self.fail("url_env", _("should be the NAME of an environment variable"))
        if "url" in config:
            try:
                url = make_url(str(config["url"]))
            except ArgumentError as exc:
                raise self.fail("url", str(exc)) from None
            if url.password:
                raise self.fail("url", _("holds a password: put the URL in an environment "
                                         "variable and name it in url_env instead"))
