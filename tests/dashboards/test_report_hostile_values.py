"""Whatever a browser (or a forger) sends as a figure on /report, the answer is a message,
never a 500, and nothing refused is stored."""

from __future__ import annotations

import math
from datetime import date

import pytest
from sqlalchemy import select

from delivery.models import Figure
from tests.dashboards.test_auth_routes import call

JUNK = {
    "nan": float("nan"), "infinity": float("inf"), "minus-infinity": float("-inf"),
    "1e999-text": "1e999", "nan-text": "NaN", "inf-text": "inf", "10**400": 10**400,
    "huge-string": "9" * 100_000, "words": "lots", "list": [1], "object": {"v": 1},
    "true": True, "none": None, "negative": -5,
}


def report(site, value, start="2021-01-01", end="2021-01-31", note=""):
    return call(site.client("secretariat"), "report-result.children",
                [("report-submit", "n_clicks", 1)],
                [("report-goal", "value", site.gov.goals["firearms"]),
                 ("report-start", "date", start), ("report-end", "date", end),
                 ("report-value", "value", value), ("report-provisional", "value", []),
                 ("report-note", "value", note)])


@pytest.mark.parametrize("junk", list(JUNK))
def test_a_hostile_value_gets_a_message_and_nothing_is_stored(site, junk):
    before = site.snapshot()
    response = report(site, JUNK[junk])
    assert response.status_code == 200
    assert "Not saved: value:" in response.get_data(as_text=True)
    assert site.snapshot() == before


@pytest.mark.parametrize(("start", "end"), [
    ("9999-01-01", "9999-01-31"), ("2021-12-05", "2021-12-20"), ("x" * 100_000, "2021-01-31"),
    ("2999-01-01", "2999-01-31"),
], ids=["year-9999", "part-of-a-month", "huge-date", "not-ended"])
def test_a_hostile_period_gets_a_message_and_nothing_is_stored(site, start, end):
    before = site.snapshot()
    response = report(site, 10, start, end)
    assert response.status_code == 200 and "Not saved" in response.get_data(as_text=True)
    assert site.snapshot() == before


def test_minus_zero_is_stored_as_zero(site):
    response = report(site, -0.0, "2021-02-01", "2021-02-28")
    assert response.status_code == 200 and "Saved" in response.get_data(as_text=True)
    with site.factory() as session:
        stored = session.scalar(select(Figure.value).where(
            Figure.goal_id == site.gov.goals["firearms"],
            Figure.period_start == date(2021, 2, 1)).order_by(Figure.revision.desc()))
    assert stored == 0 and math.copysign(1, stored) == 1
