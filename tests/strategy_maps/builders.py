"""Hand-built strategy maps for tests: name things by code, ids are handed out in order."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from strategy_maps.frames import MapFrames
from strategy_maps.graph import graph_from_frames
from strategy_maps.index import MapIndex


class MapBuilder:
    """``MapBuilder().goal("G1", objective="O1")`` creates O1, its pillar P and owner S1 too."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.ids: dict[tuple[str, str], int] = {}

    def id(self, table: str, code: str) -> int:
        return self.ids[table, code]

    def _add(self, table: str, code: str, **row: Any) -> int:
        if (table, code) not in self.ids:
            self.ids[table, code] = len(self.ids) + 1
            self.tables[table].append({"id": self.ids[table, code], "code": code,
                                       "name": row.pop("name", f"{table} {code}"), **row})
        return self.ids[table, code]

    def pillar(self, code: str) -> MapBuilder:
        self._add("pillars", code)
        return self

    def objective(self, code: str, pillar: str = "P") -> MapBuilder:
        self.pillar(pillar)
        self._add("objectives", code, pillar_id=self.id("pillars", pillar))
        return self

    def secretariat(self, code: str) -> MapBuilder:
        self._add("secretariats", code)
        return self

    def goal(self, code: str, objective: str = "O1", owner: str | None = "S1",
             **attrs: Any) -> MapBuilder:
        self.objective(objective) if ("objectives", objective) not in self.ids else None
        if owner:
            self.secretariat(owner)
        attrs.setdefault("target_value", 100.0)
        self._add("goals", code, objective_id=self.id("objectives", objective),
                  owner_id=self.id("secretariats", owner) if owner else None, **attrs)
        return self

    def contributes(self, source: str, target: str, weight: float = 1.0) -> MapBuilder:
        for code in (source, target):
            if ("objectives", code) not in self.ids:
                self.objective(code)
        self.tables["objective_links"].append({
            "source_id": self.id("objectives", source),
            "target_id": self.id("objectives", target), "weight": weight})
        return self

    def pact(self, code: str, members: tuple[str, ...] = ("S1", "S2"),
             goals: dict[str, dict[str, Any]] | None = None) -> MapBuilder:
        pact_id = self._add("pacts", code)
        for member in members:
            self.secretariat(member)
            self.tables["pact_members"].append(
                {"pact_id": pact_id, "secretariat_id": self.id("secretariats", member)})
        for goal, deal in (goals or {}).items():
            self.tables["pact_goals"].append(
                {"pact_id": pact_id, "goal_id": self.id("goals", goal), **deal})
        return self

    def account(self, code: str, funds: dict[str, float] | None = None, *,
                fiscal_year: int = 2022, appropriated: float = 0.0, committed: float = 0.0,
                spent: float = 0.0, secretariat: str | None = None) -> MapBuilder:
        key = f"{code}/{fiscal_year}"
        account_id = self._add("accounts", key, fiscal_year=fiscal_year,
                               appropriated=appropriated, committed=committed, spent=spent,
                               secretariat_id=self.id("secretariats", secretariat)
                               if secretariat else None)
        self.tables["accounts"][-1]["code"] = code
        for goal, share in (funds or {}).items():
            self.tables["account_links"].append(
                {"goal_id": self.id("goals", goal), "account_id": account_id, "share": share})
        return self

    def frames(self) -> MapFrames:
        return MapFrames.of(**self.tables)

    def graph(self) -> nx.DiGraph:
        return graph_from_frames(self.frames())

    def index(self) -> MapIndex:
        return MapIndex.of(self.graph())

    def node(self, kind: str, code: str) -> tuple[str, int]:
        table = {"pillar": "pillars", "objective": "objectives", "goal": "goals",
                 "pact": "pacts", "secretariat": "secretariats", "account": "accounts"}[kind]
        if kind == "account" and "/" not in code:
            code += "/2022"
        return kind, self.id(table, code)
