"""Date pickers in the reader's language: Dash 4's calendar takes its month and weekday names
from the date-fns locale ``/date-locales.js`` gives the page (``dashboards/date_locales.py``),
chosen by ``<html lang>`` (the person's saved language), not the browser's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from delivery.models import User
from tests.browser.conftest import screenshot, settle

PERSON = "ana"  # the analyst lands on the weekly review, whose "As of" is a date picker


def _set_language(live_app, language: str | None) -> None:  # type: ignore[no-untyped-def]
    with live_app.session_factory() as session, session.begin():  # type: ignore[operator]
        session.scalars(select(User).where(User.username == PERSON)).one().language = language


def _open_calendar(page) -> str:  # type: ignore[no-untyped-def]
    page.click(".dash-datepicker-input", timeout=10_000)
    page.wait_for_timeout(400)
    return page.evaluate("() => Array.from(document.querySelectorAll("
                         "'.dash-datepicker-content, .dash-datepicker-calendar-container'))"
                         ".map(c => c.innerText).join(' ')")


@pytest.mark.parametrize(("language", "months", "weekdays", "english"), [
    ("pt_BR", ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
               "setembro", "outubro", "novembro", "dezembro"), ("seg", "ter", "qua"),
     ("January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December")),
    ("es", ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
            "septiembre", "octubre", "noviembre", "diciembre"), ("LU", "MA", "MI"),
     ("January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December")),
])
def test_the_calendar_names_months_and_weekdays_in_the_persons_language(
        signed_in_page, live_app, backend, language, months, weekdays, english):
    _set_language(live_app, language)
    try:
        page = signed_in_page(username=PERSON, next="/")
        settle(page)
        assert page.get_attribute("html", "lang") == language.replace("_", "-")
        assert page.evaluate("() => Object.keys(window.dateFns.locale)") == [
            language.replace("_", "")]
        calendar = _open_calendar(page)
        assert any(m in calendar.lower() for m in months), calendar
        assert not any(m in calendar for m in english), calendar
        assert all(w in calendar for w in weekdays), calendar
        # the week starts on Sunday in Brazil, on Monday in Spanish
        first, sunday = (weekdays[0], "DO") if language == "es" else ("dom", weekdays[0])
        assert calendar.index(first) <= calendar.index(sunday), calendar
        screenshot(page, f"date-picker-{language}-1440", backend)
        page.set_viewport_size({"width": 390, "height": 844})
        settle(page)
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
        page.problems.assert_none()  # type: ignore[attr-defined]
    finally:
        _set_language(live_app, None)


def test_english_keeps_date_fns_own_names(signed_in_page, live_app, backend):
    page = signed_in_page(username=PERSON, next="/")
    settle(page)
    assert page.evaluate("() => Object.keys(window.dateFns.locale)") == []
    calendar = _open_calendar(page)
    assert any(m in calendar for m in ("January", "February", "March", "April", "May", "June",
                                       "July", "August", "September", "October", "November",
                                       "December")), calendar
