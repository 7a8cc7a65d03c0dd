"""No stored value, however bad (an Infinity, a NaN, 1e300 stored before the rules existed),
blocks a later correction: revisions compare values so that a finite figure is never "already
recorded" as a non-finite one. PostgreSQL stores NaN and infinities; SQLite stores infinities
and turns NaN into NULL, which the figure table refuses."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from delivery.access import Viewer
from delivery.edits import report_figure
from delivery.figures import FIGURE_COLUMNS, plan_revisions, same_values
from delivery.importing import import_file
from delivery.models import Figure, User
from tests.personas import build_government, fast_password_hashing  # noqa: F401

DEC = (date(2023, 12, 1), date(2023, 12, 31))
BAD = {"infinity": math.inf, "minus-infinity": -math.inf, "nan": math.nan, "1e300": 1e300,
       "-1e300": -1e300}


@pytest.mark.parametrize(("new", "old", "same"), [
    (80.0, math.inf, False), (80.0, -math.inf, False), (80.0, math.nan, False),
    (80.0, 1e300, False), (1e300, 1e300, True), (80.0, 80.0 + 1e-12, True),
    (math.inf, math.inf, True), (80.0, 81.0, False),
], ids=["inf", "-inf", "nan", "1e300", "same-1e300", "float-noise", "same-inf", "changed"])
def test_values_are_the_same_only_when_they_really_are(new, old, same):
    assert same_values(np.array([new]), np.array([old]))[0] == same


@pytest.mark.parametrize("bad", list(BAD))
def test_a_planned_correction_of_a_bad_value_is_a_revision(bad):
    incoming = pd.DataFrame([[1, *DEC, 80.0, False]], columns=FIGURE_COLUMNS)
    latest = pd.DataFrame({"goal_id": [1], "period_start": [DEC[0]], "revision": [1],
                           "value": [BAD[bad]], "is_provisional": [False]})
    rows, counts = plan_revisions(incoming, latest)
    assert (counts.revised, counts.unchanged) == (1, 0) and list(rows["revision"]) == [2]


@pytest.fixture
def gov(db):
    return build_government(db)


def _store_bad(db, goal_id, value):
    """A figure stored before the rules, straight into the table as an old database holds it."""
    db.execute(text("INSERT INTO figure (goal_id, period_start, period_end, revision, value, "
                    "is_provisional, source, reported_by, recorded_at, known_on, note) VALUES (:g, "
                    ":s, :e, 1, :v, :p, 'old', 'old', :at, :known, '')"),
               {"g": goal_id, "s": DEC[0], "e": DEC[1], "v": value, "p": False,
                "at": "2024-01-02 10:00:00", "known": date(2024, 1, 2)})


@pytest.mark.parametrize("path", ["report", "import"])
@pytest.mark.parametrize("bad", list(BAD))
def test_a_later_correction_of_any_stored_value_is_stored(db, gov, backend, tmp_path, bad,
                                                          path):
    goal_id = gov.goals["firearms"]
    if bad == "nan" and backend == "sqlite":
        with pytest.raises(IntegrityError), db.begin_nested():  # SQLite cannot hold one
            _store_bad(db, goal_id, BAD[bad])
        return
    _store_bad(db, goal_id, BAD[bad])
    if path == "report":
        analyst = Viewer.of(db.get(User, gov.users["analyst"]))
        counts = report_figure(db, analyst, goal_id, *DEC, 80.0, note="corrected")
    else:
        (tmp_path / "fix.csv").write_text("code,period,value\nSDS-ARM,2023-12,80\n")
        (tmp_path / "fix.yaml").write_text(
            "goal: {code: '{code}'}\nperiod: {column: period}\nvalue: value\n")
        counts = import_file(db, tmp_path / "fix.csv", tmp_path / "fix.yaml", actor="ana")
        assert counts.errors == []
    revised = counts.figures_revised if path == "import" else counts.revised
    assert revised == 1
    latest = db.scalars(select(Figure).where(Figure.goal_id == goal_id,
                                             Figure.period_start == DEC[0])
                        .order_by(Figure.revision.desc())).first()
    assert (latest.revision, latest.value) == (2, 80.0)
