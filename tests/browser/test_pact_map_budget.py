from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from strategy_maps.validation import rule_text
from tests.browser.conftest import screenshot


def test_the_list_of_pacts_shows_the_three_demo_pacts(live_app, signed_in_page, backend):
    page = signed_in_page("analyst", next="/pacts")
    page.wait_for_selector(".pact-card")
    page.wait_for_load_state("networkidle")
    assert page.locator(".pact-card").count() == 3
    assert "Pact for Life" in page.inner_text("body")
    screenshot(page, "pacts", backend)
    page.problems.assert_none()


def test_a_pact_shows_goals_members_budget_and_commitments(live_app, signed_in_page,
                                                            backend):
    page = signed_in_page("analyst", next="/pact/PPV")
    page.wait_for_selector(".pact-goals")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "Pact for Life" in body and "Status as of" not in body
    assert page.locator(".pact-goals tbody tr").count() >= 5
    assert page.locator(".pact-members li").count() >= 2
    assert "Fiscal year 2022" in body
    assert page.locator(".pact-commitments tbody tr").count() >= 1
    screenshot(page, "pact-PPV", backend)
    page.problems.assert_none()


def test_a_secretariat_sees_only_its_own_pacts(live_app, signed_in_page, backend):
    page = signed_in_page("secretariat", next="/pacts")
    page.wait_for_selector(".pact-card")
    names = page.locator(".pact-card .pact-link").all_inner_texts()
    assert len(names) == 1 and "Pact for Life" in names[0]
    page.problems.assert_none()


def test_the_strategy_map_draws_every_goal_and_filters_by_pact(live_app, signed_in_page,
                                                               backend):
    page = signed_in_page("governor", next="/map")
    page.wait_for_selector("#map-graph canvas")
    page.wait_for_load_state("networkidle")
    assert "134 goals shown" in page.inner_text("#map-summary")
    # the demo's planted looser pact targets, found and named in words (not the rule's id)
    assert str(rule_text("pact-target-looser")) in page.inner_text("body")
    screenshot(page, "map", backend)
    page.click("#map-pact")
    page.click("text=PPV · ")
    expect(page.locator("#map-summary")).not_to_contain_text("134 goals")
    page.wait_for_load_state("networkidle")
    screenshot(page, "map-PPV", backend)
    page.problems.assert_none()


def test_the_budget_page_shows_the_performance_budgeting_table(live_app, signed_in_page,
                                                               backend):
    page = signed_in_page("analyst", next="/budget")
    page.wait_for_selector(".budget-table")
    page.wait_for_selector(".js-plotly-plot")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "SDS-DESPACHOS" in body and "dispatches" in body
    assert page.locator(".budget-table tbody tr").count() >= 20
    screenshot(page, "budget", backend)
    page.problems.assert_none()


@pytest.mark.parametrize("role", ["secretariat", "governor"])
def test_a_pact_shows_its_review_meetings_likelihood_and_overdue_commitments(
        live_app, signed_in_page, backend, role):
    page = signed_in_page(role, next="/pact/PPV")  # secretariat: sds, the Pact for Life lead
    page.wait_for_selector(".pact-routine")
    page.wait_for_load_state("networkidle")
    routine = page.locator(".pact-routine")
    expect(routine.locator(".health-figure").first).to_contain_text("13 of 15")
    expect(routine).to_contain_text("meetings held (87%)")
    expect(routine.locator(".health-figure .slip")).to_have_count(2)  # 50% on time, 3 overdue
    # the demo schedules up to 16 Jan; the committee meets on Thursdays
    expect(routine.locator(".pact-next-meeting")).to_contain_text(
        re.compile(r"19 Jan 2023\s*due, not scheduled yet"))
    expect(routine.locator(".meetings-table a.meeting-link").first).to_have_attribute(
        "href", re.compile(r"^/meeting/\d+$"))
    expect(routine.locator(".meetings-table tbody tr")).to_have_count(4)
    assert "Scope" not in routine.locator(".meetings-table thead").inner_text()
    chips = page.locator(".pact-likelihood .rater-judgement .rating-chip")
    expect(chips).to_have_count(2)
    expect(chips.nth(0)).to_contain_text("Delivery unit analyst")
    expect(chips.nth(0)).to_contain_text("Amber-red")
    expect(chips.nth(1)).to_contain_text("Secretariat (self-assessment)")
    expect(page.locator(".pact-likelihood")).to_contain_text("integrated security area")
    expect(page.locator(".pact-likelihood")).to_contain_text("2 raters, 1 step apart")
    expect(page.locator(".pact-likelihood .likelihood-note")).to_contain_text(
        "not computed from the figures")
    overdue = page.locator(".pact-commitments tr.commitment-overdue .overdue")
    expect(overdue.first).to_contain_text(re.compile(r"^\d+ days overdue$"))
    screenshot(page, f"pact-PPV-routine-{role}", backend)
    page.problems.assert_none()
