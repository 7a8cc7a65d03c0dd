"""A real SMTP server (aiosmtpd) on 127.0.0.1, started in the test, and a small government
whose people have e-mail addresses and languages."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from delivery.clock import pin_review_date
from delivery.db import transaction
from delivery.models import User
from delivery.settings import load_settings
from tests.personas import Government, build_government, fast_password_hashing  # noqa: F401

# persona -> (address, language, digest)
CONTACTS = {"secretariat": ("sonia@sds.example.org", "pt_BR", "daily"),
            "other_secretariat": ("edu@see.example.org", "es", "daily"),
            "analyst": ("ana@unit.example.org", "en", "daily"),
            "governor": ("gil@gov.example.org", "pt_BR", "weekly")}


@dataclass
class Inbox:
    """What the SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailServer:
    def __init__(self, port: int) -> None:
        self.port, self.received = port, Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.received, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    server = MailServer(free_port())
    server.start()
    yield server
    server.stop()


def mail_settings(port: int, **more):  # type: ignore[no-untyped-def]
    return load_settings({"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none",
                          "mail_from": "tracker@unit.example.org",
                          "site_url": "https://tracker.example.org", "language": "en", **more},
                         environ={})


@pytest.fixture
def people(session_factory) -> Government:
    """The personas' government, its review date pinned on 10 Mar 2023 (January's figures,
    due on 3 Mar, are a week overdue; both commitments are overdue)."""
    with transaction(session_factory) as session:
        pin_review_date(session, date(2023, 1, 5))
        session.flush()
        gov = build_government(session)
        pin_review_date(session, date(2023, 3, 10))
        for persona, (address, language, digest) in CONTACTS.items():
            user = session.get(User, gov.users[persona])
            user.email, user.language, user.digest = address, language, digest
        sonia = session.scalar(select(User).where(User.username == "sonia"))
        sonia.is_secretariat_head = True
    return gov
