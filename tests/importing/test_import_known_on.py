"""``known_on``: history moved in with the days its figures became known is judged, as of any
past date, exactly as a product running since then would have judged it; and only the people
who may, with days that can be true, backfill it, each backfill in the audit trail."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from delivery.access import Viewer
from delivery.assessment import goal_statuses
from delivery.audit_queries import audit_trail
from delivery.cli import main
from delivery.db import make_engine, make_session_factory, upgrade
from delivery.figures import figures_as_of
from delivery.importing import MappingError, import_file, import_frame, load_mapping
from delivery.importing.reader import read_table
from delivery.models import AuditEntry, Figure, Goal
from delivery.review import figure_activity
from delivery.users import create_user
from delivery.vocabulary import Role
from tests.personas import fast_password_hashing  # noqa: F401

NOT_ALLOWED = "only analysts and admins may backfill history"
GOALS, YEARS = 12, range(2015, 2023)  # eight yearly figures per goal
PAST_DATES = [date(2016, 6, 30), date(2018, 3, 31), date(2019, 12, 31), date(2021, 7, 15),
              date(2023, 6, 30)]
CATALOGUE_MAPPING = """
description: a catalogue of yearly goals
read: {delimiter: ";"}
goal:
  code: "{code}"
  create_missing: true
  set: {name: "{name}", direction: "{direction}", frequency: yearly, objective: Health,
        owner: SES, baseline_value: "{baseline}", baseline_date: "2014-12-31",
        target_value: "{target}", target_date: "2024-12-31", tolerance: "0.05",
        off_track_tolerance: "0.15"}
