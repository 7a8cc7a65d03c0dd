"""Home: the goal catalogue. Every goal the person may see, searchable, filterable and sortable
in a grid, as of any date; what is shown downloads as CSV or Excel; the view lives in the URL
(a link reopens it) and may be saved under a name. The filtering is
``delivery.catalogue.filter_goals``; the callbacks only carry values to and from it."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboards.auth import SIGNED_IN
from dashboards.components.goals_grid import (
    GRID_ROWS,
    frequency_options,
    grid_columns,
    grid_rows,
    options,
    pact_options,
    phone_list,
    sort_options,
    status_options,
)
from dashboards.components.overview import status_tiles
from dashboards.components.review import parse_as_of
from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import date_picker_format, date_picker_week_start, page_title
from delivery.access import goal_filter
from delivery.catalogue import (
    GoalQuery,
    SavedViewError,
    catalogue_frame,
    delete_view,
    filter_goals,
    list_views,
    save_view,
)
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.status import format_date

# access: every signed-in role; the goals shown are the viewer's (issue 5 scoping)
dash.register_page(__name__, path="/", title=page_title(N_("Goals")), name=N_("Goals"),
                   access=SIGNED_IN, nav_order=0)

AS_OF_PICKER, LOCATION, DAY = "home-as-of", "home-location", "home-day"
SEARCH, LATE, SORT, DESCENDING = "goals-search", "goals-late", "goals-sort", "goals-descending"
FILTERS = {key: f"goals-{key}" for key in
           ("pillar", "objective", "secretariat", "pact", "status", "frequency")}
GRID, TILES, SHOWN, CSV, XLSX, LINK = ("goals-grid", "goals-tiles", "goals-shown", "goals-csv",
                                       "goals-xlsx", "goals-link")
PHONE = "goals-phone"
VIEWS, VIEW_NAME, VIEW_SAVE, VIEW_DELETE, VIEW_RESULT = (
    "goals-views", "goals-view-name", "goals-view-save", "goals-view-delete",
    "goals-view-result")
URL_SYNC = "goals-url-sync"


def layout(as_of: str | None = None, **params: Any) -> html.Div:
    viewer = current_viewer()
    with read_session() as session:
        asked = parse_as_of(as_of)
        day = asked or review_date(session)
        frame = catalogue_frame(session, day, goal_filter(session, viewer))
        views = list_views(session, viewer.user_id) if viewer.user_id else []
    query = GoalQuery.from_params(params)
    shown = filter_goals(frame, query)
    header = html.Div([
        html.Div([
            html.H1(_("Priority goals"), className="h3 mb-0"),
            html.Div(" · ".join([
                _("Status as of {date}").format(date=format_date(day)),
                counted(len(frame), _n("{n} goal", "{n} goals", len(frame))),
                counted(frame["objective"].nunique(),
                        _n("{n} objective", "{n} objectives", frame["objective"].nunique())),
                counted(frame["pillar"].nunique(),
                        _n("{n} pillar", "{n} pillars", frame["pillar"].nunique())),
            ]), className="text-muted"),
        ]),
        html.Div([
            html.Label(_("As of"), htmlFor=AS_OF_PICKER, className="me-2 small text-muted"),
            dcc.DatePickerSingle(id=AS_OF_PICKER, date=day.isoformat(),
                                 display_format=date_picker_format(),
                                 first_day_of_week=date_picker_week_start()),
        ], className="d-flex align-items-center d-print-none"),
    ], className="d-flex justify-content-between align-items-end mb-3 flex-wrap gap-2")
    return html.Div([
        dcc.Location(id=LOCATION, refresh=True), dcc.Store(id=URL_SYNC),
        dcc.Store(id=DAY, data=asked.isoformat() if asked else None),
        header,
        html.Div(status_tiles(shown), id=TILES),
        filter_panel(frame, query, views),
        grid_card(shown, query, day, asked),
    ])


def _dropdown(key: str, label: str, choices: list[dict[str, str]], chosen: tuple[str, ...]) -> Any:
    return dbc.Col([
        html.Label(label, htmlFor=FILTERS[key], className="form-label small mb-1"),
        dcc.Dropdown(id=FILTERS[key], options=choices, value=list(chosen), multi=True,
                     placeholder=_("Any"), className="goals-filter"),
    ], xs=12, sm=6, lg=4, xl=2)


def filter_panel(frame: pd.DataFrame, query: GoalQuery,
                 views: list[tuple[int, str, str]]) -> dbc.Card:
    search = dbc.Col([
        html.Label(_("Search"), htmlFor=SEARCH, className="form-label small mb-1"),
        dbc.Input(id=SEARCH, type="search", value=query.text, debounce=True, maxLength=200,
                  placeholder=_("Code, name, indicator or secretariat")),
    ], xs=12, lg=4)
    sort = dbc.Col([
        html.Label(_("Sort by"), htmlFor=SORT, className="form-label small mb-1"),
        html.Div([
            dcc.Dropdown(id=SORT, options=sort_options(), value=query.sort, clearable=False,
                         className="flex-grow-1"),
            dbc.Checkbox(id=DESCENDING, label=_("descending"), value=query.descending,
                         className="ms-2 text-nowrap"),
        ], className="d-flex align-items-center"),
    ], xs=12, sm=8, lg=5)
    late = dbc.Col(dbc.Checkbox(id=LATE, label=_("Only goals whose figure is late"),
                                value=query.late), xs=12, sm=4, lg=3,
                   className="d-flex align-items-end pb-2")
    filters = [
        _dropdown("pillar", _("Pillar"), options(frame, "pillar_code", "pillar"), query.pillar),
        _dropdown("objective", _("Objective"), options(frame, "objective_code", "objective"),
                  query.objective),
        _dropdown("secretariat", _("Secretariat"), options(frame, "owner_code", "owner"),
                  query.secretariat),
        _dropdown("pact", _("Pact"), pact_options(frame), query.pact),
        _dropdown("status", _("Status"), status_options(), query.status),
        _dropdown("frequency", _("Frequency"), frequency_options(), query.frequency),
    ]
    saved = html.Div([
        html.Label(_("Saved views"), htmlFor=VIEWS, className="form-label small mb-1"),
        html.Div([
            dcc.Dropdown(id=VIEWS, options=view_options(views), placeholder=_("Open a view"),
                         className="flex-grow-1", style={"minWidth": "12rem"}),
            dbc.Button(_("Delete"), id=VIEW_DELETE, color="secondary", outline=True, size="sm"),
            html.Label(_("Name this view"), htmlFor=VIEW_NAME, className="visually-hidden"),
            dbc.Input(id=VIEW_NAME, placeholder=_("Name this view"), maxLength=80,
                      style={"maxWidth": "14rem"}),
            dbc.Button(_("Save view"), id=VIEW_SAVE, color="primary", size="sm"),
        ], className="d-flex flex-wrap gap-2 align-items-center"),
        html.Div(id=VIEW_RESULT, className="small mt-1", role="status"),
    ], className="mt-3 d-print-none")
    return dbc.Card(dbc.CardBody([
        dbc.Row([search, sort, late], className="g-2 mb-2"),
        dbc.Row(filters, className="g-2"),
        saved,
    ]), className="mb-3 border-0 shadow-sm d-print-none goals-filters")


def view_options(views: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    return [{"label": name, "value": view_id} for view_id, name, _query in views]


def grid_card(shown: pd.DataFrame, query: GoalQuery, day: date,
              asked: date | None) -> dbc.Card:
    csv, xlsx = download_links(query, day)
    tools = html.Div([
        html.Span(shown_words(len(shown)), id=SHOWN, className="fw-semibold me-auto grid-count",
                  role="status"),
        html.A(_("Download CSV"), href=csv, id=CSV, className="btn btn-outline-secondary btn-sm"),
        html.A(_("Download Excel"), href=xlsx, id=XLSX,
               className="btn btn-outline-secondary btn-sm"),
        html.A(_("Link to this view"), href="/" + link_search(query, asked), id=LINK,
               className="btn btn-link btn-sm"),
    ], className="d-flex flex-wrap gap-2 align-items-center mb-2 d-print-none")
    grid = dag.AgGrid(
        id=GRID, columnDefs=grid_columns(), rowData=grid_rows(shown),
        defaultColDef={"resizable": True, "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions={"localeText": {"noRowsToShow": _("No goal matches this view.")},
                         "enableCellTextSelection": True, "ensureDomOrder": True,
                         # every column in the page (14): screen readers and axe see whole rows
                         "suppressColumnVirtualisation": True},
        style={"height": "640px", "width": "100%"}, className="ag-theme-quartz goals-grid",
    )
    return dbc.Card(dbc.CardBody([
        tools, html.Div(grid, className="d-none d-md-block"),
        html.Div(phone_list(grid_rows(shown)), id=PHONE, className="d-md-none"),
    ]), className="border-0 shadow-sm goals-card")


def shown_words(n: int) -> str:
    if n > GRID_ROWS:
        return _("The first {shown} of {n} goals; narrow the view, or download them all.").format(
            shown=formats.number(GRID_ROWS, decimals=0), n=formats.number(n, decimals=0))
    return counted(n, _n("{n} goal shown", "{n} goals shown", n))


def link_search(query: GoalQuery, day: date | None) -> str:
    """The search part of a link to this view on ``day`` (kept only when asked for)."""
    pairs = query.params() + ([("as_of", day.isoformat())] if day else [])
    return GoalQuery().search() if not pairs else "?" + urlencode(pairs)


def download_links(query: GoalQuery, day: date) -> tuple[str, str]:
    search = "?" + urlencode(query.params() + [("as_of", day.isoformat())])
    return f"/export/goals.csv{search}", f"/export/goals.xlsx{search}"


def counted(n: int, words: str) -> str:
    """``words`` (a plural form with ``{n}``) with ``n`` in the locale's digits."""
    return words.format(n=formats.number(n, decimals=0))


