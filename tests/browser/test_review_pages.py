from __future__ import annotations

import pypdfium2 as pdfium

from tests.browser.conftest import SCREENSHOTS, open_account_menu, screenshot


def test_the_weekly_review_shows_pillars_focus_worst_goals_and_commitments(live_app,
                                                                           signed_in_page,
                                                                           backend):
    page = signed_in_page("governor", next="/review")
    page.wait_for_selector(".glance-card")
    page.wait_for_load_state("networkidle")

    body = page.inner_text("body")
    assert "Week of 16 Jan 2023" in body
    assert page.locator(".glance-card").count() == 5
    assert page.locator("img.sparkline").count() == 5  # drawn on the server: no plotly.js
    assert page.evaluate("() => performance.getEntriesByType('resource')"  # but its locales
                         ".every(r => !r.name.includes('plotly')"
                         " || r.name.includes('/plotly-locales.js'))")
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
    assert page.locator(".goal-comments textarea").count() == 1  # the governor may comment
    screenshot(page, "goal", backend)
    page.problems.assert_none()


def test_a_secretariat_sees_its_own_goal_but_not_another_secretariats(live_app, signed_in_page):
    page = signed_in_page("secretariat", next="/goal/SES-FILA-RMR")
    page.wait_for_selector(".goal-missing")
    assert "Patients waiting" not in page.inner_text("body")


PRINT_WIDTH = round((297 - 2 * 10) / 25.4 * 96)
REVIEW_SECTIONS = ("Weekly review", "Pillars at a glance", "Objective in focus this week",
                   "Most off track", "Commitments due or overdue", "What changed since last week")


def test_the_weekly_review_prints_on_a4_without_navigation(live_app, signed_in_page, backend):
    page = signed_in_page("governor", next="/review")
    page.wait_for_selector("img.sparkline")
    page.wait_for_load_state("networkidle")
    open_account_menu(page)
    nav = [t.strip() for t in page.locator("#user-menu a, #user-menu button").all_inner_texts()
           if t.strip() and t.strip() != "Weekly review"]  # the page's own name is its title
    assert "Sign out" in nav

    # the charts drawn at the paper's width (A4 landscape less 10 mm margins, in CSS pixels)
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 900})
    page.emulate_media(media="print")
    card = page.locator(".glance-card").first
    chart = card.locator("img.sparkline").first
    for _ in range(50):
        if chart.bounding_box()["width"] <= card.bounding_box()["width"]:
            break
        page.wait_for_timeout(100)
    assert chart.bounding_box()["width"] <= card.bounding_box()["width"], "chart cut"
    document = pdfium.PdfDocument(page.pdf(prefer_css_page_size=True, print_background=True))
    width, height = document[0].get_size()
    text = "\n".join(p.get_textpage().get_text_range() for p in document)
    folder = SCREENSHOTS / "print"
    folder.mkdir(parents=True, exist_ok=True)
    for number, printed in enumerate(document, start=1):
        printed.render(scale=1.5).to_pil().save(folder / f"review-{backend}-page{number}.png")

    assert 1 <= len(document) <= 6  # 5 before the milestones section and the focus card's trend
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    for heading in REVIEW_SECTIONS:
        assert heading in text, heading
    assert set(nav) & {line.strip() for line in text.splitlines()} == set()  # no nav bar
    assert "Task force to conclude the 2021 homicide" in " ".join(text.split())
    page.problems.assert_none()

