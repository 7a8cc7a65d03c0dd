"""Mapping files: which column of a CSV or Excel file is what, in a small YAML file.

```yaml
description: SINESP monthly occurrences per state and crime type
read:                     # all optional; the defaults are shown
  delimiter: ","          # CSV only; "\\t" for tabs
  encoding: utf-8         # also latin-1, cp1252...; a UTF-8 byte-order mark is fine
  decimal: "."            # "," for 1,5
  thousands: null         # "." for 1.234,5
  sheet: null             # Excel only: a sheet name or number (1 = first); default first
  skip_rows: 0            # lines above the header
  blank: []               # cell texts that mean "no value", e.g. [" ", "-"]; "" always does
  day_first: false        # 01/02/2021 is 1 February (else 2 January); also the period default
filter: {UF: [Pernambuco]}            # optional: keep only rows whose column is one of the values
layout: long                          # long (one row per goal and period) | wide
wide:                                 # wide only: the columns that hold values...
  all_except: [ano, mes, fase]        # ...all but these, or list them: columns: [a, b]
  as: indicator                       # the name the header takes; "period" = headers are periods
goal:
  code: "SINESP/{UF}/{Tipo Crime}"    # {Column} is the column's text; other text is kept as is
  create_missing: true                # default false: a row for an unknown goal is rejected
  set:                                # goal attributes, each a template (see below)
    name: "{Tipo Crime} in {UF}"
    objective: Public safety          # by code or name; created under `pillar` if missing
    owner: SDS                        # secretariat by code or name; created if missing
    direction: down                   # up | down | range
    frequency: monthly                # weekly | monthly | quarterly | yearly
    unit: occurrences
period: {year: Ano, month: Mês}       # or {column: Período, format: month, day_first: true,
                                      #     fiscal_year_end_month: 3}
value: Ocorrências                    # long only; no value and no period = goals only
provisional: {column: fase, values: ["2"]}   # optional: these rows are provisional figures
source: SINESP                        # stored with each figure; default the file's name
known_on: {column: Publicado, day_first: true}   # optional: the day each figure became known
                                      # (a backfill); or a template "{Ano}-03-31", or a date
note: {column: Observação}            # optional: each figure's note, or one text stored
                                      # with the figures the rules question (see below)
rules:                                # optional: the goals' plausibility rules, each a value
  max_jump: 0.5                       #   or a template ("{Max jump}"); blank = the default
  allow_negative: false               # see delivery.plausibility.rules
```

Goal attributes: name, objective, owner, indicator, unit, direction, frequency, baseline_value,
baseline_date, target_value, target_date, target_low, target_high, tolerance,
off_track_tolerance, reporting_lag_days, is_public, is_output, and pillar (only used when an
objective has to be created; default "Unassigned"). Each is a template, or a lookup table:

```yaml
    direction: {template: "{indicator}", lookup: {apreensao_drogas: up}, default: down}
```

A template whose column is blank in a row leaves that attribute alone. ``period.format`` is
auto (default), date, month, quarter, year or fiscal_year; see ``delivery.importing.periods``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from delivery.i18n import _
from delivery.importing.attributes import ATTRIBUTES, convert
from delivery.importing.limits import FileTooLarge, load_yaml_limited
from delivery.importing.periods import FORMATS, fold, parse_periods
from delivery.importing.reader import ReadOptions
from delivery.models import Figure
from delivery.plausibility.rules import RULE_FIELDS, read_rule_changes
from delivery.settings import Settings, load_settings


class MappingError(ValueError):
    """A mapping file that cannot be used: names the file, the key and the reason."""

    def __init__(self, path: Path | str, key: str, reason: str) -> None:
        self.path, self.key, self.reason = str(path), key, reason
        super().__init__(f"{path}: {key}: {reason}" if key else f"{path}: {reason}")


_FIELD = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Template:
    """Text with ``{Column}`` placeholders."""

    text: str

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.strip() for m in _FIELD.findall(self.text)))

    def render(self, cell: Callable[[str], str | None]) -> str | None:
        """The text with each column's cell; None if one of those cells is blank."""
        missing = False

        def fill(match: re.Match[str]) -> str:
            nonlocal missing
            value = cell(match.group(1).strip())
            missing = missing or value is None
            return value or ""

        rendered = _FIELD.sub(fill, self.text)
        return None if missing else rendered


