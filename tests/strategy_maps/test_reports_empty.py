from __future__ import annotations

from datetime import date

from delivery.models import BudgetAccount, GoalAccountLink
from strategy_maps.reports import COST_COLUMNS, unit_costs
from tests.factories import make_goal


def test_unit_costs_are_an_empty_table_when_no_goal_is_an_output(db):
    goal = make_goal(db, is_output=False)
    account = BudgetAccount(code="0101", name="Policing", fiscal_year=2022, appropriated=100,
                            committed=80, spent=60)
    db.add(account)
    db.flush()
    db.add(GoalAccountLink(goal_id=goal.id, account_id=account.id, share=1.0))
    db.flush()
    costs = unit_costs(db, date(2022, 12, 31))
    assert costs.empty and list(costs.columns) == COST_COLUMNS
