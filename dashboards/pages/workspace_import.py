"""Workspace · import: upload a CSV or Excel file, pick the mapping that describes it, and see
what it would do (counts and every rejected row) before anything is stored. Only the "Import"
button writes, and it reads the same uploaded bytes again. An optional "known on" day backfills
history: every figure of the file is then known from that day."""

from __future__ import annotations

import base64
import binascii
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboards.components.workspace import import_summary, screen_header
from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import date_picker_week_start, page_title
from delivery.access import AccessDenied, can_backfill, can_edit_strategy, require
from delivery.dates import DateError, parse_day
from delivery.edits import NOT_YOURS
from delivery.i18n import N_, _
from delivery.importing import ImportReport, MappingError, ReadError, import_file, load_mapping
from delivery.vocabulary import Role

PATH = "/workspace/import"
dash.register_page(__name__, path=PATH, title=page_title(N_("Import"), N_("Workspace")),
                   name="Import a file", access=(Role.ADMIN, Role.ANALYST))

MAPPINGS_DIR = Path(__file__).resolve().parents[2] / "data" / "mappings"
MAPPING, UPLOAD, FILE, PREVIEW, IMPORT, RESULT = ("wsi-mapping", "wsi-upload", "wsi-file",
                                                  "wsi-preview", "wsi-import", "wsi-result")
KNOWN_ON = "wsi-known-on"
SUFFIXES = {".csv", ".txt", ".xlsx", ".xls"}


def mapping_options() -> list[dict[str, str]]:
    """Every mapping file shipped in data/mappings, labelled by its description."""
    options = []
    for path in sorted(MAPPINGS_DIR.glob("*.yaml")):
        try:
            label = f"{path.stem} · {load_mapping(path).description}"
        except MappingError:
            continue
        options.append({"label": label, "value": path.name})
    return options


def layout(**_query: str) -> html.Div:
    options = mapping_options()
    upload = dcc.Upload(
        id=UPLOAD, multiple=False,
        children=html.Div([_("Drop a CSV or Excel file here, or") + " ",
                           html.Span(_("choose one"), className="text-primary fw-semibold")]),
        className="wsi-drop",
        style={"border": "2px dashed #b6bec8", "borderRadius": "6px", "padding": "1.5rem",
               "textAlign": "center", "background": "#fff", "cursor": "pointer"},
    )
    return html.Div([
        screen_header(N_("Import a file"), N_("Figures or goals from a spreadsheet, described by a "
                      "mapping file. You see what would change before anything is stored."),
                      PATH),
        dbc.Row([
            dbc.Col([
                html.Label(_("Mapping"), htmlFor=MAPPING, className="small text-muted"),
                dcc.Dropdown(id=MAPPING, options=options, clearable=False,
                             value=options[0]["value"] if options else None, className="mb-3"),
                html.Label(_("Known on (optional)"), htmlFor=KNOWN_ON,
                           className="small text-muted"),
                html.Div(dcc.DatePickerSingle(id=KNOWN_ON, display_format="YYYY-MM-DD",
                                              first_day_of_week=date_picker_week_start(),
                                              clearable=True, placeholder=_("YYYY-MM-DD")),
                         className="mb-1"),
                html.Div(_("For history: the day these figures became known. Leave empty for "
                           "figures known today, or when the mapping reads the day from a "
                           "column."), className="small text-muted mb-3"),
                upload,
                html.Div(id=FILE, className="small text-muted mt-2"),
                dbc.Button(_("Import"), id=IMPORT, color="primary", disabled=True,
                           className="mt-3"),
            ], lg=4),
            dbc.Col([
                dcc.Loading(html.Div(id=PREVIEW, children=html.P(
                    _("Choose a file to see what it would import."),
                    className="text-muted"))),
                html.Div(id=RESULT, className="mt-3"),
            ], lg=8),
        ], className="g-4"),
    ])


def run_import(contents: str, filename: str, mapping_name: str, *, write: bool,
               known_on: date | None = None) -> ImportReport:
    """Import the uploaded bytes with the named mapping; with ``write`` False, in a session that
    is rolled back whatever happens (the dry run's promise, kept a second time). ``known_on``:
    the day every figure became known (a backfill, for the roles that may)."""
    mapping_path = MAPPINGS_DIR / Path(mapping_name).name
    if not mapping_path.is_file():
        raise ValueError(f"there is no mapping {mapping_name!r}")
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(_("upload a .csv, .txt, .xlsx or .xls file"))
    try:
        data = base64.b64decode(contents.partition(",")[2], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(_("the upload could not be read")) from None
    viewer = current_viewer()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(filename).name
        path.write_bytes(data)
        with (write_session() if write else read_session()) as session:
            try:
                return import_file(session, path, mapping_path, actor=viewer.username,
                                   dry_run=not write, known_on=known_on,
                                   may_backfill=can_backfill(viewer))
            finally:
                if not write:
                    session.rollback()


def known_on_day(text: Any) -> date | None:
    """The "known on" field's day; None when empty. ValueError naming the field otherwise."""
    if text in (None, ""):
        return None
    try:
        return parse_day(str(text))  # the picker may add a time
    except DateError as exc:
        raise ValueError(_("known on: {problem}").format(problem=exc)) from None


def _checked(contents: Any, filename: Any, mapping_name: Any, write: bool,
             known_on: Any = None) -> ImportReport:
    require(can_edit_strategy(current_viewer()), NOT_YOURS)
    if not isinstance(contents, str) or not isinstance(filename, str):
        raise ValueError(_("choose a file first"))
    return run_import(contents, filename, str(mapping_name or ""), write=write,
                      known_on=known_on_day(known_on))


@callback(Output(PREVIEW, "children"), Output(FILE, "children"), Output(IMPORT, "disabled"),
          Output(RESULT, "children", allow_duplicate=True),
          Input(UPLOAD, "contents"), Input(MAPPING, "value"), Input(KNOWN_ON, "date"),
          State(UPLOAD, "filename"), prevent_initial_call=True)
def preview(contents: Any, mapping_name: Any, known_on: Any, filename: Any) -> tuple[Any, ...]:
    if contents is None:
        return dash.no_update, "", True, None
    try:
        report = _checked(contents, filename, mapping_name, write=False, known_on=known_on)
    except (AccessDenied, ValueError, MappingError, ReadError) as error:
        return dbc.Alert(str(error), color="danger"), filename, True, None
    usable = report.figures_new + report.figures_revised + report.figures_consolidated \
        + report.goals_created + report.goals_updated
    return import_summary(report), filename, usable == 0, None


@callback(Output(RESULT, "children"), Output(IMPORT, "disabled", allow_duplicate=True),
          Input(IMPORT, "n_clicks"), State(UPLOAD, "contents"), State(UPLOAD, "filename"),
          State(MAPPING, "value"), State(KNOWN_ON, "date"), prevent_initial_call=True)
def do_import(_clicks: Any, contents: Any, filename: Any, mapping_name: Any,
              known_on: Any) -> tuple[Any, Any]:
    try:
        report = _checked(contents, filename, mapping_name, write=True, known_on=known_on)
    except (AccessDenied, ValueError, MappingError, ReadError) as error:
        return dbc.Alert(_("Nothing was imported: {error}").format(error=error),
                         color="danger"), False
    return import_summary(report), True
