"""Commitments followed up, in the browser, as the people who use them: the results centre of
Defesa Social on /report (most urgent first, sortable headers) records progress with evidence
and asks for a new date; the analyst accepts it; a meeting started, a decision on an agenda item,
a commitment corrected; the audit trail paged. Desktop (1440) and phone (390) widths, no
sideways scrolling on the phone. Writes, so it runs on a demo database of its own."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from delivery.models import AgendaItem, Commitment, Decision, ReviewMeeting, Secretariat
from delivery.vocabulary import CommitmentState, MeetingState
from tests.browser.conftest import at_phone_width, screenshot, settle, sign_in


def test_an_owner_follows_a_commitment_up_and_the_analyst_accepts_a_new_date(
        own_app, page, backend):
    with own_app.session_factory() as session:
        commitment = session.scalars(
            select(Commitment).join(Secretariat, Commitment.owner_secretariat_id == Secretariat.id)
            .where(Secretariat.code == "SDS", Commitment.state == CommitmentState.OPEN)
            .order_by(Commitment.due_on)).first()
        number, due = commitment.id, commitment.due_on
    sign_in(page, own_app, "sds", "/report")
    page.wait_for_selector(".commitment-table")
    first = page.locator(".commitment-table tbody tr").first
    assert "overdue" in first.inner_text()  # most urgent first
    due_header = page.locator(".commitment-table th", has_text="Due")
    assert due_header.get_attribute("aria-sort") == "ascending"
    page.locator(".commitment-table th button", has_text="Due").click()
    expect(page.locator(".commitment-table th", has_text="Due")).to_have_attribute(
        "aria-sort", "descending")
    screenshot(page, "report-commitments", backend)
    at_phone_width(page, "report-commitments", backend)

    page.goto(f"{own_app.url}/commitment/{number}")
    page.wait_for_selector(".commitment-facts")
    page.fill("#commitment-note", "Patrol schedule agreed with the battalions.")
    page.fill("#commitment-url", "https://example.org/schedule.pdf")
    page.click("#commitment-add-note")
    expect(page.locator("#commitment-history")).to_contain_text("Patrol schedule agreed")
    page.fill("#commitment-url", "javascript:alert(1)")
    page.click("#commitment-add-note")
    expect(page.locator("#commitment-note-msg")).to_contain_text("link:")
    page.fill("#commitment-new-date", "2023-03-31")
    page.keyboard.press("Tab")
    page.fill("#commitment-reason", "Vehicles arrive in March.")
    page.click("#commitment-ask")
    expect(page.locator(".pending-request")).to_contain_text("Vehicles arrive in March.")
    assert page.locator("#commitment-accept").count() == 0  # the owner does not answer
    settle(page)
    screenshot(page, "commitment-owner", backend)
    at_phone_width(page, "commitment-owner", backend)
    page.problems.assert_none()

    page.context.clear_cookies()
    sign_in(page, own_app, "ana", f"/commitment/{number}")
    page.wait_for_selector("#commitment-accept")
    page.click("#commitment-accept")
    expect(page.locator(".commitment-facts")).to_contain_text("31 Mar 2023")
    expect(page.locator(".first-due")).to_be_visible()
    with own_app.session_factory() as session:
        stored = session.get(Commitment, number)
        assert (stored.due_on.isoformat(), stored.first_due_on) == ("2023-03-31", due)
    settle(page)
    screenshot(page, "commitment-accepted", backend)


def test_a_decision_on_an_agenda_item_then_the_meeting_in_progress(
        own_app, page, backend):
    with own_app.session_factory() as session:
        meeting = session.scalars(select(ReviewMeeting).where(
            ReviewMeeting.state == MeetingState.SCHEDULED, ReviewMeeting.closed_at.is_(None))
            .order_by(ReviewMeeting.held_on)).first()
        number = meeting.id
    sign_in(page, own_app, "ana", f"/meeting/{number}")
    page.wait_for_selector("#meeting-start")
    if page.locator(".agenda-item").count() == 0:
        page.click("#meeting-build")
        expect(page.locator("#meeting-agenda-msg")).to_contain_text("added")
    page.fill("#meeting-decision", "Ask the police for weekly figures.")
    page.click("#meeting-decision-item")
    page.locator("[role=option]").first.click()  # the first agenda item
    expect(page.locator("#meeting-decision-item")).not_to_have_text(re.compile(r"^\s*$"))
    page.click("#meeting-decide")
    expect(page.locator("#meeting-decisions")).to_contain_text("weekly figures.")
    with own_app.session_factory() as session:
        decision = session.scalars(select(Decision).where(
            Decision.text == "Ask the police for weekly figures.")).one()
        assert decision.agenda_item_id is not None  # tied to the item picked
        item = session.get(AgendaItem, decision.agenda_item_id)
    expect(page.locator("#meeting-decisions")).to_contain_text(item.title)
    page.click("#meeting-start")
    expect(page.locator(".meeting-state")).to_have_text("In progress")
    with own_app.session_factory() as session:
        assert session.get(ReviewMeeting, number).started_by == "ana"
    settle(page)
    screenshot(page, "meeting-in-progress", backend)
    at_phone_width(page, "meeting-in-progress", backend)
    page.problems.assert_none()


def test_the_audit_trail_pages_older_and_back(own_app, page, backend):
    sign_in(page, own_app, "ana", "/audit")
    page.wait_for_selector(".audit-entry")
    expect(page.locator("#audit-range")).to_contain_text("Changes 1 to 30")
    assert page.locator(".audit-entry").count() == 30
    page.click("#audit-older")
    expect(page.locator("#audit-range")).to_contain_text("Changes 31 to")
    page.click("#audit-newer")
    expect(page.locator("#audit-range")).to_contain_text("Changes 1 to 30")
    expect(page.locator("#audit-newest")).to_be_disabled()
    settle(page)
    at_phone_width(page, "audit-paged", backend)
    page.problems.assert_none()
