"""``delivery import`` of a figures file with one row of each refused kind: each is named by its
row and reason, the good rows are stored; a later file correcting any stored value is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from delivery.cli import main
from delivery.clock import pin_review_date
from delivery.models import Figure
from tests.factories import make_goal

ROWS = [  # code, period, value, note: what each row is
    ("CNT", "2022-09", "100", ""),  # good
    ("CNT", "2022-05", "NaN", ""),  # not a number
    ("CNT", "2022-04", "inf", ""),  # not a number
    ("CNT", "2022-03", "2e15", ""),  # beyond 1e15
    ("CNT", "2022-08", "-5", ""),  # a negative count
    ("PCT", "2022-12", "250", ""),  # a percentage over 100
    ("CNT", "2021Q3", "10", ""),  # a quarter for a monthly goal
    ("CNT", "2023-02", "10", ""),  # not ended on the review date (16 Jan 2023)
    ("CNT", "9999-01", "10", ""),  # a year out of range
    ("CNT", "2022-10", "900", ""),  # a jump from 2022-09 (100) without a note
    ("PCT", "2022-11", "80", ""),  # good
]


@pytest.fixture
def cli(database_url, session_factory, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    with session_factory() as session, session.begin():
        counted = make_goal(session, code="CNT", unit="firearms")
        make_goal(session, code="PCT", unit="%")
        session.flush()
        session.execute(text(  # stored before the rules existed: Infinity for June
            "INSERT INTO figure (goal_id, period_start, period_end, revision, value, "
            "is_provisional, source, reported_by, recorded_at, known_on, note) VALUES (:g, :s, "
            ":e, 1, :v, :p, 'old', 'old', :at, :known, '')"),
            {"g": counted.id, "s": date(2022, 6, 1), "e": date(2022, 6, 30),
             "v": float("inf"), "p": False, "at": datetime(2022, 7, 5, tzinfo=UTC),
             "known": date(2022, 7, 5)})
        pin_review_date(session, date(2023, 1, 16))
    (tmp_path / "m.yaml").write_text("goal: {code: '{code}'}\nperiod: {column: period}\n"
                                     "value: value\nnote: {column: note}\n", encoding="utf-8")
    runner = CliRunner()

    def run(rows):  # type: ignore[no-untyped-def]
        path = tmp_path / "figures.csv"
        path.write_text("code,period,value,note\n" + "".join(",".join(r) + "\n" for r in rows),
                        encoding="utf-8")
        return runner.invoke(main, ["import", str(path), "--mapping", str(tmp_path / "m.yaml")])
    return run


def stored(session_factory, code_start):  # type: ignore[no-untyped-def]
    with session_factory() as session:
        return session.scalars(select(Figure.value).where(Figure.period_start == code_start)
                               .order_by(Figure.goal_id, Figure.revision)).all()


def test_each_refused_kind_is_named_by_row_and_the_good_rows_are_stored(cli, session_factory):
    result = cli(ROWS)
    assert result.exit_code == 1, result.output
    named = [line.strip() for line in result.output.splitlines() if "figures.csv:" in line]
    assert [line.split(" ", 1)[0] for line in named] == [
        f"figures.csv:{row}" for row in range(3, 12)]  # rows 3-11: every bad row, in order
    reasons = "\n".join(named)
    for says in ("'NaN' is not a number", "'inf' is not a number", "is not a finite number",
                 "negative", "over 100%", "not one of the goal's reporting periods",
                 "after the review date", "out of range", "a note is needed"):
        assert says in reasons, says
    assert "figures: 2 new" in result.output and "rejected: 9" in result.output
    assert stored(session_factory, date(2022, 9, 1)) == [100.0]

    correction = cli([("CNT", "2022-06", "80", ""), ("CNT", "2022-10", "900", "a big seizure")])
    assert correction.exit_code == 0, correction.output
    assert stored(session_factory, date(2022, 6, 1))[-1] == 80.0  # Infinity corrected
    assert stored(session_factory, date(2022, 10, 1)) == [900.0]
    assert "figures: 1 new, 1 revised" in correction.output
