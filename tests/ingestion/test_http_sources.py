"""HTTP sources against real servers on 127.0.0.1: Socrata paging and filters, CKAN
datastore_search, a generic JSON API, and what happens when they are slow, down or wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from delivery.ingestion import run_source
from delivery.models import DataQualityFlag, Figure, Goal, JobRun, RunState
from tests.factories import make_goal
from tests.ingestion.conftest import (
    MAPPINGS,
    NOW,
    SHIPPED_MAPPINGS,
    Hit,
    Reply,
    ckan_route,
    isp_ckan_records,
    sinesp_socrata_records,
    socrata_route,
)

STATES = ("Pernambuco", "Alagoas", "Paraíba")
TOKEN = "tok-123"


@pytest.fixture
def socrata(api, realdata):
    records = sinesp_socrata_records(realdata, STATES)
    api.routes["/resource/sinesp-uf.json"] = socrata_route(records, token=TOKEN)
    return records


@pytest.fixture
def socrata_source(add_source, api, socrata):
    return add_source(
        name="sinesp-pe", kind="socrata", url=api.url("/resource/sinesp-uf.json"),
        where="uf = 'Pernambuco'", page_size=200, schedule={"cron": "0 6 * * *"},
        headers_from_env={"X-App-Token": "SOCRATA_APP_TOKEN"}, retries=2, backoff=1,
    )


def run(session_factory, source_id, now=NOW, **kwargs):
    kwargs.setdefault("environ", {"SOCRATA_APP_TOKEN": TOKEN})
    kwargs.setdefault("sleep", lambda _: None)
    return run_source(session_factory, source_id, now=now, **kwargs)


def test_socrata_pages_through_the_filtered_records_with_limit_and_offset(
        session_factory, api, socrata, socrata_source, count):
    pernambuco = [r for r in socrata if r["uf"] == "Pernambuco"]

    result = run(session_factory, socrata_source)

    assert result.state is RunState.SUCCEEDED, result.error
    assert result.rows_read == len(pernambuco) == 863
    assert result.figures_new == count(Figure) == 863
    assert result.goals_created == 9 and result.rejected == 0
    offsets = [int(h.query["$offset"]) for h in api.hits]
    assert offsets == [0, 200, 400, 600, 800]
    assert {h.query["$limit"] for h in api.hits} == {"200"}
    assert {h.query["$where"] for h in api.hits} == {"uf = 'Pernambuco'"}
    assert {h.query["$order"] for h in api.hits} == {":id"}
    assert {h.headers["x-app-token"] for h in api.hits} == {TOKEN}
    with session_factory() as session:
        codes = set(session.scalars(select(Goal.code)))
        assert "SINESP/Pernambuco/Homicídio doloso" in codes and len(codes) == 9
        sources = set(session.scalars(select(Figure.source)))
        assert sources == {"SINESP (Socrata API)"}
        run_row = session.get(JobRun, result.run_id)
        assert (run_row.state, run_row.rows_read, run_row.figures_new) == (
            RunState.SUCCEEDED, 863, 863)
        assert run_row.finished_at is not None and run_row.error is None


def test_pulling_the_same_data_again_adds_nothing_and_a_changed_value_is_a_revision(
        session_factory, socrata, socrata_source, count):
    run(session_factory, socrata_source)
    again = run(session_factory, socrata_source, now=NOW + timedelta(hours=1))
    assert (again.figures_new, again.figures_revised, again.figures_unchanged) == (0, 0, 863)
    assert count(Figure) == 863

    target = next(r for r in socrata if r["uf"] == "Pernambuco" and r["ano"] == "2022"
                  and r["mes"] == "dezembro" and r["tipo_crime"] == "Homicídio doloso")
    old = target["ocorrencias"]
    target["ocorrencias"] = str(int(old) + 7)
    corrected = run(session_factory, socrata_source, now=NOW + timedelta(hours=2))

    assert (corrected.figures_new, corrected.figures_revised) == (0, 1)
    assert count(Figure) == 864
    with session_factory() as session:
        revisions = session.scalars(
            select(Figure).join(Goal).where(Goal.code == "SINESP/Pernambuco/Homicídio doloso",
                                            Figure.period_start == date(2022, 12, 1))
            .order_by(Figure.revision)).all()
        assert [(f.revision, f.value) for f in revisions] == [
            (1, float(old)), (2, float(old) + 7)]


def test_malformed_records_are_rejected_with_reasons_and_the_good_ones_kept(
        session_factory, socrata, socrata_source, count):
    base = {"uf": "Pernambuco", "tipo_crime": "Homicídio doloso", "ano": "2023"}
    socrata += [
        {":id": "zz-1", **base, "mes": "janeiro", "ocorrencias": "n/d"},
        {":id": "zz-2", **base, "mes": "treze", "ocorrencias": "12"},
        {":id": "zz-3", **base, "mes": "fevereiro", "ocorrencias": "298"},
    ]

    result = run(session_factory, socrata_source)

    assert result.state is RunState.SUCCEEDED
    assert result.rows_read == 866 and result.rejected == 3
    assert result.figures_new == count(Figure) == 863  # February 2023 is not over on NOW
    reasons = [str(e) for e in result.rejections]
    assert reasons == ["sinesp-pe:864 ocorrencias: 'n/d' is not a number",
                       f"sinesp-pe:865 mes: {result.rejections[1].reason}",
                       "sinesp-pe:866 mes: the period ends on 2023-02-28, after the review "
                       "date 2023-01-10: a figure is reported once its period is over"]
    assert "treze" in result.rejections[1].reason
    with session_factory() as session:
        assert session.get(JobRun, result.run_id).rejections == reasons


def test_a_server_error_is_retried_with_backoff_then_the_pull_succeeds(
        session_factory, api, socrata, socrata_source, pauses, count):
    route = api.routes["/resource/sinesp-uf.json"]
    failures = {"left": 2}

    def flaky(hit: Hit) -> Reply:
        if hit.query["$offset"] == "400" and failures["left"]:
            failures["left"] -= 1
            return Reply(500, {"error": True, "message": "Internal error"})
        return route(hit)

    api.routes["/resource/sinesp-uf.json"] = flaky
    result = run(session_factory, socrata_source, sleep=pauses.append)

    assert result.state is RunState.SUCCEEDED and result.retries == 2
    assert pauses == [1.0, 2.0]  # backoff 1s, doubled
    assert count(Figure) == 863
    assert [h.query["$offset"] for h in api.hits] == ["0", "200", "400", "400", "400", "600",
                                                      "800"]


def test_a_source_that_keeps_failing_is_logged_as_failed_with_the_reason_and_writes_nothing(
        session_factory, api, socrata, socrata_source, pauses, count):
    route = api.routes["/resource/sinesp-uf.json"]
    api.routes["/resource/sinesp-uf.json"] = lambda hit: (
        Reply(503, b"<html>Service Unavailable</html>") if hit.query["$offset"] == "600"
        else route(hit))

    result = run(session_factory, socrata_source, sleep=pauses.append)

    assert result.state is RunState.FAILED
    assert result.error == ("page at offset 600: gave up after 3 attempts: HTTP 503 from "
                            f"127.0.0.1:{api.server.server_address[1]}: "
                            "<html>Service Unavailable</html>")
    assert pauses == [1.0, 2.0] and count(Figure) == 0 and count(Goal) == 0
    with session_factory() as session:
        logged = session.get(JobRun, result.run_id)
        assert (logged.state, logged.error, logged.retries) == (
            RunState.FAILED, result.error, 2)
        assert logged.finished_at is not None


def test_a_slow_server_times_out_and_is_retried(session_factory, api, add_source, pauses):
    api.routes["/slow"] = lambda hit: Reply(200, [], delay=5.0)
    source = add_source(name="slow", kind="socrata", url=api.url("/slow"), timeout=0.3,
                        retries=1, backoff=0.5)

    started = datetime.now(UTC)
    result = run(session_factory, source, sleep=pauses.append)

    assert result.state is RunState.FAILED
    assert "gave up after 2 attempts" in result.error and "did not answer within 0.3s" in \
        result.error
    assert len(api.hits) == 2 and pauses == [0.5]
    assert datetime.now(UTC) - started < timedelta(seconds=4)


def test_a_server_that_is_down_is_retried_then_failed(session_factory, add_source, pauses):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = add_source(name="down", kind="ckan", url=f"http://127.0.0.1:{port}",
                        resource_id="abc", mapping=str(SHIPPED_MAPPINGS / "isp_rj_monthly.yaml"),
                        retries=3, backoff=2)

    result = run(session_factory, source, sleep=pauses.append)

    assert result.state is RunState.FAILED and result.retries == 3
    assert "cannot reach 127.0.0.1" in result.error and "gave up after 4 attempts" in result.error
    assert pauses == [2.0, 4.0, 8.0]


def test_a_refusal_is_not_retried(session_factory, api, socrata, socrata_source, pauses):
    result = run(session_factory, socrata_source, environ={"SOCRATA_APP_TOKEN": "wrong"},
                 sleep=pauses.append)

    assert result.state is RunState.FAILED and pauses == [] and len(api.hits) == 1
    assert "HTTP 403" in result.error and "Invalid app_token specified" in result.error


def test_a_missing_credential_fails_the_run_and_names_the_variable(
        session_factory, api, socrata, socrata_source):
    result = run(session_factory, socrata_source, environ={})

    assert result.state is RunState.FAILED and api.hits == []
    assert result.error == ("environment variable SOCRATA_APP_TOKEN (for the header "
                            "X-App-Token) is not set")


def test_ckan_datastore_search_pages_with_offset_and_consolidates_provisional_figures(
        session_factory, api, realdata, add_source, count):
    records = isp_ckan_records(realdata, last=60)
    api.routes["/api/3/action/datastore_search"] = ckan_route(records, "isp-rj-monthly")
    source = add_source(name="isp-rj", kind="ckan", url=api.url("/"), page_size=25,
                        resource_id="isp-rj-monthly",
                        mapping=str(SHIPPED_MAPPINGS / "isp_rj_monthly.yaml"))
    now = datetime(2021, 6, 20, tzinfo=UTC)

    first = run(session_factory, source, now=now)

    assert first.state is RunState.SUCCEEDED, first.error
    assert [h.query["offset"] for h in api.hits] == ["0", "25", "50"]
    assert {h.query["sort"] for h in api.hits} == {"_id"}
    filled = sum(1 for r in records for k, v in r.items()
                 if k not in ("_id", "ano", "mes", "fase") and v is not None)
    provisional = sum(1 for r in records if r["fase"] == 2 for k, v in r.items()
                      if k not in ("_id", "ano", "mes", "fase") and v is not None)
    assert provisional > 0 and first.rows_read == 60
    assert first.figures_new == count(Figure) == filled
    assert count(Figure, Figure.is_provisional.is_(True)) == provisional

    for record in records:  # ISP-RJ consolidates its figures: fase 2 becomes 3
        record["fase"] = 3
    second = run(session_factory, source, now=now + timedelta(days=30))

    assert (second.figures_new, second.figures_revised) == (0, 0)
    assert second.figures_consolidated == provisional
    assert second.figures_unchanged == filled - provisional
    assert count(Figure) == filled + provisional


def test_ckan_refusing_the_query_fails_the_run_with_its_message(
        session_factory, api, realdata, add_source):
    api.routes["/api/3/action/datastore_search"] = ckan_route(
        isp_ckan_records(realdata, last=3), "isp-rj-monthly")
    source = add_source(name="isp-wrong", kind="ckan", url=api.url("/"), resource_id="nope",
                        mapping=str(SHIPPED_MAPPINGS / "isp_rj_monthly.yaml"))

    result = run(session_factory, source)

    assert result.state is RunState.FAILED
    assert "HTTP 404" in result.error and "Resource was not found" in result.error


@pytest.fixture
def sds_goals(session_factory):
    with session_factory() as session, session.begin():
        for code in ("SDS-01", "SDS-02"):
            make_goal(session, code=code)


def test_a_generic_json_api_follows_next_links_and_rejects_records_that_are_not_objects(
        session_factory, api, add_source, sds_goals, count):
    pages = {
        "1": {"data": {"items": [
            {"goal": {"code": "SDS-01"}, "month": "2022-11", "value": 41, "status": "final"},
            {"goal": {"code": "SDS-01"}, "month": "2022-12", "value": 38,
             "status": "preliminary"},
            "-- export truncated --",
        ]}, "links": {"next": "/v1/figures?page=2"}},
        "2": {"data": {"items": [
            {"goal": {"code": "SDS-02"}, "month": "2022-12", "value": 7.5, "status": "final"},
            {"goal": {"code": "SDS-99"}, "month": "2022-12", "value": 1, "status": "final"},
        ]}, "links": {"next": None}},
    }
    api.routes["/v1/figures"] = lambda hit: Reply(200, pages[hit.query.get("page", "1")])
    source = add_source(name="sds-api", kind="json", url=api.url("/v1/figures"),
                        records="data.items", next="links.next", params={"since": "2022-11"},
                        mapping=str(MAPPINGS / "json_figures.yaml"))

    result = run(session_factory, source)

    assert result.state is RunState.SUCCEEDED, result.error
    assert [h.query for h in api.hits] == [{"since": "2022-11"}, {"page": "2"}]
    assert result.rows_read == 5 and result.figures_new == count(Figure) == 3
    assert [str(e) for e in result.rejections] == [
        'sds-api:3 : the record is not an object but a text: "-- export truncated --"',
        f"sds-api:5 goal.code: {result.rejections[1].reason}",
    ]
    assert "SDS-99" in result.rejections[1].reason
    assert count(Figure, Figure.is_provisional.is_(True)) == 1


def test_a_goal_without_a_new_figure_after_its_reporting_period_is_flagged_late_once(
        session_factory, api, socrata, socrata_source, count):
    late = DataQualityFlag.kind == "late"
    run(session_factory, socrata_source)  # December 2022 is the last month: nothing late yet
    assert count(DataQualityFlag, late) == 0
    api.routes["/resource/sinesp-uf.json"] = lambda hit: Reply(500, {"error": True})

    march = datetime(2023, 3, 15, 6, tzinfo=UTC)  # January's figure was due by 3 March
    down = run(session_factory, socrata_source, now=march)

    assert down.state is RunState.FAILED and down.flags_raised == 9
    with session_factory() as session:
        flags = session.scalars(select(DataQualityFlag).where(late)).all()
        assert len(flags) == 9
        assert {f.evidence["period_end"] for f in flags} == {"2023-01-31"}
        assert {f.evidence["source"] for f in flags} == {"sinesp-pe"}
        assert session.get(JobRun, down.run_id).flags_raised == 9
    again = run(session_factory, socrata_source, now=march + timedelta(days=1))
    assert again.flags_raised == 0 and count(DataQualityFlag, late) == 9


def test_the_data_quality_checks_run_on_what_a_pull_wrote(session_factory, socrata,
                                                          socrata_source, count):
    first = run(session_factory, socrata_source)
    assert first.flags_raised == count(DataQualityFlag) > 0  # the real series have findings
    with session_factory() as session:
        flags = session.scalars(select(DataQualityFlag)).all()
        assert {f.evidence["raised_by"] for f in flags} == {"source:sinesp-pe"}
        assert "late" not in {f.kind for f in flags}

    again = run(session_factory, socrata_source, now=NOW + timedelta(hours=1))
    assert again.flags_raised == 0  # nothing written, nothing new to doubt
