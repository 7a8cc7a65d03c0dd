"""The review routine on a pact's page: its pieces from plain frames, and the page itself as each
person gets it (the small government of ``tests/personas.py``)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboards.components.meetings import health_figures, meetings_table
from dashboards.components.pact_routine import next_meeting, pact_likelihood, review_meetings
from dashboards.components.review import due_tag
from delivery.access import can_see_pact_likelihood
from delivery.likelihood import record_assessment
from tests.dashboards.test_auth_routes import route, viewer_of

LIFE_HEALTH = {  # the demo's Pact for Life on 16 Jan 2023 (docs/review-routine.md)
    "scope": "pact", "code": "PPV", "name": "Pact for Life", "scheduled": 15, "held": 13,
    "cancelled": 2, "not_recorded": 0, "held_share": 13 / 15, "commitments_due": 8,
    "closed_on_time": 4, "closed_late": 1, "dropped": 0, "on_time_share": 0.5,
    "open_overdue": 3, "mean_days_overdue": 13.7,
}
MEETINGS = pd.DataFrame({
    "meeting_id": [7, 5], "held_on": [date(2023, 1, 19), date(2023, 1, 12)],
    "title": ["Pact for Life: review", "Pact for Life: review"],
    "scope": ["Pact: Pact for Life"] * 2, "state": ["scheduled", "held"],
    "closed": [False, True], "agenda_items": [12, 15], "commitments": [0, 1],
})


def text_of(component) -> str:
    return str(component.to_plotly_json())


def row(**changes):
    return next(pd.DataFrame([{**LIFE_HEALTH, **changes}]).itertuples())


def test_the_health_figures_mark_in_red_only_the_figures_that_slip():
    text = text_of(health_figures(row()))
    assert "13 of 15" in text and "meetings held (87%)" in text and "13.7" in text
    assert text.count("slip") == 2  # 50% on time and 3 open overdue; 87% held is fine
    assert "slip" not in text_of(health_figures(row(on_time_share=0.8, open_overdue=0,
                                                    mean_days_overdue=float("nan"))))


def test_the_next_meeting_links_to_it_with_its_agenda_size():
    text = text_of(next_meeting(MEETINGS.head(1)))
    assert "href='/meeting/7'" in text and "19 Jan 2023" in text and "12 agenda items" in text


def test_without_a_scheduled_meeting_the_day_the_series_meets_next_is_shown():
    none = MEETINGS.iloc[0:0]
    assert "not scheduled yet" in text_of(next_meeting(none, date(2023, 1, 19)))
    assert "No meeting scheduled ahead." in text_of(next_meeting(none))


def test_the_last_meetings_leave_out_the_scope_every_one_of_them_shares():
    assert "Pact: Pact for Life" not in text_of(meetings_table(MEETINGS, empty="", scope=False))
    assert "Pact: Pact for Life" in text_of(meetings_table(MEETINGS, empty=""))
    text = text_of(review_meetings(MEETINGS.head(1), MEETINGS.tail(1), row()))
    assert "href='/meeting/5'" in text and "13 of 15" in text


def test_the_pacts_judgements_stand_side_by_side_never_averaged():
    latest = pd.DataFrame({
        "rater": ["Delivery unit analyst", "Secretariat (self-assessment)"],
        "rating": ["amber_red", "amber_green"],
        "assessed_on": [date(2023, 1, 9), date(2023, 1, 10)],
        "reasons": ["Homicides off track", "Every area has its plan"],
    })
    text = text_of(pact_likelihood(latest, raters=2, spread=1))
    assert "rating-amber_red" in text and "rating-amber_green" in text
    assert "2 raters, 1 step apart" in text and "Every area has its plan" in text
    assert "not computed from the figures" in text
    assert "Nobody has rated this pact yet." in text_of(pact_likelihood(latest.iloc[0:0], 0, 0))


@pytest.mark.parametrize(("state", "days", "shown", "css"), [
    ("open", 6, "6 days overdue", "overdue"), ("open", 0, "due today", "due-soon"),
    ("open", -4, "due in 4 days", "due-soon"), ("done", 3, "done", "closed-state"),
], ids=["late", "today", "ahead", "closed"])
def test_a_commitment_is_marked_against_its_due_date_as_on_the_review(state, days, shown, css):
    tag = due_tag(state, days)
    assert tag.children == shown and tag.className == css


# -- the page, by person ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def rated(site):
    with site.factory() as session, session.begin():
        record_assessment(session, rater="Secretariat (self-assessment)",
                          assessed_on=date(2023, 1, 10), rating="amber_green",
                          reasons="Every area has its plan", pact_id=site.gov.pacts["life"])
    return site


@pytest.mark.parametrize("persona", ["analyst", "governor", "secretariat"])
def test_the_pact_page_shows_its_meetings_and_its_judgements_to_who_sees_the_pact(rated,
                                                                                  persona):
    body = route(rated.client(persona), "/pact/PPV").get_data(as_text=True)
    assert "pact-routine" in body and "Pact for Life review" in body
    assert "pact-likelihood" in body and "Every area has its plan" in body


@pytest.mark.parametrize(("persona", "sees"), [
    ("analyst", True), ("governor", True), ("secretariat", True),
    ("other_secretariat", False), ("nobody", False)])
def test_a_pacts_judgements_are_for_the_whole_government_and_its_own_members(rated, persona,
                                                                             sees):
    with rated.factory() as session:
        assert can_see_pact_likelihood(session, viewer_of(rated, persona),
                                       rated.gov.pacts["life"]) is sees


def test_another_secretariat_gets_neither_the_pact_nor_its_judgements(rated):
    body = route(rated.client("other_secretariat"), "/pact/PPV").get_data(as_text=True)
    assert "pact-missing" in body and "Every area has its plan" not in body
