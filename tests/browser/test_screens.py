"""Issue 16's screens as the people who use them: nobody meets a dead link or a tab for what
they cannot do; the goal page, the pacts and the review answer the next question."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, settle

REFUSED = "Your role does not give access to this page."


def test_a_secretariat_meets_no_dead_link_from_its_goal_page(live_app, signed_in_page, backend):
    page = signed_in_page("secretariat", next="/goal/SDS-CVP-RMR")
    page.wait_for_selector(".goal-figures")
    settle(page)
    crumbs = page.locator(".crumbs")
    assert crumbs.locator("a").count() == 0  # pillar and objective pages are not theirs
    assert "›" in crumbs.inner_text()
    screenshot(page, "goal-secretariat", backend)
    hrefs = set()
    for start in ("/goal/SDS-CVP-RMR", "/"):  # every link of the goal page, the home page's
        page.goto(live_app.url + start)       # grid (its first goals) and the navigation
        page.wait_for_selector("main h1")
        settle(page)
        hrefs |= {h for h in page.eval_on_selector_all(
            "a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
            if not h.startswith(("/export/", "/auth/"))}
    assert {"/pacts", "/report"} <= hrefs and any(h.startswith("/goal/") for h in hrefs)
    for href in sorted(hrefs):
        page.goto(live_app.url + href)
        page.wait_for_selector("main h1, main .access-refused", timeout=60000)
        settle(page)
        assert REFUSED not in page.inner_text("main"), href
    nav = page.locator("#user-menu").inner_text()
    assert "Report" in nav and "Weekly review" not in nav
    page.problems.assert_none()


def test_the_governor_has_no_report_tab_and_cannot_close_commitments(live_app, signed_in_page,
                                                                    backend):
    page = signed_in_page("governor", next="/review")
    page.wait_for_selector(".focus-card")
    settle(page)
    assert "Report" not in page.locator("#user-menu").inner_text()
    assert page.locator("text=Mark done").count() == 0
    page.goto(live_app.url + "/goal/PPV%20Homic%C3%ADdio%20doloso")
    page.wait_for_selector(".goal-figures")
    assert page.locator(".crumbs a").count() == 2  # the governor may open both
    page.problems.assert_none()


def test_the_goal_page_shows_its_figures_ratings_commitments_and_budget(live_app,
                                                                      signed_in_page, backend):
    page = signed_in_page("analyst", next="/goal/SEE-FREQ-SAR")
    page.wait_for_selector(".goal-figures")
    settle(page)
    head = page.locator(".goal-figures thead").inner_text()
    head = head.casefold()
    assert "value (%)" in head and "known on" in head and "who" in head
    assert page.locator(".goal-figures tbody tr").count() >= 20
    download = page.request.get(live_app.url + page.get_attribute(
        ".goal-figures-section a", "href"))
    assert download.ok and download.text().count("SEE-FREQ-SAR") >= 20
    body = page.inner_text("main")
    assert "Likelihood of delivery" in body and "Open commitments" in body
    sentence = page.inner_text(".goal-budget-sentence")
    assert re.search(r"of the money is spent with .* of the year gone by", sentence)
    assert "Flagged goals" not in body
    page.locator(".goal-figures th button", has_text="Value").click()  # sorts by value
    expect(page.locator(".goal-figures th", has_text="Value")).to_have_attribute(
        "aria-sort", "ascending")
    settle(page)
    screenshot(page, "goal", backend)
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "goal-390", backend)
    page.problems.assert_none()


def test_pacts_show_their_mix_money_meetings_and_impossible_targets(live_app, signed_in_page,
                                                                   backend):
    page = signed_in_page("analyst", next="/pacts")
    page.wait_for_selector(".pact-facts")
    settle(page)
    facts = page.locator(".pact-facts").all_inner_texts()
    assert len(facts) == 3 and all("spent of" in f and "Next meeting" in f for f in facts)
    assert all("Likelihood" in f for f in facts)
    screenshot(page, "pacts-index", backend)
    page.goto(live_app.url + "/pact/PPE")
    page.wait_for_selector(".pact-target-findings")
    findings = page.inner_text(".pact-target-findings")
    assert "SEE-FREQ-SAR" in findings and "over 100%" in findings
    screenshot(page, "pact-PPE", backend)
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "pact-PPE-390", backend)
    page.problems.assert_none()


def test_an_analyst_marks_a_commitment_done_from_the_review(live_app, signed_in_page, backend):
    page = signed_in_page("analyst", next="/review")
    page.wait_for_selector(".focus-card")
    settle(page)
    corrected = page.locator(".stat", has_text="corrected").inner_text()
    listed = page.locator("text=Corrected figures >> xpath=.. >> li").count()
    assert int(corrected.split()[0]) == listed
    before = page.locator("text=Mark done").count()
    assert before >= 1
    page.locator("text=Mark done").first.click()
    expect(page.locator("text=marked done").first).to_be_visible()
    screenshot(page, "review", backend)
    page.reload()
    page.wait_for_selector(".focus-card")
    settle(page)
    assert page.locator("text=Mark done").count() < before
    page.problems.assert_none()
