"""The analyst workspace in a real browser: every screen loads cleanly on the demo, a trajectory
edit round-trips (and a stale save is refused with a clear message), and an uploaded file's bad
rows are shown while nothing is stored.

The database is shared with the other browser tests: the trajectory edits go to SDA-SEMENTES as
proposed (unapproved) versions, which change no status; the import is only previewed."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import func, select

from delivery.access import Viewer
from delivery.edits import save_trajectory
from delivery.models import DataQualityFlag, Figure, Goal, RunRequest, User
from delivery.trajectory_versions import latest_version
from delivery.vocabulary import Shape
from tests.browser.conftest import screenshot, settle

GOAL = "SDA-SEMENTES"  # yearly: five milestones from 2019 to 2023



def test_the_workspace_lists_its_screens(live_app, signed_in_page, backend):
    page = signed_in_page("analyst", next="/workspace")
    page.wait_for_selector(".workspace-card")
    settle(page)
    assert page.locator(".workspace-card").count() == 7  # delivery plans the seventh
    assert "awaiting approval" in page.inner_text("body")
    screenshot(page, "workspace", backend)
    page.problems.assert_none()


def trace_values(page, name):
    return page.evaluate("""name => {
        const plot = document.querySelector('#wst-preview .js-plotly-plot');
        return plot.data.filter(t => t.name === name && (t.mode || '').includes('lines'))
                        .flatMap(t => Array.from(t.y));
    }""", name)


def edit_value(page, row, value):
    cell = page.locator(f'#wst-grid .ag-row[row-index="{row}"] .ag-cell[col-id="value"]')
    cell.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")


def test_a_trajectory_edit_is_previewed_saved_and_shown_and_a_stale_save_is_refused(
        live_app, signed_in_page, backend):
    page = signed_in_page("analyst", next=f"/workspace/trajectory?goal={GOAL}")
    page.wait_for_selector("#wst-grid .ag-row")
    settle(page)
    assert page.locator("#wst-grid .ag-center-cols-container .ag-row").count() == 5
    assert "Baseline 900 on 31 Dec 2019" in page.inner_text("#wst-info")
    screenshot(page, "workspace-trajectory", backend)

    edit_value(page, 2, 1234.5)
    page.wait_for_function(
        "() => document.querySelector('#wst-preview .js-plotly-plot').data"
        ".some(t => t.name === 'Draft' && Array.from(t.y).includes(1234.5))")
    page.click("#wst-save")  # no reason given: refused, saying what is missing
    expect(page.locator("#wst-result")).to_contain_text("Not saved: reason: say why")
    page.fill("#wst-rationale", "Seed stock bought early")
    page.click("#wst-save")  # 31 Dec 2021 is before the review date: the past stays unless...
    expect(page.locator("#wst-result")).to_contain_text("milestone 31 Dec 2021")
    assert "restate the past" in page.inner_text("#wst-result")
    screenshot(page, "workspace-trajectory-past-refused", backend)
    page.check("#wst-restate")  # ...the analyst says this version restates it
    page.click("#wst-save")
    page.wait_for_selector(".wst-saved-ok")
    settle(page)
    assert "Seed stock bought early" in page.inner_text(".versions")
    assert "restates the past" in page.inner_text(".versions")
    with live_app.session_factory() as session:
        goal = session.scalars(select(Goal).where(Goal.code == GOAL)).one()
        mine = latest_version(session, goal)
        assert mine.proposed_by == "ana" and mine.shape is Shape.LINEAR
        assert 1234.5 in [p.value for p in mine.points]
        admin = Viewer.of(session.scalars(select(User).where(User.username == "admin")).one())
    for _ in range(50):  # the preview is drawn after the reloaded version arrives
        if 1234.5 in trace_values(page, f"Saved v{mine.version}"):
            break
        page.wait_for_timeout(100)
    assert 1234.5 in trace_values(page, f"Saved v{mine.version}")  # the chart shows the save
    screenshot(page, "workspace-trajectory-saved", backend)

    with live_app.session_factory() as session, session.begin():  # someone else saves meanwhile
        save_trajectory(session, admin, goal.id, Shape.LINEAR,
                        [(p.on, p.value) for p in mine.points], rationale="Back to plan",
                        based_on=mine.version, restates_past=True)
    edit_value(page, 3, 1300)
    page.click("#wst-save")
    page.wait_for_selector(".wst-conflict")
    message = page.inner_text(".wst-conflict")
    assert f"admin saved version {mine.version + 1}" in message and "Back to plan" in message
    assert "Not saved" in message
    screenshot(page, "workspace-trajectory-conflict", backend)
    page.problems.assert_none()


BAD_FILE = """"UF","Tipo Crime","Ano","Mês","Ocorrências"
"Pernambuco","Homicídio doloso","2031","fevereiro","abc"
"Pernambuco","Tentativa de homicídio","2014","fevereiro","230"
"Pernambuco","Homicídio doloso","20x1","março","250"
"Pernambuco","Estupro","2031","fevereiro","12"
"""


def test_an_uploaded_file_is_previewed_with_its_bad_rows_and_nothing_is_stored(
        live_app, signed_in_page, backend):
    page = signed_in_page("analyst", next="/workspace/import")
    page.wait_for_selector("#wsi-upload")
    settle(page)
    screenshot(page, "workspace-import", backend)
    page.click("#wsi-mapping")
    page.click("text=demo_pact_for_life")
    with live_app.session_factory() as session:
        before = session.scalar(select(func.count(Figure.id)))
    page.set_input_files("#wsi-upload input[type=file]", files=[{
        "name": "february.csv", "mimeType": "text/csv", "buffer": BAD_FILE.encode()}])
    page.wait_for_selector(".import-summary")
    settle(page)
    text = page.inner_text(".import-summary")
    assert "nothing has been stored" in text
    assert "'abc' is not a number" in text
    assert page.locator(".row-errors tbody tr").count() == 2
    assert "1 new figures" in text and "2 rejected rows" in text
    assert page.is_enabled("#wsi-import")
    with live_app.session_factory() as session:
        assert session.scalar(select(func.count(Figure.id))) == before
    screenshot(page, "workspace-import-preview", backend)
    page.problems.assert_none()


CORRECTED_MARCH = """"UF","Tipo Crime","Ano","Mês","Ocorrências"
"Pernambuco","Homicídio doloso","2021","março","999"
"""


def test_a_known_on_day_backfills_a_correction_and_the_preview_counts_it(
        live_app, signed_in_page, backend):
    page = signed_in_page("analyst", next="/workspace/import")
    page.wait_for_selector("#wsi-upload")
    settle(page)
    page.click("#wsi-mapping")
    page.click("text=demo_pact_for_life")
    page.fill("#wsi-known-on", "2021-05-01")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # the calendar closes, as a person would close it
    page.set_input_files("#wsi-upload input[type=file]", files=[{
        "name": "march.csv", "mimeType": "text/csv", "buffer": CORRECTED_MARCH.encode()}])
    page.wait_for_selector(".import-summary")
    settle(page)
    text = page.inner_text(".import-summary")
    assert "1 revised figures" in text and "1 backfilled figures" in text
    change = page.locator(".figure-changes tbody tr").first.inner_text()  # before and after
    assert "PPV Homicídio doloso" in change and "999" in change and "+" in change
    page.click("#wsi-import")
    page.wait_for_selector("#wsi-result .import-summary")
    with live_app.session_factory() as session:
        known = session.execute(
            select(Figure.known_on, Figure.value).join(Goal, Goal.id == Figure.goal_id)
            .where(Goal.code == "PPV Homicídio doloso", Figure.period_start == date(2021, 3, 1))
            .order_by(Figure.revision.desc())).first()
    assert tuple(known) == (date(2021, 5, 1), 999.0)
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        screenshot(page, f"workspace-import-known-on-{width}", backend)
        for part in ("#wsi-known-on", "#wsi-upload", ".import-summary"):  # the screen's own
            box = page.locator(part).first.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width
    page.problems.assert_none()


def test_the_quality_queue_runs_the_checks_and_resolves_a_flag(live_app, signed_in_page,
                                                                 backend):
    page = signed_in_page("analyst", next="/workspace/quality")
    page.wait_for_selector("#wsq-grid")
    settle(page)
    with live_app.session_factory() as session:
        flags = session.scalar(select(func.count(DataQualityFlag.id)))
    if not flags:
        assert "0 open" in page.inner_text("#wsq-counts")
        page.click("#wsq-run")
        page.wait_for_selector("#wsq-run-result:has-text('raised')", timeout=60_000)
    page.wait_for_selector("#wsq-grid .ag-row")
    settle(page)
    page.locator("#wsq-grid .ag-center-cols-container .ag-row").first.click()
    page.check("text=Dismiss: the figure is sound")
    page.click("#wsq-resolve")
    page.wait_for_selector("#wsq-result:has-text('needs a note')")
    page.fill("#wsq-note", "Checked with the secretariat: the register was late, not wrong.")
    page.click("#wsq-resolve")
    page.wait_for_selector("#wsq-result:has-text('dismissed')")
    settle(page)
    assert "resolved" in page.inner_text("#wsq-counts")
    screenshot(page, "workspace-quality", backend)
    page.problems.assert_none()


def test_the_jobs_screen_shows_the_sources_and_asks_for_a_run(live_app, signed_in_page,
                                                              backend):
    from datetime import UTC, datetime

    from delivery.ingestion import SourceSpec, save_sources
    from delivery.models import SourceKind

    page = signed_in_page("analyst", next="/workspace/jobs")
    page.wait_for_selector("h1:has-text('Scheduled jobs')")
    settle(page)
    screenshot(page, "workspace-jobs-empty", backend)
    with live_app.session_factory() as session, session.begin():
        save_sources(session, [SourceSpec(
            name="sinesp-drop", kind=SourceKind.FILE_DROP, description="SINESP monthly files",
            config={"folder": "drops/sinesp", "mapping": "demo_pact_for_life.yaml"})],
            now=datetime.now(UTC))
    settle(page)
    page.reload()
    page.wait_for_selector(".wsj-source-table")
    settle(page)
    page.click("#wsj-run-now")
    page.wait_for_selector(".wsj-source-table:has-text('run requested')")
    with live_app.session_factory() as session:
        assert session.scalar(select(func.count(RunRequest.id))) >= 1
    screenshot(page, "workspace-jobs", backend)
    page.problems.assert_none()
