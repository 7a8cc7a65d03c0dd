"""Every read endpoint, for each role: what each person's token sees is what they see on the
screens (``delivery.access``), with pagination, filters and ETags."""

from __future__ import annotations

import pytest

from tests.api.conftest import PEOPLE

GOALS_SEEN = {
    "analyst": {"SDS-HOM", "SDS-ARM", "SJDH-VAG", "SEE-ALFA", "SEE-ABAND"},
    "governor": {"SDS-HOM", "SDS-ARM", "SJDH-VAG", "SEE-ALFA", "SEE-ABAND"},
    "admin": {"SDS-HOM", "SDS-ARM", "SJDH-VAG", "SEE-ALFA", "SEE-ABAND"},
    "secretariat": {"SDS-HOM", "SDS-ARM", "SJDH-VAG"},  # its own and its pact's
    "other_secretariat": {"SEE-ALFA", "SEE-ABAND"},
}


def codes(answer) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["goal"] if "goal" in item and "code" not in item else item["code"]
            for item in answer.get_json()["items"]}


@pytest.mark.parametrize("persona", PEOPLE)
def test_goals_are_those_the_person_sees_with_status_and_its_sentence(api, persona):
    answer = api.call(persona, "GET", "/goals")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert {g["code"] for g in body["items"]} == GOALS_SEEN[persona]
    assert body["total"] == len(GOALS_SEEN[persona])
    for goal in body["items"]:
        assert goal["status"] in {"on_track", "slipping", "off_track", "no_recent_data"}
        assert goal["reason"] and goal["as_of"] == body["items"][0]["as_of"]
    homicides = [g for g in body["items"] if g["code"] == "SDS-HOM"]
    if homicides:  # 90 in December against 100 -> 70 planned: its sentence says so
        assert homicides[0]["latest_value"] == 90.0
        assert "December 2022" in homicides[0]["reason"]


@pytest.mark.parametrize("persona", PEOPLE)
def test_one_goal_is_found_only_by_those_who_see_it(api, persona):
    answer = api.call(persona, "GET", "/goals/SEE-ALFA")
    if "SEE-ALFA" in GOALS_SEEN[persona]:
        assert answer.status_code == 200 and answer.get_json()["code"] == "SEE-ALFA"
    else:
        assert answer.status_code == 404
        assert answer.content_type == "application/problem+json"


@pytest.mark.parametrize("persona", PEOPLE)
def test_trajectories_list_every_version_of_a_goal_seen(api, persona):
    answer = api.call(persona, "GET", "/goals/SDS-HOM/trajectories")
    if "SDS-HOM" not in GOALS_SEEN[persona]:
        assert answer.status_code == 404
        return
    versions = answer.get_json()
    assert [v["version"] for v in versions] == [1]
    assert versions[0]["approved_by"] == "gil"
    assert versions[0]["points"] == [{"on": "2022-01-31", "value": 100.0},
                                     {"on": "2023-12-31", "value": 70.0}]


@pytest.mark.parametrize("persona", PEOPLE)
def test_figures_are_those_of_the_goals_seen(api, persona):
    answer = api.call(persona, "GET", "/figures?until=2022-12-31")
    assert answer.status_code == 200
    items = answer.get_json()["items"]
    assert {f["goal"] for f in items} == GOALS_SEEN[persona]
    assert all(f["period_start"] == "2022-12-01" and f["revision"] == 1 for f in items)


def test_figures_as_of_a_date_before_they_were_known_are_none(api):
    assert api.call("analyst", "GET", "/figures?as_of=1999-01-01").get_json()["total"] == 0


def test_figures_pages_and_filters(api):
    first = api.call("analyst", "GET", "/figures?per_page=2&page=1&until=2022-12-31")
    second = api.call("analyst", "GET", "/figures?per_page=2&page=2&until=2022-12-31")
    assert first.get_json()["total"] == 5 and len(first.get_json()["items"]) == 2
    assert not {f["goal"] for f in first.get_json()["items"]} & {
        f["goal"] for f in second.get_json()["items"]}
    only = api.call("analyst", "GET", "/figures?goal=SEE-ALFA&until=2022-12-31").get_json()
    assert [f["goal"] for f in only["items"]] == ["SEE-ALFA"]


