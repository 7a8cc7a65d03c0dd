"""Sending e-mail through the configured SMTP server, with smtplib.

One connection per run; each message's failure is its own (the others still go), and a server
that cannot be reached fails every message of the run, which the caller logs and tries again
on its next run. Nothing here waits longer than ``DELIVERY_SMTP_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from delivery.settings import Settings

NO_SERVER = "DELIVERY_SMTP_HOST is empty: reminders show in each person's inbox only"


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    sender: str
    tls: str = "starttls"  # none, starttls, tls
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @classmethod
    def of(cls, settings: Settings, environ: Mapping[str, str]) -> MailServer | None:
        """The server the settings name, or None when no host is set."""
        if not settings.smtp_host:
            return None
        password = environ.get(settings.smtp_password_env) if settings.smtp_password_env \
            else None
        return cls(str(settings.smtp_host), int(settings.smtp_port), str(settings.mail_from),
                   str(settings.smtp_tls), settings.smtp_user or None, password,
                   float(settings.smtp_timeout_seconds))

    def _connect(self) -> smtplib.SMTP:
        if self.tls == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if self.user:
            smtp.login(self.user, self.password or "")
        return smtp

    def send(self, messages: Sequence[EmailMessage]) -> list[str | None]:
        """Send each message; per message None when it went, else why it did not."""
        if not messages:
            return []
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            return [f"{self.host}:{self.port}: {exc}"] * len(messages)
        results: list[str | None] = []
        try:
            for message in messages:
                if message["From"] is None:
                    message["From"] = self.sender
                try:
                    smtp.send_message(message)
                    results.append(None)
                except (OSError, smtplib.SMTPException) as exc:
                    results.append(str(exc) or type(exc).__name__)
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
        return results + ["connection lost"] * (len(messages) - len(results))
