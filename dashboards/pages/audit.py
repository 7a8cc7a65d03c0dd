"""The audit trail, for administrators and analysts: who changed what, when (in the site's time
zone), the object by its name and a before/after table of the fields that changed; filtered by
kind of object, person, dates and object id. Read-only: nothing here can change the trail."""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.development.base_component import Component

from dashboards.context import current_viewer, read_session
from dashboards.i18n import date_picker_format, date_picker_week_start, page_title
from delivery.access import AccessDenied
from delivery.audit_queries import OBJECT_TYPES, Cursor, audit_actors, audit_page, day_bounds
from delivery.audit_view import ReadableRow, kind_label, people, readable
from delivery.dates import parse_day
from delivery.i18n import N_, _, _n, formats
from delivery.vocabulary import Role

dash.register_page(__name__, path="/audit", title=page_title(N_("Audit trail")),
                   name=N_("Audit trail"), access=(Role.ADMIN, Role.ANALYST))

TYPE, OBJECT, ACTOR, DATES, TABLE = ("audit-type", "audit-object", "audit-actor", "audit-dates",
                                     "audit-table")
PAGES, OLDER, NEWER, NEWEST, RANGE = ("audit-pages", "audit-older", "audit-newer",
                                      "audit-newest", "audit-range")
LIMIT = 30  # changes a page: more (their before/after tables) stall the browser for seconds
FIELDS_SHOWN = 8  # a creation lists every field: the first few, and how many more


def changes_table(row: ReadableRow) -> Component | None:
    if not row.changes:
        return None
    head = html.Thead(html.Tr([html.Th(_("Field")), html.Th(_("Before")), html.Th(_("After"))]))
    body = html.Tbody([html.Tr([html.Th(c.field, scope="row", className="fw-normal text-muted"),
                                html.Td(c.before, className="audit-before"),
                                html.Td(c.after, className="audit-after")])
                       for c in row.changes[:FIELDS_SHOWN]])
    more = len(row.changes) - FIELDS_SHOWN
    return html.Div([
        html.Table([head, body], className="table table-sm audit-changes mb-0"),
        html.Div(_n("and {n} more field", "and {n} more fields", more).format(n=more),
                 className="small text-muted") if more > 0 else None])


def entry(row: ReadableRow) -> html.Li:
    return html.Li([
        html.Div([html.Span(row.when, className="audit-when me-2"),
                  html.Span(row.who, className="fw-semibold me-2 audit-who"),
                  html.Span(row.action, className="me-1"),
                  html.Span(row.kind, className="badge text-bg-light border me-1 audit-kind"),
                  html.Span(row.name, className="audit-object")], className="mb-1"),
        changes_table(row),
    ], className="list-group-item audit-entry")


def shown_range(page: int, count: int) -> str:
    """Which changes the page shows: 1 to 30, 31 to 60..."""
    if not count:
        return ""
    first = page * LIMIT + 1
    return _("Changes {first} to {last}, newest first").format(
        first=formats.number(first, decimals=0),
        last=formats.number(first + count - 1, decimals=0))


def pager() -> html.Nav:
    """Newest / newer / older (enabled by the callback that shows a page)."""
    def button(label: str, ident: str, primary: bool = False) -> dbc.Button:
        return dbc.Button(label, id=ident, size="sm", color="primary" if primary else "secondary",
                          outline=True, disabled=True)
    return html.Nav([
        button(_("Newest"), NEWEST), button(_("← Newer"), NEWER),
        html.Span(id=RANGE, className="small text-muted audit-range", **{"aria-live": "polite"}),
        button(_("Older →"), OLDER, primary=True),
    ], className="d-flex gap-2 align-items-center flex-wrap my-2 audit-pager",
        **{"aria-label": _("Pages of the audit trail")})


def trail_list(rows: list[ReadableRow]) -> Component:
    if not rows:
        return html.P(_("No change matches these filters."), className="text-muted")
    return html.Ul([entry(r) for r in rows], className="list-group audit-list")