def query_of(text: str | None, late: bool | None, sort: str | None, descending: bool | None,
             chosen: dict[str, Any]) -> GoalQuery:
    """The query the filter panel's values ask for (values re-read as a URL would be)."""
    params: dict[str, Any] = {k: [str(v) for v in (values or [])] if isinstance(values, list)
                              else [] for k, values in chosen.items()}
    params.update(q=text or "", late="1" if late else "",
                  sort=("-" if descending else "") + (sort or ""))
    return GoalQuery.from_params(params)


@callback(Output(LOCATION, "search"), Input(AS_OF_PICKER, "date"), State(URL_SYNC, "data"),
          prevent_initial_call=True)
def go_to_date(picked: str | None, search: str | None) -> str:
    query = GoalQuery.from_search(search)
    day = parse_as_of(picked[:10]) if picked else None
    return link_search(query, day)


@callback(Output(GRID, "rowData"), Output(PHONE, "children"),
          Output(TILES, "children"), Output(SHOWN, "children"),
          Output(CSV, "href"), Output(XLSX, "href"), Output(LINK, "href"),
          Output(URL_SYNC, "data"),
          Input(SEARCH, "value"), Input(LATE, "value"), Input(SORT, "value"),
          Input(DESCENDING, "value"), *[Input(i, "value") for i in FILTERS.values()],
          State(DAY, "data"), prevent_initial_call=True)
