"""The one check every figure passes before it is stored, whichever way it came in: typed on
``/report`` or ``/workspace/figures``, imported from a file, pulled by a scheduled job (and any
later API). ``check_figures`` is whole columns (an import's million rows); ``admit_figure`` is
the same check for one typed figure.

A figure is refused, with the field and the reason, when its value is not a finite number, is
negative or a percentage over 100 where the goal's rules forbid it, or when its period is not
one of the goal's reporting periods, has not ended on the review date or lies outside
1900-2200. A figure outside the goal's plausible band, or that jumps from the previous period
more than the goal allows, is a warning: stored only with a note saying why (then flagged for
the data-quality queue), refused without one. A figure equal to the stored one warns about
nothing: storing it changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from delivery.figures import latest_revisions, same_values
from delivery.i18n import _, _l, formats
from delivery.models import Goal
from delivery.plausibility.rules import (
    BAND_MIN_HISTORY,
    BAND_WIDTH,
    Rules,
    UnitKind,
    rules_for,
)

LARGEST = 1e15  # beyond this no indicator is measured: a unit slip or a spreadsheet overflow
FIRST_YEAR, LAST_YEAR = 1900, 2200
MAD_TO_SD = 1.4826
COUNT_NOISE = 4.0
COUNTED = (UnitKind.COUNT, UnitKind.UNSPECIFIED)  # small values of these vary by chance
SPAN_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
EXAMPLE = {  # what a period of each frequency is, for the refusal of one that is not
    "weekly": _l("a weekly goal reports 7 days, e.g. 2024-03-04 to 2024-03-10"),
    "monthly": _l("a monthly goal reports a whole calendar month, e.g. 2024-03-01 to "
                  "2024-03-31"),
    "quarterly": _l("a quarterly goal reports three whole months, e.g. 2024-01-01 to "
                    "2024-03-31"),
    "yearly": _l("a yearly goal reports twelve whole months, e.g. 2024-01-01 to 2024-12-31")}
KIND_NAMES = {UnitKind.COUNT: _l("a count"), UnitKind.AMOUNT: _l("an amount"),
              UnitKind.PERCENTAGE: _l("a percentage"), UnitKind.RATE: _l("a rate")}
VERDICT_COLUMNS = ["field", "error", "warning"]
# The fields a refusal names, as people read them (the verdict's ``field`` is the column name).
FIELD_LABELS = {"value": _l("value"), "note": _l("note"), "period": _l("period"),
                "period_start": _l("period start"), "period_end": _l("period end")}


def field_label(field: str) -> str:
    """The field ``field`` (a column name) as a person reads it, in the current language."""
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ")


class FigureRefused(ValueError):
    """One figure refused: ``field`` names what is wrong, the message says why."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(_("{field}: {reason}").format(field=field_label(field), reason=reason))


@dataclass(frozen=True)
class GoalFacts:
    """What the check needs of each goal: its rules and frequency."""

    rules: Rules
    frequency: str


def goal_facts(session: Session, goal_ids: list[int]) -> dict[int, GoalFacts]:
    rules = rules_for(session, goal_ids)
    frequency = dict(session.query(Goal.id, Goal.frequency).filter(Goal.id.in_(list(rules))))
    return {g: GoalFacts(r, str(getattr(frequency[g], "value", frequency[g])))
            for g, r in rules.items()}


