"""``/account/tokens`` in Chromium: a secretariat user makes a token, sees its secret once,
and the page fits a laptop and a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, settle


def test_a_token_is_made_shown_once_and_listed_at_both_sizes(signed_in_page, backend):
    page = signed_in_page("secretariat", next="/account/tokens")
    settle(page)
    page.fill("#token-name", "SDS statistics system")
    page.fill("#token-expires", "2030-12-31")  # the picker (the reader's format) ...
    page.keyboard.press("Tab")
    expect(page.locator("#token-expires-posted")).to_have_value("2030-12-31")  # ... posts ISO
    with page.expect_navigation():
        page.click("#token-create button[type=submit]")
    settle(page)
    secret = page.inner_text("#new-token").strip()
    assert secret.startswith("dt_")
    assert "SDS statistics system" in page.inner_text("#account-tokens")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    screenshot(page, "account-tokens", backend)
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    screenshot(page, "account-tokens-phone", backend)
    page.reload()
    settle(page)
    assert page.query_selector("#new-token") is None  # shown once only
    page.problems.assert_none()
