"""Comments on a goal. Nothing is overwritten: an edit is a new comment that replaces the earlier
one, which stays readable as the comment's history.

Whoever is signed in and sees the goal may comment (``delivery.access.can_comment``); only the
author edits a comment, and only its latest text: of two edits of the same text saved at once
(two windows), one is kept and the other is refused naming it (a unique ``replaces_id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from delivery.access import Viewer, can_comment, is_row_id, require
from delivery.audit import record_created
from delivery.clock import stamp_now
from delivery.edits import NOT_YOURS
from delivery.i18n import _, formats
from delivery.models import GoalComment

MAX_LENGTH = 4000


@dataclass(frozen=True)
class CommentThread:
    """A comment as it reads now, with the texts it replaced, newest first."""

    current: GoalComment
    earlier: list[GoalComment]

    @property
    def posted_at(self) -> datetime:
        return (self.earlier[-1] if self.earlier else self.current).created_at

    @property
    def edited(self) -> bool:
        return bool(self.earlier)


def clean_body(body: object) -> str:
    """The comment's text, trimmed; ValueError naming the field when blank or too long."""
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        raise ValueError(_("comment: write something before posting"))
    if len(text) > MAX_LENGTH:
        raise ValueError(_("comment: {length} characters, at most {most} are kept").format(
            length=formats.number(len(text)), most=formats.number(MAX_LENGTH)))
    return text


def add_comment(session: Session, viewer: Viewer, goal_id: object, body: object, *,
                at: datetime | None = None) -> GoalComment:
    """Post a comment on a goal the viewer sees."""
    require(can_comment(session, viewer, goal_id), NOT_YOURS)
    session.info["actor"] = viewer.username
    comment = GoalComment(goal_id=goal_id, author=viewer.username, body=clean_body(body),
                          created_at=at or stamp_now(session))
    session.add(comment)
    session.flush()
    return comment


def edit_comment(session: Session, viewer: Viewer, comment_id: object, body: object, *,
                 goal_id: object = None, at: datetime | None = None) -> GoalComment:
    """Replace the viewer's own comment with a new text; the old one stays in the history.
    With ``goal_id`` (a screen's goal), a comment on any other goal is refused too."""
    old = session.get(GoalComment, comment_id) if is_row_id(comment_id) else None
    require(old is not None and old.author == viewer.username
            and (goal_id is None or old.goal_id == goal_id)
            and can_comment(session, viewer, old.goal_id), NOT_YOURS)
    assert old is not None
    _refuse_if_replaced(session, old)
    text = clean_body(body)
    if text == old.body:
        raise ValueError(_("comment: the text is unchanged"))
    # Two windows saving at once both pass the check above; the unique ``replaces_id`` lets one
    # insert and makes the other's insert do nothing (no error to roll back): that one is told.
    insert_for = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    new_id = session.scalar(
        insert_for(GoalComment)
        .values(goal_id=old.goal_id, author=old.author, body=text, replaces_id=old.id,
                created_at=at or stamp_now(session))
        .on_conflict_do_nothing(index_elements=[GoalComment.replaces_id])
        .returning(GoalComment.id))
    if new_id is None:
        _refuse_if_replaced(session, old)
    comment = session.get(GoalComment, new_id)
    assert comment is not None
    session.info["actor"] = viewer.username
    record_created(session, comment)
    return comment


def _refuse_if_replaced(session: Session, old: GoalComment) -> None:
    newer = session.scalars(select(GoalComment).where(GoalComment.replaces_id == old.id)).first()
    if newer is not None:
        raise ValueError(_("comment: {who} edited it at {when} (\"{excerpt}\"); your text was "
                           "not saved: reload and edit its latest text").format(
            who=newer.author, when=formats.moment(newer.created_at),
            excerpt=_excerpt(newer.body)))


def _excerpt(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def comments_for_goal(session: Session, viewer: Viewer, goal_id: object) -> list[CommentThread]:
    """The goal's comments as they read now, each with its earlier texts, newest posted first
    (empty for a viewer who may not comment on the goal)."""
    if not can_comment(session, viewer, goal_id):
        return []
    rows = list(session.scalars(select(GoalComment).where(GoalComment.goal_id == goal_id)
                                .order_by(GoalComment.id)))
    replaced = {c.replaces_id: c for c in rows if c.replaces_id is not None}
    threads = []
    for first in (c for c in rows if c.replaces_id is None):
        chain = [first]
        while chain[-1].id in replaced:
            chain.append(replaced[chain[-1].id])
        threads.append(CommentThread(chain[-1], list(reversed(chain[:-1]))))
    return sorted(threads, key=lambda t: (t.posted_at, t.earlier[-1].id if t.earlier
                                          else t.current.id), reverse=True)
