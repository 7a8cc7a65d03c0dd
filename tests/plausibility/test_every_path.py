"""The same plausibility rules on every way a figure comes in: the domain check, /report's
``report_figure``, /workspace/figures' ``enter_figures``, a file import and a scheduled pull.
Each refused kind is refused on each path naming what is wrong, and nothing is stored; each
warning kind is refused without a note and stored and flagged with one."""

from __future__ import annotations

import math
from datetime import date

import pytest
from sqlalchemy import select

from delivery.access import Viewer
from delivery.clock import pin_review_date
from delivery.db import transaction
from delivery.edits import report_figure
from delivery.figure_entry import FigureRowsInvalid, enter_figures
from delivery.figures import record_figure
from delivery.importing import import_file
from delivery.ingestion import run_source
from delivery.models import DataQualityFlag, Figure, Goal, JobRun, User
from delivery.plausibility import IMPLAUSIBLE, FigureRefused, admit_figure, set_rules
from tests.ingestion.conftest import NOW, add_source  # noqa: F401
from tests.personas import build_government, fast_password_hashing  # noqa: F401

REVIEW = date(2024, 1, 15)
DEC = (date(2023, 12, 1), date(2023, 12, 31))

# id: (unit, start, end, value, the period as a file writes it, what the refusal names)
REFUSED = {
    "nan": ("cases", *DEC, math.nan, "2023-12", "value"),
    "infinity": ("cases", *DEC, math.inf, "2023-12", "value"),
    "minus-infinity": ("cases", *DEC, -math.inf, "2023-12", "value"),
    "over-1e15": ("cases", *DEC, 2e15, "2023-12", "value"),
    "negative-count": ("firearms", *DEC, -5.0, "2023-12", "negative"),
    "negative-amount": ("R$ million", *DEC, -1.0, "2023-12", "negative"),
    "percentage-over-100": ("%", *DEC, 250.0, "2023-12", "over 100%"),
    "part-of-a-month": ("cases", date(2023, 12, 5), date(2023, 12, 20), 10.0, "2023Q4",
                        "not one of the goal's reporting periods"),
    "not-ended-on-the-review-date": ("cases", date(2024, 1, 1), date(2024, 1, 31), 10.0,
                                     "2024-01", "after the review date"),
    "year-9999": ("cases", date(9999, 1, 1), date(9999, 1, 31), 10.0, "9999-01", "9999"),
    "year-1850": ("cases", date(1850, 1, 1), date(1850, 1, 31), 10.0, "1850-01", "1850"),
}
# id: (rule changes, value for December when November was 100, what the warning says)
WARNINGS = {
    "jump": ({}, 500.0, "beyond the goal's limit"),
    "outside-the-set-band": ({"max_plausible": 150.0}, 160.0, "outside the plausible band"),
}


@pytest.fixture
def gov(db):
    gov = build_government(db)
    pin_review_date(db, REVIEW)
    ana = db.get(User, gov.users["analyst"]).username
    record_figure(db, db.get(Goal, gov.goals["firearms"]), date(2023, 11, 1),
                  date(2023, 11, 30), 100.0, reported_by=ana)
    db.flush()
    return gov


def sds(db, gov):
    return Viewer.of(db.get(User, gov.users["secretariat"]))


def through_domain(db, gov, start, end, value, note=""):
    admit_figure(db, gov.goals["firearms"], start, end, value, note=note, as_of=REVIEW)
    record_figure(db, db.get(Goal, gov.goals["firearms"]), start, end, value,
                  reported_by="test", note=note)


def through_report(db, gov, start, end, value, note=""):
    report_figure(db, sds(db, gov), gov.goals["firearms"], start, end, value, note=note)


def through_entry(db, gov, start, end, value, note=""):
    enter_figures(db, sds(db, gov), gov.goals["firearms"],
                  [{"period_start": start.isoformat(), "period_end": end.isoformat(),
                    "value": str(value), "note": note}])


PATHS = {"domain": through_domain, "report": through_report, "figure-entry": through_entry}


def refusal(path, db, gov, *args) -> str:
    with pytest.raises((FigureRefused, FigureRowsInvalid, ValueError)) as caught:
        PATHS[path](db, gov, *args)
    return str(caught.value)


def december(db, gov, start=DEC[0]):
    return db.scalars(select(Figure).where(Figure.goal_id == gov.goals["firearms"],
                                           Figure.period_start == start)).all()


def implausible_flags(db, gov):
    return db.scalars(select(DataQualityFlag).where(
        DataQualityFlag.goal_id == gov.goals["firearms"],
        DataQualityFlag.kind == IMPLAUSIBLE)).all()


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("case", list(REFUSED))
def test_each_refused_kind_is_refused_naming_it_and_nothing_is_stored(db, gov, path, case):
    unit, start, end, value, _text, says = REFUSED[case]
    db.get(Goal, gov.goals["firearms"]).unit = unit
    message = refusal(path, db, gov, start, end, value, "a note changes nothing")
    if path == "figure-entry" and case in ("nan", "infinity", "minus-infinity"):
        says = "not a number"  # the screen's own reading refuses these before the rules
    assert says in message
    assert december(db, gov, start) == []


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("case", list(WARNINGS))
def test_each_warning_needs_a_note_and_with_one_is_stored_and_flagged(db, gov, path, case):
    rules, value, says = WARNINGS[case]
    set_rules(db, gov.goals["firearms"], rules)

    message = refusal(path, db, gov, *DEC, value)
    assert "a note is needed" in message and says in message and december(db, gov) == []

    PATHS[path](db, gov, *DEC, value, "A new border operation seized a cache")
    db.flush()
    (stored,) = december(db, gov)
    assert stored.value == value and stored.note == "A new border operation seized a cache"
    if path != "domain":  # the domain check only judges; the write paths flag
        (flag,) = implausible_flags(db, gov)
        assert flag.figure_id == stored.id and says in flag.reason
        assert flag.evidence["period_end"] == "2023-12-31"


