"""``delivery meetings``: schedule, list, agenda and health on a small government, and the exit
status on bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner

from delivery.cli import main
from delivery.clock import pin_review_date
from delivery.figures import record_figure
from delivery.i18n import current_locale
from delivery.models import MeetingSeries, Objective, Pillar, Secretariat
from delivery.vocabulary import MeetingKind
from tests.factories import make_goal


@pytest.fixture
def cli(database_url, session_factory, monkeypatch):  # type: ignore[no-untyped-def]
    """A database with one objective (one goal off track), a Monday series from 2 Jan 2023 and
    the review date pinned to Monday 16 Jan 2023."""
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    with session_factory() as session, session.begin():
        pillar = Pillar(code="P", name="Pillar")
        objective = Objective(code="O", name="Safety", pillar=pillar)
        owner = Secretariat(code="S", name="Secretariat")
        session.add_all([pillar, objective, owner])
        goal = make_goal(session, code="G-OFF", name="Homicides", objective=objective,
                         owner=owner)
        record_figure(session, goal, date(2022, 12, 1), date(2022, 12, 31), 90.0,
                      reported_by="t", recorded_at=datetime(2023, 1, 5, tzinfo=UTC))
        session.add(MeetingSeries(title="Governor", kind=MeetingKind.GOVERNOR, weekday=0,
                                  every_weeks=1, starts_on=date(2023, 1, 2),
                                  invited=["Governor"]))
        pin_review_date(session, date(2023, 1, 16))
    runner = CliRunner()
    return lambda *args: runner.invoke(main, ["meetings", *args])


def test_schedule_agenda_and_health_from_the_command_line(cli):
    result = cli("schedule", "--through", "2023-01-16")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "scheduled 3 meetings up to 2023-01-16"
    assert "2023-01-16  Weekly review: Safety" in result.output
    assert cli("schedule", "--through", "2023-01-16").output.startswith("scheduled 0 meetings")

    listed = cli("list", "--from", "2023-01-16", "--to", "2023-01-16")
    meeting_id = listed.output.split()[0]
    assert "scheduled  Weekly review: Safety" in listed.output

    agenda = cli("agenda", meeting_id)
    assert agenda.exit_code == 0, agenda.output
    assert agenda.output.splitlines()[:2] == [
        "Weekly review: Safety, 16 Jan 2023 (scheduled)",
        "  1. [goal] Homicides (G-OFF): off track"]

    health = cli("health")
    assert health.exit_code == 0, health.output
    unit = health.output.splitlines()[2].split()
    assert health.output.startswith("Routine health as of 16 Jan 2023")
    # two meetings due (2 and 9 Jan), neither recorded as held: 0%; no commitments: "-"
    assert unit[-11:] == ["2", "0", "0", "0%", "0", "0", "0", "0", "-", "0", "-"]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["schedule"], 2, "Missing option '--through'"),
    (["schedule", "--through", "16/01/2023"], 2, "'16/01/2023' is not a date like 2024-06-30"),
    (["agenda", "abc"], 2, "'abc' is not a valid integer"),
    (["agenda", "999"], 1, "no meeting 999 (see `delivery meetings list`)"),
    (["health", "--as-of", "yesterday"], 2, "'yesterday' is not a date like 2024-06-30"),
], ids=["no-date", "bad-date", "bad-id", "unknown-meeting", "bad-as-of"])
def test_bad_input_exits_non_zero_with_a_message(cli, args, code, message):
    result = cli(*args)
    assert result.exit_code == code
    assert message in result.output


def test_every_meetings_command_has_help(cli):
    for command in ("schedule", "list", "agenda", "health"):
        result = cli(command, "--help")
        assert result.exit_code == 0 and "Usage: main meetings" in result.output


def test_the_command_speaks_the_site_language_and_leaves_it_behind(cli, monkeypatch):
    monkeypatch.setenv("DELIVERY_LANGUAGE", "pt_BR")
    cli("schedule", "--through", "2023-01-16")
    meeting_id = cli("list", "--from", "2023-01-16", "--to", "2023-01-16").output.split()[0]
    agenda = cli("agenda", meeting_id)
    assert agenda.exit_code == 0, agenda.output
    assert "Monitoramento semanal: Safety, 16/01/2023 (agendada)" in agenda.output
    assert "  1. [meta] Homicides (G-OFF)" in agenda.output  # the kind tag translated too
    health = cli("health")
    assert health.exit_code == 0, health.output
    assert "reuniões" in health.output and "no prazo" in health.output
    assert "meetings" not in health.output
    assert current_locale() == "en"  # the command's language ended with it
