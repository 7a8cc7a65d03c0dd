from __future__ import annotations

from tests.browser.conftest import screenshot


def test_the_weekly_review_shows_pillars_focus_worst_goals_and_commitments(live_app,
                                                                           signed_in_page,
                                                                           backend):
    page = signed_in_page("governor", next="/review")
    page.wait_for_selector(".glance-card")
    page.wait_for_load_state("networkidle")

    body = page.inner_text("body")
    assert "Week of 16 Jan 2023" in body
    assert page.locator(".glance-card").count() == 5
    assert page.locator(".sparkline").count() == 5
    assert "Reduce lethal violent crime" in page.inner_text(".focus-card")
    assert "Task force to conclude the 2021 homicide" in body  # overdue since 13 Jan
    assert "3 days overdue" in body
    assert "Report the paving done in December" in body  # done since the last meeting
    assert page.locator(".review-table .status-badge").count() >= 10
    assert "new figures" in body
    screenshot(page, "review", backend)
    page.problems.assert_none()


def test_an_objective_page_shows_its_aggregate_trajectory_goals_and_budget(live_app,
                                                                           signed_in_page,
                                                                           backend):
    page = signed_in_page("governor", next="/objective/OE01")
    page.wait_for_selector(".aggregate-graph .main-svg")
    page.wait_for_load_state("networkidle")

    body = page.inner_text("body")
    assert "Reduce lethal violent crime" in body and "18 goals" in body
    assert page.locator(".review-table").first.locator("tbody tr").count() == 18
    assert "Intentional homicides in Pernambuco" in body
    assert "fiscal year\n2022" in body.lower()  # the budget behind the goals
    screenshot(page, "objective", backend)
    page.problems.assert_none()


def test_a_pillar_page_lists_the_goals_of_all_its_objectives(live_app, signed_in_page, backend):
    page = signed_in_page("analyst", next="/pillar/ECO")
    page.wait_for_selector(".aggregate-graph .main-svg")
    page.wait_for_load_state("networkidle")
    assert "26 goals" in page.inner_text("body")
    screenshot(page, "pillar", backend)
    page.problems.assert_none()


def test_a_goal_page_shows_figures_trajectories_forecast_and_corrections(live_app,
                                                                         signed_in_page,
                                                                         backend):
    page = signed_in_page("governor", next="/goal/SES-FILA-RMR")
    page.wait_for_selector(".goal-graph .main-svg")
    page.wait_for_load_state("networkidle")

    body = page.inner_text("body")
    assert "Patients waiting" in body
    assert "80% range" in body  # the forecast band, in words too
    assert "r2" in body  # SES-FILA-RMR's November figure was corrected
    assert page.locator(".goal-graph .scatterlayer .trace").count() >= 4
    assert "Comments are not available yet" in body
    screenshot(page, "goal", backend)
    page.problems.assert_none()


def test_a_secretariat_sees_its_own_goal_but_not_another_secretariats(live_app, signed_in_page):
    page = signed_in_page("secretariat", next="/goal/SES-FILA-RMR")
    page.wait_for_selector(".goal-missing")
    assert "Patients waiting" not in page.inner_text("body")
