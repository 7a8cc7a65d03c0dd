"""A map file read into typed rows, with every problem located by section, row and field.

Both the YAML and the Excel readers hand their rows to ``read_document``; nothing is written
to the database unless it finds no problem.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from strategy_maps.exchange.schema import SECTION, SECTIONS, Section, read_value

Row = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Something wrong with one row (or one whole section when ``row`` is None)."""

    section: str  # the sheet name, as the person sees it
    row: int | None  # the sheet's row number, or the YAML file's line
    field: str | None
    message: str
    label: str = "row"  # "line" in a YAML file

    def __str__(self) -> str:
        where = self.section + (f", {self.label} {self.row}" if self.row is not None else "")
        return f"{where}{f', {self.field}' if self.field else ''}: {self.message}"


@dataclass
class MapDocument:
    """The rows of each section (``SECTIONS`` order), typed; absent fields hold defaults."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {s.key: [] for s in SECTIONS})
    # The delivery plans (``plan_sections``): typed rows out of the database for writing ...
    plans: dict[str, list[Row]] = field(default_factory=dict)
    # ... and, read from a file, (row or line number, text cells) for the plans' row rules.
    plan_cells: dict[str, list[tuple[int, Row]]] = field(default_factory=dict)
    label: str = "row"

    def count(self) -> dict[str, int]:
        return {key: len(rows) for key, rows in self.rows.items()}


def read_document(raw: Mapping[str, Iterable[tuple[int, Mapping[str, Any]]]],
                  known: Mapping[str, set] | None = None, label: str = "row"
                  ) -> tuple[MapDocument, list[Problem]]:
    """Type and check raw rows: ``raw`` maps a section key to (row number, {field: value}),
    the number as the person finds the row in the file (a sheet's row, or a ``label`` line).

    ``known`` maps a section key to the keys already in the database, which references may
    name besides the document's own rows (codes; (code, fiscal year) for budget accounts).
    """
    document, problems = MapDocument(), []
    # Keys of rows refused for another field still count as defined, so that one mistake is
    # reported once and not again in every row that names it.
    refused: dict[str, set] = {s.key: set() for s in SECTIONS}
    from strategy_maps.exchange.plan_sections import PLAN_SECTIONS  # it names Problem

    for key in raw:
        if key not in SECTION:
            problems.append(Problem(str(key)[:60], None, None, "unknown section; expected one of "
                                    + ", ".join(s.key for s in (*SECTIONS, *PLAN_SECTIONS))))
    for section in SECTIONS:
        seen: dict[tuple, int] = {}
        for number, values in raw.get(section.key, []):
            row, row_problems = _read_row(section, values)
            problems += [Problem(section.sheet, number, f, m, label) for f, m in row_problems]
            ident = tuple(row.get(k) for k in section.keys)
            if row_problems:
                if not {f for f, _ in row_problems} & set(section.keys):
                    refused[section.key].add(ident)
                continue
            if ident in seen:
                problems.append(Problem(section.sheet, number, None, f"{_show(ident)} is already "
                                        f"defined in {label} {seen[ident]}", label))
                continue
            seen[ident] = number
            document.rows[section.key].append(row | {"_row": number})
    problems += _reference_problems(document, known or {}, refused, label)
    for rows in document.rows.values():
        for row in rows:
            del row["_row"]
    return document, problems


def _read_row(section: Section, values: Mapping[str, Any]) -> tuple[Row, list[tuple]]:
    names = {f.name for f in section.fields}
    problems: list[tuple] = [(str(k), "unknown column") for k in values if k not in names]
    row: Row = {}
    for f in section.fields:
        try:
            row[f.name] = read_value(f, values.get(f.name))
        except ValueError as exc:
            problems.append((f.name, str(exc)))
            continue
        if row[f.name] is None and f.required:
            problems.append((f.name, "is required"))
        elif isinstance(row[f.name], float) and not math.isfinite(row[f.name]):
            problems.append((f.name, "should be a finite number"))
    if not problems:
        problems = [(f, m) for f, m in _ROW_CHECKS.get(section.key, _none)(row)]
    return row, problems


def _none(_row: Row) -> list:
    return []


def _contribution(row: Row) -> list[tuple[str, str]]:
    problems = []
    if row["source"] == row["target"]:
        problems.append(("target", "an objective cannot contribute to itself"))
    if row["weight"] <= 0:
        problems.append(("weight", "should be more than 0"))
    return problems


def _goal(row: Row) -> list[tuple[str, str]]:
    problems = []
    if row["direction"] == "range":
        low, high = row["target_low"], row["target_high"]
        if low is None or high is None:
            problems.append(("target_low", "a range goal needs target_low and target_high"))
        elif low > high:
            problems.append(("target_high", "should not be below target_low"))
    if row["tolerance"] < 0:
        problems.append(("tolerance", "should not be negative"))
    if row["off_track_tolerance"] < row["tolerance"]:
        problems.append(("off_track_tolerance", "should not be below tolerance"))
    base, target = row["baseline_date"], row["target_date"]
    if base and target and target < base:
        problems.append(("target_date", "should not be before the baseline date"))
    return problems


def _funding(row: Row) -> list[tuple[str, str]]:
    if not 0 < row["share"] <= 1:
        return [("share", f"{row['share']:g} should be more than 0 and at most 1")]
    return []


def _pact(row: Row) -> list[tuple[str, str]]:
    if row["starts_on"] and row["ends_on"] and row["ends_on"] < row["starts_on"]:
        return [("ends_on", "should not be before starts_on")]
    return []


_ROW_CHECKS = {"contributions": _contribution, "goals": _goal, "funding": _funding,
               "pacts": _pact}


def _reference_problems(document: MapDocument, known: Mapping[str, set],
                        refused: Mapping[str, set], label: str) -> list[Problem]:
    problems = []
    defined = {s.key: {tuple(r[k] for k in s.keys) for r in document.rows[s.key]}
               | refused[s.key] for s in SECTIONS}
    for section in SECTIONS:
        refs: list[tuple[str, tuple[str, ...]]] = [
            (f.ref, (f.name,)) for f in section.fields if f.ref]
        if section.key == "funding":
            refs.append(("budget_accounts", ("account", "fiscal_year")))
        for row in document.rows[section.key]:
            for target, names in refs:
                value = tuple(row[n] for n in names)
                if value[0] is None:
                    continue
                if value not in defined[target] and _unwrap(value) not in known.get(target, ()):
                    noun = SECTION[target].sheet.lower().rstrip("s")
                    problems.append(Problem(section.sheet, row["_row"], names[0],
                                            f"no {noun} {_show(value)} in the file or the map",
                                            label))
    return problems


def _unwrap(key: tuple) -> Any:
    return key[0] if len(key) == 1 else key


def _show(key: tuple) -> str:
    return " / ".join(repr(k) if isinstance(k, str) else str(k) for k in key)
