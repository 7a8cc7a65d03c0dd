"""Delivery-plan writes through the API: milestones done or moved, physical progress, risks;
scoped as the screens scope them, refused with the screens' own messages (the same
``delivery.plans.edits``), audited as the token's person, idempotent, and safe when the same
request arrives twice at once."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from delivery.access import Viewer
from delivery.models import (
    AuditEntry,
    Initiative,
    Milestone,
    MilestoneRevision,
    ProgressReport,
    Risk,
    User,
)
from delivery.plans.edits import PlanEditError, report_progress
from delivery.plans.vocabulary import Stage
from tests.api.conftest import PEOPLE

EDITORS = {"analyst", "admin", "secretariat"}  # of SDS's police stations


@pytest.fixture(scope="module")
def ids(api) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The stations' milestones and risk, and SJDH's initiative in SDS's pact (which SDS's
    secretariat sees but does not lead)."""
    with api.factory() as session, session.begin():
        partner = Initiative(code="SJDH-CASA", name="Women's houses",
                             secretariat_id=api.gov.secretariats["SJDH"],
                             pact_id=api.gov.pacts["life"], stage=Stage.IN_PROGRESS,
                             milestones=[Milestone(name="Lease", position=1,
                                                   baseline_on=date(2023, 3, 1),
                                                   forecast_on=date(2023, 3, 1), owner="x")])
        session.add(partner)
        session.flush()
        session.add(Risk(initiative_id=partner.id, description="Rent", probability=2,
                         impact=2, owner="x"))
        stations = api.plans.initiatives["stations"]
        risk = session.scalar(select(Risk.id).where(Risk.initiative_id == stations))
        partner_risk = session.scalar(select(Risk.id).where(Risk.initiative_id == partner.id))
        return {"contract": api.plans.milestones["Works contract"],
                "opening": api.plans.milestones["Opening"], "risk": risk,
                "lease": partner.milestones[0].id, "partner_risk": partner_risk}


