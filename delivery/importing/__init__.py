"""Importing goals and figures from CSV and Excel files, described by a YAML mapping file.

``import_file(session, path, mapping, actor=...)`` reads the file, checks every row, records
the good ones (goals, then figures as revisions) and returns an ``ImportReport`` that lists
every rejected row as a ``RowError``. The mapping format is described in
``delivery.importing.mapping`` and in docs/import-mappings.md.
"""

from delivery.importing import reader
from delivery.importing.mapping import ImportMapping, MappingError, load_mapping
from delivery.importing.pipeline import import_file, import_frame
from delivery.importing.reader import ReadError
from delivery.importing.report import ImportReport, RowError

__all__ = [
    "ImportMapping",
    "ImportReport",
    "MappingError",
    "ReadError",
    "reader",
    "RowError",
    "import_file",
    "import_frame",
    "load_mapping",
]
