"""A header's click sorts the table in the browser: on /meetings the past meetings go from
latest first to oldest first by a click on "Date" (days compared as days, in Portuguese too:
"31/12/2022" before "09/01/2023"), and on a pact's page its commitments by owner; the header
says so with ``aria-sort``."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from playwright.sync_api import expect

from delivery.users import DEMO_PASSWORD
from tests.browser.conftest import DEMO_LOGIN, screenshot, settle


def day_of(text: str) -> date:
    """A day as the page writes it: 31/12/2022 (pt_BR, es) or 31 Dec 2022 (en)."""
    text = text.strip()
    if "/" in text:
        day, month, year = text.split("/")
        return date(int(year), int(month), int(day))
    return datetime.strptime(text, "%d %b %Y").date()


def test_a_click_on_a_meetings_date_header_puts_the_oldest_first(browser, live_app, backend):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="pt-BR")
    page = context.new_page()
    page.goto(live_app.url + "/signin?" + urlencode({"next": "/meetings"}))
    page.fill("#signin-username", DEMO_LOGIN["governor"])
    page.fill("#signin-password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("#signin-submit")
    page.wait_for_selector("#meetings-past .meeting-row")
    settle(page)
    header = page.locator("#meetings-past th", has=page.locator("button")).first
    expect(header).to_have_attribute("aria-sort", "descending")  # latest first
    days = [day_of(t) for t in page.locator("#meetings-past .meeting-row td:first-child")
            .all_inner_texts()]
    assert days == sorted(days, reverse=True) and len(set(days)) > 1
    header.locator("button").click()
    expect(page.locator("#meetings-past th").first).to_have_attribute("aria-sort", "ascending")
    after = [day_of(t) for t in page.locator("#meetings-past .meeting-row td:first-child")
             .all_inner_texts()]
    assert after == sorted(days)
    context.close()


def test_a_pacts_commitments_sort_by_owner_and_back(signed_in_page, backend):
    page = signed_in_page("analyst", next="/pact/PPV")
    table = page.locator(".sortable-pact-commitments")
    table.locator("tbody tr").first.wait_for()
    settle(page)
    expect(table.locator("th").nth(3)).to_have_attribute("aria-sort", "ascending")  # state
    table.get_by_role("button", name="Owner").click()
    owner = table.locator("th").nth(1)
    expect(owner).to_have_attribute("aria-sort", "ascending")
    owners = [t.split("\n")[0].strip() for t in table.locator("tbody tr td:nth-child(2)")
              .all_inner_texts()]
    assert owners == sorted(owners, key=str.casefold)
    table.get_by_role("button", name="Owner").click()
    expect(owner).to_have_attribute("aria-sort", "descending")
    expect(table.locator("th").nth(3)).to_have_attribute("aria-sort", "none")
    screenshot(page, "pact-commitments-sorted", backend)
    page.problems.assert_none()
