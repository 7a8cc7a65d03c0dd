"""Initiatives through the API, for each role: the plan board's rows and one initiative's
milestones, progress and risks, scoped as the screens scope them."""

from __future__ import annotations

import pytest

from tests.api.conftest import PEOPLE

AS_OF = "as_of=2023-01-16"
SEEN = {"analyst": {"SDS-DELEG", "SEE-ETI"}, "governor": {"SDS-DELEG", "SEE-ETI"},
        "admin": {"SDS-DELEG", "SEE-ETI"}, "secretariat": {"SDS-DELEG"},
        "other_secretariat": {"SEE-ETI"}}


@pytest.mark.parametrize("persona", PEOPLE)
def test_the_list_is_the_initiatives_the_person_sees_worst_first(api, persona):
    answer = api.call(persona, "GET", f"/initiatives?{AS_OF}")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert {i["code"] for i in body["items"]} == SEEN[persona]
    assert body["total"] == len(SEEN[persona])
    stations = {i["code"]: i for i in body["items"]}.get("SDS-DELEG")
    if stations:  # "Works contract" was due on 1 Dec 2022: late, 46 days
        assert body["items"][0]["code"] == "SDS-DELEG"
        assert stations["status"] == "late" and stations["late"] == 1
        assert stations["slip_days"] == 92 and stations["milestone_count"] == 3
        assert stations["physical_pct"] == 20.0 and stations["financial_share"] == 0.7
        assert stations["money_ahead"] is True and stations["secretariat"] == "SDS"
        assert stations["goals"] == ["SDS-HOM"] and stations["as_of"] == "2023-01-16"


@pytest.mark.parametrize("persona", PEOPLE)
def test_one_initiative_with_its_milestones_progress_and_risks(api, persona):
    answer = api.call(persona, "GET", f"/initiatives/SDS-DELEG?{AS_OF}")
    if "SDS-DELEG" not in SEEN[persona]:
        assert answer.status_code == 404
        assert answer.content_type == "application/problem+json"
        return
    assert answer.status_code == 200
    body = answer.get_json()
    assert [(m["name"], m["status"]) for m in body["milestones"]] == [
        ("Design", "done_on_time"), ("Works contract", "late"), ("Opening", "at_risk")]
    assert body["milestones"][1]["slip_days"] == 46
    assert body["progress"] == [{"on": "2022-12-31", "physical_pct": 20.0, "note": None}]
    [risk] = body["risks"]
    assert risk["score"] == 16 and risk["band"] == "high" and risk["review_overdue"] is True
    assert [g["code"] for g in body["goals"]] == ["SDS-HOM"]
    assert body["goals"][0]["weight"] == 1.0 and body["tolerance_days"] == 15


def test_as_of_a_date_before_a_milestone_was_done_it_is_not_done(api):
    body = api.call("analyst", "GET", "/initiatives/SDS-DELEG?as_of=2022-02-01").get_json()
    assert body["milestones"][0]["actual_on"] == "2022-02-25"
    assert body["milestones"][0]["status"] == "not_due"
    assert body["progress"] == [] and body["physical_pct"] is None


def test_filters_and_pages(api):
    late = api.call("analyst", "GET", f"/initiatives?{AS_OF}&late_only=true").get_json()
    assert [i["code"] for i in late["items"]] == ["SDS-DELEG"]
    see = api.call("analyst", "GET", f"/initiatives?{AS_OF}&secretariat=SEE").get_json()
    assert [i["code"] for i in see["items"]] == ["SEE-ETI"]
    second = api.call("analyst", "GET", f"/initiatives?{AS_OF}&per_page=1&page=2").get_json()
    assert second["total"] == 2 and [i["code"] for i in second["items"]] == ["SEE-ETI"]
    none = api.call("analyst", "GET", f"/initiatives?{AS_OF}&stage=cancelled").get_json()
    assert none["items"] == [] and none["total"] == 0


@pytest.mark.parametrize(("query", "field"), [
    ("as_of=9999-12-31", "as_of"), ("as_of=yesterday", "as_of"), ("stage=dreaming", "stage"),
    ("per_page=100000", "per_page"), ("secretariat=" + "X" * 500, "secretariat")])
def test_bad_questions_are_refused_naming_the_field(api, query, field):
    answer = api.call("analyst", "GET", f"/initiatives?{query}")
    assert answer.status_code == 422
    assert [e["field"] for e in answer.get_json()["errors"]] == [field]


def test_an_unknown_or_huge_code_is_not_found(api):
    for code in ("NOPE", "X" * 5000):
        assert api.call("analyst", "GET", f"/initiatives/{code}").status_code == 404


def test_the_list_has_an_etag(api):
    first = api.call("analyst", "GET", f"/initiatives?{AS_OF}")
    again = api.call("analyst", "GET", f"/initiatives?{AS_OF}",
                     headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
