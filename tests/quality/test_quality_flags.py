"""Flags in the database: raised once, resolved with a reason, never deleted."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import func, select

from delivery.figures import record_figures
from delivery.models import AuditEntry, DataQualityFlag, Figure, Goal
from delivery.quality import checks as c
from delivery.quality import plant as p
from delivery.quality.flags import flag_history, resolve_flag, run_checks
from delivery.quality.pooling import SHARED_BREAK
from delivery.quality.realseries import load_isp
from delivery.quality.shadows import ShadowPairs, pairs_from_mapping
from delivery.trajectory_versions import approve, propose
from delivery.vocabulary import Direction, FlagState, Shape
from tests.factories import make_goal
from tests.quality.conftest import seasonal_counts, straight_plan

RECORDED = datetime(2023, 1, 10, tzinfo=UTC)
AS_OF = date(2023, 1, 20)
SPIKE_AT = date(2020, 6, 30)
NO_PAIRS = ShadowPairs()


def record(db, goal: Goal, values: pd.Series, at: datetime = RECORDED) -> None:
    ends = pd.DatetimeIndex(values.index)
    frame = pd.DataFrame({
        "goal_id": goal.id,
        "period_start": [(e - pd.offsets.MonthBegin(1)).date() for e in ends],
        "period_end": [e.date() for e in ends],
        "value": values.to_numpy(dtype=float),
        "is_provisional": False,
    })
    record_figures(db, frame, reported_by="results-centre", recorded_at=at)


def spiked() -> pd.Series:
    return p.spike(seasonal_counts(), size=0.6, at=SPIKE_AT).series


def goal_with(db, values: pd.Series, **overrides) -> Goal:
    goal = make_goal(db, baseline_value=None, baseline_date=None, target_value=None,
                     target_date=None, **overrides)
    record(db, goal, values)
    return goal


def flag_count(db) -> int:
    return db.scalar(select(func.count()).select_from(DataQualityFlag))


def test_it_raises_a_flag_with_its_reason_evidence_and_figure(db):
    goal = goal_with(db, spiked())
    (flag,) = run_checks(db, [goal.id], as_of=AS_OF, actor="quality-job", shadows=NO_PAIRS)
    figure = db.get(Figure, flag.figure_id)
    assert (flag.kind, flag.state, figure.period_end) == (c.OUTLIER, FlagState.OPEN, SPIKE_AT)
    assert flag.evidence["period_end"] == "2020-06-30"
    assert flag.evidence["figure_value"] == figure.value
    assert flag.evidence["raised_by"] == "quality-job"
    assert "June 2020" in flag.reason


def test_running_the_checks_again_raises_nothing_new(db):
    goal = goal_with(db, spiked())
    assert len(run_checks(db, as_of=AS_OF, actor="job", shadows=NO_PAIRS)) == 1
    assert run_checks(db, as_of=AS_OF, actor="job", shadows=NO_PAIRS) == []
    assert run_checks(db, [goal.id], as_of=date(2023, 1, 25), actor="job",
                      shadows=NO_PAIRS) == []
    assert flag_count(db) == 1


def test_a_dismissal_needs_a_note(db):
    goal = goal_with(db, spiked())
    (flag,) = run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=NO_PAIRS)
    with pytest.raises(ValueError, match="needs a note"):
        resolve_flag(db, flag.id, state=FlagState.DISMISSED, by="ana", note="  ")
    assert flag.state is FlagState.OPEN


def test_a_dismissed_flag_stays_in_the_history_and_is_not_raised_again(db):
    goal = goal_with(db, spiked())
    (flag,) = run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=NO_PAIRS)
    resolve_flag(db, flag.id, state="dismissed", by="ana",
                 note="State police strike that month; confirmed with the source.")
    assert run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=NO_PAIRS) == []
    (kept,) = flag_history(db, goal.id)
    assert kept.id == flag.id and kept.state is FlagState.DISMISSED
    assert (kept.resolved_by, kept.resolution_note[:17]) == ("ana", "State police stri")
    assert kept.resolved_at is not None and flag_count(db) == 1


def test_a_revised_figure_is_new_evidence_for_a_dismissed_flag(db):
    values = spiked()
    goal = goal_with(db, values)
    (flag,) = run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=NO_PAIRS)
    resolve_flag(db, flag.id, state=FlagState.DISMISSED, by="ana", note="checked")
    revised = values.copy()
    revised[pd.Timestamp(SPIKE_AT)] = revised[pd.Timestamp(SPIKE_AT)] * 1.2
    record(db, goal, revised, at=datetime(2023, 2, 1, tzinfo=UTC))
    (again,) = run_checks(db, [goal.id], as_of=date(2023, 2, 2), actor="job", shadows=NO_PAIRS)
    assert again.kind == c.OUTLIER and again.figure_id != flag.figure_id
    assert again.evidence["figure_revision"] == 2
    assert [f.state for f in flag_history(db, goal.id)] == [FlagState.DISMISSED, FlagState.OPEN]


def test_a_confirmed_flag_is_not_raised_again_even_after_a_revision(db):
    values = spiked()
    goal = goal_with(db, values)
    (flag,) = run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=NO_PAIRS)
    resolve_flag(db, flag.id, state=FlagState.CONFIRMED, by="ana")
    values[pd.Timestamp(SPIKE_AT)] += 1
    record(db, goal, values, at=datetime(2023, 2, 1, tzinfo=UTC))
    assert run_checks(db, [goal.id], as_of=date(2023, 2, 2), actor="job", shadows=NO_PAIRS) == []


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        (None, FlagState.OPEN, "confirmed or dismissed"),
        (FlagState.CONFIRMED, FlagState.DISMISSED, "already confirmed by ana"),
        (FlagState.DISMISSED, FlagState.CONFIRMED, "already dismissed by ana"),
    ],
    ids=["reopen", "confirmed-then-dismissed", "dismissed-then-confirmed"],
)
def test_a_resolution_stands(db, first, then, message):
    goal = goal_with(db, spiked())
    (flag,) = run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=NO_PAIRS)
    if first is not None:
        resolve_flag(db, flag.id, state=first, by="ana", note="seen")
    with pytest.raises(ValueError, match=message):
        resolve_flag(db, flag.id, state=then, by="bia", note="other view")


def test_an_unknown_flag_cannot_be_resolved(db):
    with pytest.raises(ValueError, match="no data-quality flag 999"):
        resolve_flag(db, 999, state=FlagState.CONFIRMED, by="ana")


def test_raising_and_resolving_are_audited_under_who_did_it(db):
    goal = goal_with(db, spiked())
    (flag,) = run_checks(db, [goal.id], as_of=AS_OF, actor="quality-job", shadows=NO_PAIRS)
    resolve_flag(db, flag.id, state=FlagState.CONFIRMED, by="ana", note="double counted")
    entries = db.execute(
        select(AuditEntry.action, AuditEntry.actor)
        .where(AuditEntry.object_type == "DataQualityFlag").order_by(AuditEntry.id)
    ).all()
    assert [tuple(e) for e in entries] == [("create", "quality-job"), ("update", "ana")]
    assert "actor" not in db.info


def test_a_late_figure_is_flagged_about_the_missing_period(db):
    goal = goal_with(db, seasonal_counts())
    (flag,) = run_checks(db, [goal.id], as_of=date(2023, 3, 10), actor="job", shadows=NO_PAIRS)
    assert (flag.kind, flag.figure_id) == (c.LATE, None)
    assert flag.evidence["period_end"] == "2023-01-31"
    assert run_checks(db, [goal.id], as_of=date(2023, 5, 10), actor="job",
                      shadows=NO_PAIRS) == []


def test_figures_recorded_after_as_of_are_not_judged(db):
    goal = goal_with(db, seasonal_counts())
    record(db, goal, spiked(), at=datetime(2023, 3, 1, tzinfo=UTC))
    assert run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=NO_PAIRS) == []
    (flag,) = run_checks(db, [goal.id], as_of=date(2023, 3, 2), actor="job", shadows=NO_PAIRS)
    assert flag.kind == c.OUTLIER


def test_since_keeps_to_the_periods_asked_about(db):
    goal = goal_with(db, spiked())
    assert run_checks(db, [goal.id], as_of=AS_OF, actor="job", since=date(2021, 1, 1),
                      shadows=NO_PAIRS) == []
    assert len(run_checks(db, [goal.id], as_of=AS_OF, actor="job", since=date(2020, 1, 1),
                          shadows=NO_PAIRS)) == 1


def test_a_shadow_divergence_names_the_shadow_goal(db):
    target = seasonal_counts()
    shadow = seasonal_counts(level=40, seed=4)
    planted = p.reclassify(target, shadow, share=0.15, at=date(2020, 1, 31))
    goal = goal_with(db, planted.series, code="T/Recife")
    goal_with(db, planted.shadow, code="S/Recife", name="Bodily harm followed by death")
    pairs = pairs_from_mapping({"T/{city}": ["S/{city}"]})
    flags = run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=pairs)
    (flag,) = [f for f in flags if f.kind == c.SHADOW]
    assert flag.evidence["shadow_code"] == "S/Recife"
    assert "Bodily harm followed by death" in flag.reason
    assert run_checks(db, [goal.id], as_of=AS_OF, actor="job", shadows=pairs) == []


@pytest.mark.parametrize("everywhere", [False, True])
def test_a_move_of_share_is_judged_against_the_same_pair_in_other_cities(db, everywhere):
    """Reclassified in Recife alone: flagged, saying how many other cities were compared. The
    same move in every city at once (a national change of counting rules): not Recife's."""
    cities = ["Recife", "Olinda", "Caruaru", "Petrolina", "Garanhuns"]
    goals = {}
    for k, city in enumerate(cities):
        target = seasonal_counts(seed=10 + k)
        shadow = seasonal_counts(level=200, seed=30 + k)
        if city == "Recife" or everywhere:
            planted = p.reclassify(target, shadow, share=0.25, at=date(2020, 1, 31))
            target, shadow = planted.series, planted.shadow
        goals[city] = goal_with(db, target, code=f"T/{city}")
        goal_with(db, shadow, code=f"S/{city}", name=f"Bodily harm, {city}")
    pairs = pairs_from_mapping({"T/{city}": ["S/{city}"]})
    flags = [f for f in run_checks(db, [goals["Recife"].id], as_of=AS_OF, actor="job",
                                   shadows=pairs) if f.kind == c.SHADOW]
    if everywhere:
        assert flags == []
        return
    (flag,) = flags
    assert flag.evidence["peers"] == 4
    assert "4 other places" in flag.reason


