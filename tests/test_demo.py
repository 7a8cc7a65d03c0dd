"""The demo government: what it holds, that it tells its story as of the review date, that the
Pact for Life is the real SINESP series, and that every load is the same."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from delivery.clock import review_date
from delivery.demo import DemoError, load_demo
from delivery.demo.pact_for_life import MONTHS
from delivery.demo.spec import DATA_DIR, DEMO_DIR
from delivery.figures import figures_as_of
from delivery.importing import load_mapping
from delivery.models import (
    AuditEntry,
    BudgetAccount,
    Commitment,
    Figure,
    Goal,
    GoalAccountLink,
    Objective,
    ObjectiveLink,
    Pact,
    Pillar,
    ReviewMeeting,
    Secretariat,
    Trajectory,
)
from delivery.status import GoalSpec, Observation, goal_status
from delivery.trajectory_versions import all_in_force
from delivery.vocabulary import CommitmentState, Direction, Frequency, Status

if TYPE_CHECKING:
    pass

REVIEW_DATE = date(2023, 1, 16)
REAL_FILE = "br_sinesp_uf_monthly_crimes_2015_2022.csv"
Factory = sessionmaker[Session]
PACT_FOR_LIFE = ["Homicídio doloso", "Roubo seguido de morte (latrocínio)",
                 "Lesão corporal seguida de morte"]



def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def statuses(session: Session, as_of: date) -> dict[str, Status]:
    """Every goal's computed status on ``as_of``, from what was known that day."""
    trajectories = all_in_force(session, as_of)
    result = {}
    for goal in session.scalars(select(Goal)):
        known = figures_as_of(session, goal.id, as_of)
        figures = [Observation(f.period_end, f.value) for f in known]
        shape, milestones = trajectories[goal.id]
        spec = GoalSpec.from_goal(goal)
        result[goal.code] = goal_status(spec, milestones, shape, figures, as_of).status
    return result


