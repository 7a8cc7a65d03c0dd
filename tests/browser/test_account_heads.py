"""An administrator makes a secretariat user the head of their secretariat on
``/account/sessions``, in a browser, at desk and phone widths (no sideways scrolling)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import screenshot, settle, sign_in


def sign_in_as_admin(page, live_app) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_app, "admin", "/account/sessions")
    page.wait_for_selector("#account-heads")


def test_an_administrator_makes_and_unmakes_a_head(live_app, page, backend):
    sign_in_as_admin(page, live_app)
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
        sign_in_as_admin(page, live_app)
        settle(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        expect(page.locator("#account-heads tr[data-user=see]")).to_be_visible()
        screenshot(page, "account-heads-390", backend)
    finally:
        context.close()