def written(api) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Everything a refused plan write must leave as it was."""
    with api.factory() as session:
        return {"revisions": session.scalar(select(func.count(MilestoneRevision.id))),
                "reports": session.scalar(select(func.count(ProgressReport.id))),
                "milestones": sorted(session.execute(select(
                    Milestone.id, Milestone.forecast_on, Milestone.actual_on)).all()),
                "risks": sorted(session.execute(select(
                    Risk.id, Risk.probability, Risk.impact, Risk.status, Risk.mitigation,
                    Risk.review_on)).all()),
                "changes": session.scalar(select(func.count(AuditEntry.id)).where(
                    AuditEntry.action != "api"))}


def username(api, persona: str) -> str:  # type: ignore[no-untyped-def]
    with api.factory() as session:
        return session.get(User, api.gov.users[persona]).username  # type: ignore[union-attr]


def milestone_path(ids: dict[str, Any], name: str = "contract", code: str = "SDS-DELEG") -> str:
    return f"/initiatives/{code}/milestones/{ids[name]}"


def risk_path(ids: dict[str, Any], name: str = "risk", code: str = "SDS-DELEG") -> str:
    return f"/initiatives/{code}/risks/{ids[name]}"


def raw(api, persona, method, path, text, **headers):  # type: ignore[no-untyped-def]
    """A body sent as written (NaN and Infinity as JavaScript writes them)."""
    return api.call(persona, method, path, data=text if isinstance(text, str)
                    else json.dumps(text), content_type="application/json", headers=headers)


def audited(api, object_type: str, object_id: int) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    with api.factory() as session:
        return [(a, after) for a, after in session.execute(
            select(AuditEntry.actor, AuditEntry.after).where(
                AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
            .order_by(AuditEntry.id))]


# -- happy paths -----------------------------------------------------------------------------


def test_a_milestone_is_marked_done_audited_as_the_tokens_person(api, ids):
    answer = api.call("secretariat", "PATCH", milestone_path(ids),
                      json={"actual_on": "2022-12-20"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["id"], body["actual_on"], body["changed"]) == (ids["contract"], "2022-12-20",
                                                                True)
    assert body["status"] == "done_late"
    actor, after = audited(api, "Milestone", ids["contract"])[-1]
    assert actor == username(api, "secretariat") and after == {"actual_on": "2022-12-20"}
    again = api.call("secretariat", "PATCH", milestone_path(ids),
                     json={"actual_on": "2022-12-20"})
    assert again.status_code == 200 and again.get_json()["changed"] is False


def test_a_forecast_moves_with_its_reason_as_a_new_revision(api, ids):
    before = written(api)
    answer = api.call("analyst", "PATCH", milestone_path(ids, "opening"),
                      json={"forecast_on": "2023-10-31", "reason": "licence came late"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["forecast_on"] == "2023-10-31"
    with api.factory() as session:
        revision = session.scalars(select(MilestoneRevision).where(
            MilestoneRevision.milestone_id == ids["opening"]).order_by(
            MilestoneRevision.id.desc())).first()
        baseline = session.get(Milestone, ids["opening"]).baseline_on  # type: ignore[union-attr]
    assert (revision.forecast_on, revision.reason, revision.changed_by) == (
        date(2023, 10, 31), "licence came late", username(api, "analyst"))
    assert baseline == date(2023, 6, 30)  # the baseline never moves
    assert written(api)["revisions"] == before["revisions"] + 1
    assert audited(api, "Milestone", ids["opening"])[-1] == (
        username(api, "analyst"), {"forecast_on": "2023-10-31"})


def test_physical_progress_is_a_new_report_and_the_same_again_writes_nothing(api):
    body = {"on": "2023-01-05", "physical_pct": 31.5}
    first = api.call("secretariat", "POST", "/initiatives/SDS-DELEG/progress", json=body)
    assert first.status_code == 201, first.get_json()
    assert first.get_json() == {"initiative": "SDS-DELEG", "on": "2023-01-05",
                                "physical_pct": 31.5, "note": None,
                                "reported_by": "sonia", "changed": True}
    before = written(api)
    again = api.call("secretariat", "POST", "/initiatives/SDS-DELEG/progress", json=body)
    assert again.status_code == 201 and again.get_json()["changed"] is False
    assert written(api) == before
    corrected = api.call("analyst", "POST", "/initiatives/SDS-DELEG/progress",
                         json={**body, "physical_pct": 33})
    assert corrected.get_json()["changed"] is True
    with api.factory() as session:
        reports = session.execute(select(ProgressReport.physical_pct, ProgressReport.reported_by)
                                  .where(ProgressReport.on == date(2023, 1, 5))
                                  .order_by(ProgressReport.id)).all()
    assert reports == [(31.5, "sonia"), (33.0, username(api, "analyst"))]  # kept, not replaced


def test_a_risk_changes_only_the_fields_sent_and_the_audit_keeps_before_and_after(api, ids):
    answer = api.call("secretariat", "PATCH", risk_path(ids),
                      json={"probability": 2, "mitigation": "land swap agreed",
                            "review_on": "2023-02-15"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["probability"], body["impact"], body["status"], body["score"]) == (
        2, 4, "open", 8)
    assert (body["mitigation"], body["review_on"], body["changed"]) == (
        "land swap agreed", "2023-02-15", True)
    with api.factory() as session:
        actor, before, after = session.execute(
            select(AuditEntry.actor, AuditEntry.before, AuditEntry.after).where(
                AuditEntry.object_type == "Risk", AuditEntry.object_id == str(ids["risk"]))
            .order_by(AuditEntry.id.desc())).first()
    assert actor == "sonia"
    assert before["probability"] == 4 and after["probability"] == 2
    closed = api.call("analyst", "PATCH", risk_path(ids), json={"status": "closed",
                                                                "review_on": None})
    assert closed.get_json()["status"] == "closed" and closed.get_json()["review_on"] is None
    api.call("analyst", "PATCH", risk_path(ids), json={"status": "open", "probability": 4})


# -- who may -----------------------------------------------------------------------------------


def _expected(api, persona: str, code: str) -> int:  # type: ignore[no-untyped-def]
    """200/201 for those who lead it or the unit; 403 for those who see it but may not change
    it (the governor, a pact partner); 404 for those who do not see it."""
    sees = api.call(persona, "GET", f"/initiatives/{code}").status_code == 200
    leads = persona in {"analyst", "admin"} or (persona == "secretariat" and code == "SDS-DELEG")
    return 0 if leads else 403 if sees else 404


WRITES = [
    ("PATCH", "milestone", {"forecast_on": "2023-04-01", "reason": "scope check"}),
    ("POST", "progress", {"on": "2022-11-30", "physical_pct": 12}),
    ("PATCH", "risk", {"impact": 5}),
]


@pytest.mark.parametrize("code", ["SDS-DELEG", "SJDH-CASA"], ids=["sds-own", "pact-partners"])
@pytest.mark.parametrize(("method", "what", "body"), WRITES, ids=[w[1] for w in WRITES])
@pytest.mark.parametrize("persona", PEOPLE)
def test_each_write_is_scoped_as_the_screens(api, ids, persona, method, what, body, code):
    path = {"milestone": milestone_path(ids, "contract" if code == "SDS-DELEG" else "lease",
                                        code),
            "progress": f"/initiatives/{code}/progress",
            "risk": risk_path(ids, "risk" if code == "SDS-DELEG" else "partner_risk", code)}
    expected = _expected(api, persona, code)
    before = written(api)
    answer = api.call(persona, method, path[what], json=body)
    if expected:
        assert answer.status_code == expected, (persona, answer.get_json())
        assert answer.content_type == "application/problem+json"
        assert written(api) == before
    else:
        assert answer.status_code in (200, 201), (persona, answer.get_json())


def test_the_governor_is_refused_with_the_screens_words(api, ids):
    answer = api.call("governor", "PATCH", risk_path(ids), json={"impact": 1})
    assert answer.status_code == 403
    assert answer.get_json()["detail"] == "You may only change risks of your own initiatives."


@pytest.mark.parametrize("path", [
    "/initiatives/NOPE/milestones/{contract}", "/initiatives/SEE-ETI/milestones/{contract}",
    "/initiatives/SDS-DELEG/milestones/99999999999", "/initiatives/SDS-DELEG/risks/0",
    "/initiatives/SEE-ETI/risks/{risk}",
], ids=["no-initiative", "milestone-of-another", "id-beyond-the-column", "id-0",
        "risk-of-another"])
def test_a_milestone_or_risk_not_of_that_initiative_is_not_found(api, ids, path):
    before = written(api)
    body = {"actual_on": "2022-12-01"} if "milestones" in path else {"impact": 2}
    answer = api.call("analyst", "PATCH", path.format(**ids), json=body)
    assert answer.status_code == 404
    assert answer.content_type == "application/problem+json"
    assert written(api) == before


# -- refused values ----------------------------------------------------------------------------


def screens_words(api, pct: object) -> str:  # type: ignore[no-untyped-def]
    """What the /report and workspace forms (``report_progress``) say of the same percentage;
    the session is rolled back."""
    with api.factory() as session:
        viewer = Viewer.of(session.get(User, api.gov.users["secretariat"]))
        try:
            report_progress(session, viewer, api.plans.initiatives["stations"], "2023-01-01",
                            pct)
        except PlanEditError as error:
            return error.reason
        finally:
            session.rollback()
    raise AssertionError("the screens accept it")


@pytest.mark.parametrize(("text", "field"), [
    ('{"on": "2023-01-09", "physical_pct": NaN}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": Infinity}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": -Infinity}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": 250}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": -5}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": "lots"}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": true}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": [50]}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": {"value": 50}}', "physical_pct"),
    ('{"on": "2023-01-09", "physical_pct": null}', "physical_pct"),
    ('{"on": "0001-01-01", "physical_pct": 50}', "on"),
    ('{"on": "9999-12-31", "physical_pct": 50}', "on"),
    ('{"on": "2023-02-30", "physical_pct": 50}', "on"),
    ('{"on": 20230109, "physical_pct": 50}', "on"),
    ('{"physical_pct": 50}', "on"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": "' + "x" * 100_000 + '"}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": "' + "x" * 2001 + '"}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": "bell\\u0007"}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": "\\u001b[2J"}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": "\\ud800"}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": 7}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": ["rain"]}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": {"text": "rain"}}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "note": true}', "note"),
    ('{"on": "2023-01-09", "physical_pct": 50, "notes": "rain"}', "notes"),
], ids=["NaN", "Infinity", "-Infinity", "250", "-5", "text", "true", "list", "object",
        "null", "year-0001", "year-9999", "no-such-day", "date-as-number", "no-date",
        "note-100000", "note-2001", "note-bell", "note-escape", "note-surrogate", "note-number",
        "note-list", "note-object", "note-true", "unknown-field"])
def test_bad_progress_is_refused_naming_the_field(api, text, field):
    before = written(api)
    answer = raw(api, "secretariat", "POST", "/initiatives/SDS-DELEG/progress", text)
    assert answer.status_code == 422, answer.get_json()
    assert answer.content_type == "application/problem+json"
    assert [e["field"] for e in answer.get_json()["errors"]] == [field]
    assert written(api) == before


def test_a_note_with_a_nul_is_refused_before_it_is_read(api):
    before = written(api)
    answer = raw(api, "secretariat", "POST", "/initiatives/SDS-DELEG/progress",
                 '{"on": "2023-01-09", "physical_pct": 50, "note": "rain\\u0000"}')
    assert answer.status_code == 400 and "NUL" in answer.get_json()["detail"]
    assert written(api) == before


def test_a_note_over_the_limit_gets_the_screens_own_words(api):
    answer = raw(api, "secretariat", "POST", "/initiatives/SDS-DELEG/progress",
                 {"on": "2023-01-09", "physical_pct": 50, "note": "x" * 2001})
    assert answer.get_json()["errors"] == [{"field": "note", "pointer": "/note",
                                            "detail": "longer than 2000 characters"}]


@pytest.mark.parametrize("pct", ["NaN", "Infinity", "250", "-5", '"lots"'])
def test_a_refused_percentage_gets_the_screens_own_words(api, pct):
    answer = raw(api, "secretariat", "POST", "/initiatives/SDS-DELEG/progress",
                 f'{{"on": "2023-01-09", "physical_pct": {pct}}}')
    assert answer.get_json()["errors"][0]["detail"] == screens_words(api, json.loads(pct))


@pytest.mark.parametrize(("body", "field"), [
    ({"actual_on": "0001-01-01"}, "actual_on"), ({"actual_on": "9999-12-31"}, "actual_on"),
    ({"actual_on": "2199-01-01"}, "actual_on"),  # after the review date
    ({"actual_on": None}, "actual_on"), ({"actual_on": 5}, "actual_on"),
    ({"forecast_on": "2023-08-01"}, "reason"), ({"forecast_on": "2023-08-01", "reason": " "},
                                                "reason"),
    ({"forecast_on": "2023-08-01", "reason": "x" * 100_000}, "reason"),
    ({"forecast_on": "9999-01-01", "reason": "why"}, "forecast_on"),
    ({"forecast_on": ["2023-08-01"], "reason": "why"}, "forecast_on"),
    ({}, "actual_on"), ({"reason": "only a reason"}, "actual_on"),
    ({"actual_on": "2022-12-01", "done": True}, "done"),
], ids=["year-0001", "year-9999", "after-today", "null", "number", "no-reason", "blank-reason",
        "100k-reason", "forecast-9999", "forecast-list", "empty", "reason-alone",
        "unknown-field"])
def test_bad_milestone_changes_are_refused_naming_the_field(api, ids, body, field):
    before = written(api)
    answer = api.call("analyst", "PATCH", milestone_path(ids, "opening"), json=body)
    assert answer.status_code == 422, answer.get_json()
    assert answer.content_type == "application/problem+json"
    assert field in [e["field"] for e in answer.get_json()["errors"]]
    assert written(api) == before


@pytest.mark.parametrize(("text", "field"), [
    ('{"probability": NaN}', "probability"), ('{"impact": Infinity}', "impact"),
    ('{"probability": 6}', "probability"), ('{"impact": -5}', "impact"),
    ('{"probability": 2.5}', "probability"), ('{"impact": true}', "impact"),
    ('{"probability": "high"}', "probability"), ('{"status": "gone"}', "status"),
    ('{"status": 1}', "status"), ('{"review_on": "0001-01-01"}', "review_on"),
    ('{"review_on": "9999-12-31"}', "review_on"),
    ('{"mitigation": "' + "m" * 100_000 + '"}', "mitigation"),
    ('{"mitigation": {"a": {"b": [1]}}}', "mitigation"), ("{}", "status"),
    ('{"score": 25}', "score"),
], ids=["NaN", "Infinity", "6", "-5", "fraction", "true", "text", "unknown-status",
        "status-number", "year-0001", "year-9999", "100k-mitigation", "nested-object",
        "empty", "unknown-field"])
def test_bad_risk_changes_are_refused_naming_the_field(api, ids, text, field):
    before = written(api)
    answer = raw(api, "analyst", "PATCH", risk_path(ids), text)
    assert answer.status_code == 422, answer.get_json()
    assert [e["field"] for e in answer.get_json()["errors"]] == [field]
    assert written(api) == before


@pytest.mark.parametrize("path", ["/initiatives/SDS-DELEG/progress",
                                  "/initiatives/SDS-DELEG/risks/1"])
def test_deeply_nested_or_unreadable_json_is_refused(api, path):
    method = "POST" if path.endswith("progress") else "PATCH"
    deep = raw(api, "analyst", method, path, '{"on": ' + "[" * 5000 + "]" * 5000 + "}")
    assert deep.status_code == 400 and deep.content_type == "application/problem+json"
    broken = raw(api, "analyst", method, path, "{on: 1")
    assert broken.status_code in (400, 422)
    assert broken.content_type == "application/problem+json"
    listed = raw(api, "analyst", method, path, "[1, 2]")
    assert listed.status_code == 422


def test_refusals_are_in_the_readers_language(api, ids):
    pt = raw(api, "analyst", "POST", "/initiatives/SDS-DELEG/progress",
             '{"on": "2023-01-09", "physical_pct": 250}', **{"Accept-Language": "pt-BR"})
    assert pt.get_json()["errors"][0]["detail"] == "a execução física vai de 0 a 100 %"
    es = api.call("analyst", "PATCH", milestone_path(ids, "opening"), json={},
                  headers={"Accept-Language": "es"})
    assert es.get_json()["errors"] == [{
        "field": "actual_on", "pointer": "/actual_on",
        "detail": "envíe actual_on, forecast_on (con un motivo) o ambos"}]


# -- retries and twins ---------------------------------------------------------------------------


def test_a_retry_with_the_same_key_gets_the_first_answer_and_writes_nothing(api, ids):
    key = str(uuid.uuid4())
    body = {"forecast_on": "2023-11-15", "reason": "rains"}
    first = api.call("analyst", "PATCH", milestone_path(ids, "opening"), json=body,
                     headers={"Idempotency-Key": key})
    assert first.status_code == 200 and first.get_json()["changed"] is True
    before = written(api)
    retried = api.call("analyst", "PATCH", milestone_path(ids, "opening"), json=body,
                       headers={"Idempotency-Key": key})
    assert retried.status_code == 200
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.get_json() == first.get_json()
    assert written(api) == before
    other = api.call("analyst", "PATCH", milestone_path(ids, "opening"),
                     json={**body, "reason": "other"}, headers={"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.get_json()["errors"][0]["field"] == "Idempotency-Key"
    assert written(api) == before


def test_a_progress_note_is_kept_read_back_and_a_retry_with_its_key_writes_nothing(api):
    key, day = str(uuid.uuid4()), "2023-01-06"
    body = {"on": day, "physical_pct": 32, "note": "Works stopped by rain.\nResumed."}
    first = api.call("secretariat", "POST", "/initiatives/SDS-DELEG/progress", json=body,
                     headers={"Idempotency-Key": key})
    assert first.status_code == 201, first.get_json()
    assert first.get_json() == {"initiative": "SDS-DELEG", "on": day, "physical_pct": 32.0,
                                "note": "Works stopped by rain.\nResumed.",
                                "reported_by": "sonia", "changed": True}
    before = written(api)
    retried = api.call("secretariat", "POST", "/initiatives/SDS-DELEG/progress", json=body,
                       headers={"Idempotency-Key": key})
    assert retried.status_code == 201 and retried.headers["Idempotent-Replayed"] == "true"
    assert retried.get_json() == first.get_json()
    assert written(api) == before
    bare = api.call("secretariat", "POST", "/initiatives/SDS-DELEG/progress",
                    json={"on": day, "physical_pct": 32})  # no note: nothing new, note kept
    assert bare.get_json() == {**first.get_json(), "changed": False}
    assert written(api) == before
    reworded = api.call("analyst", "POST", "/initiatives/SDS-DELEG/progress",
                        json={**body, "note": "contract re-tendered"})
    assert reworded.get_json()["changed"] is True  # a new note for the same figure: new report
    assert written(api)["reports"] == before["reports"] + 1
    read = api.call("secretariat", "GET", "/initiatives/SDS-DELEG",
                    query_string={"as_of": "2023-01-16"}).get_json()
    assert {"on": day, "physical_pct": 32.0, "note": "contract re-tendered"} in read["progress"]


def _twins(api, method: str, path: str, body: dict[str, Any], key: str | None,
           n: int = 4) -> list[Any]:  # type: ignore[no-untyped-def]
    headers = {"Idempotency-Key": key} if key else None
    with ThreadPoolExecutor(n) as pool:
        answers = list(pool.map(lambda _i: api.call("analyst", method, path, json=body,
                                                    headers=headers), range(n)))
    return [(a.status_code, a.get_json()) for a in answers]


@pytest.mark.parametrize("keyed", [True, False], ids=["same-key", "no-key"])
def test_identical_requests_at_once_write_one_revision_and_no_error(api, ids, keyed):
    before = written(api)
    day = "2023-12-0" + ("1" if keyed else "2")
    moved = _twins(api, "PATCH", milestone_path(ids, "opening"),
                   {"forecast_on": day, "reason": "twins"}, str(uuid.uuid4()) if keyed else None)
    reported = _twins(api, "POST", "/initiatives/SDS-DELEG/progress",
                      {"on": day, "physical_pct": 40}, str(uuid.uuid4()) if keyed else None)
    assert {status for status, _body in moved} == {200}, moved
    assert {status for status, _body in reported} == {201}, reported
    assert sum(body["changed"] for _s, body in moved) == (4 if keyed else 1)
    after = written(api)
    assert after["revisions"] == before["revisions"] + 1
    assert after["reports"] == before["reports"] + 1
    assert after["changes"] - before["changes"] == 1  # the forecast moved once, audited once


def test_a_body_over_the_apis_limit_is_refused_before_it_is_read(api):
    before = written(api)
    answer = raw(api, "analyst", "POST", "/initiatives/SDS-DELEG/progress",
                 '{"on": "2023-01-09", "physical_pct": 50, "x": "' + "y" * 5 * 2**20 + '"}')
    assert answer.status_code == 413
    assert answer.content_type == "application/problem+json"
    assert written(api) == before


def test_the_openapi_document_shows_each_plan_write_with_an_example(api):
    paths = api.client().get("/api/v1/openapi.json").get_json()["paths"]
    for path, method, needed in [
            ("/api/v1/initiatives/{code}/milestones/{milestone_id}", "patch", "actual_on"),
            ("/api/v1/initiatives/{code}/progress", "post", "note"),
            ("/api/v1/initiatives/{code}/risks/{risk_id}", "patch", "probability")]:
        operation = paths[path][method]
        body = operation["requestBody"]["content"]["application/json"]
        assert needed in body["example"]
        assert {"403", "404", "422"} <= set(operation["responses"])
