"""The "Pact for Life" goals, built on the real SINESP monthly crime counts for Pernambuco.

The baseline is the 2019 monthly average and the target a 12% cut a year; the figures are the
real counts, brought in through the import pipeline with the mapping the product ships
(data/mappings/demo_pact_for_life.yaml), in one backfill: each month known on the day it would
have come in.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from delivery.demo.spec import DATA_DIR, DEMO_DIR, GoalPlan, reporter, template
from delivery.importing import import_frame, load_mapping
from delivery.importing.mapping import KnownOnSpec, Template
from delivery.importing.reader import read_table
from delivery.vocabulary import Direction, Frequency, Shape

MONTHS = ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
          "setembro", "outubro", "novembro", "dezembro")
BASELINE_YEAR = 2019
KNOWN_ON = "_known_on"  # the column added to the real file: the day each month came in


def read_counts(path: Path, state: str) -> dict[str, dict[tuple[int, int], int]]:
    """Monthly occurrences per crime type for one state: {type: {(year, month): count}}."""
    counts: dict[str, dict[tuple[int, int], int]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["UF"] == state:
                month = MONTHS.index(row["Mês"]) + 1
                counts[row["Tipo Crime"]][(int(row["Ano"]), month)] = int(row["Ocorrências"])
    return counts


def plans(gov: dict[str, Any]) -> list[GoalPlan]:
    """One monthly goal per crime type: baseline the 2019 average, target a yearly cut."""
    pfl = gov["pact_for_life_series"]
    counts = read_counts(DEMO_DIR / pfl["file"], pfl["state"])
    baseline_date = date(BASELINE_YEAR, 12, 31)
    years = pfl["target_date"].year - BASELINE_YEAR
    found = []
    for crime in pfl["crimes"]:
        year = [v for (y, _), v in counts[crime["type"]].items() if y == BASELINE_YEAR]
        baseline = round(sum(year) / len(year), 2)
        found.append(GoalPlan(
            code=f"{pfl['code_prefix']}{crime['type']}", template="PPV",
            name=template(gov, "{name} in Pernambuco").format(name=crime["name"]),
            objective=pfl["objective"],
            owner=pfl["owner"], unit=pfl["unit"], direction=Direction.DOWN,
            indicator=template(gov, "{type}: monthly occurrences in Pernambuco (SINESP)").format(
                type=crime["type"]),
            frequency=Frequency.MONTHLY, baseline=baseline, baseline_date=baseline_date,
            target=round(baseline * (1 - pfl["yearly_cut"]) ** years, 2),
            target_date=pfl["target_date"], shape=Shape.LINEAR, performance="real",
            decimals=0, tolerance=tuple(pfl["tolerance"]), is_public=pfl["public"],
        ))
    return found


def import_figures(session: Session, gov: dict[str, Any]) -> int:
    """Import the real counts in one backfill, each month known on the day it would have come
    in: the history up to the baseline year when the pact started, every later month some days
    after it ended. Returns the figures written."""
    pfl = gov["pact_for_life_series"]
    path = DEMO_DIR / pfl["file"]
    mapping = load_mapping(DATA_DIR / "mappings" / pfl["mapping"])
    table = read_table(path, mapping.read)
    started = gov["trajectory"]["approved_at"]
    arrived = {(str(year), name): (started if year <= BASELINE_YEAR else
                                   _month_end(year, month) + timedelta(days=pfl["lag_days"]))
               for year in range(2015, gov["figures_until"].year + 1)
               for month, name in enumerate(MONTHS, 1)}
    table[KNOWN_ON] = [arrived.get((y.strip(), m.strip().lower()), date.max).isoformat()
                       for y, m in zip(table["Ano"], table["Mês"], strict=True)]
    years = frozenset(y for y, _ in arrived)
    mapping = dataclasses.replace(mapping, filter={**mapping.filter, "Ano": years},
                                  known_on=KnownOnSpec(Template(f"{{{KNOWN_ON}}}")))
    actor = session.info.get("actor")
    report = import_frame(session, table, mapping, name=path.name,
                          actor=reporter(pfl["owner"]), may_backfill=True,
                          run_checks=False)  # the demo's flags are its story's, set later
    if not report.ok:
        raise RuntimeError(report.render_text(max_errors=5))
    session.info["actor"] = actor  # the import signs what follows with its own actor
    return report.figures_written


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
