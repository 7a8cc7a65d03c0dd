"""The public portal in a real browser, as nobody signed in (a citizen), and the analyst's side
of it: choosing what is public, and reading the audit trail with its filters.

The demo database is shared with the other browser tests: the goal made public here is made
private again before the test ends."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Browser, Page
from sqlalchemy import select

from delivery.models import Goal
from delivery.users import DEMO_PASSWORD
from tests.browser.conftest import DEMO_LOGIN, screenshot, settle

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth + 1")


def hidden_codes(live_app) -> list[str]:
    with live_app.session_factory() as session:
        return list(session.scalars(select(Goal.code).where(Goal.is_public.is_(False))))


def main_links(page: Page) -> list[str]:
    return page.eval_on_selector_all("main a[href]", "as => as.map(a => a.getAttribute('href'))")


def test_a_citizen_goes_from_the_scorecard_to_a_goal_and_its_data(live_app, page, backend):
    page.goto(live_app.url + "/public")
    page.wait_for_selector(".public-goal-card")
    settle(page)
    text = page.inner_text("main")
    codes = hidden_codes(live_app)
    assert [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)] == []
    assert "Trend:" in text and "Latest:" in text
    assert all(h.startswith("/public") or h.startswith("#") for h in main_links(page))
    screenshot(page, "public-landing", backend)
    first = page.locator(".public-goal-card a").first
    name = first.inner_text()
    with page.expect_navigation():
        first.click()
    page.wait_for_selector(".public-goal .js-plotly-plot")
    settle(page)
    assert page.inner_text("h1") == name
    assert page.locator(".public-reason").inner_text().strip()
    assert page.locator(".public-figures tbody tr").count() > 0
    assert all(h.startswith("/public") for h in main_links(page))
    screenshot(page, "public-goal", backend)
    with page.expect_download() as download:
        page.locator(".public-goal a", has_text="CSV").first.click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows and {r["goal"] for r in rows} == {page.url.rsplit("/", 1)[1]}
    page.goto(live_app.url + "/public/data")
    page.wait_for_selector(".public-dictionary")
    assert page.locator(".public-dictionary").count() == 3
    screenshot(page, "public-data", backend)
    page.problems.assert_none()


def test_the_portal_works_on_a_phone_in_the_browsers_language(live_app, browser: Browser,
                                                              backend):
    context = browser.new_context(viewport=PHONE, locale="pt-BR",
                                  extra_http_headers={"Accept-Language": "pt-BR,pt;q=0.9"})
    page = context.new_page()
    try:
        page.goto(live_app.url + "/public")
        page.wait_for_selector(".public-goal-card")
        settle(page)
        assert "Dados abertos" in page.inner_text("main")
        assert "Tendência:" in page.inner_text("main")
        assert no_sideways_scroll(page)
        screenshot(page, "public-landing-phone", backend)
        page.locator(".public-goal-card a").first.click()
        page.wait_for_selector(".public-goal .js-plotly-plot")
        settle(page)
        assert no_sideways_scroll(page)
        screenshot(page, "public-goal-phone", backend)
        page.goto(live_app.url + "/public/data")
        page.wait_for_selector(".public-dictionary")
        settle(page)
        assert "O que foi prometido." in page.inner_text("main")
        assert no_sideways_scroll(page)
        screenshot(page, "public-data-phone", backend)
    finally:
        context.close()


def test_an_analyst_makes_a_goal_public_and_the_trail_shows_who_did(live_app, signed_in_page,
                                                                    backend):
    with live_app.session_factory() as session:
        goal = session.scalars(select(Goal).where(Goal.is_public.is_(False))
                               .order_by(Goal.code)).first()
        code, name = goal.code, goal.name
    page = signed_in_page("analyst", next="/workspace/public")
    try:
        choose_and_save(page, code, public=True)
        assert "is now on the public scorecard" in page.inner_text("#wsp-result")
        screenshot(page, "workspace-public", backend)
        page.goto(live_app.url + "/public")
        page.wait_for_selector(".public-goal-card")
        assert name in page.inner_text("main")
        page.goto(live_app.url + "/audit")
        page.wait_for_selector(".audit-entry")
        page.click("#audit-type")
        page.locator("[role=option]").filter(has_text=re.compile(r"^\s*Goal\s*$")).click()
        page.wait_for_function("name => [...document.querySelectorAll('.audit-entry')]"
                               ".some(e => e.innerText.includes(name))", arg=name)
        entry = page.locator(".audit-entry", has_text=name).first.inner_text()
        assert "changed" in entry and "public" in entry and "no" in entry and "yes" in entry
    finally:  # the database is shared: the goal goes back to private
        with live_app.session_factory() as session, session.begin():
            session.scalars(select(Goal).where(Goal.code == code)).one().is_public = False
    page.problems.assert_none()


def choose_and_save(page: Page, code: str, *, public: bool) -> None:
    page.wait_for_selector("#wsp-goal")
    settle(page)
    page.click("#wsp-goal")
    page.keyboard.type(code)
    page.locator("[role=option]").filter(has_text=code).first.click()
    page.wait_for_function("() => !document.querySelector('#wsp-switch').disabled")
    if page.is_checked("#wsp-switch") != public:
        page.click("#wsp-switch")
    page.click("#wsp-save")
    page.wait_for_selector("#wsp-result .text-success")


def test_an_analyst_reads_named_objects_and_filters_the_trail_by_dates(live_app,
                                                                      signed_in_page, backend):
    """(The kind of object: above; the person: test_signin.)"""
    page = signed_in_page("analyst", next="/audit")
    page.wait_for_selector(".audit-entry")
    settle(page)
    assert not re.search(r"\b[A-Z][a-z]+[A-Z][a-z]+ \d+\b", page.inner_text(".audit-list")), \
        "an object named by its class and id"
    assert page.locator(".audit-changes").count() > 0
    screenshot(page, "audit", backend)
    page.fill("input.dash-datepicker-start-date", "1 Jan 2000")
    page.keyboard.press("Tab")
    page.fill("input.dash-datepicker-end-date", "2 Jan 2000")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    page.wait_for_selector("text=No change matches these filters.")
    page.problems.assert_none()


def test_the_audit_trail_reads_on_a_phone(live_app, browser: Browser, backend):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_app.url + "/signin?next=/audit")
        page.fill("#signin-username", DEMO_LOGIN["analyst"])
        page.fill("#signin-password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("#signin-submit")
        page.wait_for_selector(".audit-entry")
        settle(page)
        assert no_sideways_scroll(page)
        screenshot(page, "audit-phone", backend)
    finally:
        context.close()