def test_bunching_is_judged_against_the_trajectory_in_force(db):
    values = seasonal_counts()
    plan = straight_plan(values)
    planted = p.bunch(values, plan, Direction.DOWN, periods=36, reach=0.1)
    goal = goal_with(db, planted.series)
    milestones = [(ts.date(), float(v)) for ts, v in plan.items()]
    trajectory = propose(db, goal, Shape.MILESTONES, milestones, proposed_by="ana",
                         rationale="pact", based_on=None)
    approve(db, trajectory, approved_by="gov", at=datetime(2015, 1, 1, tzinfo=UTC))
    kinds = [f.kind for f in run_checks(db, [goal.id], as_of=AS_OF, actor="job",
                                        shadows=NO_PAIRS)]
    assert kinds == [c.BUNCHING]


def test_the_real_rio_homicide_series_is_flagged_once_with_its_shadows(db, realdata):
    """ISP-RJ homicides with the shadows data/quality/shadows.yaml gives them: checked against
    each (no lasting move of share between homicides and its shadows is found since 1991; the
    1999 jump in bodies found while homicides fell does not last), and nothing raised twice."""
    series = load_isp(realdata)
    codes = ["ISP-RJ/hom_doloso", "ISP-RJ/lesao_corp_morte", "ISP-RJ/hom_por_interv_policial",
             "ISP-RJ/encontro_cadaver"]
    goals = [goal_with(db, series[code], code=code, name=code) for code in codes]
    flags = run_checks(db, [goals[0].id], as_of=AS_OF, actor="job")
    shadows = [f.evidence["shadow_code"] for f in flags if f.kind == c.SHADOW]
    assert set(shadows) <= set(codes[1:])
    late = [f for f in flags if f.kind == c.LATE]
    assert [f.evidence["period_end"] for f in late] == ["2021-06-30"]  # the file ends in May
    for flag in flags:
        json.dumps(flag.evidence, allow_nan=False)
    assert run_checks(db, [goals[0].id], as_of=AS_OF, actor="job") == []


