"""The demo government: a state shaped like Pernambuco, told as of Monday 16 January 2023.

``load_demo`` writes it in one transaction: the strategy map of data/demo/government.yaml, its
priority goals with approved trajectories (a few renegotiated), figures from the baseline to
December 2022 (synthetic, except the Pact for Life's real SINESP crime counts, imported through
the import pipeline), three performance pacts, two fiscal years of budget accounts cross-walked
to the goals, and the weekly review meetings with their commitments. Every load writes the same
rows: the numbers come from a fixed seed and every date is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from delivery.clock import pin_review_date
from delivery.demo import agreements, pact_for_life, plans, reviews, series, strategy
from delivery.demo.spec import expand_goals, read_government
from delivery.i18n import _, formats
from delivery.models import Goal
from delivery.status import format_date

__all__ = ["DemoError", "load_demo"]

ACTOR = "demo"


class DemoError(Exception):
    """The demo cannot be loaded here (the database already holds goals)."""


@dataclass
class _Loaded:
    goals: int = 0
    secretariats: int = 0
    objectives: int = 0
    pillars: int = 0
    pacts: int = 0
    accounts: int = 0
    links: int = 0
    figures: int = 0
    real_figures: int = 0
    meetings: int = 0
    commitments: int = 0
    initiatives: int = 0


def load_demo(session_factory: sessionmaker[Session], *, if_empty: bool = False) -> str:
    """Load the demo government into the database and return a paragraph saying what it holds.

    Raises DemoError when the database already has goals, unless ``if_empty``: then nothing is
    written and the paragraph says so. All or nothing: one transaction.
    """
    with session_factory() as session, session.begin():
        existing = session.scalar(select(func.count(Goal.id))) or 0
        if existing:
            if if_empty:
                return _("The database already has {n} goals: the demo was not loaded.").format(
                    n=existing)
            raise DemoError(
                _("The database already has {n} goals; the demo loads only into an empty "
                  "database. Point DELIVERY_DATABASE_URL (or DELIVERY_DATA_DIR) at a new "
                  "one.").format(n=existing)
            )
        session.info["actor"] = ACTOR
        gov = read_government()
        loaded = _load(session, gov)
    return _summary(gov, loaded)


def _load(session: Session, gov: dict[str, Any]) -> _Loaded:
    pin_review_date(session, gov["review_date"])
    registry = strategy.build_map(session, gov)
    synthetic, real = expand_goals(gov), pact_for_life.plans(gov)
    strategy.add_goals(session, gov, registry, [*real, *synthetic])
    in_force = strategy.add_trajectories(session, gov, registry, [*real, *synthetic])
    counts = series.add_figures(session, gov, registry, synthetic, in_force)
    real_figures = pact_for_life.import_figures(session, gov)
    pacts = agreements.add_pacts(session, gov, registry)
    links = agreements.add_budget(session, gov, registry)
    # plans before the meetings: each Friday's agenda takes the late milestones and high risks
    # known that day, as a unit using the product since then would have had them
    initiatives = plans.add_plans(session)
    session.flush()
    meetings = reviews.add_reviews(session, gov, registry, pacts)
    reviews.add_likelihood(session, gov, registry, pacts)
    session.flush()
    return _Loaded(
        goals=len(registry.goals), secretariats=len(registry.secretariats),
        objectives=len(registry.objectives), pillars=len(gov["pillars"]), pacts=len(pacts),
        accounts=len(gov["budget"]["accounts"]) * len(gov["budget"]["fiscal_years"]),
        links=links, figures=counts.written + real_figures, real_figures=real_figures,
        meetings=len(meetings), commitments=sum(len(m.commitments) for m in meetings),
        initiatives=initiatives,
    )


def _summary(gov: dict[str, Any], n: _Loaded) -> str:
    years = gov["budget"]["fiscal_years"]
    count = {k: formats.number(v, decimals=0) for k, v in vars(n).items()}
    return _(
        "Loaded the demo government (a state shaped like Pernambuco), told as of {day}: "
        "{pillars} pillars, {objectives} strategic objectives, {secretariats} secretariats and "
        "{goals} priority goals with approved trajectories; {figures} figure revisions up to "
        "December 2022, of which {real_figures} are the real SINESP crime counts behind the "
        "Pact for Life; {pacts} performance pacts; {accounts} budget accounts for FY{first}-"
        "FY{last} with {links} links to goals; {meetings} review meetings with {commitments} "
        "commitments; {initiatives} initiatives with their milestones and risks. The review date "
        "is pinned to {day}.").format(
        day=format_date(gov["review_date"]), first=years[0], last=years[-1], **count)
