"""What a record's page does when a person acts on it, shared by the pages of one record (a
meeting, a commitment): check again on the server that this person may, run the domain action
in one transaction, say why not when it refuses, and draw the page anew from the database.

A page names its record once (``RecordActions``: the model, who may see it, the class its error
message carries); each callback then says only what it runs and who may run it (a ``check``
that raises ``AccessDenied`` with the words the person reads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dash
from dash import html
from sqlalchemy.orm import Session

from dashboards.context import current_viewer, read_session, write_session
from delivery.access import AccessDenied, Viewer
from delivery.i18n import _

Check = Callable[[Session, Viewer, Any], None]
"""Raises ``AccessDenied`` (with the message shown) unless the viewer may act on the record."""


@dataclass(frozen=True)
class RecordActions:
    """The actions on one kind of record: ``model`` (its table), ``can_see(session, viewer,
    record_id)`` (who may read it, so who gets it drawn anew) and ``error_class`` (the class of a
    refusal's message, which the page's tests and styles look for)."""

    model: type
    can_see: Callable[[Session, Viewer, Any], bool]
    error_class: str

    def act(self, record_id: Any, check: Check,
            action: Callable[[Session, Any, str], Any]) -> str | None:
        """Run ``action(session, record, username)`` in one transaction once ``check`` lets the
        viewer; the refusal's message (the access check's or the domain's own) or None."""
        viewer = current_viewer()
        try:
            with write_session() as session:
                check(session, viewer, record_id)
                action(session, session.get(self.model, record_id), viewer.username)
        except (AccessDenied, ValueError) as error:
            return str(error)
        return None

    def fresh(self, record_id: Any, build: Callable[[Session, Viewer, Any], Any]) -> Any:
        """``build(session, viewer, record)`` read anew, or no change for someone who may no
        longer see the record."""
        viewer = current_viewer()
        with read_session() as session:
            if not self.can_see(session, viewer, record_id):
                return dash.no_update
            return build(session, viewer, session.get(self.model, record_id))

    def failed(self, error: str) -> html.Span:
        return html.Span(_("Not saved: {error}").format(error=error),
                         className=f"text-danger {self.error_class}")

    def act_and_redraw(self, record_id: Any, check: Check,
                       action: Callable[[Session, Any, str], Any],
                       build: Callable[[Session, Viewer, Any], Any]) -> tuple[Any, Any]:
        """For a callback whose outputs are (the page's body, its message): the body drawn
        anew and no message once the action is done; the body left as it is (what was typed
        kept) and the refusal when it is not."""
        error = self.act(record_id, check, action)
        if error:
            return dash.no_update, self.failed(error)
        return self.fresh(record_id, build), dash.no_update


def text(value: Any, *, strip: bool = False) -> str:
    """A typed value as text: what is not a string (nothing typed, a forged value) is ""."""
    if not isinstance(value, str):
        return ""
    return value.strip() if strip else value


def clicked() -> bool:
    """Whether a button was really clicked: a page drawn anew inserts its buttons, and Dash
    then calls their callbacks with no clicks."""
    return bool(dash.ctx.triggered and dash.ctx.triggered[0].get("value"))