def test_a_break_shared_by_related_goals_is_one_event_shown_on_each(db):
    """Four states' robberies drop 40% in April 2020 at once, a fifth does not: one
    shared-break event listing the four, its flag on each of the four (so every goal page
    shows it) and not on the fifth, raised once however many of them are checked, and no
    level-shift flag on any of them."""
    states = ["Acre", "Bahia", "Ceará", "Goiás", "Pará"]
    goals = []
    for k, state in enumerate(states):
        x = seasonal_counts(seed=10 + k)
        if k < 4:
            x = p.level_shift(x, size=0.4, at=date(2020, 4, 30), seed=1).series
        goals.append(goal_with(db, x, code=f"SINESP/{state}/Roubo", name=f"Robbery {state}"))
    flags = run_checks(db, [g.id for g in goals], as_of=AS_OF, actor="job", shadows=NO_PAIRS)
    shared = [f for f in flags if f.kind == SHARED_BREAK]
    assert sorted(f.goal_id for f in shared) == sorted(g.id for g in goals[:4])
    for flag in shared:
        assert flag.evidence["series"] == [f"SINESP/{s}/Roubo" for s in states[:4]]
        assert flag.evidence["family"] == "SINESP/*/Roubo"
        assert flag.evidence["period_end"] == shared[0].evidence["period_end"]
        json.dumps(flag.evidence, allow_nan=False)
    assert not [f for f in flags if f.kind in (c.LEVEL_SHIFT, c.OUTLIER)]
    assert run_checks(db, [goals[2].id], as_of=AS_OF, actor="job", shadows=NO_PAIRS) == []


