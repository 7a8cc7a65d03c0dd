"""``delivery sources``, ``delivery jobs`` and ``delivery jobs run-now`` as a person uses them."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from click.testing import CliRunner

from delivery.cli import main
from delivery.db import transaction
from delivery.ingestion import acquire_lease
from delivery.scheduler import Scheduler
from delivery.settings import load_settings
from tests.ingestion.conftest import SHIPPED_MAPPINGS, SINESP, wait_until


@pytest.fixture
def cli(database_url, session_factory, monkeypatch):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def sources_file(tmp_path, realdata):
    (tmp_path / "drop").mkdir()
    shutil.copy(realdata / SINESP, tmp_path / "drop" / SINESP)
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [
        {"name": "sinesp-drop", "kind": "file_drop", "folder": "drop",
         "mapping": str(SHIPPED_MAPPINGS / "sinesp_uf_monthly.yaml"),
         "schedule": {"cron": "30 5 * * *", "timezone": "America/Recife"}},
        {"name": "sinesp-api", "kind": "socrata", "url": "https://example.invalid/r.json",
         "mapping": str(SHIPPED_MAPPINGS / "sinesp_uf_monthly.yaml"), "enabled": False},
    ]}), encoding="utf-8")
    return path


def test_sources_are_added_from_a_file_and_listed(cli, sources_file):
    added = cli("sources", "add", str(sources_file))
    assert added.exit_code == 0
    assert added.output.splitlines() == ["created   sinesp-drop", "created   sinesp-api"]
    assert cli("sources", "add", str(sources_file)).output.startswith("unchanged sinesp-drop")

    listed = cli("sources", "list").output.splitlines()
    assert listed[0].split()[:2] == ["sinesp-api", "socrata"]
    assert "on request only" in listed[0] and listed[0].endswith("never run (disabled)")
    assert "cron 30 5 * * * (America/Recife)" in listed[1]


def test_a_wrong_source_file_exits_2_with_the_reason(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("sources:\n  - name: x\n    kind: ftp\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sources", "add", str(path)])
    assert result.exit_code == 2 and "x.kind: should be one of" in result.output


def test_run_now_leaves_a_request_the_scheduler_runs_and_jobs_lists_the_run(
        cli, sources_file, session_factory):
    cli("sources", "add", str(sources_file))
    cli("sources", "disable", "sinesp-drop")  # off its schedule; a request still runs it
    assert cli("jobs").output == "No runs yet.\n"

    asked = cli("jobs", "run-now", "sinesp-drop")
    assert asked.output.startswith("run-now request #1 for sinesp-drop left for the scheduler")
    assert "no scheduler is running" in asked.output
    unknown = CliRunner().invoke(main, ["jobs", "run-now", "nope"])
    assert unknown.exit_code == 1 and "sources: sinesp-api, sinesp-drop" in unknown.output

    scheduler = Scheduler(session_factory, load_settings({"scheduler_poll_seconds": 0.2}),
                          holder="test-scheduler")
    scheduler.start()
    try:
        assert wait_until(lambda: "succeeded" in cli("jobs").output, timeout=60)
    finally:
        scheduler.shutdown()

    (line,) = cli("jobs").output.splitlines()
    assert line.startswith("#1     sinesp-drop")
    assert "succeeded read 23,020, new 23,020, revised 0, consolidated 0, unchanged 0, " \
           "rejected 0, flags " in line  # the data-quality checks' and, on the real clock, late
    shown = cli("jobs", "show", "1").output
    assert "trigger: request; ran in: test-scheduler" in shown and f"file: {SINESP}" in shown
    assert cli("jobs", "--failed").output == "No runs yet.\n"
    assert "last run #1 succeeded" in cli("sources", "list").output


def test_run_now_says_nothing_about_the_scheduler_when_one_holds_the_lease(cli, sources_file,
                                                                         session_factory):
    cli("sources", "add", str(sources_file))
    with transaction(session_factory) as session:
        acquire_lease(session, "elsewhere", now=datetime.now(UTC), duration=timedelta(hours=1))
    asked = cli("jobs", "run-now", "sinesp-drop")
    assert asked.output == "run-now request #1 for sinesp-drop left for the scheduler\n"


def test_disabling_a_source_is_shown_in_the_list(cli, sources_file):
    cli("sources", "add", str(sources_file))
    assert cli("sources", "disable", "sinesp-drop").output == "sinesp-drop: disabled\n"
    assert "(disabled)" in cli("sources", "list").output.splitlines()[1]
    assert cli("sources", "enable", "sinesp-drop").output == "sinesp-drop: enabled\n"
