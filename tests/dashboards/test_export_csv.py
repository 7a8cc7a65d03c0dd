"""`/export/figures.csv` is safe to open in a spreadsheet: what people typed cannot run as a
formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

from delivery.figures import record_figure
from delivery.models import Goal


def test_the_figures_csv_escapes_text_a_spreadsheet_would_run(site):
    with site.factory() as session, session.begin():
        goal = session.get(Goal, next(iter(site.gov.goals.values())))
        code = goal.code
        record_figure(session, goal, date(2021, 6, 1), date(2021, 6, 30), 12.5,
                      reported_by="@mallory", source='=HYPERLINK("http://evil")',
                      note="-2+3")

    response = site.client("analyst").get(f"/export/figures.csv?goal={code}")

    assert response.status_code == 200
    row = [r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))
           if r["period_start"] == "2021-06-01"][-1]
    assert (row["source"], row["reported_by"], row["note"]) == (
        "'=HYPERLINK(\"http://evil\")", "'@mallory", "'-2+3")
    assert row["value"] == "12.5" and row["goal_code"] == code
