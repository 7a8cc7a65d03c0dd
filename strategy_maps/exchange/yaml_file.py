"""The map as human-editable YAML: one list per section (the delivery plans' sections
``initiatives``, ``milestones`` and ``risks`` last, when there are any), codes instead of ids,
empty values left out. Numbers are read exactly (money keeps its cents whatever its size)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from delivery.importing.limits import FileTooLarge, load_yaml_with_nodes
from strategy_maps.exchange.document import MapDocument, Problem, read_document
from strategy_maps.exchange.plan_sections import PLAN_SECTION, PLAN_SECTIONS, read_plan_rows
from strategy_maps.exchange.schema import SECTION, SECTIONS

FORMAT = "delivery-tracker/strategy-map"
VERSION = 1
HEADER = """\
# A Delivery Tracker strategy map. Edit it and load it with `delivery map import FILE`:
# rows are matched by code (budget accounts: code and fiscal year), existing ones are updated,
# new ones created, and nothing is deleted. The fields of each section are described in
# docs/strategy-map.md; leave a field out to leave it empty.
"""
# Short rows read best on one line each.
FLOW_SECTIONS = {"pillars", "secretariats", "contributions", "pact_members", "pact_goals",
                 "funding"}


class _FlowRow(dict):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_FlowRow, lambda d, data: d.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))
_Dumper.add_representer(Decimal, lambda d, data: d.represent_scalar(
    "tag:yaml.org,2002:float", f"{data:f}"))


class _Loader(yaml.SafeLoader):
    pass


def _exact_number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return Decimal(loader.construct_scalar(node).replace("_", ""))
    except InvalidOperation:
        return loader.construct_yaml_float(node)


def _date_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # 2019-13-31: left as text, for the row check to say what is wrong
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _exact_number)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _date_or_text)


def dump_yaml(doc: MapDocument) -> str:
    """The document as YAML text (the same document always gives the same text)."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    for section in SECTIONS:
        kind = _FlowRow if section.key in FLOW_SECTIONS else dict
        names = [f.name for f in section.fields]
        data[section.key] = [kind((n, row[n]) for n in names if row[n] is not None and row[n] != "")
                             for row in doc.rows[section.key]]
    for section in PLAN_SECTIONS:  # written when the map has plans
        rows = doc.plans.get(section.key, [])
        if rows:
            data[section.key] = [{n: row[n] for n in section.columns
                                  if row.get(n) is not None and row[n] != ""} for row in rows]
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return HEADER + body


def load_yaml(text: str, known: dict[str, set] | None = None
              ) -> tuple[MapDocument, list[Problem]]:
    """Read YAML text into a checked document; a row is named by the line of the file it
    starts on, as an editor shows it."""
    try:
        data, node = load_yaml_with_nodes(text, _Loader)
    except yaml.YAMLError as exc:
        return MapDocument(), [Problem("file", None, None, f"not valid YAML: {exc}")]
    except FileTooLarge as exc:
        return MapDocument(), [Problem("file", None, None, f"refused: {exc}")]
    lines = _item_lines(node)
    if not isinstance(data, dict):
        return MapDocument(), [Problem("file", None, None, "expected sections like `goals:`")]
    problems = []
    if data.pop("format", FORMAT) != FORMAT or data.pop("version", VERSION) != VERSION:
        problems.append(Problem("file", None, None,
                                f"this is not a {FORMAT} file of version {VERSION}"))
    raw: dict[str, list] = {}
    for key, items in data.items():
        sheet = SECTION[key].sheet if key in SECTION else (
            PLAN_SECTION[key].sheet if key in PLAN_SECTION else str(key)[:60])
        if items is None:
            items = []
        if not isinstance(items, list):
            problems.append(Problem(sheet, None, None, "should be a list of rows"))
            continue
        raw[key] = []
        starts = lines.get(str(key), [])
        for number, item in enumerate(items, start=1):
            line = starts[number - 1] if number <= len(starts) else number
            if isinstance(item, dict):
                raw[key].append((line, item))
            else:
                problems.append(Problem(sheet, line, None, "should be `field: value` pairs",
                                        "line"))
    plan_raw = {key: raw.pop(key) for key in list(raw) if key in PLAN_SECTION}
    document, more = read_document(raw, known, label="line")
    document.plan_cells, plan_problems = read_plan_rows(plan_raw, label="line")
    document.label = "line"
    return document, problems + more + plan_problems


def _item_lines(root: yaml.Node | None) -> dict[str, list[int]]:
    """The line (from 1) each row of each section starts on."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {str(key.value): [item.start_mark.line + 1 for item in value.value]
            for key, value in root.value
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.SequenceNode)}