@dataclass(frozen=True)
class AttributeRule:
    """How one goal attribute is filled: a template, optionally looked up in a table."""

    template: Template
    lookup: Mapping[str, str] | None = None
    default: Template | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        extra = self.default.columns if self.default else ()
        return tuple(dict.fromkeys((*self.template.columns, *extra)))

    def render(self, cell: Callable[[str], str | None]) -> str | None:
        key = self.template.render(cell)
        if key is None or self.lookup is None:
            return key
        folded = {fold(k): v for k, v in self.lookup.items()}
        if key in self.lookup:
            return self.lookup[key]
        if fold(key) in folded:
            return folded[fold(key)]
        return self.default.render(cell) if self.default else key


@dataclass(frozen=True)
class PeriodSpec:
    column: str | None = None
    year: str | None = None
    month: str | None = None
    format: str = "auto"
    day_first: bool = False
    fiscal_year_end_month: int = 12

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c in (self.column, self.year, self.month) if c)


@dataclass(frozen=True)
class KnownOnSpec:
    """The mapping's ``known_on``: a template of a date (``{column}``, or a constant), read as
    ``format`` (a month or a year stands for its last day: known by then)."""

    template: Template
    format: str = "date"
    day_first: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        return self.template.columns


@dataclass(frozen=True)
class WideSpec:
    columns: tuple[str, ...] | None
    all_except: tuple[str, ...] | None
    name: str  # the mapping's ``as``: what a header is called in templates


@dataclass(frozen=True)
class ImportMapping:
    """A validated mapping file."""

    path: Path
    description: str = ""
    read: ReadOptions = field(default_factory=ReadOptions)
    filter: Mapping[str, frozenset[str]] = field(default_factory=dict)
    layout: str = "long"
    wide: WideSpec | None = None
    code: Template = Template("")
    create_missing: bool = False
    set: Mapping[str, AttributeRule] = field(default_factory=dict)
    period: PeriodSpec | None = None
    value: str | None = None
    provisional_column: str | None = None
    provisional_values: frozenset[str] = frozenset()
    source: str | None = None
    known_on: KnownOnSpec | None = None
    note_column: str | None = None
    note_text: str = ""
    rules: Mapping[str, Template] = field(default_factory=dict)

    @property
    def has_figures(self) -> bool:
        return self.period is not None

    def column_uses(self) -> list[tuple[str, str]]:
        """(mapping key, column) for every file column the mapping names."""
        uses = [(f"filter.{c}", c) for c in self.filter]
        uses += [("goal.code", c) for c in self.code.columns]
        for attribute, rule in self.set.items():
            uses += [(f"goal.set.{attribute}", c) for c in rule.columns]
        if self.period:
            uses += [(f"period.{k}", getattr(self.period, k)) for k in ("column", "year", "month")
                     if getattr(self.period, k)]
        if self.value:
            uses.append(("value", self.value))
        if self.provisional_column:
            uses.append(("provisional.column", self.provisional_column))
        if self.known_on:
            uses += [("known_on", c) for c in self.known_on.columns]
        if self.note_column:
            uses.append(("note.column", self.note_column))
        for rule, template in self.rules.items():
            uses += [(f"rules.{rule}", c) for c in template.columns]
        if self.wide:
            uses += [("wide.columns", c) for c in self.wide.columns or ()]
            uses += [("wide.all_except", c) for c in self.wide.all_except or ()]
            uses = [(k, c) for k, c in uses if c != self.wide.name or k.startswith("wide.")]
        return uses


