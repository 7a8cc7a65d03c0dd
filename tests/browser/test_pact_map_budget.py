from __future__ import annotations

from playwright.sync_api import expect

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
    assert "pact-target-looser" in page.inner_text("body")
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