def layout(**_query: str) -> html.Div:
    with read_session() as session:
        usernames = audit_actors(session, current_viewer())
        names = people(session, usernames)
    kinds = sorted(({"label": kind_label(t), "value": t} for t in OBJECT_TYPES),
                   key=lambda o: o["label"])
    actors = [{"label": names.get(u, u), "value": u} for u in usernames]

    def labelled(label: str, control: Component, for_id: str) -> html.Div:
        return html.Div([html.Label(label, htmlFor=for_id, className="form-label small mb-1"),
                         control], className="audit-filter")
    filters = html.Div([
        labelled(_("Kind of object"), dcc.Dropdown(id=TYPE, options=kinds,
                                                   placeholder=_("Any kind of object")), TYPE),
        labelled(_("Person"), dcc.Dropdown(id=ACTOR, options=actors, placeholder=_("Anyone")),
                 ACTOR),
        labelled(_("From / to"), dcc.DatePickerRange(
            id=DATES, display_format=date_picker_format(), clearable=True,
            first_day_of_week=date_picker_week_start(),
            start_date_placeholder_text=_("From"), end_date_placeholder_text=_("To")), DATES),
        labelled(_("Object id"), dcc.Input(id=OBJECT, placeholder=_("Object id (figures: goal "
                                                                    "id)"), debounce=True,
                                           className="form-control"), OBJECT),
    ], className="d-flex gap-2 mb-3 flex-wrap align-items-end audit-filters")
    zone = formats.time_zone()
    return html.Div([html.H1(_("Audit trail"), className="h3 mb-0"),
                     html.P(_("Times in {zone}.").format(zone=zone.replace("_", " ")),
                            className="text-muted small"),
                     filters, dcc.Store(id=PAGES, data={"stack": [None], "next": None}),
                     html.Div(id=TABLE, className="audit-results"), pager()])


def _day(value: Any) -> date | None:
    try:
        return parse_day(value[:10]) if isinstance(value, str) and value else None
    except ValueError:
        return None


@callback(Output(TABLE, "children"), Output(PAGES, "data"), Output(RANGE, "children"),
          Output(NEWEST, "disabled"), Output(NEWER, "disabled"), Output(OLDER, "disabled"),
          Input(TYPE, "value"),
          Input(OBJECT, "value"), Input(ACTOR, "value"), Input(DATES, "start_date"),
          Input(DATES, "end_date"), Input(OLDER, "n_clicks"), Input(NEWER, "n_clicks"),
          Input(NEWEST, "n_clicks"), State(PAGES, "data"))
def show_trail(object_type: Any, object_id: Any, actor: Any, since: Any, until: Any,
               _older: Any, _newer: Any, _newest: Any, pages: Any) -> Any:
    """One page of the trail. ``pages``: {"stack": the cursor each page read so far starts
    after (None: the newest), the last the page shown; "next": the cursor of the page after
    it}. A filter changed starts again from the newest."""
    def text(value: Any) -> str | None:
        return value if isinstance(value, str) and value else None

    pages = pages if isinstance(pages, dict) else {}
    kept = pages.get("stack") if isinstance(pages.get("stack"), list) else []
    stack: list[str | None] = [None, *[c for c in kept[1:10_000] if isinstance(c, str)]]
    trigger = ctx.triggered_id
    if trigger == OLDER and isinstance(pages.get("next"), str):
        stack.append(pages["next"])
    elif trigger == NEWER:
        stack = stack[:-1] or [None]
    elif trigger != OLDER:  # a filter, the first load, or "newest"
        stack = [None]
    start, end = day_bounds(_day(since), _day(until), formats.time_zone())
    try:
        with read_session() as session:
            rows, after = audit_page(session, current_viewer(), object_type=text(object_type),
                                     object_id=text(object_id), actor=text(actor),
                                     start=start, end=end, limit=LIMIT,
                                     after=Cursor.parse(stack[-1]))
            shown = readable(session, rows)
    except AccessDenied as exc:
        return (html.P(str(exc), className="text-danger"), {"stack": [None], "next": None}, "",
                True, True, True)
    page = len(stack) - 1
    return (trail_list(shown), {"stack": stack, "next": after.text() if after else None},
            shown_range(page, len(shown)), page == 0, page == 0, after is None)
