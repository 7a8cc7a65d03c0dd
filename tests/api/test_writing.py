"""Writes through the API: figures by the screens' own rules, revisions and messages;
Idempotency-Key; commitment updates; refusals that change nothing."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from delivery.figure_entry import read_row
from delivery.models import DataQualityFlag, Figure, Goal
from tests.api.conftest import PEOPLE

MONTH = {"period_start": "2023-01-01", "period_end": "2023-01-31"}


def push(api, persona, *figures, key=None):  # type: ignore[no-untyped-def]
    headers = {"Idempotency-Key": key} if key else None
    return api.call(persona, "POST", "/figures", json={"figures": list(figures)},
                    headers=headers)


def figure(goal, value, **more):  # type: ignore[no-untyped-def]
    return {"goal": goal, **MONTH, "value": value, **more}


def stored(api, code):  # type: ignore[no-untyped-def]
    with api.factory() as session:
        return session.execute(select(Figure.period_start, Figure.revision, Figure.value)
                               .join(Goal).where(Goal.code == code)
                               .order_by(Figure.period_start, Figure.revision)).all()


WHO_REPORTS = {"analyst": "SJDH-VAG", "admin": "SEE-ABAND", "secretariat": "SDS-ARM",
               "other_secretariat": "SEE-ALFA"}


@pytest.mark.parametrize("persona", PEOPLE)
def test_each_role_pushes_figures_for_the_goals_it_reports_on(api, persona):
    code = WHO_REPORTS.get(persona, "SDS-HOM")
    before = api.counts()
    answer = push(api, persona, figure(code, 88))
    if persona == "governor":  # reads everything, changes nothing
        assert answer.status_code == 403
        assert api.counts() == before
        return
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["figures"] == [{"row": 1, "goal": code,
                                             "period_start": "2023-01-01", "revision": 1,
                                             "outcome": "new"}]
    assert stored(api, code)[-1][1:] == (1, 88.0)


@pytest.mark.parametrize(("persona", "goal"), [
    ("secretariat", "SEE-ALFA"),  # another secretariat's goal
    ("secretariat", "SJDH-VAG"),  # a goal it sees (its pact) but does not own
    ("other_secretariat", "SDS-HOM"),
    ("analyst", "NO-SUCH-GOAL"),
], ids=["other-secretariat", "pact-goal-not-owned", "other-way-round", "unknown"])
def test_a_push_to_a_goal_not_ones_own_is_refused_and_changes_nothing(api, persona, goal):
    before = api.counts()
    own = WHO_REPORTS.get(persona, "SDS-HOM")
    answer = push(api, persona, figure(own, 77, period_start="2022-11-01",
                                       period_end="2022-11-30"), figure(goal, 1))
    assert answer.status_code == 403
    assert answer.content_type == "application/problem+json"
    assert answer.get_json()["errors"][0]["row"] == 2
    assert answer.get_json()["errors"][0]["field"] == "goal"
    assert api.counts() == before  # the good row was not stored either


def test_the_same_value_again_writes_nothing_and_a_new_value_is_a_revision(api):
    first = push(api, "analyst", figure("SDS-HOM", 85.5, period_start="2022-10-01",
                                        period_end="2022-10-31"))
    again = push(api, "analyst", figure("SDS-HOM", 85.5, period_start="2022-10-01",
                                        period_end="2022-10-31"))
    corrected = push(api, "analyst", figure("SDS-HOM", 86, period_start="2022-10-01",
                                            period_end="2022-10-31"))
    assert first.get_json()["new"] == 1
    assert again.get_json()["unchanged"] == 1
    assert again.get_json()["figures"][0]["revision"] == 1
    assert corrected.get_json()["revised"] == 1
    assert corrected.get_json()["figures"][0]["revision"] == 2
    from datetime import date
    assert [r for r in stored(api, "SDS-HOM") if r[0] == date(2022, 10, 1)] == [
        (date(2022, 10, 1), 1, 85.5), (date(2022, 10, 1), 2, 86.0)]


def test_a_retried_push_with_the_same_idempotency_key_adds_nothing(api):
    key = str(uuid.uuid4())
    body = figure("SDS-HOM", 80, period_start="2022-09-01", period_end="2022-09-30")
    first = push(api, "analyst", body, key=key)
    before = api.counts()
    retried = push(api, "analyst", body, key=key)
    assert retried.status_code == 201
    assert retried.get_json() == first.get_json()
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert api.counts() == before
    other = push(api, "analyst", figure("SDS-HOM", 81, period_start="2022-09-01",
                                        period_end="2022-09-30"), key=key)
    assert other.status_code == 422
    assert other.get_json()["errors"][0]["field"] == "Idempotency-Key"
    assert api.counts() == before


def screens_message(row: dict) -> str:  # type: ignore[type-arg]
    """What the workspace grid says of the same typed row."""
    try:
        read_row(1, row)
    except ValueError as error:
        return str(error).split(": ", 2)[2]
    raise AssertionError("the screens accept it")


@pytest.mark.parametrize(("value", "field"), [
    (float("nan"), "value"), (float("inf"), "value"), ("twelve", "value"), (None, "value"),
], ids=["NaN", "Infinity", "text", "null"])
def test_a_value_that_is_not_a_number_is_refused_as_the_screens_refuse_it(api, value, field):
    before = api.counts()
    row = figure("SDS-HOM", value)
    answer = api.call("analyst", "POST", "/figures", data=_json({"figures": [row]}),
                      content_type="application/json")
    assert answer.status_code == 422, answer.get_json()
    error = answer.get_json()["errors"][0]
    assert error["field"] == field and error["row"] == 1
    assert error["detail"] == screens_message(row)
    assert api.counts() == before


def _json(body) -> str:  # type: ignore[no-untyped-def]
    import json
    return json.dumps(body)  # NaN and Infinity written as JavaScript writes them


@pytest.mark.parametrize(("change", "field"), [
    ({"period_start": "9999-01-01", "period_end": "9999-01-31"}, "period_start"),
    ({"period_end": "2022-12-31"}, "period_end"),  # ends before it starts
    ({"period_start": "2023-01-05"}, "period"),  # not a calendar month
    ({"value": -5}, "value"),  # a count cannot be negative
], ids=["year-9999", "ends-before-start", "not-a-month", "negative"])
def test_impossible_figures_are_refused_naming_the_field(api, change, field):
    before = api.counts()
    answer = push(api, "analyst", {**figure("SDS-HOM", 50), **change})
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["errors"][0]["field"] == field
    assert api.counts() == before


def test_a_jump_needs_a_note_and_is_then_stored_and_flagged(api):
    jump = figure("SDS-ARM", 900, period_start="2023-02-01", period_end="2023-02-28")
    refused = push(api, "secretariat", jump)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "note"
    noted = push(api, "secretariat", {**jump, "note": "new counting rules from February"})
    assert noted.status_code == 201, noted.get_json()
    with api.factory() as session:
        flags = session.scalars(select(DataQualityFlag.kind).join(Goal).where(
            Goal.code == "SDS-ARM")).all()
    assert "implausible" in flags


def test_every_bad_row_of_a_push_is_named_and_nothing_is_stored(api):
    before = api.counts()
    answer = push(api, "analyst", figure("SDS-HOM", 1, period_start="2022-08-01",
                                         period_end="2022-08-31"),
                  figure("SDS-HOM", "x"), {"goal": "SDS-HOM", "value": 3,
                                           "period_start": "", "period_end": "2022-01-31"})
    assert answer.status_code == 422
    assert [(e["row"], e["field"]) for e in answer.get_json()["errors"]] == [
        (2, "value"), (3, "period_start")]
    assert api.counts() == before


@pytest.mark.parametrize("body", [
    {"figures": []}, {"figures": [{"goal": "SDS-HOM"}]}, {"figures": "all"}, [1, 2],
    {"figures": [figure("SDS-HOM", 1)], "extra": True},
], ids=["empty", "missing-fields", "not-a-list", "not-an-object", "unknown-field"])
def test_malformed_bodies_are_refused_naming_the_field(api, body):
    answer = api.call("analyst", "POST", "/figures", json=body)
    assert answer.status_code == 422
    assert answer.content_type == "application/problem+json"
    assert answer.get_json()["errors"]


def test_deeply_nested_json_is_refused_without_parsing_it(api):
    deep = "[" * 100_000 + "]" * 100_000
    answer = api.call("analyst", "POST", "/figures", data=deep,
                      content_type="application/json")
    assert answer.status_code == 400
    assert answer.content_type == "application/problem+json"


def test_a_body_over_the_size_limit_is_refused(api):
    limit = api.site.app.server.config["MAX_CONTENT_LENGTH"]
    answer = api.call("analyst", "POST", "/figures", data=b" " * (limit + 1),
                      content_type="application/json")
    assert answer.status_code == 413
    assert answer.content_type == "application/problem+json"


def test_a_body_over_the_apis_own_limit_is_refused_before_it_is_read(api):
    before = api.counts()
    rows = [figure("SDS-HOM", 1, note="x" * 400)] * 12_000  # about 5 MB
    answer = api.call("analyst", "POST", "/figures", json={"figures": rows})
    assert answer.status_code == 413
    assert "5,000 figures" in answer.get_json()["detail"]
    assert api.counts() == before


def test_a_body_that_is_not_json_is_refused(api):
    answer = api.call("analyst", "POST", "/figures", data="figures=1",
                      content_type="application/json")
    assert answer.status_code in (400, 422)
    assert answer.content_type == "application/problem+json"


def commitment_state(api, name):  # type: ignore[no-untyped-def]
    from delivery.models import Commitment
    with api.factory() as session:
        return session.get(Commitment, api.gov.commitments[name]).state.value


@pytest.mark.parametrize("persona", PEOPLE)
def test_commitment_updates_by_owner_and_unit_only(api, persona):
    cid = api.gov.commitments["sds"]
    before = api.counts()
    answer = api.call(persona, "PATCH", f"/commitments/{cid}", json={"state": "done"})
    if persona in {"analyst", "admin", "secretariat"}:
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["state"] == "done"
        assert commitment_state(api, "sds") == "done"
        api.call(persona, "PATCH", f"/commitments/{cid}", json={"state": "open"})
        return
    # the governor sees it but changes nothing; the other secretariat does not see it
    assert answer.status_code == (403 if persona == "governor" else 404)
    assert api.counts() == before


@pytest.mark.parametrize(("path", "body"), [
    ("/commitments/{id}", {"state": "finished"}), ("/commitments/99999999999", {"state": "done"}),
    ("/commitments/{id}", {}),
], ids=["unknown-state", "id-beyond-the-column", "no-state"])
def test_bad_commitment_updates_are_refused(api, path, body):
    before = api.counts()
    answer = api.call("analyst", "PATCH", path.format(id=api.gov.commitments["see"]), json=body)
    assert answer.status_code in (404, 422)
    assert answer.content_type == "application/problem+json"
    assert api.counts() == before


WRITE_METHODS = {"post", "put", "patch", "delete"}


def test_every_write_documents_the_idempotency_key_it_honours(api):
    spec = api.client().get("/api/v1/openapi.json").get_json()
    writes = {(path, method): operation for path, item in spec["paths"].items()
              for method, operation in item.items() if method in WRITE_METHODS}
    assert {("/api/v1/figures", "post"),
            ("/api/v1/commitments/{commitment_id}", "patch")} <= set(writes)
    for (path, method), operation in writes.items():
        [key] = [p for p in operation.get("parameters", [])
                 if p["in"] == "header" and p["name"] == "Idempotency-Key"]
        assert key["required"] is False and key["schema"]["maxLength"] == 200, (path, method)
        assert "same key" in key["description"]
        ok = next(code for code in operation["responses"] if code.startswith("2"))
        assert "Idempotent-Replayed" in operation["responses"][ok]["headers"], (path, method)


def test_a_retried_commitment_update_with_the_same_key_changes_nothing(api):
    cid, key = api.gov.commitments["sds"], str(uuid.uuid4())
    first = api.call("analyst", "PATCH", f"/commitments/{cid}", json={"state": "dropped"},
                     headers={"Idempotency-Key": key})
    assert first.status_code == 200 and first.get_json()["state"] == "dropped"
    api.call("analyst", "PATCH", f"/commitments/{cid}", json={"state": "open"})
    before = api.counts()
    retried = api.call("analyst", "PATCH", f"/commitments/{cid}", json={"state": "dropped"},
                       headers={"Idempotency-Key": key})
    assert retried.status_code == 200 and retried.headers["Idempotent-Replayed"] == "true"
    assert retried.get_json() == first.get_json()
    assert api.counts() == before and commitment_state(api, "sds") == "open"