def check_figures(incoming: pd.DataFrame, facts: Mapping[int, GoalFacts], stored: pd.DataFrame,
                  *, as_of: date) -> pd.DataFrame:
    """Judge each incoming figure; pure. Returns ``field``, ``error`` and ``warning`` per row
    (None where there is nothing to say), on ``incoming``'s index.

    ``incoming``: goal_id, period_start, period_end, value, note (optional). ``stored``:
    goal_id, period_start, value of the current revision of each stored period (the history
    the band and the jump are judged against). A warning on a row without a note becomes the
    row's error (field ``note``).
    """
    n = len(incoming)
    field = np.full(n, None, dtype=object)
    error = np.full(n, None, dtype=object)
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in VERDICT_COLUMNS})
    goal = incoming["goal_id"].to_numpy(dtype=np.int64)
    value = pd.to_numeric(incoming["value"], errors="coerce").to_numpy(dtype=float)
    start = _days(incoming["period_start"])
    end = _days(incoming["period_end"])
    table = _goal_table(facts)
    row = table.index.get_indexer(goal)  # each row's goal in the table (one entry per goal)
    if (row < 0).any():
        raise ValueError(f"no rules for goal {goal[row < 0][0]}: it does not exist")
    rules = {c: table[c].to_numpy()[row] for c in table.columns}
    kind = rules["kind"]

    def refuse(mask: np.ndarray, name: str, say: Callable[[int], str]) -> None:
        """Refuse the rows in ``mask`` not refused yet (the first reason found stands)."""
        for i in np.flatnonzero(mask & pd.isna(error)):
            field[i], error[i] = name, say(int(i))

    finite = np.isfinite(value) & (np.abs(np.nan_to_num(value)) <= LARGEST)
    refuse(~finite, "value", lambda i: _(
        "{value} is not a finite number (no NaN or infinity, and at most {largest})").format(
        value=_text(value[i]), largest=f"{LARGEST:g}"))
    negative = finite & (value < 0) & ~rules["allow_negative"].astype(bool)
    refuse(negative, "value", lambda i: _(
        "{value} is negative, which {kind} cannot be (an analyst may allow negative values in "
        "the goal's rules)").format(value=_text(value[i]), kind=KIND_NAMES.get(kind[i], kind[i])))
    over = finite & (kind == UnitKind.PERCENTAGE.value) & (value > 100) & ~rules[
        "allow_over_100"].astype(bool)
    refuse(over, "value", lambda i: _(
        "{value}% is over 100%, which a percentage cannot be (an analyst may allow it in the "
        "goal's rules)").format(value=_text(value[i])))
    _check_periods(start, end, rules["frequency"], as_of, refuse)
    warning = _warnings(goal, value, start, rules, _bands(table, stored).to_numpy()[row],
                        stored, ok=pd.isna(error))
    note = (incoming["note"].fillna("").astype(str).str.strip().to_numpy(dtype=object)
            if "note" in incoming else np.full(n, "", dtype=object))
    unnoted = pd.notna(warning) & (note == "")
    if unnoted.any():
        field[unnoted] = "note"
        error[unnoted] = np.array([_("a note is needed: {warning}. Write why in the note, or "
                                     "correct the value").format(warning=w)
                                   for w in warning[unnoted]], dtype=object)
        warning[unnoted] = None
    return pd.DataFrame({"field": field, "error": error, "warning": warning},
                        index=incoming.index)


def admit_figures(session: Session, incoming: pd.DataFrame, *, as_of: date,
                  stored: pd.DataFrame | None = None) -> pd.DataFrame:
    """``check_figures`` with the goals' rules and stored figures read from the database
    (``stored``: ``latest_revisions`` of the goals, when the caller has it already)."""
    ids = sorted({int(g) for g in incoming["goal_id"]})
    if stored is None:
        stored = latest_revisions(session, ids)
    return check_figures(incoming, goal_facts(session, ids), stored, as_of=as_of)


def admit_figure(session: Session, goal_id: int, period_start: date, period_end: date,
                 value: float, *, note: str = "", as_of: date) -> str | None:
    """Check one figure; returns its warning (stored with the note, then flagged) or None.
    Raises FigureRefused naming the field and the reason."""
    frame = pd.DataFrame({"goal_id": [goal_id], "period_start": [period_start],
                          "period_end": [period_end], "value": [as_number(value)],
                          "note": [note]})
    verdict = admit_figures(session, frame, as_of=as_of).iloc[0]
    if verdict["error"] is not None:
        raise FigureRefused(str(verdict["field"]), str(verdict["error"]))
    return verdict["warning"]


def as_number(raw: object) -> float:
    """A value as typed or sent (a number, or text such as "1,234.5"), as a float; FigureRefused
    naming ``value`` for anything else, however large or odd (a bool, a list, 10**400)."""
    if isinstance(raw, bool) or raw is None or not isinstance(raw, int | float | str):
        raise FigureRefused("value", _("type the value as a number"))
    try:
        return float(raw.strip().replace(",", "")) if isinstance(raw, str) else float(raw)
    except (ValueError, OverflowError):
        shown = raw if isinstance(raw, str) and len(raw) <= 40 else f"{str(raw)[:40]}..."
        raise FigureRefused("value", _("{text} is not a number").format(text=repr(shown))) \
            from None


