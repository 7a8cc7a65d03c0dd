"""The meeting and likelihood screens, tried by each person (see ``tests/personas.py``): who may
open which meeting, and that only analysts change anything, whatever a browser (or a forger)
posts to Dash's callback route.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from delivery.clock import review_date
from delivery.models import (
    AgendaItem,
    Commitment,
    Decision,
    LikelihoodAssessment,
    Objective,
    ReviewMeeting,
)
from tests.dashboards.conftest import PERSONAS, Site
from tests.dashboards.test_auth_routes import CALLBACK, route

MEETINGS_SEEN = {"analyst": {"life", "education", "governor"},
                 "governor": {"life", "education", "governor"},
                 "secretariat": {"life"}, "other_secretariat": {"education"}, "nobody": set()}
TITLES = {"life": "Pact for Life review", "education": "Education review",
          "governor": "Weekly review: violent crime"}


@pytest.fixture(scope="module")
def meetings(site: Site) -> dict[str, int]:
    """The personas' two pact meetings and a governor's meeting on the objective."""
    with site.factory() as session, session.begin():
        objective = session.scalar(select(Objective))
        weekly = ReviewMeeting(held_on=date(2023, 1, 16), title=TITLES["governor"],
                               objective_id=objective.id, invited=["Governor"])
        session.add(weekly)
        session.flush()
        ids = {name: session.scalar(select(ReviewMeeting.id).where(ReviewMeeting.title == t))
               for name, t in TITLES.items()}
    return ids


def minutes(site: Site) -> dict[str, Any]:
    """Everything a refused meeting action must leave as it was."""
    with site.factory() as session:
        return {
            "agenda": session.scalar(select(func.count(AgendaItem.id))),
            "decisions": session.scalar(select(func.count(Decision.id))),
            "commitments": session.scalar(select(func.count(Commitment.id))),
            "likelihood": session.scalar(select(func.count(LikelihoodAssessment.id))),
            "meetings": sorted(session.execute(select(
                ReviewMeeting.id, ReviewMeeting.state, ReviewMeeting.closed_at,
                ReviewMeeting.attendees)).all(), key=lambda r: r[0]),
        }


def fire(site: Site, client: Any, output: str, values: dict[str, Any]) -> Any:
    """POST the callback whose output names ``output``, as the browser would: every input and
    state of its declaration, with ``values`` (by "id.property") and None elsewhere."""
    client.get("/_dash-dependencies")  # Dash fills its callback map on the first request
    key = next(k for k in site.app.callback_map if output in k.split("...")[0])
    entry = site.app.callback_map[key]
    outs = [part.rpartition(".") for part in key.strip(".").split("...")]

    def spec(items: list[dict[str, str]]) -> list[dict[str, Any]]:
        return [{"id": i["id"], "property": i["property"],
                 "value": values.get(f"{i['id']}.{i['property']}")} for i in items]
    inputs = spec(entry["inputs"])
    return client.post(CALLBACK, json={
        "output": key, "outputs": [{"id": i, "property": p} for i, _, p in outs],
        "inputs": inputs, "state": spec(entry["state"]),
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    })


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_person_opens_only_the_meetings_of_their_pacts(site, meetings, persona):
    client = site.client(persona)
    for name, meeting_id in meetings.items():
        body = route(client, f"/meeting/{meeting_id}").get_data(as_text=True)
        if name in MEETINGS_SEEN[persona]:
            assert TITLES[name] in body and "access-refused" not in body, (persona, name)
        else:
            assert "access-refused" in body and TITLES[name] not in body, (persona, name)
    listed = route(client, "/meetings").get_data(as_text=True)
    if persona != "nobody":
        assert {n for n, t in TITLES.items() if t in listed} == MEETINGS_SEEN[persona]


def test_a_meeting_that_does_not_exist_is_said_so(site, meetings):
    for path in ("/meeting/999999", "/meeting/abc", f"/meeting/{2**40}"):
        body = route(site.client("analyst"), path).get_data(as_text=True)
        assert "meeting-missing" in body, path


ACTIONS = {  # output -> the values a browser would send (the meeting id is added per test)
    "meeting-agenda.children": {"meeting-build.n_clicks": 1},
    "meeting-made.children": {"meeting-commit.n_clicks": 1,
                              "meeting-commit-what.value": "Forged promise",
                              "meeting-commit-owner.value": "Someone",
                              "meeting-commit-due.date": "2023-02-01"},
    "meeting-decisions.children": {"meeting-decide.n_clicks": 1,
                                   "meeting-decision.value": "Forged decision"},
    "meeting-present.options": {"meeting-present.value": ["Forger"]},
    "meeting-page.children": {"meeting-close.submit_n_clicks": 1},
}


@pytest.mark.parametrize("persona", ["governor", "secretariat", "other_secretariat", "nobody"])
def test_only_analysts_change_a_meeting_and_a_refusal_changes_nothing(site, meetings, persona):
    client = site.client(persona)
    before = minutes(site)
    for output, values in ACTIONS.items():
        for meeting_id in meetings.values():
            response = fire(site, client, output, {**values, "meeting-id.data": meeting_id})
            if persona == "nobody":
                assert response.status_code == 401, output
                continue
            assert response.status_code == 200, output
            text = response.get_data(as_text=True)
            assert "You do not have the right to change meetings." in text, output
            assert "Forged" not in text and "Minutes closed" not in text, output
    assert minutes(site) == before


def test_an_analyst_records_a_commitment_and_the_domain_names_a_bad_field(site, meetings):
    client = site.client("analyst")
    values = {**ACTIONS["meeting-made.children"], "meeting-id.data": meetings["education"],
              "meeting-commit-what.value": "Reading tutors in 50 more schools",
              "meeting-commit-owner.value": f"secretariat:{site.gov.secretariats['SEE']}"}
    before = minutes(site)["commitments"]
    free_text = fire(site, client, "meeting-made.children",
                     {**values, "meeting-commit-owner.value": "Someone"})
    assert "owner: pick an account or a secretariat" in free_text.get_data(as_text=True)
    text = fire(site, client, "meeting-made.children", values).get_data(as_text=True)
    assert "Recorded: Reading tutors in 50 more schools" in text
    assert minutes(site)["commitments"] == before + 1
    early = fire(site, client, "meeting-made.children",
                 {**values, "meeting-commit-due.date": "2022-12-01"}).get_data(as_text=True)
    assert "Not saved: due date:" in early and "before the meeting" in early
    forged_goal = fire(site, client, "meeting-made.children",
                       {**values, "meeting-commit-goal.value": site.gov.goals["homicides"]})
    assert "goal: not one of this meeting" in forged_goal.get_data(as_text=True)
    assert minutes(site)["commitments"] == before + 1


def test_a_closed_meeting_refuses_further_minutes(site, meetings):
    client = site.client("analyst")
    life = meetings["life"]
    closed = fire(site, client, "meeting-page.children",
                  {"meeting-close.submit_n_clicks": 1, "meeting-id.data": life})
    assert "Minutes closed by ana" in closed.get_data(as_text=True)
    before = minutes(site)
    again = fire(site, client, "meeting-decisions.children",
                 {**ACTIONS["meeting-decisions.children"], "meeting-id.data": life})
    assert "are closed" in again.get_data(as_text=True)
    assert minutes(site) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_analysts_record_a_likelihood_judgement(site, persona):
    client = site.client(persona)
    before = minutes(site)["likelihood"]
    response = fire(site, client, "likelihood-result.children", {
        "likelihood-save.n_clicks": 1, "likelihood-subject.value":
            f"pact:{site.gov.pacts['life']}", "likelihood-rating.value": "amber_red",
        "likelihood-reasons.value": "Homicides off track", "likelihood-as-of.data": "2023-01-16"})
    if persona == "analyst":
        assert "Recorded, dated" in response.get_data(as_text=True)
        assert minutes(site)["likelihood"] == before + 1
        return
    status = {"nobody": 401, "governor": 200}.get(persona, 403)  # the page is not theirs
    assert response.status_code == status
    if status == 200:
        assert "Only analysts record judgements" in response.get_data(as_text=True)
    assert minutes(site)["likelihood"] == before


@pytest.mark.parametrize("forged", ["2020-01-01", "9999-12-31", "yesterday", None, {"day": 1}],
                         ids=str)
def test_a_judgement_is_dated_by_the_server_whatever_date_the_request_carries(site, forged):
    response = fire(site, site.client("analyst"), "likelihood-result.children", {
        "likelihood-save.n_clicks": 1, "likelihood-subject.value":
            f"goal:{site.gov.goals['homicides']}", "likelihood-rating.value": "red",
        "likelihood-reasons.value": f"forged {forged}", "likelihood-as-of.data": forged})
    assert response.status_code == 200 and "Recorded, dated" in response.get_data(as_text=True)
    with site.factory() as session:
        judged = session.scalars(select(LikelihoodAssessment).where(
            LikelihoodAssessment.reasons == f"forged {forged}")).one()
        assert judged.assessed_on == review_date(session)


@pytest.mark.parametrize("persona", ["governor", "secretariat"])
def test_only_analysts_schedule_meetings(site, persona):
    before = minutes(site)["meetings"]
    response = fire(site, site.client(persona), "meetings-scheduled.children",
                    {"meetings-schedule.n_clicks": 1, "meetings-through.date": "2023-12-31"})
    assert "Only analysts schedule meetings" in json.dumps(response.get_json())
    assert minutes(site)["meetings"] == before
