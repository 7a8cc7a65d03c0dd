"""A small government with named people, for the rights tests.

- Ana, an analyst of the delivery unit; Gil, the governor; Root, the administrator;
- Sónia, of the results centre of Defesa Social (SDS), a member of the Pact for Life;
- Edu, of the results centre of Educação (SEE), a member of the Pact for Education only;
- nobody signed in.

Goals: SDS owns ``homicides`` (Pact for Life, public) and ``firearms``; SJDH owns ``prison``
(in the Pact for Life, so Sónia sees it but may not report on it); SEE owns ``literacy``
(Pact for Education) and ``dropout`` (public).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from delivery import users
from delivery.figures import record_figure
from delivery.models import (
    Commitment,
    Goal,
    Objective,
    Pact,
    PactGoal,
    PactMember,
    Pillar,
    ReviewMeeting,
    Secretariat,
)
from delivery.trajectory_versions import approve, propose
from delivery.users import create_user
from delivery.vocabulary import Direction, Frequency, Role, Shape

PASSWORD = "correct horse battery"
PEOPLE = {  # persona -> (username, role, secretariat code)
    "analyst": ("ana", Role.ANALYST, None),
    "governor": ("gil", Role.GOVERNOR, None),
    "admin": ("root", Role.ADMIN, None),
    "secretariat": ("sonia", Role.SECRETARIAT, "SDS"),
    "other_secretariat": ("edu", Role.SECRETARIAT, "SEE"),
}


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with tiny costs: same code path, a thousandth of the time (import it, with
    ``# noqa: F401``, into a test module to apply it there)."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64,
                                                         parallelism=1))


@dataclass
class Government:
    goals: dict[str, int] = field(default_factory=dict)
    pacts: dict[str, int] = field(default_factory=dict)
    commitments: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    secretariats: dict[str, int] = field(default_factory=dict)


def _goal(session: Session, code: str, objective: Objective, owner: Secretariat,
          public: bool = False) -> Goal:
    goal = Goal(code=code, name=f"Goal {code}", objective=objective, owner=owner,
                indicator=f"{code} indicator", unit="cases", direction=Direction.DOWN,
                frequency=Frequency.MONTHLY, baseline_value=100.0,
                baseline_date=date(2022, 1, 31), target_value=70.0,
                target_date=date(2023, 12, 31), is_public=public)
    session.add(goal)
    return goal


def build_government(session: Session) -> Government:
    """Write the small government (flushed, not committed) and return its ids."""
    gov = Government()
    secs = {code: Secretariat(code=code, name=f"Secretaria {code}")
            for code in ("SDS", "SJDH", "SEE")}
    session.add_all(secs.values())
    pillar = Pillar(code="SEG", name="Security")
    objective = Objective(code="OE01", name="Reduce violent crime", pillar=pillar)
    goals = {
        "homicides": _goal(session, "SDS-HOM", objective, secs["SDS"], public=True),
        "firearms": _goal(session, "SDS-ARM", objective, secs["SDS"]),
        "prison": _goal(session, "SJDH-VAG", objective, secs["SJDH"]),
        "literacy": _goal(session, "SEE-ALFA", objective, secs["SEE"]),
        "dropout": _goal(session, "SEE-ABAND", objective, secs["SEE"], public=True),
    }
    session.flush()
    life = Pact(code="PPV", name="Pact for Life", members=[
        PactMember(secretariat_id=secs["SDS"].id, is_lead=True),
        PactMember(secretariat_id=secs["SJDH"].id)],
        goals=[PactGoal(goal_id=goals[g].id) for g in ("homicides", "prison")])
    education = Pact(code="PPE", name="Pact for Education",
                     members=[PactMember(secretariat_id=secs["SEE"].id, is_lead=True)],
                     goals=[PactGoal(goal_id=goals["literacy"].id)])
    session.add_all([life, education])
    session.flush()
    meeting = ReviewMeeting(held_on=date(2023, 1, 9), title="Pact for Life review",
                            pact_id=life.id)
    education_meeting = ReviewMeeting(held_on=date(2023, 1, 10), title="Education review",
                                      pact_id=education.id)
    session.add_all([meeting, education_meeting])
    session.flush()
    commitments = {
        "sds": Commitment(meeting_id=meeting.id, goal_id=goals["homicides"].id,
                          description="Patrols in the ten worst areas", owner="Chief of police",
                          owner_secretariat_id=secs["SDS"].id, due_on=date(2023, 2, 1)),
        "see": Commitment(meeting_id=education_meeting.id, goal_id=goals["literacy"].id,
                          description="Reading tutors in 100 schools", owner="Director",
                          owner_secretariat_id=secs["SEE"].id, due_on=date(2023, 2, 15)),
    }
    session.add_all(commitments.values())
    for goal in goals.values():
        trajectory = propose(session, goal, Shape.LINEAR,
                             [(date(2022, 1, 31), 100.0), (date(2023, 12, 31), 70.0)],
                             proposed_by="ana", rationale="original promise", based_on=None)
        approve(session, trajectory, approved_by="gil")
        record_figure(session, goal, date(2022, 12, 1), date(2022, 12, 31), 90.0,
                      reported_by="ana", source="monthly return")
    for persona, (username, role, sec) in PEOPLE.items():
        user = create_user(session, username, PASSWORD, role, secretariat=sec,
                           display_name=persona.replace("_", " ").title())
        gov.users[persona] = user.id
    session.flush()
    gov.goals = {name: g.id for name, g in goals.items()}
    gov.pacts = {"life": life.id, "education": education.id}
    gov.commitments = {name: c.id for name, c in commitments.items()}
    gov.secretariats = {code: s.id for code, s in secs.items()}
    return gov
