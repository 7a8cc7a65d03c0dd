"""``delivery reminders send`` and ``delivery reminders contact`` from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from delivery.cli import main
from delivery.models import NotificationSent, User


def run(monkeypatch, database_url, *args, **env):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    monkeypatch.setenv("DELIVERY_LANGUAGE", "en")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return CliRunner().invoke(main, ["reminders", *args])


def test_send_by_hand_once_then_nothing_new(monkeypatch, database_url, people, smtp,
                                             session_factory):
    env = {"DELIVERY_SMTP_HOST": "127.0.0.1", "DELIVERY_SMTP_PORT": str(smtp.port),
           "DELIVERY_SMTP_TLS": "none"}
    dry = run(monkeypatch, database_url, "send", "--dry-run", **env)
    assert dry.exit_code == 0, dry.output
    assert "sonia@sds.example.org: figure:" in dry.output and "(dry run)" in dry.output
    assert smtp.received.messages == []
    sent = run(monkeypatch, database_url, "send", **env)
    assert sent.exit_code == 0, sent.output
    assert "3 e-mail(s) due as of 2023-03-10: 3 sent, 0 failed" in sent.output
    again = run(monkeypatch, database_url, "send", **env)
    assert "0 e-mail(s) due as of 2023-03-10" in again.output
    past = run(monkeypatch, database_url, "send", "--as-of", "2023-03-01", **env)
    assert past.exit_code != 0 and "before the review date" in past.output
    bad = run(monkeypatch, database_url, "send", "--as-of", "2023-02-30", **env)
    assert bad.exit_code != 0 and "not a date" in bad.output
    with session_factory() as session:
        assert len(session.scalars(select(NotificationSent)).all()) == 5 + 3 + 5  # steps


def test_contact_sets_the_address_and_refuses_a_bad_one(monkeypatch, database_url, people,
                                                        session_factory):
    ok = run(monkeypatch, database_url, "contact", "edu", "--email", "edu@new.example.org",
             "--digest", "weekly", "--head")
    assert ok.exit_code == 0, ok.output
    refused = run(monkeypatch, database_url, "contact", "edu", "--email", "not an address")
    assert refused.exit_code != 0 and "email: " in refused.output
    unknown = run(monkeypatch, database_url, "contact", "nobody", "--email", "a@b.org")
    assert unknown.exit_code != 0 and "no user nobody" in unknown.output
    with session_factory() as session:
        edu = session.scalar(select(User).where(User.username == "edu"))
        assert (edu.email, edu.digest, edu.is_secretariat_head) == (
            "edu@new.example.org", "weekly", True)
