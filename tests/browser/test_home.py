from __future__ import annotations

from tests.browser.conftest import screenshot


def test_the_home_page_lists_every_pillar_with_goal_statuses(live_app, signed_in_page,
                                                             backend):
    page = signed_in_page("analyst")
    page.wait_for_selector(".pillar-card")
    page.wait_for_load_state("networkidle")

    assert "Status as of 16 Jan 2023" in page.inner_text("body")
    assert page.locator(".pillar-card").count() >= 4
    assert page.locator(".goal-table tbody tr").count() >= 120
    badges = set(page.locator(".status-badge").all_inner_texts())
    assert {"On track", "Slipping", "Off track", "No recent data"} <= badges
    screenshot(page, "home", backend)
    page.problems.assert_none()


def test_picking_another_date_shows_the_status_as_known_then(live_app, signed_in_page,
                                                             backend):
    page = signed_in_page("governor", next="/?as_of=2022-06-30")
    page.wait_for_selector(".pillar-card")
    assert "Status as of 30 Jun 2022" in page.inner_text("body")
    page.problems.assert_none()
