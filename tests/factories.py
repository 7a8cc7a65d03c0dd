"""Small builders for test data: a goal with the least that makes it valid."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy.orm import Session

from delivery.models import Goal, Objective, Pillar, Secretariat
from delivery.vocabulary import Direction, Frequency

_seq = count(1)


def make_goal(session: Session, **overrides) -> Goal:  # type: ignore[no-untyped-def]
    n = next(_seq)
    pillar = Pillar(code=f"P{n}", name=f"Pillar {n}")
    objective = Objective(code=f"O{n}", name=f"Objective {n}", pillar=pillar)
    owner = Secretariat(code=f"S{n}", name=f"Secretariat {n}")
    values = dict(
        code=f"G{n}", name=f"Goal {n}", objective=objective, owner=owner,
        indicator="Homicides", unit="deaths", direction=Direction.DOWN,
        frequency=Frequency.MONTHLY, baseline_value=100.0, baseline_date=date(2020, 1, 31),
        target_value=70.0, target_date=date(2022, 12, 31),
    )
    values.update(overrides)
    goal = Goal(**values)
    session.add(goal)
    session.flush()
    return goal
