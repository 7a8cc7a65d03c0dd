"""Import and export of whole maps, the format chosen by the file's extension:
``.yaml``/``.yml`` (human-editable, round-trips exactly) and ``.xlsx`` (a sheet per section)
both ways; ``.json`` (node-link) and ``.graphml`` out only, for other tools, with the delivery
plans (initiatives, milestones, risks: ``strategy_maps.plans``) as nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from strategy_maps.exchange.database import (
    ImportSummary,
    export_document,
    import_document,
    known_keys,
)
from strategy_maps.exchange.document import MapDocument, Problem
from strategy_maps.exchange.excel_file import read_workbook, write_workbook
from strategy_maps.exchange.networks import node_link_json, write_graphml
from strategy_maps.exchange.yaml_file import dump_yaml, load_yaml

EXPORTS = (".yaml", ".yml", ".xlsx", ".json", ".graphml")
IMPORTS = (".yaml", ".yml", ".xlsx")

__all__ = ["EXPORTS", "IMPORTS", "ImportReport", "MapDocument", "Problem", "dump_yaml",
           "export_map", "import_map", "load_yaml", "read_map_file"]


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    summary: ImportSummary = field(default_factory=ImportSummary)

    def render_text(self) -> str:
        if self.problems:
            return "\n".join([f"{len(self.problems)} problem(s); nothing was imported:",
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


def import_map(session: Session, path: Path) -> ImportReport:
    """Check ``path`` whole, then, only if it has no problem, create or update its rows in the
    caller's transaction (nothing is deleted)."""
    doc, problems = read_map_file(session, path)
    if problems:
        return ImportReport(problems)
    return ImportReport(summary=import_document(session, doc))
