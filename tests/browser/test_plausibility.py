"""A secretariat's figure in a real browser, on a demo database of its own: -5 firearms seized
is refused; a big jump must carry a note; with one it is stored and flagged, and the flag shows
on the goal page and in the analyst's data-quality queue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from delivery.models import Figure, Goal
from tests.browser.conftest import (
    LiveApp,
    new_demo_database,
    screenshot,
    serving,
    settle,
)

GOAL = "SDS-ARMAS"  # Firearms seized, monthly, owned by SDS (the demo's secretariat "sds")


@pytest.fixture(scope="module")
def own_app(server, tmp_path_factory) -> Iterator[LiveApp]:  # type: ignore[no-untyped-def]
    """The demo served from a database no other browser test reads (this test adds a jump)."""
    with serving(new_demo_database(server), tmp_path_factory.mktemp("rules")) as app:
        yield app


@pytest.fixture
def live_app(own_app):  # type: ignore[no-untyped-def]
    return own_app  # signed_in_page signs in on this app


def report(page, value, note=""):
    page.fill("#report-value", str(value))
    page.fill("#report-note", note)
    before = page.inner_text("#report-result")
    page.click("#report-submit")
    page.wait_for_function(  # the answer to this click, not the one before
        """before => {
            const alert = document.querySelector('#report-result .alert');
            return alert && alert.innerText !== before.trim();
        }""", arg=before)
    settle(page)
    return page.inner_text("#report-result")


def december(app):
    with app.session_factory() as session:
        return session.scalars(select(Figure.value).join(Goal, Goal.id == Figure.goal_id).where(
            Goal.code == GOAL, Figure.period_start == date(2022, 12, 1))
            .order_by(Figure.revision)).all()


def test_a_secretariat_is_refused_minus_5_and_must_note_a_jump_which_is_then_flagged(
        live_app, signed_in_page, backend):
    before = december(live_app)
    page = signed_in_page("secretariat", next="/report")
    page.wait_for_selector("#report-goal")
    page.wait_for_load_state("networkidle")
    page.click("#report-goal")
    page.locator("[role=option]").filter(has_text=GOAL).click()
    for picker, day in (("#report-start", "2022-12-01"), ("#report-end", "2022-12-31")):
        page.fill(picker, day)
        page.keyboard.press("Tab")

    refused = report(page, -5)
    assert "Not saved" in refused and "negative" in refused
    screenshot(page, "report-refused-negative", backend)

    jump = report(page, 9000)
    assert "a note is needed" in jump and "previous period" in jump
    assert december(live_app) == before
    screenshot(page, "report-jump-needs-note", backend)

    saved = report(page, 9000, "An arms cache found in a single operation in Petrolina")
    assert "Saved" in saved and december(live_app)[-1] == 9000

    page.goto(live_app.url + f"/goal/{GOAL}")
    page.wait_for_selector("text=Data-quality flags")
    settle(page)
    flags = page.locator("li", has_text="implausible")
    assert flags.count() >= 1 and "arms cache" in flags.first.inner_text()
    screenshot(page, "goal-implausible-flag", backend)

    page.problems.assert_none()
    page.context.clear_cookies()  # sign out
    analyst = signed_in_page("analyst", next="/workspace/quality")
    analyst.wait_for_selector("#wsq-grid .ag-row")
    settle(analyst)
    kinds = analyst.locator('#wsq-grid .ag-cell[col-id="kind"]').all_inner_texts()
    assert "implausible" in kinds
    screenshot(analyst, "quality-implausible-flag", backend)
    analyst.select_option("#wsq-rules-goal", label=f"{GOAL} · Firearms seized")
    analyst.wait_for_function(
        "() => document.querySelector('#wsq-rules-in-force').innerText.includes('In force')")
    assert "negative values refused" in analyst.inner_text("#wsq-rules-in-force")
    analyst.set_viewport_size({"width": 390, "height": 844})
    settle(analyst)
    assert analyst.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    screenshot(analyst, "quality-rules-phone", backend)
    analyst.problems.assert_none()