def test_a_shared_break_found_from_one_goal_is_flagged_on_every_goal_it_touched(db):
    """Checking only one of the four goals that broke (as after a write to it) still records
    the event on all four; checking another of them later raises nothing new."""
    states = ["Acre", "Bahia", "Ceará", "Goiás", "Pará"]
    goals = []
    for k, state in enumerate(states):
        x = seasonal_counts(seed=10 + k)
        if k < 4:
            x = p.level_shift(x, size=0.4, at=date(2020, 4, 30), seed=1).series
        goals.append(goal_with(db, x, code=f"SINESP/{state}/Roubo", name=f"Robbery {state}"))
    flags = run_checks(db, [goals[1].id], as_of=AS_OF, actor="job", shadows=NO_PAIRS)
    assert sorted(f.goal_id for f in flags if f.kind == SHARED_BREAK) == sorted(
        g.id for g in goals[:4])
    assert run_checks(db, [goals[3].id], as_of=AS_OF, actor="job", shadows=NO_PAIRS) == []


def test_a_break_in_one_goal_alone_is_its_own_flag(db):
    goals = [goal_with(db, seasonal_counts(seed=10 + k), code=f"SINESP/{s}/Roubo")
             for k, s in enumerate(["Acre", "Bahia", "Ceará"])]
    shifted = p.level_shift(seasonal_counts(seed=20), size=0.4, at=date(2020, 4, 30)).series
    goals.append(goal_with(db, shifted, code="SINESP/Goiás/Roubo"))
    flags = run_checks(db, [goals[-1].id], as_of=AS_OF, actor="job", shadows=NO_PAIRS)
    assert [f.kind for f in flags] == [c.LEVEL_SHIFT]