FIGURES = "figures"  # the default kind: goals and their figures
BUDGET_KINDS = ("budget_accounts", "account_links")
MAX_MAPPING_BYTES = 256 * 1024
_TOP = {"kind", "description", "read", "filter", "layout", "wide", "goal", "period", "value",
        "provisional", "source", "known_on", "note", "rules"}


def load_mapping(path: Path | str, settings: Settings | None = None) -> ImportMapping:
    """Read and check a mapping file. ``settings`` gives the default fiscal year end month."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise MappingError(path, "", _("is larger than {size} KB; a mapping is a few "
                                           "lines").format(size=MAX_MAPPING_BYTES // 1024))
        raw = load_yaml_limited(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(path, "", _("cannot be read ({reason})").format(
            reason=exc.strerror)) from None
    except UnicodeDecodeError:
        raise MappingError(path, "", _("is not UTF-8 text")) from None
    except FileTooLarge as exc:
        raise MappingError(path, "", _("is refused: {reason}").format(reason=exc)) from None
    except yaml.YAMLError as exc:
        raise MappingError(path, "", _("is not valid YAML: {reason}").format(
            reason=" ".join(str(exc).split()))) from None
    kind = raw.get("kind", FIGURES) if isinstance(raw, dict) else FIGURES
    if kind in BUDGET_KINDS:
        from delivery.importing.budget_mapping import budget_mapping

        return budget_mapping(path, raw)  # type: ignore[return-value]
    if kind != FIGURES:
        raise MappingError(path, "kind", _("should be one of {choices}, not {value}").format(
            choices=", ".join((FIGURES, *BUDGET_KINDS)), value=repr(kind)))
    fy_end = (settings or load_settings()).fiscal_year_end_month
    return Checker(path).mapping(raw, fy_end)


class Checker:
    """Turns the parsed YAML into an ImportMapping, raising MappingError at the first problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, reason: str) -> MappingError:
        return MappingError(self.path, key, reason)

    def section(self, raw: Any, key: str, allowed: set[str]) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise self.fail(key, _("should be a mapping of keys to values, not {value}").format(
                value=repr(raw)))
        for name in raw:
            if name not in allowed:
                prefix = f"{key}." if key else ""
                raise self.fail(f"{prefix}{name}", _("unknown key (expected one of {keys})").format(
                    keys=", ".join(sorted(allowed))))
        return raw

    def text(self, raw: Any, key: str, *, required: bool = False,
             spaces: bool = False) -> str | None:
        if raw is None:
            if required:
                raise self.fail(key, _("is required"))
            return None
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise self.fail(key, _("should be a text, not {value}").format(value=repr(raw)))
        text = str(raw)
        if required and not (text if spaces else text.strip()):
            raise self.fail(key, _("should not be empty"))
        return text

    def column(self, raw: Any, key: str, *, required: bool = False) -> str | None:
        """A key that names one column: ``Valor``, not the template ``{Valor}``."""
        name = self.text(raw, key, required=required)
        if name is not None and _FIELD.search(name):
            plain = ", ".join(Template(name).columns)
            raise self.fail(key, _("names one column, not a template: write {plain}, not "
                                   "{template}").format(plain=plain, template=name))
        return name

    def texts(self, raw: Any, key: str, spaces: bool = False) -> tuple[str, ...]:
        items = raw if isinstance(raw, list) else [raw]
        return tuple(self.text(item, f"{key}[{i}]", required=True, spaces=spaces) or ""
                     for i, item in enumerate(items))

    def flag(self, raw: Any, key: str, default: bool) -> bool:
        if raw is None:
            return default
        if not isinstance(raw, bool):
            raise self.fail(key, _("should be true or false, not {value}").format(
                value=repr(raw)))
        return raw

    def mapping(self, raw: Any, fy_end: int) -> ImportMapping:
        if not isinstance(raw, dict):
            raise self.fail("", _("should be a YAML mapping with at least `goal: {code: ...}`"))
        top = self.section(raw, "", _TOP)
        read = self.read(top.get("read"))
        layout = self.text(top.get("layout"), "layout") or "long"
        if layout not in {"long", "wide"}:
            raise self.fail("layout", _("should be long or wide, not {value}").format(
                value=repr(layout)))
        wide = self.wide(top.get("wide"), layout)
        goal = self.section(top.get("goal"), "goal", {"code", "create_missing", "set"})
        code = Template(self.text(goal.get("code"), "goal.code", required=True) or "")
        attributes = self.attributes(goal.get("set"), read)
        value = self.column(top.get("value"), "value")
        period = self.period(top.get("period"), read, fy_end, wide)
        if layout == "wide" and value is not None:
            raise self.fail("value", _("a wide layout takes its values from the wide columns"))
        if layout == "long" and (value is None) != (period is None):
            missing = "value" if value is None else "period"
            raise self.fail(missing, _("is required when {other} is given (or give neither for "
                                       "a goals-only import)").format(
                other="period" if value is None else "value"))
        prov = self.section(top.get("provisional"), "provisional", {"column", "values"})
        if prov and period is None:
            raise self.fail("provisional", _("only makes sense when figures are imported"))
        return ImportMapping(
            path=self.path,
            description=self.text(top.get("description"), "description") or "",
            read=read,
            filter=self.filters(top.get("filter")),
            layout=layout,
            wide=wide,
            code=code,
            create_missing=self.flag(goal.get("create_missing"), "goal.create_missing", False),
            set=attributes,
            period=period,
            value=value,
            provisional_column=self.column(prov.get("column"), "provisional.column",
                                         required=bool(prov)),
            provisional_values=self.provisional_values(prov),
            source=self.source(top.get("source")),
            known_on=self.known_on(top.get("known_on"), read, period),
            **self.note(top.get("note"), period is not None),
            rules=self.rules(top.get("rules")),
        )

    def note(self, raw: Any, figures: bool) -> dict[str, Any]:
        if raw is None:
            return {}
        if not figures:
            raise self.fail("note", _("only makes sense when figures are imported"))
        if isinstance(raw, dict):
            section = self.section(raw, "note", {"column"})
            return {"note_column": self.text(section.get("column"), "note.column",
                                             required=True)}
        return {"note_text": (self.text(raw, "note") or "").strip()}

    def rules(self, raw: Any) -> dict[str, Template]:
        section = self.section(raw, "rules", set(RULE_FIELDS))
        rules = {}
        for key, value in section.items():
            if value is not None and (isinstance(value, dict | list)):
                raise self.fail(f"rules.{key}", _("should be a value or a template, not "
                                                  "{value}").format(value=repr(value)))
            text = "" if value is None else str(value).lower() if isinstance(value, bool) \
                else str(value)
            template = Template(text)
            if not template.columns:  # a constant: checked now, not once per goal
                try:
                    read_rule_changes({key: text})
                except ValueError as error:
                    raise self.fail(f"rules.{key}", str(error).split(": ", 1)[-1]) from None
            rules[key] = template
        return rules

    def read(self, raw: Any) -> ReadOptions:
        keys = {"delimiter", "encoding", "decimal", "thousands", "sheet", "skip_rows", "blank",
                "day_first"}
        section = self.section(raw, "read", keys)
        defaults = ReadOptions()
        delimiter = self.text(section.get("delimiter"), "read.delimiter") or defaults.delimiter
        delimiter = {"tab": "\t", "\\t": "\t"}.get(delimiter, delimiter)
        if len(delimiter) != 1:
            raise self.fail("read.delimiter", _("should be one character, not {value}").format(
                value=repr(delimiter)))
        encoding = self.text(section.get("encoding"), "read.encoding") or defaults.encoding
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise self.fail("read.encoding", _("unknown encoding {value}").format(
                value=repr(encoding))) from None
        decimal = self.text(section.get("decimal"), "read.decimal") or "."
        thousands = self.text(section.get("thousands"), "read.thousands")
        if len(decimal) != 1 or (thousands is not None and len(thousands) != 1):
            raise self.fail("read.decimal" if len(decimal) != 1 else "read.thousands",
                            _("should be one character"))
        if thousands == decimal:
            raise self.fail("read.thousands", _("should differ from {key}").format(
                key="read.decimal"))
        sheet = section.get("sheet")
        if sheet is not None and (isinstance(sheet, bool) or not isinstance(sheet, str | int)):
            raise self.fail("read.sheet", _("should be a sheet name or number, not {value}").format(
                value=repr(sheet)))
        skip = section.get("skip_rows", 0)
        if isinstance(skip, bool) or not isinstance(skip, int) or skip < 0:
            raise self.fail("read.skip_rows", _("should be a whole number >= 0, not "
                                                "{value}").format(value=repr(skip)))
        blank = section.get("blank", [])
        blank = self.texts(blank, "read.blank", spaces=True) if blank else ()
        return ReadOptions(delimiter, encoding, decimal, thousands, sheet, skip, tuple(blank),
                           self.flag(section.get("day_first"), "read.day_first", False))

    def source(self, raw: Any) -> str | None:
        text = self.text(raw, "source")
        limit = int(getattr(Figure.__table__.c.source.type, "length", 0) or 10**9)
        if text is not None and len(text) > limit:
            raise self.fail("source", _("is {length} characters long (at most {limit})").format(
                length=len(text), limit=limit))
        return text

    def provisional_values(self, section: dict[str, Any]) -> frozenset[str]:
        if not section:
            return frozenset()
        if not section.get("values"):
            raise self.fail("provisional.values",
                            _("should list the texts that mean provisional"))
        return frozenset(v.strip() for v in self.texts(section["values"], "provisional.values"))

    def filters(self, raw: Any) -> dict[str, frozenset[str]]:
        section = raw if raw is not None else {}
        if not isinstance(section, dict):
            raise self.fail("filter", _("should map column names to the values to keep"))
        return {str(col): frozenset(v.strip() for v in self.texts(values, f"filter.{col}"))
                for col, values in section.items()}

    def wide(self, raw: Any, layout: str) -> WideSpec | None:
        if layout == "long":
            if raw is not None:
                raise self.fail("wide", _("only applies with layout: wide"))
            return None
        section = self.section(raw, "wide", {"columns", "all_except", "as"})
        if ("columns" in section) == ("all_except" in section):
            raise self.fail("wide", _("give either columns or all_except"))
        name = self.text(section.get("as"), "wide.as", required=True) or ""
        columns = self.texts(section["columns"], "wide.columns") if "columns" in section else None
        if columns == ():
            raise self.fail("wide.columns", _("should name at least one column"))
        others = section.get("all_except")
        all_except = self.texts(others, "wide.all_except") if others else ()
        return WideSpec(columns, None if columns else all_except, name.strip())

    def attributes(self, raw: Any, read: ReadOptions) -> dict[str, AttributeRule]:
        section = self.section(raw, "goal.set", set(ATTRIBUTES))
        rules = {}
        for attribute, value in section.items():
            key = f"goal.set.{attribute}"
            rule = self.rule(value, key)
            if not rule.columns and rule.lookup is None:
                try:  # a constant can be checked now rather than on every row
                    convert(attribute, rule.template.text, read)
                except ValueError as exc:
                    raise self.fail(key, str(exc)) from None
            rules[attribute] = rule
        return rules

    def rule(self, raw: Any, key: str) -> AttributeRule:
        if not isinstance(raw, dict):
            return AttributeRule(Template(self.text(raw, key, required=True) or ""))
        section = self.section(raw, key, {"template", "lookup", "default"})
        template = Template(self.text(section.get("template"), f"{key}.template",
                                      required=True) or "")
        lookup = section.get("lookup")
        if not isinstance(lookup, dict) or not lookup:
            raise self.fail(f"{key}.lookup",
                            _("should map texts to values, e.g. {hom: Homicide}"))
        table = {str(k).strip(): self.text(v, f"{key}.lookup.{k}", required=True) or ""
                 for k, v in lookup.items()}
        default = self.text(section.get("default"), f"{key}.default")
        return AttributeRule(template, table, Template(default) if default is not None else None)

    def known_on(self, raw: Any, read: ReadOptions,
                 period: PeriodSpec | None) -> KnownOnSpec | None:
        if raw is None:
            return None
        if period is None:
            raise self.fail("known_on", _("only makes sense when figures are imported"))
        if isinstance(raw, date):  # YAML reads an unquoted 2023-01-10 as a date
            raw = raw.isoformat()
        section = raw if isinstance(raw, dict) else {"template": raw}
        section = self.section(section, "known_on", {"column", "template", "format",
                                                     "day_first"})
        if ("column" in section) == ("template" in section):
            raise self.fail("known_on", _("give a column ({column: Published}), a template or a "
                                          "date"))
        column = self.text(section.get("column"), "known_on.column", required="column" in section)
        key = "known_on.column" if column is not None else "known_on"
        text = self.text(section.get("template"), key, required=column is None)
        template = Template(f"{{{column}}}" if column is not None else text or "")
        fmt = self.text(section.get("format"), "known_on.format") or "date"
        if fmt not in FORMATS or fmt == "auto":
            raise self.fail("known_on.format", _("should be one of {choices}, not {value}").format(
                choices=", ".join(f for f in FORMATS if f != "auto"), value=repr(fmt)))
        spec = KnownOnSpec(template, fmt, self.flag(section.get("day_first"),
                                                    "known_on.day_first", read.day_first))
        if not spec.columns:  # a constant: checked once, here
            parsed = parse_periods(pd.Series([spec.template.text], dtype=object), fmt,
                                   day_first=spec.day_first)
            if parsed["error"].iloc[0]:
                raise self.fail(key, f"{spec.template.text!r}: {parsed['error'].iloc[0]}")
        return spec

    def period(self, raw: Any, read: ReadOptions, fy_end: int,
               wide: WideSpec | None) -> PeriodSpec | None:
        if raw is None:
            if wide and wide.name == "period":
                return PeriodSpec(column="period", day_first=read.day_first,
                                  fiscal_year_end_month=fy_end)
            return None
        keys = {"column", "year", "month", "format", "day_first", "fiscal_year_end_month"}
        section = self.section(raw, "period", keys)
        column = self.column(section.get("column"), "period.column")
        year = self.column(section.get("year"), "period.year")
        month = self.column(section.get("month"), "period.month")
        if column is None and wide and wide.name == "period":
            column = "period"
        if column is not None and (year or month):
            raise self.fail("period", _("give either column or year and month, not both"))
        if column is None and not (year and month):
            raise self.fail("period", _("give column (one column) or year and month (two "
                                        "columns)"))
        fmt = self.text(section.get("format"), "period.format") or "auto"
        if fmt not in FORMATS:
            raise self.fail("period.format", _("should be one of {choices}, not {value}").format(
                choices=", ".join(FORMATS), value=repr(fmt)))
        if year and "format" in section:
            raise self.fail("period.format", _("only applies to a single period column"))
        end = section.get("fiscal_year_end_month", fy_end)
        if isinstance(end, bool) or not isinstance(end, int) or not 1 <= end <= 12:
            raise self.fail("period.fiscal_year_end_month", _("should be 1-12, not {value}").format(
                value=repr(end)))
        day_first = self.flag(section.get("day_first"), "period.day_first", read.day_first)
        return PeriodSpec(column, year, month, fmt, day_first, end)
