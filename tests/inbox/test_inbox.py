"""What waits for whom on a date, and that done things leave."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from delivery.access import Viewer, can_see_commitment
from delivery.clock import pin_review_date
from delivery.figures import record_figure
from delivery.i18n import use_locale
from delivery.inbox import SOURCES, InboxItem, inbox, register_source
from delivery.inbox.sources import next_period_end
from delivery.inbox.text import title, when
from delivery.models import Commitment, DataQualityFlag, Goal, User
from delivery.trajectory_versions import approve, propose
from delivery.vocabulary import CommitmentState, FlagState, Frequency, Shape
from tests.personas import build_government, fast_password_hashing  # noqa: F401


@pytest.fixture
def gov(db):
    pin_review_date(db, date(2023, 1, 5))  # December's figures became known then
    db.flush()
    return build_government(db)


def figures(items: list[InboxItem]) -> set[str]:
    return {i.thing for i in items if i.kind == "figure"}


def person(db, gov, persona: str) -> Viewer:
    return Viewer.of(db.get(User, gov.users[persona]))


def things(items: list[InboxItem]) -> set[str]:
    return {i.thing for i in items}


@pytest.mark.parametrize(("last", "frequency", "expected"), [
    (date(2022, 12, 31), Frequency.MONTHLY, date(2023, 1, 31)),
    (date(2023, 1, 31), Frequency.MONTHLY, date(2023, 2, 28)),
    (date(2022, 12, 31), Frequency.QUARTERLY, date(2023, 3, 31)),
    (date(2022, 12, 31), Frequency.YEARLY, date(2023, 12, 31)),
    (date(2023, 1, 1), Frequency.WEEKLY, date(2023, 1, 8)),
], ids=["month", "february", "quarter", "year", "week"])
def test_the_next_period_follows_the_goals_frequency(last, frequency, expected):
    assert next_period_end(last, frequency) == expected


def test_a_secretariat_sees_its_own_goals_figures_due_and_overdue(db, gov):
    # December 2022 is in; January's figure is due 31 days after 31 Jan: 3 Mar 2023
    sonia = person(db, gov, "secretariat")
    hom, arm = gov.goals["homicides"], gov.goals["firearms"]
    assert figures(inbox(db, sonia, date(2023, 2, 20))) == set()  # more than a week ahead
    soon = inbox(db, sonia, date(2023, 2, 28))
    assert figures(soon) == {f"figure:{hom}:2023-01-31", f"figure:{arm}:2023-01-31"}
    assert {i.days_late for i in soon if i.kind == "figure"} == {-3}
    late = inbox(db, sonia, date(2023, 3, 10))
    assert {i.days_late for i in late if i.kind == "figure"} == {7}
    assert all(i.href.startswith("/report?goal=SDS-") for i in late if i.kind == "figure")
    # SJDH's prison goal is in Sónia's pact but not hers to report; Edu's goals are not hers
    assert figures(late) == {f"figure:{hom}:2023-01-31", f"figure:{arm}:2023-01-31"}


def test_a_reported_figure_leaves_the_inbox_and_the_next_period_comes_when_due(db, gov):
    sonia = person(db, gov, "secretariat")
    goal = db.get(Goal, gov.goals["homicides"])
    record_figure(db, goal, date(2023, 1, 1), date(2023, 1, 31), 88.0, reported_by="sonia",
                  known_on=date(2023, 3, 5))
    items = inbox(db, sonia, date(2023, 3, 10))
    assert f"figure:{goal.id}:2023-01-31" not in things(items)
    assert f"figure:{gov.goals['firearms']}:2023-01-31" in things(items)
    # as known before the figure came, it was still waiting
    assert f"figure:{goal.id}:2023-01-31" in things(inbox(db, sonia, date(2023, 3, 4)))


def test_commitments_owned_by_the_secretariat_or_by_an_account(db, gov):
    sonia, edu = person(db, gov, "secretariat"), person(db, gov, "other_secretariat")
    sds = f"commitment:{gov.commitments['sds']}"
    assert sds in things(inbox(db, sonia, date(2023, 1, 26)))  # due 1 Feb: within a week
    assert sds not in things(inbox(db, sonia, date(2023, 1, 20)))
    assert sds not in things(inbox(db, edu, date(2023, 1, 26)))
    # given to Edu's account by name, it is Edu's, not every SDS user's
    db.get(Commitment, gov.commitments["sds"]).owner_user_id = edu.user_id
    db.flush()
    assert sds in things(inbox(db, edu, date(2023, 2, 3)))
    assert sds not in things(inbox(db, sonia, date(2023, 2, 3)))
    [item] = [i for i in inbox(db, edu, date(2023, 2, 3)) if i.thing == sds]
    assert item.is_overdue and item.days_late == 2


def test_a_commitment_links_to_its_own_page_when_the_owner_may_open_it(db, gov):
    sonia, edu = person(db, gov, "secretariat"), person(db, gov, "other_secretariat")
    number = gov.commitments["sds"]
    [item] = [i for i in inbox(db, sonia, date(2023, 1, 26)) if i.kind == "commitment"]
    assert item.href == f"/commitment/{number}"
    assert can_see_commitment(db, sonia, number)
    # named owner of another secretariat's commitment, Edu may not open its page: the line
    # says what waits, with no link that would refuse him
    db.get(Commitment, number).owner_user_id = edu.user_id
    db.flush()
    assert not can_see_commitment(db, edu, number)
    [item] = [i for i in inbox(db, edu, date(2023, 1, 26)) if i.thing == f"commitment:{number}"]
    assert item.href == ""


def test_a_closed_commitment_leaves_from_the_day_it_was_closed(db, gov):
    sonia = person(db, gov, "secretariat")
    commitment = db.get(Commitment, gov.commitments["sds"])
    commitment.state, commitment.closed_on = CommitmentState.DONE, date(2023, 2, 5)
    db.flush()
    sds = f"commitment:{commitment.id}"
    assert sds in things(inbox(db, sonia, date(2023, 2, 4)))
    assert sds not in things(inbox(db, sonia, date(2023, 2, 5)))


def test_a_proposal_waits_for_an_editor_other_than_its_proposer_until_decided(db, gov):
    ana, root = person(db, gov, "analyst"), person(db, gov, "admin")
    goal = db.get(Goal, gov.goals["literacy"])
    version = propose(db, goal, Shape.LINEAR, [(date(2022, 1, 31), 100.0),
                                               (date(2023, 12, 31), 60.0)],
                      proposed_by="ana", rationale="faster", based_on=1,
                      at=datetime(2023, 1, 10, 9, tzinfo=UTC), restates_past=True)
    thing = f"proposal:{version.id}"
    assert thing in things(inbox(db, root, date(2023, 1, 13)))
    assert thing not in things(inbox(db, ana, date(2023, 1, 13)))  # her own
    assert thing not in things(inbox(db, person(db, gov, "governor"), date(2023, 1, 13)))
    assert thing not in things(inbox(db, root, date(2023, 1, 9)))  # not proposed yet
    [item] = [i for i in inbox(db, root, date(2023, 1, 13)) if i.thing == thing]
    assert item.days_late == 3 and item.href == "/goal/SEE-ALFA"
    approve(db, version, approved_by="root", at=datetime(2023, 1, 14, 9, tzinfo=UTC))
    assert thing not in things(inbox(db, root, date(2023, 1, 15)))
    assert thing in things(inbox(db, root, date(2023, 1, 13)))  # as it stood then


def test_open_flags_are_answered_by_the_unit_and_the_goals_secretariat(db, gov):
    hom = gov.goals["homicides"]
    flags = [DataQualityFlag(goal_id=hom, kind="outlier", reason="a jump",
                             raised_at=datetime(2023, 1, 5, tzinfo=UTC)) for _ in range(2)]
    db.add_all(flags)
    db.flush()
    day = date(2023, 1, 20)
    [mine] = [i for i in inbox(db, person(db, gov, "secretariat"), day) if i.kind == "flags"]
    assert mine.count == 2 and mine.href == "/goal/SDS-HOM"
    [unit] = [i for i in inbox(db, person(db, gov, "analyst"), day) if i.kind == "flags"]
    assert unit.href == "/workspace/quality?goal=SDS-HOM"
    assert not [i for i in inbox(db, person(db, gov, "other_secretariat"), day)
                if i.kind == "flags"]
    for flag in flags:
        flag.state, flag.resolved_at = FlagState.DISMISSED, datetime(2023, 1, 21, tzinfo=UTC)
    db.flush()
    assert not [i for i in inbox(db, person(db, gov, "analyst"), date(2023, 1, 22))
                if i.kind == "flags"]


def test_the_inbox_is_by_date_and_a_new_source_joins_it(db, gov):
    sonia = person(db, gov, "secretariat")

    def milestones(_session, viewer, as_of):
        return [InboxItem(kind="milestone", thing="milestone:1", due_on=date(2023, 1, 1),
                          as_of=as_of, href="/plans/1", subject="Tender signed")]

    register_source(milestones)
    try:
        items = inbox(db, sonia, date(2023, 3, 10))
        assert items[0].thing == "milestone:1"
        assert [i.due_on for i in items] == sorted(i.due_on for i in items)
    finally:
        SOURCES.remove(milestones)


def test_the_words_of_an_item_are_in_the_readers_language(db, gov):
    sonia = person(db, gov, "secretariat")
    [item, *_] = [i for i in inbox(db, sonia, date(2023, 3, 10)) if i.kind == "figure"]
    with use_locale("en"):
        assert "January 2023" in title(item) and when(item).startswith("7 days overdue")
    with use_locale("pt_BR"):
        assert "janeiro de 2023" in title(item) and "atraso" in when(item)
