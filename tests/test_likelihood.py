"""Likelihood of delivery (delivery.likelihood): independent raters, disagreement shown and not
averaged, the league table across pacts and objectives, and how judgements fared."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from delivery import likelihood as lk
from delivery.clock import pin_review_date
from delivery.figures import record_figure
from delivery.models import Goal, Objective, Pact, PactGoal, Pillar, Secretariat
from tests.factories import make_goal

REVIEW_DATE = date(2023, 1, 16)


def when(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC).replace(hour=12)


@pytest.fixture
def goals(db: Session) -> dict[str, Goal]:
    """O1: A (off track from December), B (on track); O2: C (slipping); pact PX: A and C.
    A straight line from 100 (Jan 2020) to 70 (Dec 2022): on track within 5% of the 30 points,
    slipping within 15%."""
    pillar = Pillar(code="PL", name="Pillar")
    owner = Secretariat(code="SL", name="Secretariat")
    o1 = Objective(code="O1", name="First", pillar=pillar, position=0)
    o2 = Objective(code="O2", name="Second", pillar=pillar, position=1)
    db.add_all([pillar, owner, o1, o2])
    made = {key: make_goal(db, code=f"L-{key}", name=f"Goal {key}", objective=objective,
                           owner=owner)
            for key, objective in (("A", o1), ("B", o1), ("C", o2))}
    # September, known in October: everyone on plan (planned about 72.7 at the end of Sep).
    for goal in made.values():
        record_figure(db, goal, date(2022, 9, 1), date(2022, 9, 30), 72.7, reported_by="t",
                      recorded_at=when(date(2022, 10, 5)))
    # December, known in January: A off track, B on track, C slipping.
    for key, value in (("A", 80.0), ("B", 70.0), ("C", 73.0)):
        record_figure(db, made[key], date(2022, 12, 1), date(2022, 12, 31), value,
                      reported_by="t", recorded_at=when(date(2023, 1, 5)))
    db.add(Pact(code="PX", name="Pact X", goals=[PactGoal(goal_id=made["A"].id),
                                                  PactGoal(goal_id=made["C"].id)]))
    db.flush()
    return made


def rate(db: Session, rater: str, rating: str, on: date, *, goal: Goal | None = None,
         pact_id: int | None = None, **judgements: str) -> None:
    lk.record_assessment(db, rater=rater, assessed_on=on, rating=rating, reasons="because",
                         judgements=judgements, goal_id=goal.id if goal else None,
                         pact_id=pact_id)


def pact_id(db: Session) -> int:
    return db.query(Pact.id).filter(Pact.code == "PX").scalar()


# -- recording ---------------------------------------------------------------------------------


ERRORS = [
    (dict(rater=" "), "rater: required"),
    (dict(rating="amber"), "rating: 'amber' is not one of green, amber_green, amber_red, red"),
    (dict(goal=False), r"goal: give a goal or a pact \(one of them\)"),
    (dict(pact=True), r"goal: give a goal or a pact \(one of them\)"),
    (dict(goal_id=10**6), "goal: no goal 1000000"),
    (dict(judgements={"mood": "high"}), "judgements: unknown factor 'mood' \\(expected one of "
     "challenge, planning, implementation, performance_management, capacity, stage\\)"),
    (dict(reasons="  "), "reasons: required"),
    (dict(assessed_on="2023-01-09"), "assessed on: not a date"),
]


@pytest.mark.parametrize(("change", "message"), ERRORS,
                         ids=["blank-rater", "unknown-rating", "no-subject", "two-subjects",
                              "unknown-goal", "unknown-factor", "no-reasons", "not-a-date"])
def test_a_judgement_names_the_field_it_cannot_take(db, goals, change, message):
    values = dict(rater="analyst", assessed_on=REVIEW_DATE, rating="red", reasons="late",
                  judgements={"challenge": "high"}, goal_id=goals["A"].id)
    change = dict(change)  # the case table is shared by every backend: leave it whole
    if change.pop("goal", True) is False:
        values["goal_id"] = None
    if change.pop("pact", False):
        values["pact_id"] = pact_id(db)
    with pytest.raises(ValueError, match=f"^{message}$"):
        lk.record_assessment(db, **(values | change))


def test_a_judgement_given_no_date_is_dated_on_the_review_date(db, goals):
    pin_review_date(db, date(2023, 1, 16))
    judged = lk.record_assessment(db, rater="analyst", rating="red", reasons="late",
                                  goal_id=goals["A"].id)
    assert judged.assessed_on == date(2023, 1, 16)


def test_each_judgement_is_a_new_row_and_the_latest_per_rater_counts(db, goals):
    rate(db, "analyst", "green", date(2022, 10, 10), goal=goals["A"], challenge="low")
    rate(db, "analyst", "amber_red", date(2023, 1, 9), goal=goals["A"], challenge="high",
         stage="delivering")
    rate(db, "self", "green", date(2023, 1, 10), goal=goals["A"])
    rate(db, "head", "amber_green", date(2023, 1, 9), pact_id=pact_id(db))
    latest = lk.latest_assessments(db, REVIEW_DATE)
    assert latest[["subject", "code", "rater", "rating"]].values.tolist() == [
        ["goal", "L-A", "analyst", "amber_red"], ["goal", "L-A", "self", "green"],
        ["pact", "PX", "head", "amber_green"]]
    assert latest.loc[0, "challenge"] == "high" and latest.loc[0, "stage"] == "delivering"
    assert pd.isna(latest.loc[1, "challenge"]) and latest.loc[2, "name"] == "Pact X"
    earlier = lk.latest_assessments(db, date(2022, 12, 31))
    assert earlier[["rater", "rating"]].values.tolist() == [["analyst", "green"]]


# -- disagreement ------------------------------------------------------------------------------


def latest_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(code, rater, rating) rows shaped like ``latest_assessments``."""
    return pd.DataFrame([("goal", hash(code) % 1000, code, f"Goal {code}", rater, rating)
                         for code, rater, rating in rows],
                        columns=["subject", "subject_id", "code", "name", "rater", "rating"])