def _import(db, tmp_path, gov, rows, note_column=True):
    (tmp_path / "figures.csv").write_text(
        "code,period,value,note\n" + "".join(
            f"SDS-ARM,{period},{value},{note}\n" for period, value, note in rows),
        encoding="utf-8")
    (tmp_path / "figures.yaml").write_text(
        "goal: {code: '{code}'}\nperiod: {column: period}\nvalue: value\n"
        + ("note: {column: note}\n" if note_column else ""), encoding="utf-8")
    return import_file(db, tmp_path / "figures.csv", tmp_path / "figures.yaml", actor="ana")


@pytest.mark.parametrize("case", list(REFUSED))
def test_each_refused_kind_in_a_file_is_named_by_row_and_column(db, gov, tmp_path, case):
    unit, start, _end, value, period, says = REFUSED[case]
    db.get(Goal, gov.goals["firearms"]).unit = unit
    text = {math.inf: "inf", -math.inf: "-inf"}.get(value, "NaN" if value != value else value)

    report = _import(db, tmp_path, gov, [("2023-09", 90, ""), (period, text, "a note")])

    (error,) = report.errors
    assert (error.file, error.row) == ("figures.csv", 3)
    assert error.column == ("value" if REFUSED[case][5] in ("value", "negative", "over 100%")
                            else "period")
    if case not in ("nan", "infinity", "minus-infinity", "over-1e15", "part-of-a-month"):
        assert says in error.reason
    assert report.figures_new == 1  # the good row is kept


@pytest.mark.parametrize("case", list(WARNINGS))
def test_each_warning_in_a_file_needs_the_note_column(db, gov, tmp_path, case):
    rules, value, says = WARNINGS[case]
    set_rules(db, gov.goals["firearms"], rules)

    refused = _import(db, tmp_path, gov, [("2023-12", value, "")])
    (error,) = refused.errors
    assert error.row == 2 and error.column == "note" and says in error.reason
    assert refused.figures_new == 0

    stored = _import(db, tmp_path, gov, [("2023-12", value, "border operation")])
    assert stored.errors == [] and stored.figures_new == 1 and stored.flags_raised >= 1
    (flag,) = implausible_flags(db, gov)
    assert "border operation" in flag.reason


@pytest.fixture
def pulled_goal(session_factory):
    with transaction(session_factory) as session:
        gov = build_government(session)
        record_figure(session, session.get(Goal, gov.goals["firearms"]), date(2022, 11, 1),
                      date(2022, 11, 30), 100.0, reported_by="test")
        return gov


PULL_CASES = {  # the pull is stamped NOW (2023-01-10): December 2022 is its last full month
    **{k: ("2022-12" if v[4] in ("2023-12",) else v[4].replace("2023", "2022"), v[3], v[0])
       for k, v in REFUSED.items() if k not in ("not-ended-on-the-review-date",)},
    "not-ended-on-the-review-date": ("2023-01", 10.0, "cases"),
    "jump-without-a-note": ("2022-12", 500.0, "cases"),
}


@pytest.mark.parametrize("case", list(PULL_CASES))
def test_a_pull_logs_each_refused_row_in_its_run_and_stores_the_rest(
        session_factory, add_source, tmp_path, pulled_goal, case):  # noqa: F811
    period, value, unit = PULL_CASES[case]
    with transaction(session_factory) as session:
        session.get(Goal, pulled_goal.goals["firearms"]).unit = unit
    text = {math.inf: "inf", -math.inf: "-inf"}.get(value, "NaN" if value != value else value)
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "figures.csv").write_text(f"code,period,value\nSDS-ARM,2022-10,90\n"
                                      f"SDS-ARM,{period},{text}\n", encoding="utf-8")
    (tmp_path / "figures.yaml").write_text(
        "goal: {code: '{code}'}\nperiod: {column: period}\nvalue: value\n", encoding="utf-8")
    source = add_source(name="drop", kind="file_drop", folder=str(drop),
                        mapping=str(tmp_path / "figures.yaml"), schedule={"every": "1h"})

    before = _count_figures(session_factory, pulled_goal)

    result = run_source(session_factory, source, now=NOW)

    assert result.ok and result.rejected == 1 and result.figures_new == 1
    with session_factory() as session:
        (logged,) = session.get(JobRun, result.run_id).rejections
        assert logged.startswith("figures.csv:3 ")
    assert _count_figures(session_factory, pulled_goal) == before + 1


def _count_figures(session_factory, gov) -> int:
    with session_factory() as session:
        return len(session.scalars(select(Figure.id).where(
            Figure.goal_id == gov.goals["firearms"])).all())
