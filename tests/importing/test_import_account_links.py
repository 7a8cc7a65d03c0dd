"""Goal-account links from a file: shares checked one by one and per account, unknown goals
and accounts named by file row, the same file again changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from delivery.importing import RowError, import_file
from delivery.models import AuditEntry, BudgetAccount, GoalAccountLink
from tests.factories import make_goal

FRACTION = """\
kind: account_links
link: {account: "{conta}", fiscal_year: "{ano}", goal: "{meta}"}
share: share
"""
PERCENT = """\
kind: account_links
link: {account: "{conta}", fiscal_year: "{ano}", goal: "{meta}"}
share: {column: share, as: percent}
"""
HEADER = "conta,ano,meta,share\n"


@pytest.fixture
def accounts(db):
    for code in ("A1", "A2"):
        db.add(BudgetAccount(code=code, name=code, fiscal_year=2024, appropriated=100))
    make_goal(db, code="G1")
    make_goal(db, code="G2")
    db.flush()


def links(db) -> dict[tuple[str, str], float]:
    rows = db.execute(select(BudgetAccount.code, GoalAccountLink.goal_id, GoalAccountLink.share)
                      .join(GoalAccountLink.account))
    from delivery.models import Goal

    code = dict(db.execute(select(Goal.id, Goal.code)).all())
    return {(account, code[goal]): share for account, goal, share in rows}


BAD = [
    ("share-over-one", FRACTION, "A1,2024,G1,1.5\n",
     [(2, "share", "1.5 is not a share: more than 0 and at most 1 (write 0.25 for a quarter, "
                   "or set share.as: percent)")]),
    ("share-zero", FRACTION, "A1,2024,G1,0\n",
     [(2, "share", "0 is not a share: more than 0 and at most 1 (write 0.25 for a quarter, "
                   "or set share.as: percent)")]),
    ("percent-over-100", PERCENT, "A1,2024,G1,150%\n",
     [(2, "share", "150% is not a share: more than 0 and at most 100 (percent)")]),
    ("share-not-a-number", FRACTION, "A1,2024,G1,half\n", [(2, "share", "'half' is not a number")]),
    ("share-nan", FRACTION, "A1,2024,G1,NaN\n", [(2, "share", "'NaN' is not a number")]),
    ("unknown-goal", FRACTION, "A1,2024,NOPE,0.5\n", [(2, "meta", "no goal NOPE")]),
    ("unknown-account", FRACTION, "ZZ,2024,G1,0.5\n",
     [(2, "conta", "no budget account ZZ of 2024; import the accounts first")]),
    ("account-of-another-year", FRACTION, "A1,2023,G1,0.5\n",
     [(2, "conta", "no budget account A1 of 2023; import the accounts first")]),
    ("sum-over-one", FRACTION, "A1,2024,G1,0.7\nA1,2024,G2,0.6\nA2,2024,G1,0.5\n",
     [(2, "share", "the shares of account A1 add up to 1.3 (rows 2, 3): at most 1"),
      (3, "share", "the shares of account A1 add up to 1.3 (rows 2, 3): at most 1")]),
]


@pytest.mark.parametrize(("mapping", "body", "expected"), [c[1:] for c in BAD],
                         ids=[c[0] for c in BAD])
def test_a_bad_link_is_named_by_its_file_row(db, write, accounts, mapping, body, expected):
    report = import_file(db, write("links.csv", HEADER + body), write("m.yaml", mapping),
                         actor="analyst")

    assert report.errors == [RowError("links.csv", r, c, m) for r, c, m in expected]


def test_good_links_are_stored_with_their_share_as_a_fraction(db, write, accounts):
    body = "A1,2024,G1,25%\nA1,2024,G2,75\nA2,2024,G1,100\n"
    report = import_file(db, write("links.csv", HEADER + body), write("m.yaml", PERCENT),
                         actor="analyst")

    assert report.ok and report.links_created == 3
    assert links(db) == {("A1", "G1"): 0.25, ("A1", "G2"): 0.75, ("A2", "G1"): 1.0}


def test_shares_already_stored_for_other_goals_count_in_the_sum(db, write, accounts):
    mapping = write("m.yaml", FRACTION)
    import_file(db, write("first.csv", HEADER + "A1,2024,G1,0.6\n"), mapping, actor="analyst")

    report = import_file(db, write("second.csv", HEADER + "A1,2024,G2,0.5\n"), mapping,
                         actor="analyst")

    assert [str(e) for e in report.errors] == [
        "second.csv:2 share: the shares of account A1 add up to 1.1 (rows 2, and 0.6 already "
        "linked to other goals): at most 1"]


def test_the_same_links_again_change_nothing_and_a_new_share_is_an_audited_update(
        db, write, accounts):
    mapping = write("m.yaml", FRACTION)
    import_file(db, write("l.csv", HEADER + "A1,2024,G1,0.5\n"), mapping, actor="analyst")

    again = import_file(db, write("l.csv", HEADER + "A1,2024,G1,0.5\n"), mapping,
                        actor="analyst")
    changed = import_file(db, write("l2.csv", HEADER + "A1,2024,G1,0.4\n"), mapping,
                          actor="finance")

    assert (again.changed, again.links_unchanged) == (0, 1)
    assert changed.links_updated == 1 and links(db) == {("A1", "G1"): 0.4}
    entry = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "GoalAccountLink",
                                                AuditEntry.action == "update")).one()
    assert (entry.actor, entry.before, entry.after) == ("finance", {"share": 0.5},
                                                        {"share": 0.4})