@pytest.mark.parametrize(("ratings", "spread"), [
    ([("analyst", "red")], 0),
    ([("analyst", "amber_red"), ("self", "amber_red")], 0),
    ([("analyst", "amber_red"), ("self", "amber_green")], 1),
    ([("analyst", "red"), ("head", "amber_red"), ("self", "green")], 3),
], ids=["one-rater", "two-agree", "one-step-apart", "green-against-red"])
def test_disagreement_keeps_every_rating_and_measures_the_spread(ratings, spread):
    frame = latest_frame([("G", rater, rating) for rater, rating in ratings])
    row = lk.disagreement(frame).iloc[0]
    assert row["ratings"] == sorted(ratings)
    assert (row["raters"], row["spread"], row["agreed"]) == (len(ratings), spread, spread == 0)
    ranks = sorted(lk.RANK[r] for _, r in ratings)
    assert (row["best"], row["worst"]) == (lk.SCALE[ranks[0]], lk.SCALE[ranks[-1]])


def test_the_widest_disagreements_come_first():
    frame = latest_frame([("A", "x", "green"), ("B", "x", "green"), ("B", "y", "red"),
                          ("C", "x", "amber_green"), ("C", "y", "amber_red")])
    assert lk.disagreement(frame)["code"].tolist() == ["B", "C", "A"]
    assert lk.disagreement(frame.iloc[0:0]).empty


# -- the league table --------------------------------------------------------------------------


def test_the_league_table_puts_the_worst_first_and_keeps_disagreements(db, goals):
    rate(db, "analyst", "red", date(2023, 1, 9), goal=goals["A"])
    rate(db, "self", "amber_green", date(2023, 1, 9), goal=goals["A"])
    rate(db, "analyst", "green", date(2023, 1, 9), goal=goals["B"])
    rate(db, "analyst", "amber_red", date(2023, 1, 9), goal=goals["C"])
    rate(db, "analyst", "amber_red", date(2023, 1, 9), pact_id=pact_id(db))
    rate(db, "head", "amber_green", date(2023, 1, 9), pact_id=pact_id(db))
    table = lk.league_table(db, REVIEW_DATE)
    assert list(table.columns) == lk.LEAGUE_COLUMNS
    got = table[["kind", "code", "goals", "rated", "green", "amber_green", "amber_red", "red",
                 "worst", "disagreements", "off_track", "slipping", "on_track"]]
    assert got.values.tolist() == [
        # both hold A (red); the pact also holds C (amber-red), so it comes first
        ["pact", "PX", 2, 2, 0, 0, 1, 1, "red", 2, 1, 1, 0],
        ["objective", "O1", 2, 2, 1, 0, 0, 1, "red", 1, 1, 0, 1],
        ["objective", "O2", 1, 1, 0, 0, 1, 0, "amber_red", 0, 0, 1, 0],
    ]
    assert table.loc[0, "own_ratings"] == [("analyst", "amber_red"), ("head", "amber_green")]
    assert table.loc[1, "own_ratings"] == []