def show(text: Any, late: Any, sort: Any, descending: Any, *rest: Any) -> tuple[Any, ...]:
    *values, day_text = rest
    query = query_of(text if isinstance(text, str) else "", bool(late),
                     sort if isinstance(sort, str) else "", bool(descending),
                     dict(zip(FILTERS, values, strict=True)))
    asked = parse_as_of(day_text)
    with read_session() as session:
        day = asked or review_date(session)
        shown = filter_goals(catalogue_frame(session, day, goal_filter(session,
                                                                       current_viewer())), query)
    csv, xlsx = download_links(query, day)
    search = link_search(query, asked)
    rows = grid_rows(shown)
    return (rows, phone_list(rows), status_tiles(shown), shown_words(len(shown)), csv, xlsx,
            "/" + search, search)


# the address bar follows the view without reloading the page, so it can be copied or bookmarked
clientside_callback(
    "(search) => { if (search !== undefined && search !== null) {"
    " window.history.replaceState(null, '', window.location.pathname + search); }"
    " return window.dash_clientside.no_update; }",
    Output(URL_SYNC, "id"), Input(URL_SYNC, "data"), prevent_initial_call=True)


@callback(Output(VIEWS, "options"), Output(VIEW_RESULT, "children"),
          Input(VIEW_SAVE, "n_clicks"), State(VIEW_NAME, "value"), State(URL_SYNC, "data"),
          State(LINK, "href"), prevent_initial_call=True)
def save(_clicks: Any, name: Any, search: Any, link: Any) -> tuple[Any, ...]:
    viewer = current_viewer()
    if not viewer.user_id:
        return dash.no_update, _("Sign in to save views.")
    current = search if isinstance(search, str) else str(link or "").removeprefix("/")
    try:
        with write_session() as session:
            view_id = save_view(session, viewer.user_id, name if isinstance(name, str) else "",
                                _without_day(current))
            views = list_views(session, viewer.user_id)
    except SavedViewError as error:
        return dash.no_update, html.Span(str(error), className="text-danger")
    saved = next(n for i, n, _q in views if i == view_id)
    return view_options(views), _("Saved as “{name}”.").format(name=saved)


@callback(Output(VIEWS, "options", allow_duplicate=True),
          Output(VIEW_RESULT, "children", allow_duplicate=True),
          Output(VIEWS, "value", allow_duplicate=True),
          Input(VIEW_DELETE, "n_clicks"), State(VIEWS, "value"), prevent_initial_call=True)
def delete(_clicks: Any, view_id: Any) -> tuple[Any, ...]:
    viewer = current_viewer()
    if not viewer.user_id or view_id is None:
        return dash.no_update, _("Choose a saved view to delete."), dash.no_update
    with write_session() as session:
        deleted = delete_view(session, viewer.user_id, view_id)
        views = list_views(session, viewer.user_id)
    message = _("View deleted.") if deleted else _("No such view.")
    return view_options(views), message, None


@callback(Output(LOCATION, "href"), Input(VIEWS, "value"), State(DAY, "data"),
          prevent_initial_call=True)
def open_view(view_id: Any, day_text: Any) -> Any:
    viewer = current_viewer()
    if view_id is None or not viewer.user_id:
        return dash.no_update
    with read_session() as session:
        found = [q for i, _n2, q in list_views(session, viewer.user_id) if i == view_id]
    if not found:
        return dash.no_update
    day = parse_as_of(day_text)
    return "/" + link_search(GoalQuery.from_search(found[0]), day)


def _without_day(search: str) -> str:
    return GoalQuery.from_search(search).search()