def _check_periods(start: np.ndarray, end: np.ndarray, frequency: np.ndarray, as_of: date,
                   refuse: Callable[[np.ndarray, str, Callable[[int], str]], None]) -> None:
    for name, days in (("period_start", start), ("period_end", end)):
        year = days.astype("datetime64[Y]").astype(np.int64) + 1970
        outside = np.isnat(days) | (year < FIRST_YEAR) | (year > LAST_YEAR)
        refuse(outside, name, lambda i, year=year: _(
            "year {year} is outside {first}-{last}").format(year=year[i], first=FIRST_YEAR,
                                                            last=LAST_YEAR))
    refuse(end < start, "period_end", lambda i: _("the period ends before it starts"))
    refuse(end > np.datetime64(as_of, "D"), "period_end", lambda i: _(
        "the period ends on {end}, after the review date {review}: a figure is reported once "
        "its period is over").format(end=end[i], review=as_of))
    month_start = start.astype("datetime64[M]")
    day_after = end + np.timedelta64(1, "D")
    whole = ((month_start.astype("datetime64[D]") == start)
             & (day_after.astype("datetime64[M]").astype("datetime64[D]") == day_after))
    months = day_after.astype("datetime64[M]").astype(np.int64) - month_start.astype(np.int64)
    fits = np.zeros(len(start), dtype=bool)
    for freq, span in SPAN_MONTHS.items():
        pick = frequency == freq
        fits[pick] = whole[pick] & (months[pick] == span)
    weekly = frequency == "weekly"
    fits[weekly] = (end[weekly] - start[weekly]) == np.timedelta64(6, "D")
    refuse(~fits, "period", lambda i: _(
        "{start} to {end} is not one of the goal's reporting periods: {example}").format(
        start=start[i], end=end[i], example=EXAMPLE.get(frequency[i], frequency[i])))


def _goal_table(facts: Mapping[int, GoalFacts]) -> pd.DataFrame:
    """One row per goal: its rules and frequency, so rows take theirs by position."""
    return pd.DataFrame.from_records(
        [(g, f.rules.kind.value, f.rules.allow_negative, f.rules.allow_over_100,
          np.nan if f.rules.min_plausible is None else f.rules.min_plausible,
          np.nan if f.rules.max_plausible is None else f.rules.max_plausible,
          np.nan if f.rules.max_jump is None else f.rules.max_jump, f.frequency)
         for g, f in facts.items()],
        columns=["goal_id", "kind", "allow_negative", "allow_over_100", "min_plausible",
                 "max_plausible", "max_jump", "frequency"]).set_index("goal_id")


def _history(stored: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"goal_id": pd.to_numeric(stored["goal_id"]).astype(np.int64),
                         "start": _days(stored["period_start"]),
                         "value": pd.to_numeric(stored["value"], errors="coerce").astype(float)})


