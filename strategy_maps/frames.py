"""The strategy map as plain tables, one DataFrame per kind of node and link.

``MapFrames`` is what the graph is built from: the loader fills it from the database, the
benchmark from its generator and tests by hand. Missing optional columns are filled with
empty values, so a hand-built map names only what it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

REQUIRED = object()  # a column a table cannot do without

COLUMNS: dict[str, dict[str, Any]] = {
    "pillars": {"id": REQUIRED, "code": REQUIRED, "name": "", "position": 0},
    "objectives": {"id": REQUIRED, "code": REQUIRED, "name": "", "pillar_id": REQUIRED,
                   "position": 0},
    "objective_links": {"source_id": REQUIRED, "target_id": REQUIRED, "weight": 1.0},
    "secretariats": {"id": REQUIRED, "code": REQUIRED, "name": ""},
    "goals": {
        "id": REQUIRED, "code": REQUIRED, "name": "", "objective_id": REQUIRED, "owner_id": None,
        "indicator": "", "unit": "", "direction": "up", "frequency": "monthly",
        "baseline_value": None,
        "target_value": None, "target_date": None, "target_low": None, "target_high": None,
        "is_output": False, "has_trajectory": True, "figures": 1,
    },
    "pacts": {"id": REQUIRED, "code": REQUIRED, "name": ""},
    "pact_members": {"pact_id": REQUIRED, "secretariat_id": REQUIRED, "is_lead": False},
    "pact_goals": {"pact_id": REQUIRED, "goal_id": REQUIRED, "negotiated_target_value": None,
                   "negotiated_target_date": None},
    "accounts": {"id": REQUIRED, "code": REQUIRED, "name": "", "secretariat_id": None,
                 "fiscal_year": REQUIRED, "appropriated": 0.0, "committed": 0.0, "spent": 0.0},
    "account_links": {"goal_id": REQUIRED, "account_id": REQUIRED, "share": 1.0},
}


@dataclass
class MapFrames:
    """Every table of the map. Ids are the database ids; money is float, in currency units."""

    pillars: pd.DataFrame
    objectives: pd.DataFrame
    objective_links: pd.DataFrame
    secretariats: pd.DataFrame
    goals: pd.DataFrame
    pacts: pd.DataFrame
    pact_members: pd.DataFrame
    pact_goals: pd.DataFrame
    accounts: pd.DataFrame
    account_links: pd.DataFrame

    @classmethod
    def of(cls, **tables: Any) -> MapFrames:
        """Frames from DataFrames or lists of dicts; absent tables are empty, absent optional
        columns take their defaults. Raises ValueError on an unknown table or a missing id."""
        unknown = set(tables) - set(COLUMNS)
        if unknown:
            raise ValueError(f"unknown map tables: {', '.join(sorted(unknown))}")
        return cls(**{name: _complete(name, tables.get(name)) for name in COLUMNS})

    def tables(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _complete(name: str, table: Any) -> pd.DataFrame:
    columns = COLUMNS[name]
    frame = pd.DataFrame(table if table is not None else [])
    for column, default in columns.items():
        if column in frame.columns:
            if default is not None and default is not REQUIRED and frame[column].hasnans:
                frame[column] = frame[column].astype(object).where(frame[column].notna(),
                                                                   default)
            continue
        if default is REQUIRED:
            if len(frame):
                raise ValueError(f"map table {name} needs a {column} column")
            default = None
        frame[column] = [default] * len(frame)
    return frame[[*columns, *(c for c in frame.columns if c not in columns)]]
