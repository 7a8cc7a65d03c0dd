"""A whole map out of the database (``export_document``) and into it (``import_document``).

Import matches rows by their keys (codes; code and fiscal year for accounts): what exists is
updated, what is missing is created, nothing is deleted. Export orders every section the same
way every time, so a map exported, imported into an empty database and exported again is the
same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.models import (
    BudgetAccount,
    Goal,
    GoalAccountLink,
    Objective,
    ObjectiveLink,
    Pact,
    PactGoal,
    PactMember,
    Pillar,
    Secretariat,
)
from delivery.vocabulary import Direction, Frequency
from strategy_maps.exchange.document import MapDocument
from strategy_maps.exchange.plan_sections import export_plan_rows
from strategy_maps.exchange.schema import CENT

# Section -> model and the fields copied as they are (references are handled one by one).
PLAIN = {
    "pillars": (Pillar, ["code", "name", "position"]),
    "secretariats": (Secretariat, ["code", "name"]),
    "objectives": (Objective, ["code", "name", "position", "description"]),
    "goals": (Goal, ["code", "name", "indicator", "unit", "direction", "frequency",
                     "baseline_value", "baseline_date", "target_value", "target_date",
                     "target_low", "target_high", "tolerance", "off_track_tolerance",
                     "reporting_lag_days", "is_public", "is_output"]),
    "pacts": (Pact, ["code", "name", "description", "starts_on", "ends_on"]),
    "budget_accounts": (BudgetAccount, ["code", "fiscal_year", "name", "programme",
                                        "appropriated", "committed", "spent"]),
}


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def render_text(self) -> str:
        lines = [f"{key:16} {self.created.get(key, 0):6} new {self.updated.get(key, 0):6} "
                 "changed" for key in sorted(set(self.created) | set(self.updated),
                                             key=_SHOWN.index)]
        return "\n".join(lines) or "nothing new or changed: the map already holds every row"


_ORDER = ["pillars", "secretariats", "objectives", "contributions", "goals", "pacts",
          "pact_members", "pact_goals", "budget_accounts", "funding"]
_SHOWN = [*_ORDER, "initiatives", "milestones", "risks"]


def known_keys(session: Session) -> dict[str, set]:
    """The keys already in the database that a file's references may name."""
    def codes(model: Any) -> set:
        return set(session.scalars(select(model.code)))
    return {
        "pillars": codes(Pillar), "secretariats": codes(Secretariat),
        "objectives": codes(Objective), "goals": codes(Goal), "pacts": codes(Pact),
        "budget_accounts": {tuple(row) for row in session.execute(
            select(BudgetAccount.code, BudgetAccount.fiscal_year))},
    }


def export_document(session: Session) -> MapDocument:
    """The whole map in the database as a document (always in the same order)."""
    doc = MapDocument()
    pillars = session.scalars(select(Pillar).order_by(Pillar.position, Pillar.code)).all()
    pillar_code = {p.id: p.code for p in pillars}
    doc.rows["pillars"] = [_plain(p, "pillars") for p in pillars]
    secretariats = session.scalars(select(Secretariat).order_by(Secretariat.code)).all()
    sec_code: dict[int | None, str] = {s.id: s.code for s in secretariats}
    doc.rows["secretariats"] = [_plain(s, "secretariats") for s in secretariats]
    objectives = session.scalars(select(Objective).join(Pillar).order_by(
        Pillar.position, Pillar.code, Objective.position, Objective.code)).all()
    obj_code = {o.id: o.code for o in objectives}
    doc.rows["objectives"] = [_plain(o, "objectives") | {"pillar": pillar_code[o.pillar_id]}
                              for o in objectives]
    doc.rows["contributions"] = sorted(
        ({"source": obj_code[link.source_id], "target": obj_code[link.target_id],
          "weight": link.weight} for link in session.scalars(select(ObjectiveLink))),
        key=lambda r: (r["source"], r["target"]))
    rank = {o.id: i for i, o in enumerate(objectives)}
    goals = sorted(session.scalars(select(Goal)), key=lambda g: (rank[g.objective_id], g.code))
    goal_code = {g.id: g.code for g in goals}
    doc.rows["goals"] = [_plain(g, "goals") | {"objective": obj_code[g.objective_id],
                                               "owner": sec_code.get(g.owner_id)} for g in goals]
    pacts = session.scalars(select(Pact).order_by(Pact.code)).all()
    pact_code = {p.id: p.code for p in pacts}
    doc.rows["pacts"] = [_plain(p, "pacts") for p in pacts]
    doc.rows["pact_members"] = sorted(
        ({"pact": pact_code[m.pact_id], "secretariat": sec_code[m.secretariat_id],
          "is_lead": m.is_lead} for m in session.scalars(select(PactMember))),
        key=lambda r: (r["pact"], r["secretariat"]))
    doc.rows["pact_goals"] = sorted(
        ({"pact": pact_code[g.pact_id], "goal": goal_code[g.goal_id],
          "negotiated_target_value": g.negotiated_target_value,
          "negotiated_target_date": g.negotiated_target_date}
         for g in session.scalars(select(PactGoal))), key=lambda r: (r["pact"], r["goal"]))
    accounts = session.scalars(select(BudgetAccount).order_by(
        BudgetAccount.code, BudgetAccount.fiscal_year)).all()
    account_key = {a.id: (a.code, a.fiscal_year) for a in accounts}
    doc.rows["budget_accounts"] = [
        _plain(a, "budget_accounts") | {"secretariat": sec_code.get(a.secretariat_id)}
        for a in accounts]
    doc.rows["funding"] = sorted(
        ({"goal": goal_code[link.goal_id], "account": account_key[link.account_id][0],
          "fiscal_year": account_key[link.account_id][1], "share": link.share}
         for link in session.scalars(select(GoalAccountLink))),
        key=lambda r: (r["account"], r["fiscal_year"], r["goal"]))
    doc.plans = export_plan_rows(session)
    return doc


