"""The delivery plans in a map file: an ``initiatives``, a ``milestones`` and a ``risks``
section (sheets "Initiatives", "Milestones", "Risks" in Excel), in the columns of the plans
workbook (``delivery.plans.exchange``).

Out, the rows come from ``plan_frames``; in, every row goes through the plans import's own
row rules (``delivery.plans.importing``): the same checks, the same matching (an initiative
by code, a milestone by initiative and name, a risk by initiative, goal and description), a
baseline that never changes and a moved forecast that needs a ``reason`` and is kept as a
revision. Importing the same file twice changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.plans.exchange import plan_frames
from delivery.plans.importing import _HANDLERS, RowRefused
from strategy_maps.exchange.document import Problem

# A cell longer than this is a mistake in the file (the row rules cap the known texts lower).
MAX_CELL = 4000


@dataclass(frozen=True)
class PlanSection:
    key: str  # the YAML key, and the plans import's kind
    sheet: str  # the Excel sheet
    columns: tuple[str, ...]
    dates: tuple[str, ...]
    whole: tuple[str, ...] = ()


PLAN_SECTIONS: tuple[PlanSection, ...] = (
    PlanSection("initiatives", "Initiatives",
                ("code", "name", "secretariat", "description", "responsible", "pact",
                 "starts_on", "ends_on", "stage", "cancel_reason", "tolerance_days", "goals",
                 "accounts"), ("starts_on", "ends_on"), ("tolerance_days",)),
    PlanSection("milestones", "Milestones",
                ("initiative", "name", "baseline", "forecast", "actual", "owner", "reason"),
                ("baseline", "forecast", "actual")),
    PlanSection("risks", "Risks",
                ("initiative", "goal", "description", "probability", "impact", "owner",
                 "mitigation", "review_on", "status"), ("review_on",),
                ("probability", "impact")),
)
PLAN_SECTION = {s.key: s for s in PLAN_SECTIONS}

PlanRows = dict[str, list[dict[str, Any]]]
RawRows = Mapping[str, Iterable[tuple[int, Mapping[str, Any]]]]


def export_plan_rows(session: Session) -> PlanRows:
    """The initiatives, milestones and risks as rows: dates as dates, whole numbers as
    numbers, everything else as text ("" when empty)."""
    frames = plan_frames(session)
    rows: PlanRows = {}
    for section in PLAN_SECTIONS:
        rows[section.key] = []
        for record in frames[section.key].to_dict("records"):
            row: dict[str, Any] = {}
            for name in section.columns:
                value = record[name]
                if name in section.dates:
                    value = date.fromisoformat(value) if value else None
                elif name in section.whole:
                    value = int(value)
                row[name] = value
            rows[section.key].append(row)
    return rows


def read_plan_rows(raw: RawRows, label: str = "row"
                   ) -> tuple[dict[str, list[tuple[int, dict]]], list[Problem]]:
    """Turn what the file holds into the text cells the row rules read (None when blank);
    refuses unknown columns, numbers that are not finite and over-long cells."""
    rows: dict[str, list[tuple[int, dict]]] = {}
    problems: list[Problem] = []
    for section in PLAN_SECTIONS:
        rows[section.key] = []
        for number, values in raw.get(section.key, []):
            cells, bad = {}, []
            for name, value in values.items():
                name = str(name)
                if name not in section.columns:
                    bad.append((name[:60], _("unknown column; expected one of {names}").format(
                        names=", ".join(section.columns))))
                    continue
                try:
                    cells[name] = _cell_text(value)
                except ValueError as exc:
                    bad.append((name, str(exc)))
            problems += [Problem(section.sheet, number, f, m, label) for f, m in bad]
            if not bad:
                rows[section.key].append((number, cells))
    return rows, problems


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("{value} is not text or a number").format(value=value))
    if isinstance(value, float | Decimal) and not (
            value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
        raise ValueError(_("{value} is not a finite number").format(value=value))
    if isinstance(value, dict | list):
        raise ValueError(_("should be a single value, not a list or a mapping"))
    if isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else \
            value.isoformat()
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, Decimal) and abs(value.adjusted()) > 30:
        text = str(value)  # 1E+400: shown as written, refused by the row rules
    elif isinstance(value, Decimal):
        text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"
    else:
        text = str(value).strip()
    if len(text) > MAX_CELL:
        raise ValueError(_("longer than {n} characters").format(n=MAX_CELL))
    return text or None


def import_plan_rows(session: Session, rows: Mapping[str, list[tuple[int, dict]]], actor: str,
                     label: str = "row"
                     ) -> tuple[dict[str, int], dict[str, int], list[Problem]]:
    """Run every row through the plans import's row rules, in the caller's transaction:
    initiatives first, then milestones, then risks. Returns the rows created and updated per
    section and the refused rows (the caller decides whether to keep the others)."""
    created: dict[str, int] = {}
    updated: dict[str, int] = {}
    problems: list[Problem] = []
    # Initiatives refused are not reported again in every milestone and risk that names them.
    refused: set[str] = set()
    for section in PLAN_SECTIONS:
        handler = _HANDLERS[section.key]
        for number, values in rows.get(section.key, []):
            if section.key != "initiatives" and values.get("initiative") in refused:
                continue
            try:
                with session.begin_nested():
                    outcome = handler(session, values, actor)
                    session.flush()
            except RowRefused as exc:
                problems.append(Problem(section.sheet, number, exc.field, exc.reason, label))
                if section.key == "initiatives" and values.get("code"):
                    refused.add(values["code"])
                continue
            bucket = {"created": created, "updated": updated}.get(outcome)
            if bucket is not None:
                bucket[section.key] = bucket.get(section.key, 0) + 1
    return created, updated, problems