def test_subjects_nobody_rated_come_last(db, goals):
    rate(db, "analyst", "green", date(2023, 1, 9), goal=goals["C"])
    table = lk.league_table(db, REVIEW_DATE)
    assert table["code"].tolist() == ["PX", "O2", "O1"]  # rated green, then unrated in order
    assert table["worst"].tolist()[-1] is None and table["rated"].tolist()[-1] == 0


# -- the track record --------------------------------------------------------------------------


def test_the_track_record_says_how_each_judgement_fared(db, goals):
    rate(db, "analyst", "amber_red", date(2022, 11, 10), goal=goals["A"])  # then off track
    rate(db, "self", "green", date(2022, 11, 10), goal=goals["A"])  # also off track later
    rate(db, "analyst", "amber_red", date(2022, 11, 10), goal=goals["C"])  # only slipping
    rate(db, "analyst", "red", date(2022, 11, 10), goal=goals["B"])  # on track after all
    rate(db, "analyst", "red", date(2022, 12, 1), goal=goals["A"])  # too recent to judge
    rate(db, "analyst", "red", date(2022, 11, 10), pact_id=pact_id(db))  # pacts: not graded
    record = lk.track_record(db, date(2023, 1, 10), after_days=56)
    assert list(record.columns) == lk.TRACK_COLUMNS
    assert record[["code", "rater", "rating", "status_then", "status_after",
                   "went_off_track"]].values.tolist() == [
        ["L-A", "analyst", "amber_red", "on_track", "off_track", True],
        ["L-A", "self", "green", "on_track", "off_track", True],
        ["L-C", "analyst", "amber_red", "on_track", "slipping", False],
        ["L-B", "analyst", "red", "on_track", "on_track", False]]
    assert set(record["checked_on"]) == {date(2023, 1, 5)}
    summary = lk.track_record_summary(record).set_index("rating")
    assert summary.loc["amber_red", ["judgements", "off_track_later", "newly_off_track"]
                       ].tolist() == [2, 1, 1]
    assert summary.loc["amber_red", "share_off_track_later"] == pytest.approx(0.5)
    assert summary.loc["green", ["judgements", "off_track_later"]].tolist() == [1, 1]
    assert summary.loc["red", ["judgements", "off_track_later"]].tolist() == [1, 0]
    assert summary.loc["amber_green", "judgements"] == 0
    assert pd.isna(summary.loc["amber_green", "share_off_track_later"])


def test_with_no_judgement_old_enough_the_track_record_is_empty(db, goals):
    rate(db, "analyst", "red", date(2023, 1, 9), goal=goals["A"])
    record = lk.track_record(db, REVIEW_DATE)
    assert record.empty and list(record.columns) == lk.TRACK_COLUMNS
    assert lk.track_record_summary(record)["judgements"].sum() == 0


# -- on the demo -------------------------------------------------------------------------------

Factory = sessionmaker[Session]



def test_the_demo_has_three_raters_who_disagree_on_homicides(demo):
    with demo() as session:
        latest = lk.latest_assessments(session, REVIEW_DATE)
    assert set(latest["rater"]) == {"Delivery unit analyst", "Head of the delivery unit",
                                    "Secretariat (self-assessment)"}
    spread = lk.disagreement(latest)
    homicides = spread.iloc[0]
    assert homicides["code"] == "PPV Homicídio doloso" and homicides["spread"] == 2
    assert [r for _, r in homicides["ratings"]] == ["amber_red", "red", "amber_green"]
    assert (~spread["agreed"]).sum() == 8


def test_the_demo_league_table_is_led_by_health_and_the_pact_for_life(demo):
    with demo() as session:
        table = lk.league_table(session, REVIEW_DATE)
    assert len(table) == 15  # 3 pacts and 12 objectives
    assert table["code"].tolist()[:3] == ["OE06", "PPV", "PPS"]
    assert (table["worst"].head(5) == "red").all()
    ppv = table.set_index("code").loc["PPV"]
    assert (ppv["red"], ppv["amber_red"], ppv["disagreements"]) == (1, 2, 3)


def test_the_demo_track_record_shows_how_amber_red_judgements_fared(demo):
    with demo() as session:
        summary = lk.track_record_summary(lk.track_record(session, REVIEW_DATE))
    amber_red = summary.set_index("rating").loc["amber_red"]
    assert (amber_red["judgements"], amber_red["off_track_later"]) == (11, 8)
    assert summary["judgements"].sum() == 26
