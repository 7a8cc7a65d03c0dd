"""Mappings for budget files: accounts (``kind: budget_accounts``) and goal-account links
(``kind: account_links``). The ``read`` section is the one figure mappings use.

```yaml
kind: budget_accounts
read: {delimiter: ";", decimal: ",", thousands: "."}
account:                      # templates, as a goal's code: {Column} is the column's text
  code: "{Conta}"             # required
  fiscal_year: "{Exercício}"  # required; a constant such as 2024 is fine
  name: "{Descrição}"         # required
  programme: "{Programa}"     # optional
  secretariat: "{UG}"         # optional: code or name of a secretariat already known
amounts:                      # column names; appropriated required, the others optional
  appropriated: Dotação
  committed: Empenhado
  spent: Pago
```

```yaml
kind: account_links
link: {account: "{Conta}", fiscal_year: "{Ano}", goal: "{Meta}"}
share: {column: Participação, as: percent}   # or `share: Col` (a fraction); default 1
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from delivery.i18n import _
from delivery.importing.mapping import Checker, MappingError, Template
from delivery.importing.reader import ReadOptions

ACCOUNT_FIELDS = ("code", "fiscal_year", "name", "programme", "secretariat")
ACCOUNT_REQUIRED = ("code", "fiscal_year", "name")
AMOUNTS = ("appropriated", "committed", "spent")
LINK_FIELDS = ("account", "fiscal_year", "goal")
SHARE_UNITS = ("fraction", "percent")


@dataclass(frozen=True)
class BudgetMapping:
    """A checked mapping of a budget file: accounts, or links from goals to accounts."""

    path: Path
    kind: str
    description: str = ""
    read: ReadOptions = field(default_factory=ReadOptions)
    templates: dict[str, Template] = field(default_factory=dict)  # field -> template
    amounts: dict[str, str] = field(default_factory=dict)  # amount -> column
    share_column: str | None = None
    share_unit: str = "fraction"

    def column_uses(self) -> list[tuple[str, str]]:
        """(mapping key, column) for every file column the mapping names."""
        section = "account" if self.kind == "budget_accounts" else "link"
        uses = [(f"{section}.{name}", column) for name, template in self.templates.items()
                for column in template.columns]
        uses += [(f"amounts.{name}", column) for name, column in self.amounts.items()]
        if self.share_column:
            uses.append(("share.column", self.share_column))
        return uses

    def constant_columns(self) -> list[tuple[str, str]]:
        """(mapping key, text) for templates without a column: a column's name written
        without braces is a likely slip, checked against the file's header."""
        section = "account" if self.kind == "budget_accounts" else "link"
        return [(f"{section}.{name}", t.text) for name, t in self.templates.items()
                if not t.columns]


def budget_mapping(path: Path, raw: dict[str, Any]) -> BudgetMapping:
    """Check the parsed YAML of a budget mapping; raises MappingError naming the key."""
    check = Checker(path)
    kind = raw["kind"]
    if kind == "budget_accounts":
        top = check.section(raw, "", {"kind", "description", "read", "account", "amounts"})
        templates = _templates(check, top.get("account"), "account", ACCOUNT_FIELDS,
                               ACCOUNT_REQUIRED)
        amounts_raw = check.section(top.get("amounts"), "amounts", set(AMOUNTS))
        if "appropriated" not in amounts_raw:
            raise check.fail("amounts.appropriated", _("is required (the column of the amount "
                                                       "appropriated)"))
        amounts = {name: check.column(amounts_raw[name], f"amounts.{name}", required=True) or ""
                   for name in AMOUNTS if name in amounts_raw}
        return BudgetMapping(path, kind, check.text(top.get("description"), "description") or "",
                             check.read(top.get("read")), templates, amounts)
    top = check.section(raw, "", {"kind", "description", "read", "link", "share"})
    templates = _templates(check, top.get("link"), "link", LINK_FIELDS, LINK_FIELDS)
    column, unit = _share(check, top.get("share"))
    return BudgetMapping(path, kind, check.text(top.get("description"), "description") or "",
                         check.read(top.get("read")), templates, share_column=column,
                         share_unit=unit)


def _templates(check: Checker, raw: Any, key: str, fields: tuple[str, ...],
               required: tuple[str, ...]) -> dict[str, Template]:
    if raw is None:
        raise check.fail(key, _("is required: {keys} (each a template such as "
                                "\"{{Column}}\")").format(keys=", ".join(required)))
    section = check.section(raw, key, set(fields))
    templates = {}
    for name in fields:
        text = check.text(section.get(name), f"{key}.{name}", required=name in required)
        if text is not None:
            templates[name] = Template(text)
    return templates


def _share(check: Checker, raw: Any) -> tuple[str | None, str]:
    if raw is None:
        return None, "fraction"
    if not isinstance(raw, dict):
        return check.column(raw, "share", required=True), "fraction"
    section = check.section(raw, "share", {"column", "as"})
    unit = check.text(section.get("as"), "share.as") or "fraction"
    if unit not in SHARE_UNITS:
        raise check.fail("share.as", _("should be fraction (0.25) or percent (25), not "
                                       "{value}").format(value=repr(unit)))
    return check.column(section.get("column"), "share.column", required=True), unit


__all__ = ["BudgetMapping", "MappingError", "budget_mapping"]
