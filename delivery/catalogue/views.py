"""Saved views: each person's named views of the goal catalogue.

A view is stored as the query string of its link, read back through ``GoalQuery`` first, so what
is stored is only what a view can ask for. Names are the person's own: saving under a name they
already use replaces that view. Nobody reads or deletes another person's views.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery.catalogue.query import GoalQuery
from delivery.i18n import _
from delivery.models import SavedView

MAX_NAME = 80
MAX_VIEWS = 50  # per person


class SavedViewError(ValueError):
    """A view that cannot be saved, with the reason in the reader's language."""


def list_views(session: Session, user_id: int) -> list[tuple[int, str, str]]:
    """The person's views as (id, name, query string), by name."""
    rows = session.execute(select(SavedView.id, SavedView.name, SavedView.query)
                           .where(SavedView.user_id == user_id)
                           .order_by(func.lower(SavedView.name)))
    return [(i, n, q) for i, n, q in rows]


def save_view(session: Session, user_id: int, name: str | None, search: str | None) -> int:
    """Save the view whose link has ``search`` under ``name`` for the person; the id.

    Raises SavedViewError: no name, a name too long, or too many views already.
    """
    name = " ".join(str(name or "").split())
    if not name:
        raise SavedViewError(_("Give the view a name."))
    if len(name) > MAX_NAME:
        raise SavedViewError(_("A view's name has at most {n} characters.").format(n=MAX_NAME))
    query = GoalQuery.from_search(search).search()
    view = session.scalar(select(SavedView).where(SavedView.user_id == user_id,
                                                  SavedView.name == name))
    if view is None:
        count = session.scalar(select(func.count(SavedView.id))
                               .where(SavedView.user_id == user_id))
        if (count or 0) >= MAX_VIEWS:
            raise SavedViewError(_("You have {n} saved views: delete one first.").format(
                n=MAX_VIEWS))
        view = SavedView(user_id=user_id, name=name, query=query)
        session.add(view)
    else:
        view.query = query
    session.flush()
    return view.id


def delete_view(session: Session, user_id: int, view_id: object) -> bool:
    """Delete the person's view ``view_id``; False when they have no such view."""
    if not isinstance(view_id, int) or isinstance(view_id, bool):
        return False
    view = session.get(SavedView, view_id) if 0 < view_id < 2**31 else None
    if view is None or view.user_id != user_id:
        return False
    session.delete(view)
    session.flush()
    return True
