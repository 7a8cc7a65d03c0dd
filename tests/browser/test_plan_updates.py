"""A secretariat updates its initiative from /report: a physical completion out of range is
refused naming the field, a good one is kept as a new report and the initiative's page
follows; a note typed with a figure shows under the initiative's progress chart; the forms fit
a phone."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from delivery.models import Initiative, ProgressReport
from tests.browser.conftest import OVERFLOW, at_phone_width, screenshot, settle

CODE = "SDS-DELEG-IBURA"


def reports(live_app) -> int:  # type: ignore[no-untyped-def]
    with live_app.session_factory() as session:
        return session.scalar(select(func.count(ProgressReport.id)).join(Initiative).where(
            Initiative.code == CODE))


def sds_progress_form(signed_in_page):  # type: ignore[no-untyped-def]
    """/report signed in as sds, its progress form on ``CODE``."""
    page = signed_in_page("secretariat", next="/report")
    page.wait_for_selector(".plan-updates")
    settle(page)
    page.click("#report-plan-progress-initiative")
    page.locator("[role=option]").filter(has_text=CODE).click()
    return page


def forget_sds_reports(live_app) -> None:  # type: ignore[no-untyped-def]
    """The demo database is shared by the browser tests: leave it as found."""
    with live_app.session_factory() as session, session.begin():
        ids = select(Initiative.id).where(Initiative.code == CODE).scalar_subquery()
        session.execute(delete(ProgressReport).where(
            ProgressReport.initiative_id == ids, ProgressReport.reported_by == "sds"))


def test_a_secretariat_reports_physical_progress_from_report(live_app, signed_in_page,
                                                             backend):
    before = reports(live_app)
    page = sds_progress_form(signed_in_page)
    try:
        page.fill("#report-plan-progress-pct", "150")
        page.click("#report-plan-progress-save")
        page.wait_for_selector("#report-plan-progress-result .plan-update-refused")
        refusal = page.inner_text("#report-plan-progress-result")
        assert "Physical completion" in refusal and "0 to 100" in refusal
        assert reports(live_app) == before

        page.fill("#report-plan-progress-pct", "35")
        page.click("#report-plan-progress-save")
        page.wait_for_selector("#report-plan-progress-result .plan-update-saved")
        assert reports(live_app) == before + 1
        assert page.evaluate(OVERFLOW) <= 0
        screenshot(page, "report-plans-1440", backend)
        at_phone_width(page, "report-plans", backend, ready=".plan-updates")

        page.goto(live_app.url + f"/initiative/{CODE}")
        page.wait_for_selector(".initiative-standing")
        assert "physical 35%" in page.inner_text(".initiative-standing")
        page.problems.assert_none()
    finally:
        forget_sds_reports(live_app)


NOTE = "Obras paradas pela chuva em março.\nContrato <b>relicitado</b> em abril."


def test_a_note_typed_on_report_shows_beside_its_figure_on_the_initiative_page(
        live_app, signed_in_page, backend):
    before = reports(live_app)
    page = sds_progress_form(signed_in_page)
    try:
        page.fill("#report-plan-progress-pct", "37")
        page.fill("#report-plan-progress-note", "x" * 2001)  # the box stops at 2,000
        assert len(page.input_value("#report-plan-progress-note")) == 2000
        page.fill("#report-plan-progress-note", NOTE)
        page.click("#report-plan-progress-save")
        page.wait_for_selector("#report-plan-progress-result .plan-update-saved")
        with live_app.session_factory() as session:
            assert session.scalar(select(ProgressReport.note).order_by(
                ProgressReport.id.desc()).limit(1)) == NOTE
        assert reports(live_app) == before + 1

        page.goto(live_app.url + f"/initiative/{CODE}")
        page.wait_for_selector(".progress-notes")
        listed = page.inner_text(".progress-notes")
        assert "37%" in listed and "Obras paradas pela chuva em março." in listed
        assert "<b>relicitado</b>" in listed  # shown as typed, never read as markup
        assert page.locator(".progress-notes b").count() == 0
        assert page.evaluate(OVERFLOW) <= 0
        screenshot(page, "initiative-note-1440", backend)
        at_phone_width(page, "initiative-note", backend, ready=".progress-notes")
        page.problems.assert_none()
    finally:
        forget_sds_reports(live_app)


def test_an_analyst_rescores_a_risk_in_the_workspace(live_app, signed_in_page, backend):
    from delivery.models import Risk

    with live_app.session_factory() as session:
        risk, code = session.execute(select(Risk, Initiative.code).join(Initiative).where(
            Initiative.secretariat.has(code="SDS")).order_by(Initiative.code, Risk.id)).first()
        kept = (risk.id, risk.probability, risk.impact, risk.status, risk.mitigation,
                risk.review_on)
    page = signed_in_page("analyst", next="/workspace/plans")
    page.wait_for_selector(".plan-updates")
    settle(page)
    try:
        page.click("#wspl-plan-risk")
        page.locator("[role=option]").filter(has_text=f"{code} · {risk.description[:30]}").click()
        page.wait_for_function(  # the form takes the risk's mitigation and scores
            "m => document.querySelector('#wspl-plan-risk-mitigation').value === m",
            arg=risk.mitigation)
        settle(page)
        page.click("#wspl-plan-risk-probability")
        page.locator("[role=option]").filter(has_text="5").first.click()
        page.click("#wspl-plan-risk-save")
        page.wait_for_selector("#wspl-plan-risk-result .plan-update-saved")
        with live_app.session_factory() as session:
            assert session.get(Risk, kept[0]).probability == 5
        assert page.evaluate(OVERFLOW) <= 0
        screenshot(page, "workspace-plans-1440", backend)
        at_phone_width(page, "workspace-plans", backend, ready=".plan-updates")
        page.problems.assert_none()
    finally:
        with live_app.session_factory() as session, session.begin():
            back = session.get(Risk, kept[0])
            (back.probability, back.impact, back.status, back.mitigation,
             back.review_on) = kept[1:]