"""
FIGURES_MAPPING = """
description: yearly figures with the day each was published
read: {delimiter: ";"}
goal: {code: "{code}"}
period: {column: year, format: year}
value: value
known_on: {column: published}
"""


def catalogue() -> tuple[str, pd.DataFrame]:
    """The goals (a CSV text) and their figures (code, year, value, published): published
    from two to eleven months after each year ended, in no particular order of goals."""
    rng = np.random.default_rng(11)
    goals, figures = [], []
    for n in range(GOALS):
        up = n % 2 == 0
        baseline = float(rng.integers(40, 60))
        target = baseline * (1.4 if up else 0.6)
        goals.append(f"CAT-{n:02d};Indicator {n};{'up' if up else 'down'};{baseline};{target}")
        for i, year in enumerate(YEARS):
            planned = baseline + (target - baseline) * (i + 1) / 10
            value = round(planned * (1 + rng.normal(0, 0.12)), 1)
            published = date(year, 12, 31) + timedelta(days=int(rng.integers(60, 330)))
            figures.append((f"CAT-{n:02d}", str(year), value, published))
    header = "code;name;direction;baseline;target\n"
    frame = pd.DataFrame(figures, columns=["code", "year", "value", "published"])
    return header + "\n".join(goals) + "\n", frame


def figures_csv(frame: pd.DataFrame) -> str:
    out = io.StringIO()
    frame.assign(published=frame["published"].map(date.isoformat)).to_csv(
        out, sep=";", index=False)
    return out.getvalue()


def products(server, tmp_path: Path, n: int) -> Iterator[tuple[sessionmaker[Session], ...]]:
    """``n`` fresh databases on the backend under test, each with the same goal catalogue."""
    goals, _ = catalogue()
    (tmp_path / "goals.csv").write_text(goals, encoding="utf-8")
    (tmp_path / "goals.yaml").write_text(CATALOGUE_MAPPING, encoding="utf-8")
    engines = [make_engine(server.new_url()) for _ in range(n)]
    factories = []
    for engine in engines:
        upgrade(engine)
        factory = make_session_factory(engine)
        with factory() as session, session.begin():
            report = import_file(session, tmp_path / "goals.csv", tmp_path / "goals.yaml",
                                 actor="ana", recorded_at=datetime(2015, 1, 5, tzinfo=UTC))
            assert report.ok and report.goals_created == GOALS, report.render_text()
        factories.append(factory)
    yield tuple(factories)
    for engine in engines:
        engine.dispose()


@pytest.fixture
def two_products(server, tmp_path: Path) -> Iterator[tuple[sessionmaker[Session], ...]]:
    yield from products(server, tmp_path, 2)


@pytest.fixture
def product(server, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    for (factory,) in products(server, tmp_path, 1):
        yield factory


def judged(factory: sessionmaker[Session], day: date) -> dict[str, object]:
    """Everything an "as of" screen shows of the catalogue on ``day``."""
    with factory() as session:
        statuses = goal_statuses(session, day)[
            ["code", "status", "latest_value", "latest_period_end", "planned", "reason"]]
        ids = dict(session.execute(select(Goal.code, Goal.id)).all())
        known = {code: [(f.period_end, f.value, f.revision) for f in
                        figures_as_of(session, goal_id, day)] for code, goal_id in ids.items()}
        week = figure_activity(session, day - timedelta(days=365), day)[
            ["goal_id", "period_end", "value", "revision", "known_on"]]
        week = week.assign(goal_id=week["goal_id"].map({v: k for k, v in ids.items()}))
    statuses = statuses.astype(object).where(statuses.notna(), None)  # NaN never equals NaN
    return {"statuses": statuses.sort_values("code").to_dict("records"), "known": known,
            "week": week.sort_values(["goal_id", "period_end"]).to_dict("records")}


def test_a_backfilled_catalogue_is_judged_as_a_product_running_since_then_would_have(
        two_products, tmp_path):
    backfilled, running = two_products
    _, figures = catalogue()
    (tmp_path / "figures.yaml").write_text(FIGURES_MAPPING, encoding="utf-8")
    mapping = load_mapping(tmp_path / "figures.yaml")
    (tmp_path / "figures.csv").write_text(figures_csv(figures), encoding="utf-8")

    with backfilled() as session, session.begin():  # today, in one import
        report = import_file(session, tmp_path / "figures.csv", mapping, actor="ana",
                             may_backfill=True)
    assert report.ok and report.figures_new == GOALS * len(YEARS), report.render_text()
    assert report.figures_backfilled == GOALS * len(YEARS)

    table = read_table(tmp_path / "figures.csv", mapping.read)
    for day in sorted(figures["published"].unique()):  # each figure on the day it came out
        with running() as session, session.begin():
            today = table[table["published"] == day.isoformat()]
            report = import_frame(session, today, dataclasses.replace(mapping, known_on=None),
                                  name="figures.csv", actor="ana", recorded_at=datetime.combine(
                                      day, datetime.min.time(), UTC) + timedelta(hours=17))
            assert report.ok and report.figures_new == len(today)

    for day in [*PAST_DATES, date.today()]:
        assert judged(backfilled, day) == judged(running, day), day
    statuses = {s["status"] for d in PAST_DATES for s in judged(backfilled, d)["statuses"]}
    assert len(statuses) >= 3  # the comparison judged goals in different states


def write_files(tmp_path: Path, rows: list[tuple[str, str, str]]) -> tuple[Path, Path]:
    """A figures file (code, year, value, published) of CAT-00, and its mapping."""
    (tmp_path / "f.yaml").write_text(FIGURES_MAPPING, encoding="utf-8")
    lines = ["code;year;value;published", *(f"CAT-00;{y};{v};{p}" for y, v, p in rows)]
    (tmp_path / "f.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "f.csv", tmp_path / "f.yaml"


def test_days_that_cannot_be_true_are_refused_with_their_row_and_the_good_rows_kept(
        product, tmp_path):
    future = (date.today() + timedelta(days=3)).isoformat()
    path, mapping = write_files(tmp_path, [
        ("2019", "50", "2020-03-01"),  # row 2: fine
        ("2020", "51", "2020-11-30"),  # row 3: before 2020 ends
        ("2021", "52", future),        # row 4: after the review date
        ("2022", "53", "sometime"),    # row 5: not a date
        ("2018", "49", ""),            # row 6: blank, so known today
    ])
    with product() as session, session.begin():
        report = import_file(session, path, mapping, actor="ana", may_backfill=True)
        stored = dict(session.execute(select(Figure.period_end, Figure.known_on)).all())
    assert [(e.row, e.column) for e in report.errors] == [(3, "published"), (4, "published"),
                                                          (5, "published")]
    assert "before the period ends (2020-12-31)" in report.errors[0].reason
    assert "after the review date" in report.errors[1].reason
    assert "'sometime'" in report.errors[2].reason
    assert stored == {date(2019, 12, 31): date(2020, 3, 1),
                      date(2018, 12, 31): date.today()}


def test_all_or_nothing_writes_nothing_when_a_day_is_refused(product, tmp_path):
    path, mapping = write_files(tmp_path, [("2019", "50", "2020-03-01"),
                                           ("2020", "51", "2020-06-30")])
    with product() as session, session.begin():
        report = import_file(session, path, mapping, actor="ana", may_backfill=True,
                             all_or_nothing=True)
        assert not report.written and session.scalar(select(Figure.id)) is None


def test_one_day_for_the_whole_file_overrides_the_mapping(product, tmp_path):
    path, mapping = write_files(tmp_path, [("2019", "50", "2020-03-01"),
                                           ("2020", "51", "2021-03-01")])
    with product() as session, session.begin():
        report = import_file(session, path, mapping, actor="ana", may_backfill=True,
                             known_on=date(2021, 1, 10))
        days = set(session.scalars(select(Figure.known_on)))
    assert report.ok and days == {date(2021, 1, 10)}


def test_a_backfill_is_one_audit_entry_with_who_how_many_the_days_and_the_file(
        product, tmp_path):
    path, mapping = write_files(tmp_path, [("2019", "50", "2020-03-01"),
                                           ("2020", "51", "2021-04-02"), ("2021", "52", "")])
    with product() as session, session.begin():
        import_file(session, path, mapping, actor="ana", may_backfill=True)
        rows = audit_trail(session, Viewer(1, "root", Role.ADMIN), object_type="Figure")
    backfills = [r for r in rows if r.action == "backfill"]
    assert len(backfills) == 1 and backfills[0].actor == "ana"
    assert backfills[0].after == {"figures": 2, "file": "f.csv", "known_from": "2020-03-01",
                                  "known_to": "2021-04-02"}
    reported = {r.after["known_on"] for r in rows if r.action == "report"}
    assert reported == {"2020-03-01", "2021-04-02", date.today().isoformat()}


def test_a_dry_run_or_an_import_of_todays_figures_writes_no_backfill_entry(product, tmp_path):
    path, mapping = write_files(tmp_path, [("2019", "50", "2020-03-01")])
    with product() as session, session.begin():
        report = import_file(session, path, mapping, actor="ana", may_backfill=True,
                             dry_run=True)
        assert report.figures_backfilled == 1  # the preview says what would be backfilled
        import_file(session, path, mapping, actor="ana", known_on=date.today())
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "backfill")) is None


def test_who_may_not_backfill_has_every_earlier_day_refused(product, tmp_path):
    path, mapping = write_files(tmp_path, [("2019", "50", "2020-03-01"), ("2020", "51", "")])
    with product() as session, session.begin():
        report = import_file(session, path, mapping, actor="sonia")
    assert [(e.row, e.column) for e in report.errors] == [(2, "published")]
    assert NOT_ALLOWED in report.errors[0].reason and report.figures_new == 1


@pytest.fixture
def cli(product, monkeypatch):  # type: ignore[no-untyped-def]
    """The ``delivery`` command on the product's database, with Sónia (a secretariat) and Ana
    (an analyst) as users."""
    with product() as session, session.begin():
        url = session.get_bind().url.render_as_string(hide_password=False)
        create_user(session, "sonia", "correct horse battery", Role.SECRETARIAT,
                    secretariat="SES")
        create_user(session, "ana", "correct horse battery", Role.ANALYST)
    monkeypatch.setenv("DELIVERY_DATABASE_URL", url)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args))


@pytest.mark.parametrize(("actor", "refused"), [("sonia", True), ("ana", False),
                                                 ("cli", False)],
                         ids=["a secretariat cannot", "an analyst can",
                              "the operator (no user) can"])
def test_the_command_line_backfills_only_for_analysts_admins_and_the_operator(
        cli, tmp_path, actor, refused):
    path, mapping = write_files(tmp_path, [("2019", "50", ""), ("2020", "51", "")])
    result = cli("import", str(path), "--mapping", str(mapping), "--actor", actor,
                 "--known-on", "2021-02-01")
    assert (result.exit_code == 1) == refused, result.output
    assert (NOT_ALLOWED in result.output) == refused
    assert ("backfilled: 2 figures" in result.output) != refused


def test_the_csv_export_as_of_a_date_holds_what_was_known_then(cli, tmp_path):
    path, mapping = write_files(tmp_path, [("2019", "50", "2020-03-01"),
                                           ("2020", "51", "2021-03-01")])
    assert cli("import", str(path), "--mapping", str(mapping)).exit_code == 0
    corrected, _ = write_files(tmp_path, [("2019", "55", "2021-06-01")])
    assert cli("import", str(corrected), "--mapping", str(mapping)).exit_code == 0

    def exported(*args: str) -> list[dict[str, str]]:
        result = cli("export", "figures", *args)
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.output)))

    assert [(r["period_end"], r["value"], r["known_on"])
            for r in exported("--as-of", "2020-12-31")] == [("2019-12-31", "50.0", "2020-03-01")]
    assert [(r["period_end"], r["value"]) for r in exported("--as-of", "2021-05-01")] == [
        ("2019-12-31", "50.0"), ("2020-12-31", "51.0")]
    assert [(r["period_end"], r["value"], r["revision"]) for r in exported()] == [
        ("2019-12-31", "55.0", "2"), ("2020-12-31", "51.0", "1")]
    assert len(exported("--as-of", "2021-05-01", "--all-revisions")) == 2


@pytest.mark.parametrize(("known_on", "reason"), [
    ("{column: published, template: x}", "give a column"),
    ("{column: published, format: auto}", "should be one of"),
    ("'31/02/2021'", "31/02/2021"),
    ("{column: published, when: 1}", "unknown key"),
], ids=["column and template", "auto format", "an impossible constant", "unknown key"])
def test_a_wrong_known_on_key_names_the_key(tmp_path, known_on, reason):
    path = tmp_path / "m.yaml"
    path.write_text(FIGURES_MAPPING.replace("{column: published}", known_on), encoding="utf-8")
    with pytest.raises(MappingError, match="known_on") as error:
        load_mapping(path)
    assert reason in str(error.value)


def test_known_on_without_figures_is_refused(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(CATALOGUE_MAPPING + "known_on: 2021-01-01\n", encoding="utf-8")
    with pytest.raises(MappingError, match="known_on: only makes sense"):
        load_mapping(path)


@pytest.mark.parametrize(("known_on", "expected"), [
    ("2021-02-03", date(2021, 2, 3)),
    ("'03/02/2021'", date(2021, 3, 2)),
    ("'{year}-12-31'", date(2019, 12, 31)),
    ("{template: '{published}', format: month}", date(2020, 3, 31)),
    ("{column: published, day_first: true}", date(2020, 3, 1)),
], ids=["a constant date", "a constant, month first", "a template", "a month: its last day",
        "a column"])
def test_known_on_is_a_constant_a_template_or_a_column(product, tmp_path, known_on, expected):
    path, _ = write_files(tmp_path, [("2019", "50", "2020-03-01")])
    mapping = tmp_path / "m.yaml"
    mapping.write_text(FIGURES_MAPPING.replace("{column: published}", known_on),
                       encoding="utf-8")
    with product() as session, session.begin():
        report = import_file(session, path, mapping, actor="ana", may_backfill=True)
        assert report.ok, report.render_text()
        assert session.scalar(select(Figure.known_on)) == expected
