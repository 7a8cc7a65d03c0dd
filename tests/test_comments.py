"""Comments on goals: whoever sees the goal and is signed in comments; an edit is a new comment
and the earlier text stays readable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from delivery.access import ANONYMOUS, AccessDenied, Viewer
from delivery.comments import MAX_LENGTH, add_comment, comments_for_goal, edit_comment
from delivery.models import AuditEntry, GoalComment, User
from tests.personas import build_government, fast_password_hashing  # noqa: F401
from tests.races import while_first_is_open

MORNING, NOON = datetime(2023, 1, 16, 9, tzinfo=UTC), datetime(2023, 1, 16, 12, tzinfo=UTC)


@pytest.fixture
def gov(db):
    return build_government(db)


def person(session, gov, persona):
    return Viewer.of(session.get(User, gov.users[persona]))


@pytest.mark.parametrize("persona", ["analyst", "governor", "admin", "secretariat"])
def test_whoever_sees_the_goal_comments_on_it(db, gov, persona):
    who = person(db, gov, persona)
    comment = add_comment(db, who, gov.goals["homicides"], "  Figures due Friday.  ")
    assert comment.author == who.username and comment.body == "Figures due Friday."
    assert [t.current.id for t in comments_for_goal(db, who, gov.goals["homicides"])] == [
        comment.id]


@pytest.mark.parametrize("viewer", ["other_secretariat", "anonymous"])
def test_nobody_comments_on_a_goal_they_do_not_see_and_anonymous_never(db, gov, viewer):
    who = ANONYMOUS if viewer == "anonymous" else person(db, gov, viewer)
    goal = gov.goals["homicides"]  # public: anonymous sees it, and still may not comment
    with pytest.raises(AccessDenied):
        add_comment(db, who, goal, "hello")
    add_comment(db, person(db, gov, "analyst"), goal, "hello")
    assert comments_for_goal(db, who, goal) == []


@pytest.mark.parametrize(("body", "reason"), [
    ("", "write something"), ("   \n ", "write something"), (None, "write something"),
    ("x" * (MAX_LENGTH + 1), "at most 4,000"),
], ids=["empty", "blank", "none", "too-long"])
def test_a_blank_or_overlong_comment_is_refused_with_the_reason(db, gov, body, reason):
    with pytest.raises(ValueError, match=f"comment: .*{reason}"):
        add_comment(db, person(db, gov, "analyst"), gov.goals["homicides"], body)
    assert db.scalar(select(func.count(GoalComment.id))) == 0


def test_an_edit_is_a_new_comment_and_the_earlier_text_stays(db, gov):
    ana, goal = person(db, gov, "analyst"), gov.goals["homicides"]
    first = add_comment(db, ana, goal, "Figures due Friday.", at=MORNING)
    other = add_comment(db, person(db, gov, "governor"), goal, "Why late?", at=NOON)
    edited = edit_comment(db, ana, first.id, "Figures due Monday.", at=NOON)
    assert edited.id != first.id and edited.replaces_id == first.id
    assert db.get(GoalComment, first.id).body == "Figures due Friday."
    threads = comments_for_goal(db, ana, goal)
    assert [t.current.id for t in threads] == [other.id, edited.id]  # newest posted first
    assert threads[1].edited and [c.body for c in threads[1].earlier] == ["Figures due Friday."]
    assert threads[1].posted_at.replace(tzinfo=None) == MORNING.replace(tzinfo=None)


def test_only_the_author_edits_and_only_the_latest_text(db, gov):
    ana, goal = person(db, gov, "analyst"), gov.goals["homicides"]
    first = add_comment(db, ana, goal, "one")
    with pytest.raises(AccessDenied):
        edit_comment(db, person(db, gov, "admin"), first.id, "two")
    edit_comment(db, ana, first.id, "two")
    with pytest.raises(ValueError, match="ana edited it at .*reload"):
        edit_comment(db, ana, first.id, "three")
    with pytest.raises(AccessDenied):
        edit_comment(db, ana, "1", "three")


def test_an_edit_from_a_goal_screen_is_refused_for_a_comment_on_another_goal(db, gov):
    ana, goal = person(db, gov, "analyst"), gov.goals["homicides"]
    elsewhere = next(g for g in gov.goals.values() if g != goal)
    first = add_comment(db, ana, goal, "one")
    with pytest.raises(AccessDenied):
        edit_comment(db, ana, first.id, "two", goal_id=elsewhere)
    assert db.scalar(select(func.count(GoalComment.id))) == 1
    assert edit_comment(db, ana, first.id, "two", goal_id=goal).replaces_id == first.id


def test_a_comment_edited_in_two_windows_at_once_keeps_one_replacement(session_factory):
    with session_factory() as setup, setup.begin():
        gov = build_government(setup)
        comment_id = add_comment(setup, person(setup, gov, "analyst"), gov.goals["homicides"],
                                 "Figures due Friday.").id

    def edit(text):
        return lambda s: edit_comment(s, person(s, gov, "analyst"), comment_id, text).id

    kept, told, waited = while_first_is_open(session_factory, edit("Figures due Monday."),
                                             edit("Figures due Tuesday."))
    assert waited  # the second edit really met the first one's uncommitted replacement
    assert isinstance(told, ValueError)
    assert 'ana edited it at' in str(told) and '"Figures due Monday."' in str(told)
    with session_factory() as check:
        replacements = check.scalars(select(GoalComment).where(
            GoalComment.replaces_id == comment_id)).all()
        audited = check.scalars(select(AuditEntry.actor).where(
            AuditEntry.object_type == "GoalComment", AuditEntry.action == "create")).all()
    assert [(c.id, c.body) for c in replacements] == [(kept, "Figures due Monday.")]
    assert audited == ["ana", "ana"]  # the first text and the one replacement
