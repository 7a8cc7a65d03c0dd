"""``/inbox`` in a browser, as the demo's Defesa Social secretariat sees it on the pinned
review date: the landing page after sign-in, each line a link to where it is done; on a
phone too, with no sideways scrolling."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from delivery.users import DEMO_PASSWORD
from tests.browser.conftest import CHROMIUM_ARGS, screenshot, settle  # noqa: F401


def sign_in_at_the_front_door(page, live_app, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_app.url + "/")
    page.wait_for_selector("#signin-form")
    page.fill("#signin-username", username)
    page.fill("#signin-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("#signin-submit")
    page.wait_for_selector("#inbox-summary")


def test_a_secretariat_lands_on_its_inbox_and_goes_to_where_a_thing_is_done(
        live_app, page, backend):
    sign_in_at_the_front_door(page, live_app, "sds")
    assert page.url == live_app.url + "/inbox"
    expect(page.locator("h1")).to_have_text("My work")
    items = page.locator(".inbox-item")
    expect(items.first).to_be_visible()
    # Road traffic deaths: September 2022's figure was due on 31 Oct 2022
    figure = page.locator(".inbox-item[data-kind=figure]").first
    expect(figure).to_contain_text("Road traffic deaths: the figure for September 2022")
    expect(figure).to_contain_text("77 days overdue")
    assert page.locator(".inbox-item[data-kind=commitment]").count() == 2
    # nothing of another secretariat's
    assert "SEE-" not in page.inner_text("#inbox-list")
    expect(page.locator("#user-menu")).to_contain_text("My work")
    settle(page)
    screenshot(page, "inbox-1440", backend)
    figure.locator("a").click()
    page.wait_for_selector("text=Report a figure")
    assert page.url.endswith("/report?goal=SDS-TRANSITO")
    expect(page.locator("#report-goal")).to_contain_text("SDS-TRANSITO")
    page.problems.assert_none()


def test_the_inbox_fits_a_phone(live_app, browser: Browser, backend):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in_at_the_front_door(page, live_app, "see")
        settle(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(page.locator(".inbox-item").first).to_be_visible()
        screenshot(page, "inbox-390", backend)
    finally:
        context.close()


def test_a_late_milestone_of_the_secretariat_links_to_its_initiative(live_app, page, backend):
    sign_in_at_the_front_door(page, live_app, "sds")
    milestone = page.locator(".inbox-item[data-kind=milestone]").first
    expect(milestone).to_contain_text("Milestone")
    expect(milestone).to_contain_text("days overdue")
    code = milestone.locator(".text-muted").first.inner_text().strip()
    assert code.startswith("SDS-")
    milestone.locator("a").click()
    page.wait_for_url(f"**/initiative/{code}")
    page.wait_for_selector("h1")
    assert "not found" not in page.inner_text("h1")
    page.problems.assert_none()


def test_a_commitment_in_the_inbox_opens_its_own_page(live_app, page, backend):
    sign_in_at_the_front_door(page, live_app, "sds")
    commitment = page.locator(".inbox-item[data-kind=commitment]").first
    what = commitment.locator(".inbox-title").inner_text().strip()
    number = commitment.get_attribute("data-thing").split(":")[1]
    commitment.locator("a").click()
    page.wait_for_url(f"**/commitment/{number}")
    page.wait_for_selector(".commitment-facts")
    # the page is the commitment's own: what was promised, its history and the forms
    assert page.inner_text("h1").strip() in what
    expect(page.locator(".commitment-facts")).to_contain_text("Owner")
    page.problems.assert_none()
