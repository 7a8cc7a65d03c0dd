"""The editable grids in the reader's language (``assets/grid_formats.js``): in pt_BR a value
typed as ``1.234,5`` is stored as 1234.5 and shown back as typed, dates read ``31/12/2019``,
and what is not a number or a date there is refused with a message naming the row and column;
in Spanish the figures grid reads ``12,1`` and ``31/12/2022``. The server receives numbers and
ISO dates as before. A database of the module's own: these tests save."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from delivery.models import Figure, Goal, User
from delivery.trajectory_versions import latest_version
from tests.browser.conftest import screenshot, settle, sign_in

TRAJECTORY_GOAL = "SDA-SEMENTES"  # yearly milestones, 31 Dec 2019 .. 31 Dec 2023
FIGURES_GOAL = "SES-MINF-SSF"


def _speak(app, language: str) -> None:  # type: ignore[no-untyped-def]
    with app.session_factory() as session, session.begin():
        session.scalars(select(User).where(User.username == "ana")).one().language = language


def _cell(page, grid: str, row: int, column: str):  # type: ignore[no-untyped-def]
    return page.locator(f'#{grid} .ag-row[row-index="{row}"] .ag-cell[col-id="{column}"]')


def _type(page, grid: str, row: int, column: str, text: str) -> None:  # type: ignore[no-untyped-def]
    _cell(page, grid, row, column).click()
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def _data(page, grid: str, row: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The row as the grid holds it (what the server is sent)."""
    return page.evaluate("([grid, row]) => dash_ag_grid.getApi(grid)"
                         ".getDisplayedRowAtIndex(row).data", [grid, row])


def test_portuguese_values_and_dates_are_shown_typed_and_refused_as_written_there(
        own_app, page, backend):
    _speak(own_app, "pt_BR")
    sign_in(page, own_app, "ana", f"/workspace/trajectory?goal={TRAJECTORY_GOAL}")
    page.wait_for_selector("#wst-grid .ag-row")
    settle(page)
    assert _cell(page, "wst-grid", 0, "on").inner_text() == "31/12/2019"
    assert _data(page, "wst-grid", 0)["on"] == "2019-12-31"

    _type(page, "wst-grid", 2, "value", "1.234,5")
    expect(_cell(page, "wst-grid", 2, "value")).to_have_text("1.234,5")
    assert _data(page, "wst-grid", 2)["value"] == 1234.5
    page.wait_for_function(
        "() => document.querySelector('#wst-preview .js-plotly-plot').data"
        ".some(t => t.name === 'Rascunho' && Array.from(t.y).includes(1234.5))")

    _cell(page, "wst-grid", 2, "value").click()  # the editor starts from the shown text
    expect(page.locator("#wst-grid .ag-cell-editor input, #wst-grid input.ag-input-field-input"
                        ).first).to_have_value("1.234,5")
    page.keyboard.press("Escape")

    before = _data(page, "wst-grid", 3)
    _type(page, "wst-grid", 3, "value", "12.5")  # a dot is no decimal mark here: not guessed
    expect(page.locator("#wst-grid-problem")).to_have_text(
        'Linha 4, Valor previsto: "12.5" não é um número: digite como 1.234,5')
    assert _data(page, "wst-grid", 3) == before
    _type(page, "wst-grid", 3, "on", "31/02/2023")
    expect(page.locator("#wst-grid-problem")).to_contain_text(
        'Linha 4, Data: "31/02/2023" não é uma data: digite como 31/01/2023')
    assert _data(page, "wst-grid", 3) == before
    screenshot(page, "grid-formats-refused-pt_BR", backend)
    _type(page, "wst-grid", 3, "value", "-2,25")  # a good value clears the message
    expect(page.locator("#wst-grid-problem")).to_have_text("")
    assert _data(page, "wst-grid", 3)["value"] == -2.25
    _type(page, "wst-grid", 3, "value", f"{before['value']:.2f}".replace(".", ","))

    page.fill("#wst-rationale", "Sementes compradas antes")
    page.check("#wst-restate")
    page.click("#wst-save")
    page.wait_for_selector(".wst-saved-ok")
    settle(page)
    with own_app.session_factory() as session:
        goal = session.scalars(select(Goal).where(Goal.code == TRAJECTORY_GOAL)).one()
        points = {p.on: p.value for p in latest_version(session, goal).points}
    assert points[date.fromisoformat(_data(page, "wst-grid", 2)["on"])] == 1234.5
    assert points[date(2019, 12, 31)] == _data(page, "wst-grid", 0)["value"]
    expect(_cell(page, "wst-grid", 2, "value")).to_have_text("1.234,5")  # reloaded from the save
    page.problems.assert_none()  # type: ignore[attr-defined]


def test_spanish_figures_are_typed_with_a_comma_and_day_first_dates(own_app, page, backend):
    _speak(own_app, "es")
    sign_in(page, own_app, "ana", f"/workspace/figures?goal={FIGURES_GOAL}")
    page.wait_for_selector("#wsf-recent .recent-figures")
    settle(page)
    _type(page, "wsf-grid", 0, "period_start", "1/1/2022")
    _type(page, "wsf-grid", 0, "period_end", "31/12/2022")
    _type(page, "wsf-grid", 0, "value", "12,1")
    expect(_cell(page, "wsf-grid", 0, "period_start")).to_have_text("01/01/2022")
    expect(_cell(page, "wsf-grid", 0, "value")).to_have_text("12,1")
    assert {k: _data(page, "wsf-grid", 0)[k] for k in ("period_start", "period_end", "value")} \
        == {"period_start": "2022-01-01", "period_end": "2022-12-31", "value": 12.1}
    _type(page, "wsf-grid", 1, "value", "abc")
    expect(page.locator("#wsf-grid-problem")).to_have_text(
        'Fila 2, Valor: "abc" no es un número: escríbalo como 1.234,5')
    assert _data(page, "wsf-grid", 1)["value"] is None
    screenshot(page, "grid-formats-figures-es", backend)
    page.click("#wsf-save")
    page.wait_for_selector(".figure-outcomes")
    with own_app.session_factory() as session:
        goal = session.scalars(select(Goal).where(Goal.code == FIGURES_GOAL)).one()
        figure = session.scalars(select(Figure).where(
            Figure.goal_id == goal.id, Figure.period_end == date(2022, 12, 31))
            .order_by(Figure.revision.desc())).first()
    assert figure is not None and figure.value == 12.1
    assert figure.period_start == date(2022, 1, 1)
    page.problems.assert_none()  # type: ignore[attr-defined]
