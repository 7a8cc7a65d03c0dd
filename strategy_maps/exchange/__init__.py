"""Import and export of whole maps, the format chosen by the file's extension:
``.yaml``/``.yml`` (human-editable, round-trips exactly) and ``.xlsx`` (a sheet per section)
both ways, with the delivery plans as sections ``initiatives``, ``milestones`` and ``risks``
(``strategy_maps.exchange.plan_sections``); ``.json`` (node-link) and ``.graphml`` out only,
for other tools, with the plans as nodes (``strategy_maps.plans``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from delivery.i18n import _n
from strategy_maps.exchange.database import (
    ImportSummary,
    export_document,
    import_document,
    known_keys,
)
from strategy_maps.exchange.document import MapDocument, Problem
from strategy_maps.exchange.excel_file import read_workbook, write_workbook
from strategy_maps.exchange.networks import node_link_json, write_graphml
from strategy_maps.exchange.plan_sections import import_plan_rows
from strategy_maps.exchange.yaml_file import dump_yaml, load_yaml

EXPORTS = (".yaml", ".yml", ".xlsx", ".json", ".graphml")
IMPORTS = (".yaml", ".yml", ".xlsx")

__all__ = ["EXPORTS", "IMPORTS", "ImportReport", "MapDocument", "Problem", "dump_yaml",
           "export_map", "import_map", "load_yaml", "read_map_file"]


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    summary: ImportSummary = field(default_factory=ImportSummary)
    file: str = ""

    def render_text(self) -> str:
        if self.problems:
            where = f"{self.file}: " if self.file else ""
            return "\n".join([where + _n("{n} problem; nothing was imported:",
                                         "{n} problems; nothing was imported:",
                                         len(self.problems)).format(n=len(self.problems)),
                              *(f"  {p}" for p in self.problems)])
        return self.summary.render_text()


def export_map(session: Session, path: Path) -> None:
    """Write the whole map in the database to ``path``; raises ValueError on an unknown
    extension."""
    suffix = path.suffix.lower()
    if suffix not in EXPORTS:
        raise ValueError(f"cannot export to {suffix or 'a file without extension'}: use one "
                         f"of {', '.join(EXPORTS)}")
    if suffix in (".json", ".graphml"):
        from strategy_maps.loader import build_graph
        from strategy_maps.plans import add_plans

        graph = add_plans(build_graph(session), session, details=True)
        if suffix == ".json":
            path.write_text(node_link_json(graph), encoding="utf-8")
        else:
            write_graphml(graph, path)
        return
    doc = export_document(session)
    if suffix == ".xlsx":
        write_workbook(doc, path)
    else:
        path.write_text(dump_yaml(doc), encoding="utf-8")


def read_map_file(session: Session, path: Path) -> tuple[MapDocument, list[Problem]]:
    """Read and check a map file against itself and what the database already holds."""
    suffix = path.suffix.lower()
    if suffix not in IMPORTS:
        raise ValueError(f"cannot import {suffix or 'a file without extension'}: use one of "
                         f"{', '.join(IMPORTS)}")
    known = known_keys(session)
    if suffix == ".xlsx":
        return read_workbook(path, known)
    return load_yaml(path.read_text(encoding="utf-8"), known)


def import_map(session: Session, path: Path, actor: str | None = None) -> ImportReport:
    """Check ``path`` whole, then, only if it has no problem, create or update its rows in the
    caller's transaction (nothing is deleted). The delivery plans go through the plans
    import's row rules after the map; if any plan row is refused, nothing of the file is
    kept (rolled back to a savepoint) and every refused row is reported."""
    doc, problems = read_map_file(session, path)
    if problems:
        return ImportReport(problems, file=path.name)
    savepoint = session.begin_nested()
    summary = import_document(session, doc)
    created, updated, problems = import_plan_rows(
        session, doc.plan_cells, actor or session.info.get("actor") or "map import", doc.label)
    if problems:
        savepoint.rollback()
        return ImportReport(problems, file=path.name)
    savepoint.commit()
    summary.created.update(created)
    summary.updated.update(updated)
    return ImportReport(summary=summary, file=path.name)