def _bands(table: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Per goal (``table``'s index): low and high of its plausible band. The set band, else
    median +/- BAND_WIDTH robust SDs of its stored history when it has BAND_MIN_HISTORY values
    (never narrower than 5% of the level nor, for counts, than counting noise), else none."""
    old = _history(stored)
    history = old[np.isfinite(old["value"]) & (old["value"].abs() <= LARGEST)]
    grouped = history.groupby("goal_id")["value"]
    centre = grouped.median().reindex(table.index)
    count = grouped.size().reindex(table.index).fillna(0)
    mad = (history["value"] - history["goal_id"].map(grouped.median())).abs().groupby(
        history["goal_id"]).median().reindex(table.index) * MAD_TO_SD
    noise = np.where(table["kind"].isin([k.value for k in COUNTED]), np.sqrt(centre.abs()), 0)
    width = BAND_WIDTH * np.maximum.reduce([mad.fillna(0), 0.05 * centre.abs().fillna(0),
                                            np.nan_to_num(noise), np.full(len(table), 1e-9)])
    learnt = (count >= BAND_MIN_HISTORY).to_numpy()
    low = np.where(learnt, centre - width, -np.inf)
    low = np.where(learnt & ~table["allow_negative"].astype(bool).to_numpy(),
                   np.maximum(low, 0.0), low)
    high = np.where(learnt, centre + width, np.inf)
    set_band = (table["min_plausible"].notna() | table["max_plausible"].notna()).to_numpy()
    low = np.where(set_band, table["min_plausible"].fillna(-np.inf), low)
    high = np.where(set_band, table["max_plausible"].fillna(np.inf), high)
    return pd.DataFrame({"low": low, "high": high}, index=table.index)


def _warnings(goal: np.ndarray, value: np.ndarray, start: np.ndarray,
              rules: dict[str, np.ndarray], band: np.ndarray, stored: pd.DataFrame,
              ok: np.ndarray) -> np.ndarray:
    """The warning of each row that passed (None for none): outside the band, or a jump."""
    n = len(goal)
    warning = np.full(n, None, dtype=object)
    old = _history(stored)
    new = pd.DataFrame({"goal_id": goal, "start": start, "value": value, "row": np.arange(n)})
    # Equal to the stored figure: nothing will be written, so nothing to warn about.
    before = new.merge(old, on=["goal_id", "start"], how="left", suffixes=("", "_old"))
    unchanged = same_values(before["value"].to_numpy(), before["value_old"].to_numpy())
    ok = ok & ~unchanged
    if not ok.any():
        return warning
    low, high = band[:, 0], band[:, 1]
    outside = ok & ((value < low) | (value > high))
    for i in np.flatnonzero(outside):
        warning[i] = _("{value} is outside the plausible band {low} to {high}").format(
            value=_text(value[i]), low=_bound(low[i]), high=_bound(high[i]))
    previous = _previous(new[ok], old)
    rows = previous.index.to_numpy()
    prev = previous.to_numpy(dtype=float)
    limit = rules["max_jump"].astype(float)[rows]
    change = np.abs(value[rows] - prev)
    with np.errstate(invalid="ignore"):
        jump = change / np.maximum(np.abs(prev), 1.0)
        # Small counts jump by chance (2 after 0 is +200%): only a change beyond counting
        # noise too (a Poisson difference's standard deviation, times COUNT_NOISE) is one.
        counted = np.isin(rules["kind"][rows], [k.value for k in COUNTED])
        noisy = counted & (change <= COUNT_NOISE * np.sqrt(np.abs(prev) + np.abs(value[rows])))
        jumped = np.isfinite(prev) & np.isfinite(limit) & (jump > limit) & ~noisy
    for k in np.flatnonzero(jumped):
        i = rows[k]
        said = _("{value} is {jump} away from the previous period's {previous}, beyond "
                 "the goal's limit of {limit}").format(
            value=_text(value[i]), jump=formats.percent(jump[k]), previous=_text(prev[k]),
            limit=formats.percent(limit[k]))
        warning[i] = said if warning[i] is None else f"{warning[i]}; {said}"
    return warning


def _previous(new: pd.DataFrame, old: pd.DataFrame) -> pd.Series:
    """For each incoming row (by ``row``): the value of the goal's period just before it,
    from the incoming rows where given, else from the stored ones."""
    kept = old.merge(new[["goal_id", "start"]], on=["goal_id", "start"], how="left",
                     indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    both = pd.concat([kept.assign(row=-1), new], ignore_index=True).sort_values(
        ["goal_id", "start"], kind="stable")
    both["previous"] = both.groupby("goal_id")["value"].shift(1)
    mine = both[both["row"] >= 0]
    return pd.Series(mine["previous"].to_numpy(dtype=float), index=mine["row"].to_numpy())


def _days(column: pd.Series) -> np.ndarray:
    """Dates as datetime64 days; years up to 9999 too (pandas' nanoseconds stop at 2262)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.to_numpy().astype("datetime64[D]")
    return np.array([None if pd.isna(d) else d for d in column], dtype="datetime64[D]")


def _bound(x: float) -> str:
    return _text(x) if np.isfinite(x) else "…"


def _text(x: float) -> str:
    """A value in a message: as people write it in their language, readable even when absurd
    (``nan``, ``inf``, ``1e+300`` as such, not as a dash or 301 digits)."""
    if not np.isfinite(x) or abs(x) >= LARGEST:
        return f"{x:g}"
    return formats.number(x, decimals=0 if abs(x) >= 100 or float(x).is_integer() else None)