def real_counts(path: Path) -> dict[tuple[str, date], float]:
    """(crime type, first day of month) -> occurrences in Pernambuco, read with the csv module."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["Tipo Crime"], date(int(row["Ano"]), MONTHS.index(row["Mês"]) + 1, 1)):
                float(row["Ocorrências"])
            for row in csv.DictReader(handle) if row["UF"] == "Pernambuco"
        }


def test_it_holds_a_government_shaped_like_pernambuco(demo: Factory) -> None:
    with demo() as session:
        assert count(session, Objective) == 12
        assert 4 <= count(session, Pillar) <= 5
        assert count(session, Goal) >= 120
        owners = session.scalar(select(func.count(func.distinct(Goal.owner_id))))
        assert count(session, Secretariat) >= 10 and (owners or 0) >= 10
        assert review_date(session) == REVIEW_DATE
        goals = list(session.scalars(select(Goal)))
    assert Counter(g.direction for g in goals).keys() == set(Direction)
    frequencies = {Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY}
    assert frequencies <= {g.frequency for g in goals}
    assert any(g.is_public for g in goals) and any(g.is_output for g in goals)
    assert any(g.tolerance != 0.05 for g in goals)
    deadlines = {g.target_date for g in goals if g.target_date}
    assert (min(deadlines), max(deadlines)) == (date(2022, 12, 31), date(2026, 12, 31))


def test_objective_links_are_weighted_and_have_no_cycle(demo: Factory) -> None:
    with demo() as session:
        links = list(session.scalars(select(ObjectiveLink)))
    graph = nx.DiGraph((link.source_id, link.target_id) for link in links)
    assert len(links) >= 5 and all(link.weight > 0 for link in links)
    assert nx.is_directed_acyclic_graph(graph)


def test_every_goal_has_an_approved_promise_and_some_were_renegotiated(demo: Factory) -> None:
    with demo() as session:
        versions = list(session.scalars(select(Trajectory)))
        goals = count(session, Goal)
    first = [t for t in versions if t.version == 1]
    assert len(first) == goals and all(t.approved_at is not None for t in first)
    assert len({t.shape for t in first}) == 4
    second = [t for t in versions if t.version == 2]
    assert second and all(t.approved_by == "governor" and "pandemic" in t.rationale
                          for t in second)
    assert {t.approved_at.year for t in second if t.approved_at} == {2020, 2021}


PUBLISHED = "As published by SINESP; flagged for review, not refused"


def test_figures_cover_2020_to_2022_and_were_known_by_the_review_date(demo: Factory) -> None:
    with demo() as session:
        first, last = session.execute(
            select(func.min(Figure.period_start), func.max(Figure.period_end))
        ).one()
        latest_known = session.scalar(select(func.max(Figure.known_on)))
        stored_days = {d.date() for d in session.scalars(select(Figure.recorded_at).distinct())}
        backfills = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "backfill"))
        provisional = session.scalar(select(func.count()).where(Figure.is_provisional))
        consolidated = session.scalar(select(func.count()).where(
            ~Figure.is_provisional, Figure.revision > 1, Figure.note == ""
        ))
        corrections = list(session.scalars(select(Figure).where(
            Figure.note != "", Figure.note != PUBLISHED)))  # the other notes: rules questioned
    assert first <= date(2020, 1, 1) and last == date(2022, 12, 31)
    assert latest_known is not None and latest_known < REVIEW_DATE
    assert min(stored_days) > REVIEW_DATE  # stored when loaded: history moved in by known_on
    assert backfills  # and the backfill is in the audit trail
    assert provisional and consolidated
    assert len(corrections) >= 3 and all(f.revision >= 2 for f in corrections)


def test_as_of_a_past_date_only_the_figures_known_then_count(demo: Factory) -> None:
    with demo() as session:
        goal = session.scalars(select(Goal).where(Goal.code == "SDS-DESPACHOS")).one()
        known = figures_as_of(session, goal.id, date(2022, 6, 15))
    assert known[-1].period_end == date(2022, 5, 31)


def test_the_status_mix_at_the_review_date_has_every_status(demo: Factory) -> None:
    with demo() as session:
        mix = Counter(statuses(session, REVIEW_DATE).values())
    assert set(mix) == set(Status)
    assert mix[Status.ON_TRACK] == max(mix.values())
    assert mix[Status.OFF_TRACK] >= 5 and mix[Status.NO_RECENT_DATA] >= 5


def test_the_pact_for_life_figures_are_the_real_sinesp_counts(
    demo: Factory, realdata: Path
) -> None:
    real = real_counts(realdata / REAL_FILE)
    stored = {}
    with demo() as session:
        for crime in PACT_FOR_LIFE:
            goal = session.scalars(select(Goal).where(Goal.code == f"PPV {crime}")).one()
            stored.update({(crime, f.period_start): f.value
                           for f in figures_as_of(session, goal.id, REVIEW_DATE)})
            year_2019 = [v for (c, d), v in real.items() if c == crime and d.year == 2019]
            assert goal.baseline_value == pytest.approx(sum(year_2019) / 12, abs=0.01)
            assert goal.target_value == pytest.approx(sum(year_2019) / 12 * 0.88**4, abs=0.01)
    march_2022 = ("Homicídio doloso", date(2022, 3, 1))
    assert stored[march_2022] == real[march_2022] == 346
    assert stored == {k: v for k, v in real.items() if k[0] in PACT_FOR_LIFE}


def test_the_pact_for_life_mapping_reads_the_shipped_extract() -> None:
    mapping = load_mapping(DATA_DIR / "mappings" / "demo_pact_for_life.yaml")
    assert mapping.filter["UF"] == {"Pernambuco"}
    assert set(PACT_FOR_LIFE) <= mapping.filter["Tipo Crime"]
    assert not mapping.create_missing


def test_the_shipped_extract_is_the_pernambuco_rows_of_the_real_file(realdata: Path) -> None:
    lines = (realdata / REAL_FILE).read_bytes().split(b"\n")
    expected = [lines[0], *(line for line in lines[1:] if line.startswith(b'"Pernambuco",'))]
    assert (DEMO_DIR / "sinesp_pernambuco.csv").read_bytes() == b"\n".join(expected) + b"\n"


def test_pacts_have_members_goals_and_negotiated_targets(demo: Factory) -> None:
    with demo() as session:
        pacts = list(session.scalars(select(Pact)))
        for pact in pacts:
            assert len(pact.members) >= 2 and sum(m.is_lead for m in pact.members) == 1
            assert len(pact.goals) >= 2
            assert all(pg.negotiated_target_value is not None for pg in pact.goals)
    assert len(pacts) == 3
    assert {"Pact for Life", "Pact for Education", "Pact for Health"} == {
        p.name.split(" (")[0] for p in pacts
    }


def test_budget_accounts_are_cross_walked_to_goals(demo: Factory) -> None:
    with demo() as session:
        accounts = list(session.scalars(select(BudgetAccount)))
        links = list(session.scalars(select(GoalAccountLink)))
        unlinked = session.scalar(
            select(func.count(Goal.id)).where(~Goal.id.in_(select(GoalAccountLink.goal_id)))
        )
    assert {a.fiscal_year for a in accounts} == {2021, 2022}
    shares: defaultdict[int, float] = defaultdict(float)
    for link in links:
        shares[link.account_id] += link.share
    assert max(shares.values()) <= 1 + 1e-9
    assert any(len([k for k in links if k.account_id == a]) > 1 for a in shares)
    assert unlinked == 0
    rates = [float(a.spent / a.appropriated) for a in accounts]
    assert min(rates) < 0.5 and max(rates) > 0.9
    assert all(a.spent <= a.committed <= a.appropriated for a in accounts)


def test_review_meetings_carry_commitments_some_overdue(demo: Factory) -> None:
    with demo() as session:
        meetings = list(session.scalars(select(ReviewMeeting).order_by(ReviewMeeting.held_on)))
        commitments = list(session.scalars(select(Commitment)))
    assert len(meetings) >= 4 and meetings[-1].held_on == REVIEW_DATE
    assert any(m.pact_id for m in meetings) and any(m.objective_id for m in meetings)
    states = Counter(c.state for c in commitments)
    assert states[CommitmentState.DONE] and states[CommitmentState.OPEN]
    assert any(c.state is CommitmentState.OPEN and c.due_on < REVIEW_DATE for c in commitments)


def snapshot(factory: Factory) -> tuple[list, list]:
    with factory() as session:
        goals = session.execute(
            select(Goal.code, Goal.baseline_value, Goal.target_value).order_by(Goal.code)
        ).all()
        figures = session.execute(
            select(Goal.code, Figure.period_start, Figure.revision, Figure.value,
                   Figure.is_provisional, Figure.known_on)
            .join(Goal, Goal.id == Figure.goal_id)
            .order_by(Goal.code, Figure.period_start, Figure.revision)
        ).all()
    return [tuple(g) for g in goals], [tuple(f) for f in figures]


def test_two_loads_write_the_same_rows(demo: Factory, session_factory: Factory) -> None:
    summary = load_demo(session_factory)
    assert snapshot(session_factory) == snapshot(demo)
    goals = len(snapshot(demo)[0])
    assert f"{goals} priority goals" in summary and "16 Jan 2023" in summary


def test_loading_into_a_database_with_goals_is_refused(demo: Factory) -> None:
    with pytest.raises(DemoError, match="already has .* goals"):
        load_demo(demo)


def test_if_empty_leaves_a_loaded_database_alone(demo: Factory) -> None:
    with demo() as session:
        before = count(session, Figure), count(session, Goal)
    message = load_demo(demo, if_empty=True)
    with demo() as session:
        assert (count(session, Figure), count(session, Goal)) == before
    assert "not loaded" in message


def test_everything_the_demo_wrote_is_audited_as_the_demo(demo: Factory) -> None:
    """...but for the Pact for Life's backfill, signed by the results centre that imports it."""
    with demo() as session:
        actors = set(session.scalars(select(AuditEntry.actor).distinct()))
        importers = set(session.scalars(select(AuditEntry.actor).where(
            AuditEntry.action == "backfill", AuditEntry.object_id == "sinesp_pernambuco.csv")))
    assert importers == {"results-centre-sds"}
    assert actors == {"demo", *importers}


