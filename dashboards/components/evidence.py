"""Evidence files on a commitment's progress notes, built from plain rows (pure: no database):
the upload field of the note form (on a phone it offers the camera as well as files), and each
note's files with their download links."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from dash import dcc, html

from delivery.evidence_files import ACCEPT, KINDS
from delivery.i18n import _, formats

FILES, CHOSEN = "commitment-files", "commitment-files-chosen"


def evidence_href(commitment_id: int, file_id: int) -> str:
    return f"/commitment/{commitment_id}/evidence/{file_id}"


def upload_field(max_file_bytes: int, max_request_bytes: int) -> html.Div:
    """Drop or choose files (several at once); the names chosen show below it, with a warning
    when together they would make the request larger than the site accepts (which refuses it
    before any check could name a file)."""
    kinds = ", ".join(dict.fromkeys(k.label for k in KINDS.values()))
    return html.Div([
        dcc.Upload(
            id=FILES, multiple=True, accept=ACCEPT, className="evidence-drop",
            children=html.Div([_("Attach files: drop them here or "),
                               html.Span(_("choose"), className="text-primary fw-semibold")]),
        ),
        html.Div(_("{kinds}; up to {size} each. A photo may be taken with the phone.").format(
            kinds=kinds, size=formats.file_size(max_file_bytes)),
            className="small text-muted mt-1"),
        html.Div(id=CHOSEN, className="small evidence-chosen text-break", **{
            # the files travel as base64, beside the note's other fields
            "data-most": str(max(max_request_bytes - 65536, 0)),
            "data-too-big": _("Together these files are larger than the {size} a note can "
                              "carry: record them in two notes.").format(
                size=formats.file_size(max_request_bytes * 3 // 4))}),
    ], className="mb-2")


# The names chosen, shown in the browser as they are picked (the files' bytes stay there until
# the note is recorded, so choosing is no round trip). Registered by the page: Dash hands a
# module-level callback to the first app only, and pages are run again for each app.
SHOW_CHOSEN = """(names, contents) => {
    if (!names || !names.length) { return ''; }
    const box = document.getElementById('commitment-files-chosen');
    const sent = (contents || []).reduce((n, c) => n + (c ? c.length : 0), 0);
    const most = box ? Number(box.dataset.most) : 0;
    const shown = names.join(' · ');
    return (most && sent > most) ? [shown, ' — ', box.dataset.tooBig] : shown;
}"""


def file_lists(files: pd.DataFrame, commitment_id: int) -> Mapping[int, html.Ul]:
    """Each progress note's files (by the note's id): name as a download link, and size. Who
    attached them and when are the note's, shown in its row (and in the link's tooltip, with
    the file's SHA-256 to check a copy against)."""
    lists: dict[int, list[Any]] = {}
    for f in files.itertuples():
        lists.setdefault(int(f.update_id), []).append(html.Li([
            html.A(f.name, href=evidence_href(commitment_id, int(f.file_id)), download=f.name,
                   className="evidence-file text-break",
                   title=_("{who}, {when} · SHA-256 {digest}").format(
                       who=f.recorded_by, when=formats.moment(f.recorded_at),
                       digest=f.sha256)),
            html.Span(f" · {formats.file_size(f.size)}", className="text-muted text-nowrap"),
        ]))
    return {key: html.Ul(items, className="evidence-files small mb-0 ps-3",
                         **{"aria-label": _("Files")}) for key, items in lists.items()}
