"""The goal catalogue on the home page, as an analyst uses it: filter, sort, export what is
shown, keep the view in the URL and save it under a name."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, settle

CODE_CELLS = ".goals-grid .ag-center-cols-container .ag-cell[col-id='code']"


def shown_count(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.inner_text("#goals-shown").split()[0].replace(",", ""))


def test_the_home_page_shows_every_goal_in_the_grid(live_app, signed_in_page, backend):
    page = signed_in_page("analyst")
    page.wait_for_selector(CODE_CELLS)
    settle(page)
    assert "Status as of 16 Jan 2023" in page.inner_text("body")
    assert shown_count(page) == 134
    tiles = page.locator(".status-tile .tile-number").all_inner_texts()
    assert sum(int(t) for t in tiles) == 134
    screenshot(page, "home", backend)
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "home-390", backend)
    page.problems.assert_none()


def test_an_analyst_filters_sorts_exports_and_saves_a_view(live_app, signed_in_page, backend):
    page = signed_in_page("analyst")
    page.wait_for_selector(CODE_CELLS)
    settle(page)
    page.fill("#goals-search", "homicide")
    page.press("#goals-search", "Enter")
    expect(page.locator("#goals-shown")).not_to_contain_text("134")
    page.click("#goals-status")
    page.get_by_role("option", name=re.compile("Off track")).click()
    page.keyboard.press("Escape")
    settle(page)
    shown = shown_count(page)
    assert 0 < shown < 134
    # the address bar keeps the view: a link reopens it
    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == ["homicide"] and query["status"] == ["off_track"]
    # what is shown is what downloads, in the same order
    csv_href = page.get_attribute("#goals-csv", "href")
    response = page.request.get(live_app.url + csv_href)
    assert response.ok
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == shown and {r["Status"] for r in rows} == {"Off track"}
    assert all("omicide" in r["Goal"] for r in rows)
    grid_codes = page.locator(CODE_CELLS).all_inner_texts()
    assert [r["Code"] for r in rows][:len(grid_codes)] == grid_codes
    xlsx = page.request.get(live_app.url + page.get_attribute("#goals-xlsx", "href"))
    assert xlsx.ok and xlsx.body()[:2] == b"PK"
    screenshot(page, "home-filtered", backend)
    # saved under a name, it comes back from the list after leaving the page
    page.fill("#goals-view-name", "Homicides off track")
    page.click("#goals-view-save")
    expect(page.locator("#goals-view-result")).to_contain_text("Saved as")
    page.goto(live_app.url + "/")
    page.wait_for_selector(CODE_CELLS)
    settle(page)
    assert shown_count(page) == 134
    page.click("#goals-views")
    page.click("text=Homicides off track")
    page.wait_for_url("**status=off_track**")
    page.wait_for_selector(CODE_CELLS)
    settle(page)
    assert shown_count(page) == shown
    page.problems.assert_none()


def test_a_deep_link_opens_the_view_it_names(live_app, signed_in_page, backend):
    page = signed_in_page("governor", next="/?pact=PPV&sort=-shortfall&as_of=2022-06-30")
    page.wait_for_selector(CODE_CELLS)
    settle(page)
    assert "Status as of 30 Jun 2022" in page.inner_text("body")
    assert page.input_value("#goals-search") == ""
    assert "PPV" in page.inner_text("#goals-pact")
    pacts = page.locator(".goals-grid .ag-center-cols-container .ag-cell[col-id='pacts']")
    assert pacts.count() and all("PPV" in t for t in pacts.all_inner_texts())
    page.problems.assert_none()