def test_the_demo_names_itself_in_portuguese_when_loaded_in_portuguese():
    from delivery.demo.spec import read_government
    english, portuguese = read_government(language="en"), read_government(language="pt_BR")
    assert [p["name"] for p in portuguese["pacts"]][:1] == ["Pacto pela Vida"]
    assert portuguese["objectives"][0]["name"] == "Reduzir os crimes violentos letais intencionais"
    assert english["objectives"][0]["name"] == "Reduce lethal violent crime"
    # the numbers and codes are the same in both
    codes = [[o["code"] for o in gov["objectives"]] for gov in (english, portuguese)]
    assert codes[0] == codes[1]
    assert english["goals"][0]["baseline"] == portuguese["goals"][0]["baseline"]


@pytest.mark.parametrize("language", ["pt_BR", "es"])
def test_every_translated_name_translates_a_text_the_demo_has(language):
    from delivery.demo.plans import TRANSLATED, read_plans
    from delivery.demo.spec import NAMED_KEYS, demo_texts, read_government
    from delivery.users import DEMO_USERS
    found: set[str] = {display for *_rest, display in DEMO_USERS}

    def walk(value, key=None, named=NAMED_KEYS):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k, named)
        elif isinstance(value, list):
            for v in value:
                walk(v, key, named)
        elif isinstance(value, str) and key in named:
            found.add(" ".join(value.split()))
    walk(read_government(language="en"))
    walk(read_plans(language="en"), named=TRANSLATED)
    texts = demo_texts(language)
    assert set(texts) - found == set(), f"names.{language}.yaml translates texts the demo lacks"
    assert set(demo_texts("pt_BR")) <= set(texts), "Spanish lacks a name Portuguese has"


def test_delivery_run_loads_the_demo_and_its_people_once_then_serves(database_url, tmp_path,
                                                                     monkeypatch):
    """``make run``'s path: ``delivery run`` on an empty database loads the demo and the demo's
    accounts, then serves; run again, it loads nothing more (the server itself is not started
    here: ``Dash.run`` is where the command hands over)."""
    import dash
    from click.testing import CliRunner
    from sqlalchemy import func, select

    from delivery.cli import main
    from delivery.db import make_engine, make_session_factory
    from delivery.models import Goal, User
    from delivery.users import DEMO_USERS

    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    monkeypatch.setenv("DELIVERY_DATA_DIR", str(tmp_path))
    served: list[dict] = []
    monkeypatch.setattr(dash.Dash, "run", lambda self, **options: served.append(options))
    first = CliRunner().invoke(main, ["run", "--port", "8999"])
    assert first.exit_code == 0, first.output
    assert served[0]["port"] == 8999
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        goals = session.scalar(select(func.count(Goal.id)))
        people = session.scalar(select(func.count(User.id)))
    assert goals > 100 and people == len(DEMO_USERS)
    again = CliRunner().invoke(main, ["run", "--port", "8999"])
    assert again.exit_code == 0, again.output
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count(Goal.id))) == goals
        assert session.scalar(select(func.count(User.id))) == people
    engine.dispose()
