"""The audit trail, for administrators and analysts: who changed what, when, before and after,
filtered by type of object, object and person. Read-only: nothing here can change the trail."""

from __future__ import annotations

import json
from typing import Any

import dash
from dash import Input, Output, callback, dcc, html
from dash.development.base_component import Component

from dashboards.context import current_viewer, read_session
from delivery.access import AccessDenied
from delivery.audit_queries import OBJECT_TYPES, AuditRow, audit_actors, audit_trail
from delivery.i18n import N_, _
from delivery.vocabulary import Role

dash.register_page(__name__, path="/audit", title="Audit trail · Delivery Tracker",
                   name=N_("Audit trail"), access=(Role.ADMIN, Role.ANALYST))

TYPE, OBJECT, ACTOR, TABLE = "audit-type", "audit-object", "audit-actor", "audit-table"
LIMIT = 100


def _values(values: dict[str, Any] | None) -> str:
    return "" if values is None else json.dumps(values, ensure_ascii=False, default=str)


def trail_table(rows: list[AuditRow]) -> Component:
    if not rows:
        return html.P(_("No change matches these filters."), className="text-muted")
    head = html.Thead(html.Tr([html.Th(t) for t in
                               (_("When (UTC)"), _("Who"), _("Action"), _("Object"),
                                _("Before"), _("After"))]))
    nowrap = {"whiteSpace": "nowrap"}
    values = {"fontSize": "0.75rem", "wordBreak": "break-word", "width": "35%"}
    body = html.Tbody([
        html.Tr([html.Td(f"{r.at:%Y-%m-%d %H:%M:%S}", style=nowrap),
                 html.Td(r.actor, style=nowrap), html.Td(r.action),
                 html.Td(f"{r.object_type} {r.object_id}", style=nowrap),
                 html.Td(html.Code(_values(r.before)), style=values),
                 html.Td(html.Code(_values(r.after)), style=values)])
        for r in rows
    ])
    note = _("The newest {n} changes; narrow the filters to see older ones.").format(n=LIMIT)
    return html.Div([html.Table([head, body], className="table table-sm audit-table"),
                     html.P(note, className="text-muted small") if len(rows) >= LIMIT else None])


def layout(**_query: str) -> html.Div:
    with read_session() as session:
        actors = audit_actors(session, current_viewer())
    wide = {"width": "18rem"}
    filters = html.Div([
        dcc.Dropdown(id=TYPE, options=OBJECT_TYPES, placeholder=_("Any kind of object"),
                     style=wide),
        dcc.Input(id=OBJECT, placeholder=_("Object id (figures: goal id)"), debounce=True,
                  className="form-control", style=wide),
        dcc.Dropdown(id=ACTOR, options=actors, placeholder=_("Anyone"), style=wide),
    ], className="d-flex gap-2 mb-3 flex-wrap align-items-center")
    return html.Div([html.H1(_("Audit trail"), className="h3"), filters,
                     dcc.Loading(html.Div(id=TABLE))])


@callback(Output(TABLE, "children"), Input(TYPE, "value"), Input(OBJECT, "value"),
          Input(ACTOR, "value"))
def show_trail(object_type: Any, object_id: Any, actor: Any) -> Any:
    def text(value: Any) -> str | None:
        return value if isinstance(value, str) and value else None

    try:
        with read_session() as session:
            rows = audit_trail(session, current_viewer(), object_type=text(object_type),
                               object_id=text(object_id), actor=text(actor), limit=LIMIT)
    except AccessDenied as exc:
        return html.P(str(exc), className="text-danger")
    return trail_table(rows)
