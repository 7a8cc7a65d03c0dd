"""An administrator makes a secretariat user the head of their secretariat on
``/account/sessions``, in a browser, at desk and phone widths (no sideways scrolling)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from delivery.users import DEMO_PASSWORD
from tests.browser.conftest import screenshot, settle


def sign_in(page, live_app, username: str, next_path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_app.url}/signin?next={next_path}")
    page.fill("#signin-username", username)
    page.fill("#signin-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("#signin-submit")
    page.wait_for_selector("#account-heads")


def test_an_administrator_makes_and_unmakes_a_head(live_app, page, backend):
    sign_in(page, live_app, "admin", "/account/sessions")
    row = page.locator("#account-heads tr[data-user=sds]")
    expect(row).to_have_attribute("data-head", "no")
    with page.expect_navigation():
        row.get_by_role("button", name="Make head").click()
    page.wait_for_selector("#account-heads")
    row = page.locator("#account-heads tr[data-user=sds]")
    expect(row).to_have_attribute("data-head", "yes")
    expect(row).to_contain_text("Head")
    expect(page.locator(".alert-success")).to_contain_text("Saved.")
    settle(page)
    screenshot(page, "account-heads-1440", backend)
    with page.expect_navigation():
        row.get_by_role("button", name="Not head").click()
    page.wait_for_selector("#account-heads")
    expect(page.locator("#account-heads tr[data-user=sds]")).to_have_attribute("data-head", "no")
    page.problems.assert_none()


def test_the_heads_card_fits_a_phone(live_app, browser: Browser, backend):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, live_app, "admin", "/account/sessions")
        settle(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(page.locator("#account-heads tr[data-user=see]")).to_be_visible()
        screenshot(page, "account-heads-390", backend)
    finally:
        context.close()
