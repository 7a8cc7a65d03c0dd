"""What a map file holds: its sections (one per kind of thing, a sheet each in Excel), their
fields, and how a field's value is read from what a person typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from delivery.vocabulary import Direction, Frequency

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Field:
    name: str
    type: str = "text"  # text, int, float, money, date, bool, choice
    required: bool = False
    help: str = ""
    default: Any = None
    choices: tuple[str, ...] = ()
    ref: str | None = None  # the section whose code this field names


@dataclass(frozen=True)
class Section:
    key: str  # the YAML key
    sheet: str  # the Excel sheet
    help: str
    fields: tuple[Field, ...]
    keys: tuple[str, ...] = ("code",)  # the fields that say which row this is

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _code(help_: str) -> Field:
    return Field("code", required=True, help=help_)


_NAME = Field("name", required=True, help="Name shown on screens.")
_POSITION = Field("position", "int", default=0, help="Order on screens (smaller first).")

SECTIONS: tuple[Section, ...] = (
    Section("pillars", "Pillars", "The top of the strategy map.", (
        _code("Short unique code, e.g. SEG."), _NAME, _POSITION)),
    Section("secretariats", "Secretariats", "The secretariats that own goals and join pacts.", (
        _code("Short unique code, e.g. SDS."), _NAME)),
    Section("objectives", "Objectives", "Strategic objectives, each in one pillar.", (
        _code("Unique code, e.g. OE01."), _NAME,
        Field("pillar", required=True, ref="pillars", help="Code of its pillar."),
        _POSITION, Field("description", default="", help="A sentence or two."))),
    Section("contributions", "Contributions",
            "Objective `source` contributes to objective `target` (cause and effect).", (
        Field("source", required=True, ref="objectives", help="Contributing objective code."),
        Field("target", required=True, ref="objectives", help="Objective it contributes to."),
        Field("weight", "float", default=1.0,
              help="How much it counts in the target's score (own goals count 1)."),
    ), keys=("source", "target")),
    Section("goals", "Goals", "Priority goals: a promise with an owner and a target.", (
        _code("Unique code, e.g. SDS-FEM."), _NAME,
        Field("objective", required=True, ref="objectives", help="Code of the objective served."),
        Field("owner", ref="secretariats", help="Code of the lead secretariat."),
        Field("indicator", required=True, help="What is measured."),
        Field("unit", default="", help="Unit of the indicator, e.g. deaths, %."),
        Field("direction", "choice", required=True, choices=tuple(d.value for d in Direction),
              help="up: higher is better; down: lower is better; range: inside a band."),
        Field("frequency", "choice", required=True, choices=tuple(f.value for f in Frequency),
              help="How often a figure is reported."),
        Field("baseline_value", "float", help="Value at the baseline date."),
        Field("baseline_date", "date", help="Date of the baseline (YYYY-MM-DD)."),
        Field("target_value", "float", help="Value promised by the target date."),
        Field("target_date", "date", help="Deadline (YYYY-MM-DD)."),
        Field("target_low", "float", help="Range goals: bottom of the acceptable band."),
        Field("target_high", "float", help="Range goals: top of the acceptable band."),
        Field("tolerance", "float", default=0.05,
              help="Shortfall (share of the planned change) still on track."),
        Field("off_track_tolerance", "float", default=0.15,
              help="Shortfall beyond which the goal is off track."),
        Field("reporting_lag_days", "int", help="Days after a period before its figure is late."),
        Field("is_public", "bool", default=False, help="Shown on the public scorecard."),
        Field("is_output", "bool", default=False,
              help="An output (e.g. dispatches): enables cost per unit."),
    )),
    Section("pacts", "Pacts", "Cross-agency performance pacts.", (
        _code("Short unique code, e.g. PPV."), _NAME,
        Field("description", default="", help="What the pact is about."),
        Field("starts_on", "date", help="First day (YYYY-MM-DD)."),
        Field("ends_on", "date", help="Last day (YYYY-MM-DD)."),
    )),
    Section("pact_members", "Pact members", "The secretariats that sign each pact.", (
        Field("pact", required=True, ref="pacts", help="Pact code."),
        Field("secretariat", required=True, ref="secretariats", help="Secretariat code."),
        Field("is_lead", "bool", default=False, help="The secretariat that leads the pact."),
    ), keys=("pact", "secretariat")),
    Section("pact_goals", "Pact goals", "The goals each pact covers, with negotiated targets.", (
        Field("pact", required=True, ref="pacts", help="Pact code."),
        Field("goal", required=True, ref="goals", help="Goal code."),
        Field("negotiated_target_value", "float", help="Target agreed in the pact, if different."),
        Field("negotiated_target_date", "date", help="Deadline agreed in the pact, if different."),
    ), keys=("pact", "goal")),
    Section("budget_accounts", "Budget accounts", "Budget lines, one row per fiscal year.", (
        _code("Account code, e.g. 0412.4135 (keep it as text)."),
        Field("fiscal_year", "int", required=True, help="Fiscal year, e.g. 2022."), _NAME,
        Field("programme", help="Programme the account is filed under, if any."),
        Field("secretariat", ref="secretariats", help="Code of the secretariat that holds it."),
        Field("appropriated", "money", default=Decimal("0.00"), help="Budget appropriated."),
        Field("committed", "money", default=Decimal("0.00"), help="Money committed so far."),
        Field("spent", "money", default=Decimal("0.00"), help="Money spent so far."),
    ), keys=("code", "fiscal_year")),
    Section("funding", "Funding", "Which accounts fund which goals, and with what share.", (
        Field("goal", required=True, ref="goals", help="Goal code."),
        Field("account", required=True, help="Budget account code."),
        Field("fiscal_year", "int", required=True, help="Fiscal year of the account."),
        Field("share", "float", required=True,
              help="Share of the account serving the goal: more than 0, at most 1."),
    ), keys=("goal", "account", "fiscal_year")),
)
SECTION = {s.key: s for s in SECTIONS}


def read_value(field: Field, value: Any) -> Any:
    """The value of ``field`` from what was typed or stored; raises ValueError saying what was
    expected. Blank means the default."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return field.default
    reader = _READERS[field.type]
    try:
        result = reader(value)
    except (ValueError, TypeError, InvalidOperation):
        raise ValueError(f"{value!r} is not {_EXPECTED[field.type]}") from None
    if field.choices and result not in field.choices:
        raise ValueError(f"{value!r} should be one of {', '.join(field.choices)}")
    return result


def _text(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError
    return str(value).strip()


def _int(value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError
    return int(value)


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    return float(value)


def _money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    return Decimal(str(value).strip()).quantize(CENT)


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise ValueError
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "y", "1", "x"}:
        return True
    if text in {"false", "no", "n", "0"}:
        return False
    raise ValueError


def _choice(value: Any) -> str:
    return str(value).strip().lower()


_READERS = {"text": _text, "int": _int, "float": _float, "money": _money, "date": _date,
            "bool": _bool, "choice": _choice}
_EXPECTED = {"text": "text", "int": "a whole number", "float": "a number",
             "money": "an amount of money", "date": "a date like 2024-06-30",
             "bool": "yes or no", "choice": "one of the choices"}
