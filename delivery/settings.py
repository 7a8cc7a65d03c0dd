"""Every setting Delivery Tracker reads, declared once, with its default and a help line.

The README's settings table is generated from ``SETTINGS`` and a test checks the two agree.
Values come from environment variables; ``load_settings(overrides)`` lets tests and the app
factory replace any of them without touching the environment.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import is_currency

from delivery.i18n import LANGUAGES, _, normalize


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


def _language(text: str) -> str:
    code = normalize(text)
    if code is None:
        raise ValueError(_("one of {choices} was expected, got {value}").format(
            choices=", ".join(LANGUAGES), value=repr(text)))
    return code


def _currency(text: str) -> str:
    code = text.strip().upper()
    if not is_currency(code):
        raise ValueError(_("an ISO 4217 currency code such as BRL was expected, got "
                           "{value}").format(value=repr(text)))
    return code


def _tls(text: str) -> str:
    mode = text.strip().lower()
    if mode not in {"none", "starttls", "tls"}:
        raise ValueError(_("one of {choices} was expected, got {value}").format(
            choices="none, starttls, tls", value=repr(text)))
    return mode
def _time_zone(text: str) -> str:
    name = text.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(_("an IANA time zone such as America/Recife was expected, got "
                           "{value}").format(value=repr(text))) from None
    return name


def _whole(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(_("a whole number was expected, got {value}").format(
            value=repr(text))) from None


def _number(text: str) -> float:
    try:
        number = float(text.strip())
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(_("a number was expected, got {value}").format(value=repr(text)))
    return number


def _month(text: str) -> int:
    try:
        month = int(text.strip())
    except ValueError:
        month = 0
    if not 1 <= month <= 12:
        raise ValueError(_("a month number 1-12 was expected, got {value}").format(
            value=repr(text)))
    return month


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "DELIVERY_DATA_DIR", "instance",
            "Folder for the SQLite database, the generated secret key and uploads."),
    Setting("database_url", "DELIVERY_DATABASE_URL", None,
            "SQLAlchemy URL of the database; empty means a SQLite file `delivery.sqlite` "
            "in the data folder. Use `postgresql+psycopg://user@host/db` in production."),
    Setting("host", "DELIVERY_HOST", "127.0.0.1", "Address the web app listens on."),
    Setting("port", "DELIVERY_PORT", 8050, "Port the web app listens on.", _whole),
    Setting("secret_key", "DELIVERY_SECRET_KEY", None,
            "Key that signs session cookies; empty means one generated once and kept in "
            "`secret_key` in the data folder."),
    Setting("debug", "DELIVERY_DEBUG", False,
            "Dash debug mode (hot reload, error pages). Never in production.", _bool),
    Setting("fiscal_year_end_month", "DELIVERY_FISCAL_YEAR_END_MONTH", 12,
            "Month (1-12) in which the fiscal year ends; FY2024 ends in that month of 2024.",
            _month),
    Setting("language", "DELIVERY_LANGUAGE", "en",
            "Language of the site where a person has not chosen one (and of the CLI): "
            "`pt_BR`, `es` or `en`. The sign-in page follows the browser's.", _language),
    Setting("currency", "DELIVERY_CURRENCY", "BRL",
            "ISO 4217 code of the currency that amounts of money are shown in.", _currency),
    Setting("time_zone", "DELIVERY_TIME_ZONE", "America/Recife",
            "IANA time zone that moments (sign-ins, edits, the audit trail) are shown in.",
            _time_zone),
    Setting("sqlite_busy_timeout_ms", "DELIVERY_SQLITE_BUSY_TIMEOUT_MS", 5000,
            "How long a SQLite writer waits for a lock before failing.", _whole),
    Setting("postgres_lock_timeout_ms", "DELIVERY_POSTGRES_LOCK_TIMEOUT_MS", 5000,
            "How long a web request waits for a PostgreSQL lock before the person is told the "
            "database is busy (503 \"try again\"); 0 waits for ever.", _whole),
    Setting("postgres_statement_timeout_ms", "DELIVERY_POSTGRES_STATEMENT_TIMEOUT_MS", 60000,
            "Longest single PostgreSQL statement of a web request; 0 means no limit. Commands "
            "and the scheduler are not limited.", _whole),
    Setting("proxies", "DELIVERY_PROXIES", 0,
            "How many reverse proxies (e.g. 1 for nginx) sit in front of the web app; their "
            "X-Forwarded-For/-Proto/-Host headers are then trusted for the client address, "
            "HTTPS (Secure cookies) and the Origin check.", _whole),
    Setting("session_idle_minutes", "DELIVERY_SESSION_IDLE_MINUTES", 60,
            "A session unused for this many minutes ends; the person signs in again.", _whole),
    Setting("session_max_hours", "DELIVERY_SESSION_MAX_HOURS", 12,
            "A session ends this many hours after sign-in however busy it is.", _whole),
    Setting("max_request_mb", "DELIVERY_MAX_REQUEST_MB", 32,
            "Largest request body accepted (uploaded files travel inside it, as base64); "
            "bigger ones get 413.", _whole),
    Setting("evidence_max_file_mb", "DELIVERY_EVIDENCE_MAX_FILE_MB", 10,
            "Largest file attached to a commitment's progress note as evidence (a note's "
            "files travel in one request, so they also stay under `DELIVERY_MAX_REQUEST_MB`).",
            _whole),
    Setting("api_rate_per_minute", "DELIVERY_API_RATE_PER_MINUTE", 600,
            "Requests a minute each API token may make (counted in the database, so shared "
            "by every web worker); more get 429 with Retry-After. 0 means no limit.", _whole),
    Setting("web_workers", "DELIVERY_WEB_WORKERS", 0,
            "Worker processes `delivery serve` starts; 0 means 2 per core plus one, at most 12.",
            _whole),
    Setting("web_timeout_seconds", "DELIVERY_WEB_TIMEOUT_SECONDS", 120,
            "`delivery serve`: a worker silent for this long is restarted (a stuck request "
            "cannot hold it for ever).", _whole),
    Setting("scheduler_poll_seconds", "DELIVERY_SCHEDULER_POLL_SECONDS", 10.0,
            "How often the scheduler process picks up run-now requests and changed sources.",
            _number),
    Setting("scheduler_lease_seconds", "DELIVERY_SCHEDULER_LEASE_SECONDS", 60.0,
            "How long the scheduler's lease in the database lasts unless renewed; a second "
            "scheduler process stays idle and takes over only once it has expired.", _number),
    Setting("scheduler_misfire_grace_seconds", "DELIVERY_SCHEDULER_MISFIRE_GRACE_SECONDS", 3600,
            "How late a scheduled pull may still start; missed runs are coalesced into one.",
            _whole),
    Setting("scheduler_workers", "DELIVERY_SCHEDULER_WORKERS", 4,
            "How many sources the scheduler pulls at the same time.", _whole),
    Setting("ingestion_run_deadline_seconds", "DELIVERY_INGESTION_RUN_DEADLINE_SECONDS", 1800.0,
            "Longest a scheduled pull may take, retries and pauses included; past it the run "
            "is failed and logged, nothing recorded, and the worker freed.", _number),
    Setting("ingestion_max_download_mb", "DELIVERY_INGESTION_MAX_DOWNLOAD_MB", 200,
            "Largest answer read from an HTTP source (per page); a longer one fails the run.",
            _whole),
    Setting("ingestion_max_file_mb", "DELIVERY_INGESTION_MAX_FILE_MB", 100,
            "Largest dropped file a pull reads, measured unpacked for .xlsx (a zip bomb is "
            "refused before it is opened).", _whole),
    Setting("smtp_host", "DELIVERY_SMTP_HOST", None,
            "Mail server the reminders are sent through; empty means no e-mail: reminders show "
            "in each person's inbox only (and the scheduler's log says so)."),
    Setting("smtp_port", "DELIVERY_SMTP_PORT", 587,
            "Port of the mail server (587 for STARTTLS, 465 for TLS, 25 for none).", _whole),
    Setting("smtp_user", "DELIVERY_SMTP_USER", None,
            "User name on the mail server; empty means no login."),
    Setting("smtp_password_env", "DELIVERY_SMTP_PASSWORD_ENV", None,
            "Name of the environment variable holding the mail server's password (the password "
            "itself is never a setting)."),
    Setting("smtp_tls", "DELIVERY_SMTP_TLS", "starttls",
            "How the connection to the mail server is protected: `none`, `starttls` or `tls`.",
            _tls),
    Setting("smtp_timeout_seconds", "DELIVERY_SMTP_TIMEOUT_SECONDS", 30.0,
            "How long the mail server may take to answer before the sending is failed (and "
            "tried again on the next run).", _number),
    Setting("mail_from", "DELIVERY_MAIL_FROM", "delivery-tracker@localhost",
            "The sender address of the reminders."),
    Setting("site_url", "DELIVERY_SITE_URL", "http://127.0.0.1:8050",
            "The address people open the site at; the links in e-mails start with it."),
    Setting("reminders_every_minutes", "DELIVERY_REMINDERS_EVERY_MINUTES", 60,
            "How often the scheduler sends the reminders due (each once; a failed sending is "
            "tried again on the next run).", _whole),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return str(self.database_url)
        return f"sqlite:///{Path(self.data_dir).resolve() / 'delivery.sqlite'}"

    def resolved_secret_key(self) -> str:
        """The configured key, else one generated once and kept in the data folder."""
        if self.secret_key:
            return str(self.secret_key)
        path = Path(self.data_dir) / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip()


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Settings from the environment, with ``overrides`` (by setting name) taking precedence."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise KeyError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            values[setting.name] = overrides[setting.name]
        elif environ.get(setting.env, "") != "":
            raw = environ[setting.env]
            try:
                values[setting.name] = setting.parse(raw)
            except ValueError as exc:
                raise ValueError(f"{setting.env}={raw!r}: {exc}") from None
        else:
            values[setting.name] = setting.default
    return Settings(values)


def settings_table() -> str:
    """The Markdown table of settings that the README carries."""
    rows = ["| Variable | Default | What it does |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = "(empty)" if s.default is None else f"`{s.default}`"
        rows.append(f"| `{s.env}` | {default} | {s.help} |")
    return "\n".join(rows)
