"""Changing a goal from the screens, in a real browser: a trajectory proposed in the workspace
grid and approved by someone else appears on the goal's chart, and a rejected one says why; comments
are posted, stay, and are edited in place by their author; a figure typed in the workspace appears
on the goal's chart.

The database is shared with the other browser tests, so the changes are ones that move no
status on the review date: the 2023 milestone of SES-MINF-SI (its latest figure is for 2021),
a rejected proposal on SES-MINF-SC, and a 2022 figure for SES-MINF-SSF close to its plan."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from delivery.models import Goal
from delivery.trajectory_versions import latest_version, propose
from delivery.vocabulary import Shape
from tests.browser.conftest import screenshot, settle
from tests.browser.test_workspace import edit_value

PLANNED = "SES-MINF-SI"  # yearly milestones 2019..2024; row 4 is 31 Dec 2023
REPORTED = "SES-MINF-SSF"
REJECTED = "SES-MINF-SC"


def another_person(browser, live_app, username, path):
    """A second browser, signed in as ``username`` and landed on ``path``."""
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.goto(live_app.url + "/signin?next=" + path)
    page.fill("#signin-username", username)
    page.fill("#signin-password", "demo-password")
    with page.expect_navigation():
        page.click("#signin-submit")
    return page


def goal_trace(page, name):
    """The (x, y) points of the goal chart's trace called ``name``, as plotted (``_fullData``:
    Plotly decodes the figure's binary arrays there)."""
    return page.evaluate("""name => {
        const plot = document.querySelector('.goal-graph .js-plotly-plot');
        const trace = plot._fullData.find(t => t.name === name);
        return trace ? Array.from(trace.x).map((x, i) => [String(x).slice(0, 10), trace.y[i]])
                     : null;
    }""", name)


def test_a_proposed_trajectory_approved_by_another_editor_shows_on_the_goal_chart(
        live_app, signed_in_page, browser, backend):
    page = signed_in_page("analyst", next=f"/workspace/trajectory?goal={PLANNED}")
    page.wait_for_selector("#wst-grid .ag-row")
    settle(page)
    assert "No trajectory change is waiting" in page.inner_text("#wst-pending")
    edit_value(page, 4, 9.75)
    page.fill("#wst-rationale", "Neonatal units open in 2023")
    page.click("#wst-save")
    page.wait_for_selector(".wst-saved-ok")
    page.wait_for_selector("#wst-pending .proposal-table")
    settle(page)
    pending = page.inner_text("#wst-pending")
    assert "proposed by ana" in pending and "Neonatal units open in 2023" in pending
    assert "You proposed this version" in pending  # ana may not approve her own
    assert page.locator("#wst-proposal-approve").count() == 0
    screenshot(page, "workspace-trajectory-proposal", backend)
    page.problems.assert_none()

    admin = another_person(browser, live_app, "admin", f"/goal/{PLANNED}")
    admin.wait_for_selector(".goal-graph .main-svg")
    settle(admin)
    before = dict(goal_trace(admin, "trajectory in force"))
    assert before["2023-12-31"] != 9.75
    row = admin.locator(".proposal-table tr.proposal-changed")
    assert row.count() == 1 and "9.75" in row.inner_text() and "31 Dec 2023" in row.inner_text()
    screenshot(admin, "goal-proposal", backend)

    with admin.expect_navigation():
        admin.click("#goal-proposal-approve")
    admin.wait_for_selector(".goal-graph .main-svg")
    settle(admin)
    after = dict(goal_trace(admin, "trajectory in force"))
    assert after["2023-12-31"] == 9.75 and after["2021-12-31"] == before["2021-12-31"]
    assert admin.locator(".goal-proposal").count() == 0  # nothing waits any more
    assert "awaiting approval" not in admin.inner_text("body")
    expect(admin.locator(".goal-decided")).to_contain_text("Approved — now in force")
    with live_app.session_factory() as session:
        goal = session.scalars(select(Goal).where(Goal.code == PLANNED)).one()
        approved = latest_version(session, goal)
        assert approved.approved_by == "admin" and approved.proposed_by == "ana"
    screenshot(admin, "goal-proposal-approved", backend)
    admin.context.close()


def test_a_comment_is_posted_shown_and_still_there_after_a_reload(live_app, signed_in_page,
                                                                  backend):
    page = signed_in_page("governor", next=f"/goal/{PLANNED}")
    page.wait_for_selector("#goal-comments-post")
    settle(page)
    page.click("#goal-comments-post")
    page.wait_for_selector("#goal-comments-result:has-text('write something')")
    page.fill("#goal-comments-body", "Which maternity wards are behind? Bring the list Monday.")
    page.click("#goal-comments-post")
    page.wait_for_selector("#goal-comments-result:has-text('Posted')")
    assert "Bring the list Monday" in page.inner_text(".comments")
    settle(page)  # a reload would abort a callback still answering
    page.reload()
    page.wait_for_selector(".comments")
    settle(page)
    first = page.locator(".comments .comment").first.inner_text()
    assert "governor" in first and "Bring the list Monday" in first
    page.locator(".goal-comments").scroll_into_view_if_needed()
    screenshot(page, "goal-comments", backend)
    page.problems.assert_none()


