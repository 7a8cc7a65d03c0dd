"""Approve / Reject of a trajectory proposal, for the callbacks of every page that shows the
buttons (the goal page and the workspace): one decision path, checked again in the domain."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import ctx

from dashboards.components.goal_editing import decision_alert
from dashboards.context import current_viewer, write_session
from delivery.access import AccessDenied
from delivery.i18n import _
from delivery.proposals import decide


def decide_from_buttons(ids: dict[str, str], trajectory_id: Any,
                        reason: Any) -> tuple[int | None, Any]:
    """Run the decision of the button that was clicked: (the version decided, or None when
    refused; the message to show)."""
    action = "approve" if ctx.triggered_id == ids["approve"] else "reject"
    try:
        with write_session() as session:
            version = decide(session, current_viewer(), trajectory_id, action,
                             reason if isinstance(reason, str) else "").version
    except (AccessDenied, ValueError) as error:
        return None, dbc.Alert(_("Not done: {error}").format(error=error), color="danger",
                               className="py-2")
    return version, decision_alert(version, action)
