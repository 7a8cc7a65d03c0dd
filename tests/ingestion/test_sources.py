"""Source definition files and schedules: what is accepted, what is refused and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import yaml

from delivery.db import transaction
from delivery.ingestion import (
    Schedule,
    ScheduleError,
    SourceFileError,
    load_sources,
    parse_schedule,
    save_sources,
)
from delivery.models import Source, SourceKind
from tests.ingestion.conftest import MAPPINGS, SHIPPED_MAPPINGS

EXAMPLE = f"""
sources:
  - name: isp-rj-drop
    kind: file_drop
    description: ISP-RJ monthly file, dropped by the secretariat
    folder: drops/isp
    mapping: {SHIPPED_MAPPINGS / "isp_rj_monthly.yaml"}
    schedule: {{every: 1h}}
  - name: sinesp-api
    kind: socrata
    url: https://dados.example.gov.br/resource/abcd-1234.json
    where: "uf = 'Pernambuco'"
    headers_from_env: {{X-App-Token: SOCRATA_APP_TOKEN}}
    mapping: {MAPPINGS / "sinesp_socrata.yaml"}
    schedule: {{cron: "0 6 * * 1-5", timezone: America/Recife}}
    timeout: 20s
    retries: 5
  - name: warehouse
    kind: sql
    url_env: WAREHOUSE_URL
    query: SELECT * FROM figures
    mapping: {MAPPINGS / "sql_figures.yaml"}
    enabled: false
"""


def write(tmp_path, text, name="sources.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_source_file_is_read_with_defaults_and_paths_relative_to_it(tmp_path):
    drop, api, sql = load_sources(write(tmp_path, EXAMPLE))

    assert (drop.kind, drop.config["folder"]) == (SourceKind.FILE_DROP,
                                                  str(tmp_path / "drops" / "isp"))
    assert drop.config["pattern"] == ["*.csv", "*.xlsx"] and drop.config["after"] == "move"
    assert drop.schedule == Schedule(interval_seconds=3600)
    assert api.schedule == Schedule(cron="0 6 * * 1-5", timezone="America/Recife")
    assert (api.timeout, api.retries, api.backoff) == (20.0, 5, 2.0)
    assert api.config["page_size"] == 1000 and api.config["order"] == ":id"
    assert api.config["headers_from_env"] == {"X-App-Token": "SOCRATA_APP_TOKEN"}
    assert (sql.enabled, sql.schedule.manual) == (False, True)


@pytest.mark.parametrize(("change", "message"), [
    ({"kind": "ftp"}, "kind: should be one of file_drop, socrata, ckan, json, sql"),
    ({"page": 2}, "sinesp-api.page: unknown key for a socrata source"),
    ({"url": None}, "sinesp-api.url: is required"),
    ({"mapping": "missing.yaml"}, "sinesp-api.mapping:"),
    ({"schedule": {"cron": "0 25 * * *"}}, "sinesp-api.schedule: cron '0 25 * * *'"),
    ({"schedule": {"every": "soon"}}, "'soon' is not a duration"),
    ({"schedule": {"cron": "0 6 * * *", "timezone": "Mars/Olympus"}}, "unknown time zone"),
    ({"headers_from_env": {"X-App-Token": "tok-123 literally"}},
     "NAME of an environment variable"),
    ({"retries": -1}, "retries: should be a whole number from 0 to 20"),
    ({"page_size": 0}, "page_size: should be a whole number above 0"),
], ids=["unknown-kind", "unknown-key", "missing-url", "missing-mapping", "bad-cron",
        "bad-interval", "bad-time-zone", "credential-in-file", "negative-retries", "zero-page"])
def test_a_wrong_source_is_refused_with_the_key_and_the_reason(tmp_path, change, message):
    raw = yaml.safe_load(EXAMPLE)
    raw["sources"][1].update(change)
    raw["sources"][1] = {k: v for k, v in raw["sources"][1].items() if v is not None}
    with pytest.raises(SourceFileError) as caught:
        load_sources(write(tmp_path, yaml.safe_dump(raw)))
    assert message in str(caught.value)


def test_two_sources_with_one_name_are_refused(tmp_path):
    raw = yaml.safe_load(EXAMPLE)
    raw["sources"][2]["name"] = "sinesp-api"
    with pytest.raises(SourceFileError, match="'sinesp-api' is used twice"):
        load_sources(write(tmp_path, yaml.safe_dump(raw)))


def test_saving_sources_creates_then_updates_by_name(session_factory, tmp_path):
    now = datetime(2024, 5, 1, tzinfo=UTC)
    with transaction(session_factory) as session:
        first = save_sources(session, load_sources(write(tmp_path, EXAMPLE)), now=now)
    changed = EXAMPLE.replace("retries: 5", "retries: 1")
    with transaction(session_factory) as session:
        second = save_sources(session, load_sources(write(tmp_path, changed)), now=now)
        row = session.query(Source).filter_by(name="sinesp-api").one()
        assert (row.retries, row.cron, row.timezone) == (1, "0 6 * * 1-5", "America/Recife")
        assert "SOCRATA_APP_TOKEN" in str(row.config) and "tok" not in str(row.config)

    assert first == {"isp-rj-drop": "created", "sinesp-api": "created", "warehouse": "created"}
    assert second == {"isp-rj-drop": "unchanged", "sinesp-api": "updated",
                      "warehouse": "unchanged"}


def test_a_missed_run_is_due_at_once_and_a_recent_one_is_not():
    daily = parse_schedule({"cron": "0 6 * * *", "timezone": "America/Recife"})  # 09:00 UTC
    last = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

    assert not daily.missed_since(last, datetime(2024, 5, 2, 8, 59, tzinfo=UTC))
    assert daily.missed_since(last, datetime(2024, 5, 2, 9, 0, tzinfo=UTC))
    assert daily.missed_since(None, last)
    hourly = parse_schedule({"every": "1h"})
    assert not hourly.missed_since(last, last + timedelta(minutes=59))
    assert hourly.missed_since(last, last + timedelta(minutes=60))
    assert not parse_schedule(None).missed_since(None, last)


@pytest.mark.parametrize(("raw", "seconds"), [("90", 90), ("45s", 45), ("30m", 1800),
                                               ("6h", 21600), ("1d", 86400), (120, 120)])
def test_intervals_are_written_with_a_unit(raw, seconds):
    assert parse_schedule({"every": raw}).interval_seconds == seconds


def test_a_schedule_with_both_cron_and_interval_is_refused():
    with pytest.raises(ScheduleError, match="either cron or every"):
        parse_schedule({"cron": "0 6 * * *", "every": "1h"})
