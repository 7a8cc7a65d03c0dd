"""The strategy map: pillars, objectives, goals and pacts, goals coloured by status, filtered by
pillar, lead secretariat or pact; a click on a node opens its page; validation findings below.

Access: the whole-government roles (the default). The map shows every secretariat's goals and
the links between them, which a secretariat may not see all of.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import networkx as nx
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboards.components.map_elements import (
    MapFilter,
    filter_options,
    map_elements,
    map_rows,
    stylesheet,
)
from dashboards.components.status import status_badge, status_counts_line
from dashboards.context import read_session
from dashboards.i18n import page_title
from delivery.clock import review_date
from delivery.i18n import N_, _, _n, formats
from delivery.status import format_date
from delivery.vocabulary import Status
from strategy_maps.index import MapIndex
from strategy_maps.loader import build_graph
from strategy_maps.reports import rollup_as_of, statuses_on
from strategy_maps.rollup import rollup_rule
from strategy_maps.validation import Finding, rule_text, severity_name, validate

dash.register_page(__name__, path="/map", title=page_title(N_("Strategy map")),
                   name=N_("Strategy map"), nav_order=4)

GRAPH, LOCATION = "map-graph", "map-location"
PILLAR, SECRETARIAT, PACT = "map-pillar", "map-secretariat", "map-pact"
SUMMARY, HOVER, LIST = "map-summary", "map-hover", "map-list"
FIT, TOUCH = "map-fit", "map-touch"


def map_data(as_of: date | None, chosen: MapFilter
             ) -> tuple[nx.DiGraph, list[dict], dict[str, int], date]:
    """The graph, the elements for the filter, the goal status counts shown, and the date."""
    with read_session() as session:
        day = as_of or review_date(session)
        graph = build_graph(session)
        statuses = statuses_on(session, day)
        rollup = rollup_as_of(session, day, MapIndex.of(graph))
    scores = {f"{r.kind}:{r.code}": (None if r.score != r.score else r.score)
              for r in rollup.itertuples()}
    elements = map_elements(graph, statuses, chosen, scores)
    counts: dict[str, int] = {}
    for e in elements:
        if e["data"].get("kind") == "goal":
            status = e["classes"].split()[1]
            counts[status] = counts.get(status, 0) + 1
    return graph, elements, counts, day


def findings_panel(findings: list[Finding]) -> html.Div:
    """Validation findings, errors first, grouped by rule, folded."""
    if not findings:
        return dbc.Alert(_("The map passes every validation rule."), color="success")
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.severity, f.rule), []).append(f)
    items = [
        html.Details([
            html.Summary([
                dbc.Badge(severity_name(severity),
                          color="danger" if severity == "error" else "warning",
                          text_color="white" if severity == "error" else "dark",
                          className="me-2 text-uppercase"),
                html.Span(rule_text(rule), className="fw-semibold me-2", title=rule),
                html.Span(_n("{n} finding", "{n} findings", len(group)).format(n=len(group)),
                          className="text-muted small"),
            ]),
            html.Ul([html.Li(f.message, className="small") for f in group],
                    className="mt-2 mb-1"),
        ], className="map-finding py-2 border-bottom")
        for (severity, rule), group in groups.items()
    ]
    return html.Div(items)


def _dropdown(id_: str, placeholder: str, options: list[dict[str, str]], value: str | None):
    return dcc.Dropdown(id=id_, options=options, value=value, placeholder=placeholder,
                        clearable=True, className="map-filter", style={"minWidth": "260px"})


def layout(pillar: str | None = None, secretariat: str | None = None, pact: str | None = None,
           **_query: str) -> html.Div:
    chosen = MapFilter(pillar or None, secretariat or None, pact or None)
    graph, elements, counts, day = map_data(None, chosen)
    findings = validate(graph)
    filters = html.Div([
        _dropdown(PILLAR, _("All pillars"), filter_options(graph, "pillar"), chosen.pillar),
        _dropdown(SECRETARIAT, _("All lead secretariats"),
                  filter_options(graph, "secretariat"), chosen.secretariat),
        _dropdown(PACT, _("All pacts"), filter_options(graph, "pact"), chosen.pact),
    ], className="d-flex gap-2 flex-wrap mb-2")
    errors = sum(f.severity == "error" for f in findings)
    return html.Div([
        dcc.Location(id=LOCATION, refresh=True),
        html.Div([
            html.H1(_("Strategy map"), className="h3 mb-0"),
            html.Div(_("Status as of {date}").format(date=format_date(day)),
                     className="text-muted"),
        ], className="mb-3"),
        filters,
        html.Div(map_summary(counts), id=SUMMARY, className="mb-2"),
        html.Div([
            cyto.Cytoscape(
                id=GRAPH, elements=elements, stylesheet=stylesheet(),
                layout={"name": "preset", "fit": True, "padding": 30},
                style={"width": "100%", "height": "560px"},
                # zoomed out far enough that the whole map fits a phone's width on load
                minZoom=0.05, maxZoom=3, boxSelectionEnabled=False, autoungrabify=True,
            ),
            html.Button(_("Fit"), id=FIT, type="button", title=_("Show the whole map"),
                        className="btn btn-sm btn-light border map-fit"),
        ], className="bg-white rounded shadow-sm mb-2 border position-relative"),
        dcc.Store(id=TOUCH),
        html.Div(_(HOVER_HINT), id=HOVER, className="small mb-1 fw-semibold", role="status"),
        html.Div(_("Pillars, objectives and pacts show their roll-up score (0 to 100). Dashed "
                 "arrows: an objective contributing to another. Drag to move the map, pinch or "
                 "scroll to zoom, Fit to see it whole; click a node to open its page (on a touch "
                 "screen a tap shows it here, with a link)."),
                 className="small text-muted mb-3"),
        html.Details([html.Summary(_("The map as a list"), className="fw-semibold"),
                      html.Div(map_list(elements), id=LIST)],
                     className="bg-white rounded shadow-sm p-3 mb-4", id="map-list-view"),
        html.H2([_("Validation") + " · " + _n("{n} finding", "{n} findings",
                                                  len(findings)).format(n=len(findings)),
                 html.Span(" (" + _n("{n} error", "{n} errors", errors).format(n=errors) + ")"
                           if errors else "",
                           className="text-danger")], className="h5"),
        html.Div(findings_panel(findings), className="bg-white rounded shadow-sm p-3 mb-4"),
        html.Details([html.Summary(_("How the roll-up score is worked out"), className="small"),
                      html.Pre(rollup_rule(), className="small mt-2")], className="mb-4"),
    ])


def map_summary(counts: dict[str, int]) -> html.Div:
    total = sum(counts.values())
    return html.Div([html.Span(_n("{n} goal shown", "{n} goals shown", total).format(
        n=formats.number(total)), className="me-3 fw-semibold small"),
                     status_counts_line(counts)], className="d-flex flex-wrap")


def map_list(elements: list[dict]) -> html.Div:
    """The readable alternative to the drawing: the same nodes as a table (keyboard and screen
    reader friendly, and legible on a phone), each a link to its page."""
    kinds = {"pillar": _("Pillar"), "objective": _("Objective"), "goal": _("Goal"),
             "pact": _("Pact")}
    head = html.Thead(html.Tr([html.Th(_("Kind")), html.Th(_("Code")), html.Th(_("Name")),
                               html.Th(_("Status"))]))
    body = html.Tbody([
        html.Tr([html.Td(kinds.get(r["kind"], r["kind"])),
                 html.Td(r["code"], className="goal-code"),
                 html.Td(html.A(r["name"], href=r["href"]),
                         className="ps-4" if r["kind"] == "goal" else "fw-semibold"),
                 html.Td(status_badge(r["status"]) if r["status"] else "")])
        for r in map_rows(elements)])
    return html.Div(html.Table([head, body], className="table table-sm mt-2 mb-0"),
                    className="table-scroll")


@callback(Output(GRAPH, "elements"), Output(SUMMARY, "children"), Output(LIST, "children"),
          Input(PILLAR, "value"), Input(SECRETARIAT, "value"), Input(PACT, "value"),
          prevent_initial_call=True)
def refilter(pillar: str | None, secretariat: str | None, pact: str | None):
    _graph, elements, counts, _day = map_data(None, MapFilter(pillar, secretariat, pact))
    return elements, map_summary(counts), map_list(elements)


# Whether the screen can point (no hover on a phone): a tap there shows the node's details
# instead of leaving the map.
clientside_callback("() => window.matchMedia('(hover: none)').matches", Output(TOUCH, "data"),
                    Input(GRAPH, "id"))
# The whole map in view again after dragging and zooming (Cytoscape.js keeps its instance on
# the container element).
clientside_callback("""n => {
    const box = document.getElementById('map-graph');
    const cy = box && box._cyreg && box._cyreg.cy;
    if (n && cy) { cy.resize(); cy.fit(undefined, 30); }
    return window.dash_clientside.no_update;
}""", Output(FIT, "title"), Input(FIT, "n_clicks"), prevent_initial_call=True)


@callback(Output(LOCATION, "href"), Output(HOVER, "children", allow_duplicate=True),
          Input(GRAPH, "tapNodeData"), State(TOUCH, "data"), prevent_initial_call=True)
def open_node(node: dict | None, touch: Any) -> tuple[Any, Any]:
    """A click opens the node's page; a tap on a touch screen shows its details and a link."""
    href = (node or {}).get("href", "")
    if not (isinstance(href, str) and href.startswith("/")):
        return dash.no_update, dash.no_update
    if touch is True:
        return dash.no_update, [describe(node), " · ",
                                html.A(_("Open its page"), href=href, className="map-open")]
    return href, dash.no_update


HOVER_HINT = N_("Tap or point at a goal to see its name and status.")


def describe(node: dict | None) -> str:
    """The line under the map for the node under the pointer."""
    if not node:
        return _(HOVER_HINT)
    text = f"{node.get('code', '')} · {node.get('name', '')}"
    status = node.get("status")
    return f"{text} · {Status(status).label}" if status in set(Status) else (
        f"{text} · {status}" if status else text)


@callback(Output(HOVER, "children"), Input(GRAPH, "mouseoverNodeData"),
          prevent_initial_call=True)
def hover(node: dict | None) -> str:
    return describe(node)
