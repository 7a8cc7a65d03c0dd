"""Mappings for delivery-plan files: which column is what, as for goals and budget files.

```yaml
kind: initiatives           # or milestones, risks, progress
read: {delimiter: ";", sheet: Iniciativas}      # as in every mapping (optional)
initiative:                 # templates: {Column} is the row's text in that column
  code: "{Código}"          # required
  name: "{Nome}"            # required
  secretariat: "{Secretaria}"   # required: code or name of a known secretariat
  description: "{Descrição}"
  responsible: "{Responsável}"
  pact: "{Pacto}"           # code of a known pact
  starts_on: "{Início}"     # ISO dates (2023-01-31)
  ends_on: "{Fim}"
  stage: "{Estágio}"        # planned | in_progress | completed | cancelled
  cancel_reason: "{Motivo}" # required when cancelled
  tolerance_days: "{Tolerância}"
  goals: "{Metas}"          # goal codes separated by ";", each optionally CODE=weight
  accounts: "{Contas}"      # CODE/YEAR separated by ";", each optionally CODE/YEAR=share
```

``kind: milestones`` takes ``milestone: {initiative, name, baseline, forecast, actual, owner,
reason}`` (initiative, name and baseline required; a forecast that moves needs a reason);
``kind: risks`` takes ``risk: {initiative, goal, description, probability, impact, owner,
mitigation, review_on, status}`` (description, probability, impact and an initiative or a goal
required); ``kind: progress`` takes ``progress: {initiative, date, physical_pct, note}`` (all
but the note required; the note explains the figure, at most 2,000 characters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from delivery.importing.limits import FileTooLarge, load_yaml_limited
from delivery.importing.mapping import MAX_MAPPING_BYTES, Checker, MappingError, Template
from delivery.importing.reader import ReadOptions

FIELDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # kind: (section, fields, required)
    "initiatives": ("initiative", (
        "code", "name", "secretariat", "description", "responsible", "pact", "starts_on",
        "ends_on", "stage", "cancel_reason", "tolerance_days", "goals", "accounts"),
        ("code", "name", "secretariat")),
    "milestones": ("milestone", (
        "initiative", "name", "baseline", "forecast", "actual", "owner", "reason"),
        ("initiative", "name", "baseline")),
    "risks": ("risk", (
        "initiative", "goal", "description", "probability", "impact", "owner", "mitigation",
        "review_on", "status"), ("description", "probability", "impact")),
    "progress": ("progress", ("initiative", "date", "physical_pct", "note"),
                 ("initiative", "date", "physical_pct")),
}
KINDS = tuple(FIELDS)


@dataclass(frozen=True)
class PlanMapping:
    """A checked mapping of a delivery-plan file (duck-typed like ``BudgetMapping`` so that
    the budget files' column checks and error blame apply unchanged)."""

    path: Path
    kind: str
    description: str = ""
    read: ReadOptions = field(default_factory=ReadOptions)
    templates: dict[str, Template] = field(default_factory=dict)
    amounts: dict[str, str] = field(default_factory=dict)  # none: kept for ``blame``

    @property
    def section(self) -> str:
        return FIELDS[self.kind][0]

    def column_uses(self) -> list[tuple[str, str]]:
        return [(f"{self.section}.{name}", column) for name, t in self.templates.items()
                for column in t.columns]

    def constant_columns(self) -> list[tuple[str, str]]:
        return [(f"{self.section}.{name}", t.text) for name, t in self.templates.items()
                if not t.columns]


def load_plan_mapping(path: Path | str) -> PlanMapping:
    """Read and check a delivery-plan mapping; MappingError names the key and the reason."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise MappingError(path, "", "is larger than a mapping can be")
        raw = load_yaml_limited(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(path, "", f"cannot be read ({exc.strerror})") from None
    except (UnicodeDecodeError, FileTooLarge) as exc:
        raise MappingError(path, "", f"is refused: {exc}") from None
    except yaml.YAMLError as exc:
        raise MappingError(path, "", f"is not valid YAML: {' '.join(str(exc).split())}") from None
    return plan_mapping(path, raw)


def plan_mapping(path: Path, raw: Any) -> PlanMapping:
    check = Checker(path)
    if not isinstance(raw, dict):
        raise check.fail("", "should be a mapping of keys to values")
    kind = raw.get("kind")
    if kind not in FIELDS:
        raise check.fail("kind", f"should be one of {', '.join(KINDS)}, not {kind!r}")
    section, fields, required = FIELDS[kind]
    top = check.section(raw, "", {"kind", "description", "read", section})
    body = top.get(section)
    if body is None:
        raise check.fail(section, f"is required: {', '.join(required)} (each a template such "
                         "as \"{Column}\")")
    body = check.section(body, section, set(fields))
    templates = {}
    for name in fields:
        text = check.text(body.get(name), f"{section}.{name}", required=name in required)
        if text is not None:
            templates[name] = Template(text)
    return PlanMapping(path, kind, check.text(top.get("description"), "description") or "",
                       check.read(top.get("read")), templates)