def import_document(session: Session, doc: MapDocument) -> ImportSummary:
    """Create or update every row of ``doc`` (a checked document) in the caller's
    transaction; flushes, never commits."""
    summary = ImportSummary()
    refs: dict[str, dict] = {}
    for key in _ORDER:
        handler = _LINKS.get(key)
        for row in doc.rows[key]:
            if handler:
                created, changed = handler(session, row, refs)
            else:
                created, changed = _upsert(session, key, row, refs)
            bucket = summary.created if created else summary.updated
            if created or changed:
                bucket[key] = bucket.get(key, 0) + 1
        session.flush()
    return summary


def _upsert(session: Session, key: str, row: dict, refs: dict[str, dict]) -> tuple[bool, bool]:
    model, names = PLAIN[key]
    lookup = _lookup(session, refs, key)
    ident = (row["code"], row["fiscal_year"]) if key == "budget_accounts" else row["code"]
    values = {n: row[n] for n in names}
    if key == "goals":
        values["direction"] = Direction(values["direction"])
        values["frequency"] = Frequency(values["frequency"])
    for name, target in _REFS.get(key, {}).items():
        values[_FK[name]] = _lookup(session, refs, target)[row[name]].id if row[name] else None
    obj = lookup.get(ident)
    if obj is None:
        obj = model(**values)
        session.add(obj)
        lookup[ident] = obj
        return True, False
    changed = {n: v for n, v in values.items() if _differs(getattr(obj, n), v)}
    for name, value in changed.items():
        setattr(obj, name, value)
    return False, bool(changed)


_REFS = {"objectives": {"pillar": "pillars"},
         "goals": {"objective": "objectives", "owner": "secretariats"},
         "budget_accounts": {"secretariat": "secretariats"}}
_FK = {"pillar": "pillar_id", "objective": "objective_id", "owner": "owner_id",
       "secretariat": "secretariat_id"}


def _lookup(session: Session, refs: dict[str, dict], key: str) -> dict:
    """The rows of a section by key, read once per import and kept up to date by it."""
    if key not in refs:
        model: Any = PLAIN[key][0]
        rows = session.scalars(select(model)).all()
        refs[key] = ({(a.code, a.fiscal_year): a for a in rows} if key == "budget_accounts"
                     else {r.code: r for r in rows})
    return refs[key]


def _link(model: Any, keys: dict[str, tuple[str, str]], values: list[str]) -> Any:
    """A handler that upserts a link row: ``keys`` maps the model's key columns to (row
    field, referenced section); ``values`` are copied."""
    columns = list(keys)

    def handle(session: Session, row: dict, refs: dict[str, dict]) -> tuple[bool, bool]:
        ident = {}
        for column, (name, section) in keys.items():
            target = (row[name], row["fiscal_year"]) if section == "budget_accounts" \
                else row[name]
            ident[column] = _lookup(session, refs, section)[target].id
        if model.__name__ not in refs:
            refs[model.__name__] = {tuple(getattr(o, c) for c in columns): o
                                    for o in session.scalars(select(model))}
        existing = refs[model.__name__]
        obj = existing.get(tuple(ident.values()))
        data = {v: row[v] for v in values}
        if obj is None:
            existing[tuple(ident.values())] = model(**ident, **data)
            session.add(existing[tuple(ident.values())])
            return True, False
        changed = {n: v for n, v in data.items() if _differs(getattr(obj, n), v)}
        for name, value in changed.items():
            setattr(obj, name, value)
        return False, bool(changed)
    return handle


_LINKS = {
    "contributions": _link(ObjectiveLink, {"source_id": ("source", "objectives"),
                                           "target_id": ("target", "objectives")}, ["weight"]),
    "pact_members": _link(PactMember, {"pact_id": ("pact", "pacts"),
                                       "secretariat_id": ("secretariat", "secretariats")},
                          ["is_lead"]),
    "pact_goals": _link(PactGoal, {"pact_id": ("pact", "pacts"), "goal_id": ("goal", "goals")},
                        ["negotiated_target_value", "negotiated_target_date"]),
    "funding": _link(GoalAccountLink, {"goal_id": ("goal", "goals"),
                                       "account_id": ("account", "budget_accounts")},
                     ["share"]),
}


def _plain(obj: Any, key: str) -> dict[str, Any]:
    _, names = PLAIN[key]
    return {n: _value(getattr(obj, n)) for n in names}


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return value.quantize(CENT)
    return value


def _differs(old: Any, new: Any) -> bool:
    return _value(old) != _value(new)
