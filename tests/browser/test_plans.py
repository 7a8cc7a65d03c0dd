"""Delivery plans in the browser: the board worst first with its filters, an initiative's page
at desktop and phone widths, a secretariat moving a forecast (a reason required) and the Gantt
following, and nothing it can do to another secretariat's initiative."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from delivery.models import Initiative, Milestone, MilestoneRevision
from tests.browser.conftest import OVERFLOW, at_phone_width, screenshot, settle

GANTT_X = """() => Array.from(document.querySelector('#initiative-gantt .js-plotly-plot').data)
    .filter(t => t.mode === 'markers').flatMap(t => Array.from(t.x).map(String))"""


def milestone(live_app, code: str, name: str) -> Milestone:  # type: ignore[no-untyped-def]
    with live_app.session_factory() as session:
        return session.scalar(select(Milestone).join(Initiative).where(
            Initiative.code == code, Milestone.name == name))


def test_the_board_lists_initiatives_worst_first_and_filters(live_app, signed_in_page, backend):
    page = signed_in_page("governor", next="/plans")
    page.wait_for_selector(".plans-table")
    settle(page)
    names = page.locator(".plans-row td:first-child a").all_inner_texts()
    assert len(names) == 20 and names[0] == "Sertão regional hospital"
    first = page.locator(".plans-row").first.inner_text()
    assert "Late" in first and "money ahead of work" in first
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "plans-1440", backend)
    page.click("#plans-secretariat")
    page.locator("[role=option]").filter(has_text="SEE ·").click()
    page.wait_for_function("() => document.querySelectorAll('.plans-row').length === 5")
    assert all("SEE" in row for row in page.locator(".plans-row").all_inner_texts())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_app.url + "/plans")
    page.wait_for_selector(".plans-table")
    settle(page)
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "plans-390", backend)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_app.url + "/initiative/SES-HOSP-SERTAO")
    page.wait_for_selector("#initiative-gantt .js-plotly-plot")
    settle(page)
    assert "money ahead of work" in page.inner_text(".initiative-standing")
    assert "review overdue" in page.inner_text(".initiative-page")
    assert page.locator(".forecast-form").count() == 0  # the governor changes nothing
    screenshot(page, "initiative-1440", backend)
    at_phone_width(page, "initiative", backend, ready="#initiative-gantt .js-plotly-plot")
    page.problems.assert_none()


def test_a_secretariat_moves_its_forecast_with_a_reason_and_the_gantt_follows(
        live_app, signed_in_page, backend):
    works = milestone(live_app, "SDS-DELEG-GARANHUNS", "Works completed")
    page = signed_in_page("secretariat", next="/initiative/SDS-DELEG-GARANHUNS")
    page.wait_for_selector("#initiative-gantt .js-plotly-plot")
    settle(page)
    assert "2023-03-10" not in " ".join(page.evaluate(GANTT_X))
    page.click("#initiative-move-milestone")
    page.locator("[role=option]").filter(has_text="Works completed").click()
    page.fill("#initiative-move-date", "2023-03-10")
    page.keyboard.press("Tab")
    page.click("#initiative-move-save")
    page.wait_for_selector(".move-refused")
    assert "a reason is required" in page.inner_text("#initiative-move-result")
    assert milestone(live_app, "SDS-DELEG-GARANHUNS", "Works completed").forecast_on == (
        works.forecast_on)

    page.fill("#initiative-move-reason", "Roof beams delivered late")
    page.click("#initiative-move-save")
    page.wait_for_selector(".move-saved")
    page.wait_for_function(f"() => ({GANTT_X})().some(x => x.startsWith('2023-03-10'))")
    moved = milestone(live_app, "SDS-DELEG-GARANHUNS", "Works completed")
    assert (moved.forecast_on, moved.baseline_on) == (date(2023, 3, 10), works.baseline_on)
    assert "Roof beams delivered late" in page.inner_text("#initiative-milestones")
    screenshot(page, "initiative-forecast-moved", backend)
    page.problems.assert_none()


def test_a_secretariat_cannot_touch_another_secretariats_initiative(live_app, signed_in_page):
    schools = milestone(live_app, "SEE-ETI-RMR", "Teachers allocated")
    page = signed_in_page("secretariat", next="/initiative/SEE-ETI-RMR")
    page.wait_for_selector("text=Initiative not found")
    with live_app.session_factory() as session:
        revisions = len(session.scalars(select(MilestoneRevision)).all())
    outputs = [("initiative-move-result", "children"), ("initiative-gantt", "figure"),
               ("initiative-milestones", "children")]
    forged = page.request.post(live_app.url + "/_dash-update-component", headers={
        "Origin": live_app.url}, data={
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": "initiative-move-save", "property": "n_clicks", "value": 1}],
        "state": [{"id": "initiative-move-milestone", "property": "value", "value": schools.id},
                  {"id": "initiative-move-date", "property": "date", "value": "2024-12-31"},
                  {"id": "initiative-move-reason", "property": "value", "value": "forged"}],
        "changedPropIds": ["initiative-move-save.n_clicks"]})
    assert "move-refused" in forged.text()
    after = milestone(live_app, "SEE-ETI-RMR", "Teachers allocated")
    assert after.forecast_on == schools.forecast_on
    with live_app.session_factory() as session:
        assert len(session.scalars(select(MilestoneRevision)).all()) == revisions