def test_a_rejected_proposal_says_why_on_the_goal_page_once_it_has_loaded_again(
        live_app, signed_in_page, backend):
    with live_app.session_factory() as session, session.begin():
        goal = session.scalars(select(Goal).where(Goal.code == REJECTED)).one()
        current = latest_version(session, goal)
        propose(session, goal, Shape(current.shape),
                [(on, value + 0.5) for on, value in current.milestones()], proposed_by="ana",
                rationale="Fewer neonatal beds than planned", based_on=current.version,
                restates_past=True)
    page = signed_in_page("admin", next=f"/goal/{REJECTED}")
    page.wait_for_selector("#goal-proposal-reject")
    settle(page)
    page.click("#goal-proposal-reject")
    expect(page.locator("#goal-proposal-result")).to_contain_text("say why")
    page.fill("#goal-proposal-reason", "Keep the bar: the beds open in March")
    with page.expect_navigation():
        page.click("#goal-proposal-reject")
    decided = page.locator(".goal-decided")
    expect(decided).to_contain_text("Rejected: Keep the bar: the beds open in March")
    assert "decided=v" in page.url and page.locator(".goal-proposal").count() == 0
    settle(page)
    screenshot(page, "goal-proposal-rejected", backend)
    settle(page)
    page.reload()
    expect(decided).to_contain_text("Rejected: Keep the bar: the beds open in March")
    page.problems.assert_none()


def test_the_author_edits_a_comment_in_place_and_nobody_else_may(live_app, signed_in_page,
                                                                 browser, backend):
    page = signed_in_page("analyst", next=f"/goal/{PLANNED}")
    page.wait_for_selector("#goal-comments-post")
    settle(page)
    page.fill("#goal-comments-body", "Ward list due Friday.")
    page.click("#goal-comments-post")
    page.wait_for_selector("#goal-comments-result:has-text('Posted')")
    mine = page.locator(".comments .comment").first
    expect(mine).to_contain_text("Ward list due Friday.")

    mine.locator(".comment-edit").click()
    editor = mine.locator(".comment-editor textarea")
    expect(editor).to_have_value("Ward list due Friday.")
    editor.fill("Something else")
    mine.get_by_role("button", name="Cancel").click()
    expect(mine.locator(".comment-editor")).to_be_hidden()
    expect(mine.locator(".comment-body")).to_have_text("Ward list due Friday.")

    mine.locator(".comment-edit").click()
    mine.get_by_role("button", name="Save").click()  # the same text: the domain refuses it
    expect(mine.locator(".comment-editor")).to_contain_text("Not saved: comment: the text is "
                                                            "unchanged")
    editor.fill("Ward list due Monday, with the two late units.")
    mine.get_by_role("button", name="Save").click()
    expect(mine.locator(".comment-body")).to_have_text(
        "Ward list due Monday, with the two late units.")
    expect(mine).to_contain_text("edited")
    mine.locator("summary").click()
    expect(mine.locator(".comment-earlier")).to_contain_text("Ward list due Friday.")
    mine.scroll_into_view_if_needed()
    screenshot(page, "goal-comments-edited", backend)
    page.problems.assert_none()

    governor = another_person(browser, live_app, "governor", f"/goal/{PLANNED}")
    theirs = governor.locator(".comments .comment", has_text="Ward list due Monday")
    expect(theirs).to_contain_text("ana")
    expect(theirs).to_contain_text("edited")
    expect(theirs.locator(".comment-edit")).to_have_count(0)
    governor.context.close()


def test_a_figure_typed_in_the_workspace_shows_on_the_goal_chart(live_app, signed_in_page,
                                                                 backend):
    page = signed_in_page("analyst", next=f"/workspace/figures?goal={REPORTED}")
    page.wait_for_selector("#wsf-recent .recent-figures")
    settle(page)
    screenshot(page, "workspace-figures", backend)

    def type_cell(row, column, text):
        page.locator(f'#wsf-grid .ag-row[row-index="{row}"] .ag-cell[col-id="{column}"]').click()
        page.keyboard.press("Control+a")
        page.keyboard.type(text) if text else page.keyboard.press("Backspace")
        page.keyboard.press("Enter")

    type_cell(0, "period_start", "2022-01-01")
    type_cell(0, "period_end", "2022-12-31")
    type_cell(0, "value", "12.1")
    type_cell(1, "period_start", "2021-01-01")
    type_cell(1, "value", "abc")
    page.click("#wsf-save")
    page.wait_for_selector(".figure-row-errors")
    errors = page.inner_text(".figure-row-errors")
    assert "Nothing was saved" in errors and "row 2: period end: missing" in errors
    screenshot(page, "workspace-figures-errors", backend)

    type_cell(1, "period_start", "")
    type_cell(1, "value", "")
    page.click("#wsf-save")
    page.wait_for_selector(".figure-outcomes")
    settle(page)
    assert "Row 1 (1 Jan 2022): recorded as revision 1" in page.inner_text(".figure-outcomes")
    assert "12.1" in page.locator("#wsf-recent tbody tr").first.inner_text()
    screenshot(page, "workspace-figures-saved", backend)
    page.problems.assert_none()

    page.goto(f"{live_app.url}/goal/{REPORTED}")
    page.wait_for_selector(".goal-graph .main-svg")
    settle(page)
    assert ["2022-12-31", 12.1] in goal_trace(page, "figures")
