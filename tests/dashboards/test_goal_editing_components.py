"""The builders behind proposals, comments and figure entry, without a browser."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from dashboards.components.goal_editing import (
    comments_list,
    decided_note,
    proposal_panel,
    recent_table,
)
from delivery.comments import CommentThread
from delivery.models import GoalComment, Trajectory, TrajectoryPoint
from delivery.proposals import Proposal, compare
from delivery.vocabulary import Shape

AT = datetime(2023, 1, 16, 9, 30, tzinfo=UTC)


def version(n, points, **extra):
    return Trajectory(version=n, shape=Shape.LINEAR, proposed_by="ana", rationale="why",
                      created_at=AT, points=[TrajectoryPoint(on=d, value=v) for d, v in points],
                      **extra)


def text(component) -> str:
    if isinstance(component, str | int | float):
        return str(component)
    children = getattr(component, "children", None)
    if children is None:
        return ""
    if not isinstance(children, list | tuple):
        children = [children]
    return " ".join(text(c) for c in children if c is not None)


def test_the_panel_marks_the_changed_milestones_and_offers_decisions_only_when_allowed():
    current = version(1, [(date(2022, 12, 31), 10.0), (date(2023, 12, 31), 8.0)])
    proposed = version(2, [(date(2022, 12, 31), 10.0), (date(2023, 12, 31), 7.0)])
    p = Proposal(proposed, current, compare(proposed, current))
    assert list(p.comparison["change"]) == [0.0, -1.0]
    allowed = proposal_panel(p, prefix="x", can_decide=True, why_not="no")
    assert "Approve version 2" in text(allowed) and "proposed by ana" in text(allowed)
    refused = proposal_panel(p, prefix="x", can_decide=False, why_not="You proposed this")
    assert "Approve" not in text(refused) and "You proposed this" in text(refused)
    assert "No trajectory change" in text(proposal_panel(None, prefix="x", can_decide=True,
                                                          why_not=""))


def test_an_edited_comment_says_so_and_keeps_its_earlier_text_reachable():
    first = GoalComment(id=1, author="gil", body="old words", created_at=AT)
    later = GoalComment(id=2, author="gil", body="new words", created_at=AT, replaces_id=1)
    shown = text(comments_list([CommentThread(later, [first])]))
    assert "new words" in shown and "edited" in shown and "old words" in shown
    assert "No comments yet" in text(comments_list([]))


def edit_buttons(component) -> list:
    """The ids of the Edit buttons under ``component``."""
    found = [component.id] if getattr(component, "children", None) == "Edit" else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        found += edit_buttons(child) if child is not None else []
    return found


def test_only_the_viewers_own_comments_have_an_edit_button_on_their_latest_text():
    first = GoalComment(id=1, author="ana", body="old words", created_at=AT)
    later = GoalComment(id=2, author="ana", body="new words", created_at=AT, replaces_id=1)
    theirs = GoalComment(id=3, author="governor", body="why?", created_at=AT)
    threads = [CommentThread(theirs, []), CommentThread(later, [first])]
    assert edit_buttons(comments_list(threads, prefix="c", editable_by="ana")) == [
        {"type": "c-edit", "index": 2}]
    assert edit_buttons(comments_list(threads, prefix="c", editable_by="sds")) == []
    assert edit_buttons(comments_list(threads)) == []  # no prefix: read only


@pytest.mark.parametrize(("decided", "shown"), [
    ("v2", "Rejected: the 2023 line is too soft · version 2, by admin"),
    ("v3", "Approved, since replaced by version 4"),
    ("v4", "Approved — now in force · version 4, by admin"),
    ("v5", None), ("v9", None), ("2", None), (None, None), ("vx", None),
], ids=["rejected", "approved-since-replaced", "approved", "pending", "unknown",
        "no-v", "absent", "not-a-number"])
def test_after_a_decision_the_page_says_what_became_of_the_version(decided, shown):
    decided_at = {"approved_by": "admin", "approved_at": AT}
    versions = [version(1, [], **decided_at),
                version(2, [], rejected_by="admin", rejected_at=AT,
                        rejection_reason="the 2023 line is too soft"),
                version(3, [], **decided_at), version(4, [], **decided_at), version(5, [])]
    note = decided_note(versions, decided)
    if shown is None:
        assert note is None
    else:
        assert shown in " ".join(text(note).split())


def test_recent_figures_show_revision_and_provisional():
    frame = pd.DataFrame([{"period_start": date(2022, 1, 1), "period_end": date(2022, 12, 31),
                           "value": 12.1, "is_provisional": True, "revision": 2,
                           "reported_by": "ana", "known_on": AT.date()}])
    shown = text(recent_table(frame, "%"))
    assert "31 Dec 2022" in shown and "r2" in shown and "provisional" in shown
