"""Limits that keep a hostile file from exhausting the machine before it is even read.

A YAML file may define an anchor once and repeat it by alias many times over ("billion
laughs"): a few hundred bytes that stand for billions of values. An ``.xlsx`` file is a zip
archive whose parts may expand a thousandfold (a zip bomb). Both are refused from what can be
seen cheaply: the YAML node graph before it is built into Python objects, the sizes the zip
directory declares before openpyxl opens a part.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import yaml

from delivery.i18n import _, formats

MAX_YAML_NODES = 100_000  # values a YAML file may stand for once every alias is expanded
MAX_WORKBOOK_BYTES = 100 * 1024 * 1024  # uncompressed size of all parts of an .xlsx file
MAX_WORKBOOK_RATIO = 1000 # uncompressed size over compressed size of any one part


class FileTooLarge(ValueError):
    """A file refused before reading it, naming the limit it passes."""


def load_yaml_limited(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """``yaml.load`` with ``loader``, refusing text whose aliases expand past MAX_YAML_NODES.

    Raises FileTooLarge, or yaml.YAMLError for text that is not YAML.
    """
    return load_yaml_with_nodes(text, loader)[0]


def load_yaml_with_nodes(text: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader
                         ) -> tuple[Any, yaml.Node | None]:
    """``load_yaml_limited``, with the document's node tree (whose marks give line numbers)."""
    instance = loader(text)
    try:
        try:
            node = instance.get_single_node()
        except RecursionError:
            raise FileTooLarge(_("its values are nested too deeply")) from None
        if node is None:
            return None, None
        expanded = _expanded_size(node)
        if expanded > MAX_YAML_NODES:
            raise FileTooLarge(_("its aliases (*name) expand to more than {n} values; write the "
                                 "values out instead").format(n=formats.number(MAX_YAML_NODES)))
        return instance.construct_document(node), node
    finally:
        instance.dispose()


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document holds once every alias is copied out (stops past the limit)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            if sizes[id(node)] > MAX_YAML_NODES:
                return sizes[id(node)]
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def check_workbook_size(path: Path) -> None:
    """Refuse an .xlsx file whose parts would expand past the limits (ValueError subclass).

    Only the zip directory is read: the sizes it declares are what the zip reader will
    allow itself to inflate to, so a file that lies about them fails when read, not later.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip at all: the workbook reader says so in its own words
    total = sum(p.file_size for p in parts)
    if total > MAX_WORKBOOK_BYTES:  # tens of megabytes of sheet XML are already ~1M cells
        raise FileTooLarge(_("{path}: the workbook expands to {size} MB, more than the {limit} "
                             "MB limit; save it as CSV instead").format(
            path=path, size=formats.number(total / 2**20, decimals=0),
            limit=MAX_WORKBOOK_BYTES // 2**20))
    part = bomb_part(parts)
    if part is not None:
        raise FileTooLarge(_("{path}: part {part} expands {ratio} times (more than {most}): "
                             "refused as a possible zip bomb").format(
            path=path, part=part.filename, ratio=formats.number(expansion(part)),
            most=formats.number(MAX_WORKBOOK_RATIO)))


def expansion(part: zipfile.ZipInfo) -> int:
    """How many times a zip part grows when unpacked (as its directory entry declares)."""
    return part.file_size // max(part.compress_size, 1)


def bomb_part(parts: list[zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """The first part of a zip archive that expands past MAX_WORKBOOK_RATIO, a zip bomb's mark
    (small parts are let through: a short XML file of spaces may well pack a thousandfold)."""
    return next((p for p in parts if p.file_size > 1_000_000
                 and expansion(p) > MAX_WORKBOOK_RATIO), None)