@pytest.mark.parametrize("kind", ["pillars", "objectives"])
@pytest.mark.parametrize("persona", PEOPLE)
def test_pillars_and_objectives_roll_up_for_the_whole_government_roles(api, persona, kind):
    answer = api.call(persona, "GET", f"/{kind}?as_of=2023-01-16")
    if persona in {"secretariat", "other_secretariat"}:
        assert answer.status_code == 403
        assert answer.content_type == "application/problem+json"
        return
    rows = answer.get_json()
    assert [r["code"] for r in rows] == (["SEG"] if kind == "pillars" else ["OE01"])
    assert rows[0]["goals"] == 5
    assert sum(rows[0][s] for s in ("on_track", "slipping", "off_track",
                                    "no_recent_data")) == 5


PACTS_SEEN = {"secretariat": {"PPV"}, "other_secretariat": {"PPE"}}


@pytest.mark.parametrize("persona", PEOPLE)
def test_pacts_roll_up_and_a_secretariat_sees_its_own(api, persona):
    rows = api.call(persona, "GET", "/pacts").get_json()
    assert {r["code"] for r in rows} == PACTS_SEEN.get(persona, {"PPV", "PPE"})


@pytest.mark.parametrize("persona", PEOPLE)
def test_budget_links_are_scoped(api, persona):
    items = api.call(persona, "GET", "/budget-links").get_json()["items"]
    if persona == "other_secretariat":
        assert items == []
        return
    assert items == [{"goal": "SDS-HOM", "share": 0.5, "account": "10.1",
                      "account_name": "Policing", "programme": None, "secretariat": "SDS",
                      "fiscal_year": 2022, "appropriated": 100.0, "committed": 80.0,
                      "spent": 60.0}]


COMMITMENTS_SEEN = {"secretariat": {"Patrols in the ten worst areas"},
                    "other_secretariat": {"Reading tutors in 100 schools"}}


@pytest.mark.parametrize("persona", PEOPLE)
def test_commitments_are_scoped(api, persona):
    items = api.call(persona, "GET", "/commitments").get_json()["items"]
    assert {c["description"] for c in items} == COMMITMENTS_SEEN.get(
        persona, {"Patrols in the ten worst areas", "Reading tutors in 100 schools"})


def test_a_read_answers_304_when_the_etag_has_not_changed(api):
    first = api.call("analyst", "GET", "/goals?as_of=2023-01-16")
    etag = first.headers["ETag"]
    again = api.call("analyst", "GET", "/goals?as_of=2023-01-16",
                     headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = api.call("analyst", "GET", "/goals?as_of=2023-01-09",
                     headers={"If-None-Match": etag})
    assert other.status_code == 200


@pytest.mark.parametrize(("query", "field"), [
    ("as_of=9999-01-01", "as_of"), ("as_of=2023-02-30", "as_of"), ("page=0", "page"),
    ("per_page=100000", "per_page"), ("status=great", "status"),
], ids=["year-9999", "no-such-day", "page-0", "page-too-big", "unknown-status"])
def test_bad_query_parameters_are_named(api, query, field):
    answer = api.call("analyst", "GET", f"/goals?{query}")
    assert answer.status_code == 422
    assert answer.content_type == "application/problem+json"
    assert [e["field"] for e in answer.get_json()["errors"]] == [field]


def test_the_openapi_document_and_its_page_are_served(api):
    spec = api.client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    assert {"/api/v1/goals", "/api/v1/figures", "/api/v1/commitments/{commitment_id}"} <= set(
        spec["paths"])
    page = api.client().get("/api/v1/docs")
    assert page.status_code == 200 and b"/api/v1/figures" in page.data


def test_an_unknown_path_or_method_is_a_problem_not_a_page(api):
    missing = api.call("analyst", "GET", "/no-such-thing")
    wrong = api.call("analyst", "DELETE", "/goals")
    assert (missing.status_code, wrong.status_code) == (404, 405)
    assert missing.content_type == wrong.content_type == "application/problem+json"
    assert api.client().get("/api/v1/no-such-thing").status_code == 401  # and no token: 401


def test_mounting_the_api_leaves_static_files_open_to_anyone(api):
    assert api.client().get("/assets/app.css").status_code == 200  # the sign-in page needs it
