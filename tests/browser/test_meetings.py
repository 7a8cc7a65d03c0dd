"""The review routine's screens in the browser: the meetings, one meeting run end to end, the
likelihood of delivery and the weekly review's uncovered goals.

The end-to-end run writes (it closes the demo's meeting of 16 Jan 2023), so it runs on a demo
database of its own; the other tests only read the shared one.
"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import func, select

from delivery.likelihood import latest_assessments, track_record, track_record_summary
from delivery.models import AgendaItem, Commitment, Pact, ReviewMeeting
from delivery.vocabulary import MeetingState
from tests.browser.conftest import screenshot, settle, sign_in

PROMISE = "Publish the December homicide figures by integrated security area"



def meeting_id(factory, title: str) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.scalar(select(ReviewMeeting.id).where(ReviewMeeting.title == title))


def test_the_meetings_page_lists_the_demo_meetings_and_the_routine_health(
        live_app, signed_in_page, backend):
    page = signed_in_page("governor", next="/meetings")
    page.wait_for_selector(".health-table")
    settle(page)
    upcoming = page.inner_text("#meetings-upcoming")
    assert "Weekly review: lethal violent crime" in upcoming and "16 Jan 2023" in upcoming
    past = page.inner_text("#meetings-past")
    assert "Pact for Life: monthly results" in past and "Weekly review: timely access" in past
    health = page.locator(".health-table tbody tr")
    assert "Delivery unit" in health.first.inner_text()
    assert page.locator(".health-table .slip").count() >= 1  # commitments run late in the demo
    assert page.locator("#meetings-schedule").count() == 0  # the governor does not schedule
    with live_app.session_factory() as session:
        held = session.scalar(select(func.count(ReviewMeeting.id)).join(Pact).where(
            Pact.code == "PPV", ReviewMeeting.held_on < date(2023, 1, 16)))
    page.click("#meetings-routine")
    page.get_by_role("option", name="Pact for Life (Pacto pela Vida)").click()
    expect(page.locator("#meetings-past .meeting-row")).to_have_count(min(held, 20))
    assert "Weekly review" not in page.inner_text("#meetings-past")
    screenshot(page, "meetings", backend)
    page.problems.assert_none()


def test_a_past_meeting_reads_its_agenda_attendance_and_commitments(live_app, signed_in_page,
                                                                    backend):
    number = meeting_id(live_app.session_factory, "Pact for Life: monthly results")
    page = signed_in_page("governor", next=f"/meeting/{number}")
    page.wait_for_selector(".agenda-list")
    settle(page)
    body = page.inner_text("body")
    assert "Homicides in November by integrated security area" in body
    assert "Secretário de Defesa Social" in body  # attendance
    assert page.locator(".commitment-made").count() == 4
    assert "Task force to conclude the 2021 homicide inquiries" in body
    assert page.locator("#meeting-build").count() == 0  # the governor reads, no edit controls
    assert page.locator("#meeting-commit").count() == 0
    assert page.get_attribute("a:has-text('PDF') >> nth=0", "href") == \
        f"/meeting/{number}/briefing.pdf"
    screenshot(page, "meeting-past", backend)
    page.problems.assert_none()


def test_a_secretariat_sees_its_pacts_meetings_only(live_app, signed_in_page, backend):
    page = signed_in_page("secretariat", next="/meetings")
    page.wait_for_selector(".health-table")
    settle(page)
    text = page.inner_text("body")
    assert "Pact for Life: monthly results" in text
    assert "Weekly review" not in text and "Delivery unit (every meeting)" not in text
    governors = meeting_id(live_app.session_factory, "Weekly review: lethal violent crime")
    page.goto(f"{live_app.url}/meeting/{governors}")
    page.wait_for_selector(".access-refused")
    assert "lethal violent crime" not in page.inner_text("body")


def test_the_likelihood_page_shows_the_league_table_judgements_and_the_form(
        live_app, signed_in_page, backend):
    page = signed_in_page("analyst", next="/likelihood")
    page.wait_for_selector(".league-table")
    settle(page)
    first = page.locator(".league-table tbody tr").first.inner_text()
    assert "Red" in first  # worst first
    assert "not computed from the figures" in page.inner_text(".likelihood-note")
    judgements = page.inner_text("#likelihood-judgements")
    assert "Two estates stopped: contractor in default." in judgements
    with live_app.session_factory() as session:
        latest = latest_assessments(session, date(2023, 1, 16))
    # every rater's latest rating, side by side: as many chips as judgements, none averaged
    assert page.locator("#likelihood-judgements .rating-chip").count() == len(latest)
    with live_app.session_factory() as session:
        summary = track_record_summary(track_record(session, date(2023, 1, 16)))
    amber_red = summary.set_index("rating").loc["amber_red"]
    n, later = int(amber_red["judgements"]), int(amber_red["off_track_later"])
    assert n, "the demo rates goals amber-red more than 8 weeks before its review date"
    assert (f"Of {n} goals rated amber-red, {later} were off track 8 weeks later"
            in page.inner_text("#likelihood-track"))
    page.click("#likelihood-save")  # nothing picked: the domain's field is named
    expect(page.locator("#likelihood-result")).to_contain_text("subject")
    screenshot(page, "likelihood", backend)
    page.problems.assert_none()


def test_the_weekly_review_lists_goals_off_track_with_no_open_commitment(
        live_app, signed_in_page, backend):
    page = signed_in_page("governor", next="/review")
    page.wait_for_selector(".uncommitted-row")
    settle(page)
    section = page.locator(".review-section", has_text="Off track with no open commitment")
    text = section.inner_text()
    assert "Violent property crimes (CVP), Região Metropolitana" in text
    assert "Homicide inquiries concluded with authorship identified, Sertão do Araripe" in text
    # off track, but the plan to contract surgeries (overdue) is still open on it
    worst = page.locator(".review-section", has_text="Most off track").inner_text()
    assert "Elective surgeries performed" in worst
    assert "Elective surgeries performed" not in text
    page.problems.assert_none()


# -- a meeting run end to end, on a demo of its own -------------------------------------------


def test_running_a_meeting_end_to_end_puts_its_commitment_on_next_weeks_review(
        own_app, page, backend):
    sign_in(page, own_app, "ana", "/meetings")
    page.click("#meetings-upcoming >> text=Weekly review: lethal violent crime")
    page.wait_for_selector(".agenda-list")
    settle(page)
    items = page.locator(".agenda-item")
    count = items.count()
    assert page.locator(".agenda-item .status-badge").count() >= 5  # goals off track, slipping
    assert page.locator(".agenda-kind-commitment").count() >= 1  # the overdue task force

    built = items.nth(3).locator(".agenda-title").inner_text()  # the first built goal
    items.nth(3).get_by_role("button", name=f"Remove “{built}”").click()
    expect(items).to_have_count(count - 1)
    page.click("#meeting-build")  # builds back what is missing, after the rest, only once
    expect(page.locator("#meeting-agenda-msg")).to_have_text("1 item added.")
    expect(items).to_have_count(count)
    expect(items.last.locator(".agenda-title")).to_have_text(built)
    items.last.get_by_role("button", name=f"Move “{built}” up").click()
    expect(items.nth(count - 2).locator(".agenda-title")).to_have_text(built)

    page.check("text=Secretário de Defesa Social")
    expect(page.locator("#meeting-present-msg")).to_contain_text("1 present")
    page.fill("#meeting-decision", "Homicide figures go to the governor every Monday.")
    page.click("#meeting-decide")
    expect(page.locator("#meeting-decisions")).to_contain_text("every Monday")

    page.fill("#meeting-commit-what", PROMISE)
    page.click("#meeting-commit-owner")  # owners are picked: an account or a secretariat
    page.keyboard.type("SDS")  # the list narrows as one types; the option is then clicked
    page.locator("[role=option]").filter(has_text="SDS · ").first.click()
    expect(page.locator("#meeting-commit-owner")).to_contain_text("Secretaria de Defesa Social")
    page.fill("#meeting-commit-due", "2023-01-27")  # the reader's date picker
    page.keyboard.press("Tab")
    page.press("#meeting-commit-what", "Enter")  # typed in fast: Enter records it
    expect(page.locator("#meeting-made")).to_contain_text(PROMISE)
    expect(page.locator("#meeting-commit-what")).to_be_focused()  # ready for the next one
    expect(page.locator("#meeting-commit-what")).to_have_value("")
    page.fill("#meeting-commit-what", "Something without an owner")
    page.press("#meeting-commit-what", "Enter")
    expect(page.locator("#meeting-commit-msg")).to_contain_text(
        "owner: pick an account or a secretariat from the list")
    settle(page)
    screenshot(page, "meeting-run", backend)

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#meeting-close button")
    expect(page.locator(".meeting-closed")).to_contain_text("Minutes closed by ana")
    assert page.locator("#meeting-build").count() == 0  # read-only now
    assert page.locator("#meeting-commit").count() == 0
    with own_app.session_factory() as session:
        meeting = session.scalar(select(ReviewMeeting).where(
            ReviewMeeting.title == "Weekly review: lethal violent crime"))
        assert meeting.state is MeetingState.HELD and meeting.closed_by == "ana"
        assert meeting.attendees == ["Secretário de Defesa Social"]
        assert [c.description for c in session.scalars(select(Commitment).where(
            Commitment.meeting_id == meeting.id))] == [PROMISE]
        moved = session.scalar(select(AgendaItem.title).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.position == count - 2))
        assert moved.startswith(built)  # the goal's name, then its code and status
    settle(page)
    screenshot(page, "meeting-closed", backend)

    page.goto(own_app.url + "/review?as_of=2023-01-23")
    page.wait_for_selector(".glance-card")
    settle(page)
    due = page.locator(".review-section", has_text="Commitments due or overdue")
    expect(due).to_contain_text(PROMISE)
    expect(due).to_contain_text("Weekly review: lethal violent crime · 16 Jan 2023")
    screenshot(page, "review-next-week", backend)
    page.problems.assert_none()
