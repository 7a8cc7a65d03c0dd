"""Measuring the checks so that the measurement cannot flatter them.

- **Two halves.** Every real series falls, by a hash of its code (``half``), in the *tuning*
  half or the *held-back* half, fixed for good. Thresholds are chosen on the tuning half
  (``tune``); recall and false alarms are reported on the held-back half only.
- **Unseen seeds.** The planted cases the tuning sees are drawn from a seed stream of their
  own (``TUNING``); the report's come from another (``REPORT``), so no reported case was ever
  looked at while choosing a threshold.
- **False alarms beside recall.** Per check, the share of untouched held-back series it flags
  (after folding breaks shared by many series into one event: ``delivery.quality.pooling``),
  next to the recall of the manipulations it is meant to catch.
- **By length and by size.** Recall per series length in monthly points (under 30, 30 to 300,
  over 300: the under-30 cases are planted into the last 24 months of each series) and per
  typical count a month.

Caught means: a finding of the kind meant for the manipulation, about the planted periods, that
the untouched series did not already have and that no shared event covers.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from delivery.quality import checks as c
from delivery.quality import plant as p
from delivery.quality import pooling
from delivery.quality.checks import bunching, collapse, outliers, shadow, shifts
from delivery.quality.realseries import bench_plan, direction_of
from delivery.quality.series import Decomposition, decompose, regular
from delivery.quality.shadows import ShadowPairs
from delivery.vocabulary import Frequency

TUNE, HELD = "tune", "held"
TUNING, REPORT = 1, 0  # seed streams: the tuning's cases and the report's never share a seed
# Where manipulations are planted: series with this much history and this typical size (a 60%
# spike in a series that counts 2 a month is not a manipulation anyone could see).
PLANT_MIN_PERIODS = 60
PLANT_MIN_MEDIAN = 10.0
SHORT_PERIODS = 24  # the short copies: a goal with two years of figures
LENGTH_BANDS = ((0, 30, "under 30 months"), (30, 300, "30-300 months"),
                (300, np.inf, "over 300 months"))
SIZE_BANDS = ((0, 30, "under 30 a month"), (30, 300, "30-300 a month"),
              (300, np.inf, "over 300 a month"))
# The checks a statistical threshold decides (late and missing state facts).
JUDGED = tuple(k for k in c.KINDS if k not in c.FACTS)
# The tuning keeps a check's untouched flags on the tuning half at or below this share,
# leaving room under the aim of 10% for the held-back half to differ.
TUNE_MAX_UNTOUCHED = 0.06


@dataclass(frozen=True)
class Plant:
    """A manipulation as the bench plants it: its key (as in the JSON), a label, the kind,
    and its strength."""

    key: str
    label: str
    manipulation: str
    options: dict[str, Any] = field(default_factory=dict)


PLANTS = (
    Plant("spike_40", "one month 40% up or down", p.SPIKE, {"size": 0.4}),
    Plant("spike_60", "one month 60% up or down", p.SPIKE, {"size": 0.6}),
    Plant("level_shift_35", "level x0.65 or x1.35 from a month on", p.SHIFT, {"size": 0.35}),
    Plant("level_shift_60", "level x0.4 or x1.6 from a month on", p.SHIFT, {"size": 0.6}),
    Plant("bunching", "last 36 months: misses of up to 10% reported just made", p.BUNCH,
          {"reach": 0.10}),
    Plant("flattening", "18 months pulled to their moving average, 15% of variation kept",
          p.FLATTEN, {"keep": 0.15}),
    Plant("rounding", "24 months, 60% of figures rounded to a multiple of 5", p.ROUND,
          {"share": 0.6}),
    Plant("reclassification_15", "15% of the target's cases recorded under its shadow",
          p.RECLASSIFY, {"share": 0.15}),
    Plant("reclassification_25", "25% of the target's cases recorded under its shadow",
          p.RECLASSIFY, {"share": 0.25}),
    Plant("withheld", "last 2 figures withheld", p.WITHHOLD, {"latest": 2}),
)
# manipulation -> the finding kind meant to catch it
CATCHES = {p.SPIKE: c.OUTLIER, p.SHIFT: c.LEVEL_SHIFT, p.BUNCH: c.BUNCHING,
           p.FLATTEN: c.VARIANCE_COLLAPSE, p.ROUND: c.DIGITS, p.RECLASSIFY: c.SHADOW,
           p.WITHHOLD: c.LATE}
# The plants reported in the JSON (recall on series over 30 months).
JSON_PLANTS = ("level_shift_35", "level_shift_60", "bunching", "flattening",
               "reclassification_15", "reclassification_25", "spike_40", "spike_60", "withheld")


def half(code: str) -> str:
    """The half a series belongs to, for good: by the first byte of the SHA-256 of its code."""
    return TUNE if hashlib.sha256(code.encode()).digest()[0] % 2 == 0 else HELD


@dataclass(frozen=True)
class Case:
    """One planted manipulation and whether the check meant for it caught it; ``size`` is the
    series' median, ``length`` its number of monthly points."""

    series: str
    plant: str
    check: str
    size: float
    length: int
    caught: bool


@dataclass
class Trial:
    """A planted copy ready to be checked (its decomposition computed once)."""

    code: str
    plant: Plant
    planted: p.Planted
    shadow_name: str
    original: pd.Series
    decomposition: Decomposition | None = None


class Bench:
    """The real series, their untouched findings and planted copies; decompositions are
    computed once and reused whatever thresholds the checks are run with."""

    def __init__(self, series: Mapping[str, pd.Series], pairs: ShadowPairs):
        self.series = {code: regular(v) for code, v in series.items()}
        self.pairs = pairs
        self._decomposed: dict[str, Decomposition] = {}
        self._peers: dict[tuple[str, str], list[tuple[pd.Series, pd.Series]]] = {}

    def codes(self, which: str | None = None) -> list[str]:
        return sorted(code for code in self.series if which is None or half(code) == which)

    def decomposition(self, code: str) -> Decomposition:
        if code not in self._decomposed:
            self._decomposed[code] = decompose(self.series[code])
        return self._decomposed[code]

    # -- untouched ---------------------------------------------------------------------------

    def untouched(self, kinds: Iterable[str] = c.KINDS,
                  codes: Iterable[str] | None = None) -> dict[str, list[c.Finding]]:
        """Each series' findings of ``kinds`` as it is (late judged one lag after it ends);
        every series unless ``codes`` (pooling needs them all)."""
        kinds = tuple(kinds)
        return {code: [f for kind in kinds
                       for f in self._run(kind, code, self.series[code],
                                          self.decomposition(code), None, "")]
                for code in (self.codes() if codes is None else codes)}

    def flagged(self, found: Mapping[str, list[c.Finding]], codes: Iterable[str],
                kinds: Iterable[str] = c.KINDS) -> dict[str, float]:
        """Per kind, the share of ``codes`` flagged once shared events are folded, and
        ``any``: flagged by at least one judged check."""
        codes = list(codes)
        events = pooling.shared_events(found)
        kept = {code: pooling.fold(code, found[code], events) for code in codes}
        shares = {kind: sum(any(f.kind == kind for f in kept[code]) for code in codes)
                  / len(codes) for kind in kinds}
        shares["any"] = sum(any(f.kind in JUDGED for f in kept[code]) for code in codes) / len(
            codes)
        return shares

    # -- planted -----------------------------------------------------------------------------

    def trials(self, codes: Iterable[str], *, seed: int, stream: int,
               plants: Iterable[Plant] = PLANTS, short: bool = False) -> list[Trial]:
        """Planted copies of every eligible series among ``codes`` (with ``short``, of its last
        SHORT_PERIODS months), seeded from ``stream`` and ``seed``."""
        out = []
        plants = list(plants)
        for code in codes:
            values = self.series[code]
            if not _eligible(values):
                continue
            if short:
                values = values.iloc[-SHORT_PERIODS:]
            for k, plant in enumerate(plants):
                rng_seed = int(np.random.SeedSequence(
                    [stream, seed, zlib.crc32(code.encode()), k]).generate_state(1)[0])
                for planted, shadow_name in self._plant(plant, code, values, rng_seed, short):
                    out.append(Trial(code, plant, planted, shadow_name, values))
        return out

    def cases(self, trials: Iterable[Trial], found: Mapping[str, list[c.Finding]]
              ) -> list[Case]:
        """Run on each trial the check meant for it; ``found`` are the untouched findings of
        every series (what was already there, and the shared events)."""
        events = pooling.shared_events(found)
        reference: dict[tuple, set] = {}
        cases = []
        for trial in trials:
            kind = CATCHES[trial.plant.manipulation]
            key = (trial.code, kind, trial.shadow_name, len(trial.original))
            if key not in reference:
                original = trial.original
                shadow_series = self.series.get(trial.shadow_name)
                d = (self.decomposition(trial.code) if len(original) == len(
                    self.series[trial.code]) else decompose(original))
                reference[key] = {(f.kind, f.period_end) for f in self._run(
                    kind, trial.code, original, d, shadow_series, trial.shadow_name)}
            if trial.decomposition is None and kind != c.LATE:
                trial.decomposition = decompose(trial.planted.series)
            found_now = self._run(kind, trial.code, trial.original, trial.decomposition,
                                  trial.planted.shadow, trial.shadow_name,
                                  planted=trial.planted)
            found_now = pooling.fold(trial.code, found_now, events)
            caught = any(_about(f, trial.planted) and (f.kind, f.period_end) not in
                         reference[key] for f in found_now)
            cases.append(Case(trial.code, trial.plant.key, kind,
                              float(np.nanmedian(trial.original)),
                              int(trial.original.notna().sum()), caught))
        return cases

    def _plant(self, plant: Plant, code: str, values: pd.Series, seed: int,
               short: bool) -> list[tuple[p.Planted, str]]:
        """The planted copies for one series (one per shadow for a reclassification), each
        with the name of the shadow it is paired with ("" for none)."""
        options = plant.options
        direction = direction_of(code)
        if plant.manipulation == p.RECLASSIFY:
            return [(p.reclassify(values, self.series[name].reindex(values.index)
                                  if short else self.series[name], direction, seed=seed,
                                  **options), name)
                    for name in self.pairs.shadows_of(code) if name in self.series]
        if plant.manipulation == p.BUNCH:
            planted = p.bunch(values, bench_plan(values), direction, seed=seed,
                              periods=min(36, len(values)), **options)
            if not planted.periods:  # no figure near enough the plan to move
                return []
        elif plant.manipulation == p.WITHHOLD:
            planted = p.withhold(values, latest=int(options["latest"]))
        else:
            planters: dict[str, Callable[..., p.Planted]] = {
                p.SPIKE: p.spike, p.SHIFT: p.level_shift, p.FLATTEN: p.flatten,
                p.ROUND: p.round_figures}
            planted = planters[plant.manipulation](values, seed=seed, **options)
        return [(planted, "")]

    def _run(self, kind: str, code: str, original: pd.Series, d: Decomposition | None,
             shadow_series: pd.Series | None, shadow_name: str,
             planted: p.Planted | None = None) -> list[c.Finding]:
        """One check on a series (its decomposition ``d``) as check_all would run it."""
        direction = direction_of(code)
        if kind == c.LATE:
            x = planted.series if planted is not None else original
            return c.check_late(x, _as_of(original))
        if kind == c.MISSING:
            return c.check_missing(d)
        if kind == c.OUTLIER:
            return c.check_outliers(d)
        if kind == c.LEVEL_SHIFT:
            return c.check_level_shift(d)
        if kind == c.BUNCHING:
            return c.check_bunching(d, bench_plan(original), direction)
        if kind == c.VARIANCE_COLLAPSE:
            return c.check_variance_collapse(d)
        if kind == c.DIGITS:
            return c.check_digits(d)
        if planted is None:  # untouched: every shadow of the series
            return [f for name in self.pairs.shadows_of(code) if name in self.series
                    for f in c.check_shadow(d, self.series[name], direction,
                                            shadow_name=name, peers=self.peers(code, name))]
        return c.check_shadow(d, shadow_series, direction, shadow_name=shadow_name,
                              peers=self.peers(code, shadow_name))

    def peers(self, code: str, shadow_name: str) -> list[tuple[pd.Series, pd.Series]]:
        """The same pair elsewhere (untouched), for the shadow check to take out what they
        share."""
        key = (code, shadow_name)
        if key not in self._peers:
            self._peers[key] = [(self.series[a], self.series[b]) for a, b in
                                self.pairs.peers_of(code, shadow_name, self.series)]
        return self._peers[key]


def recall(cases: Iterable[Case], *, min_length: int = 0) -> dict[str, float]:
    """Plant key -> share caught, over cases on series of at least ``min_length`` points."""
    frame = pd.DataFrame([vars(case) for case in cases])
    frame = frame[frame["length"] >= min_length]
    return {key: float(group["caught"].mean()) for key, group in frame.groupby("plant")}


def recall_table(cases: list[Case]) -> pd.DataFrame:
    """Per plant: check, planted, caught, recall, and caught/planted per length and size."""
    frame = pd.DataFrame([vars(case) for case in cases])
    rows = []
    for plant in PLANTS:
        group = frame[frame["plant"] == plant.key]
        if group.empty:
            continue
        long = group[group["length"] > 30]
        row = {"plant": plant.key, "check": group["check"].iloc[0],
               "planted (>30 months)": len(long), "recall (>30 months)": long["caught"].mean()}
        for column, bands in (("length", LENGTH_BANDS), ("size", SIZE_BANDS)):
            for low, high, label in bands:
                band = group[(group[column] >= low) & (group[column] < high)]
                row[label] = f"{int(band['caught'].sum())}/{len(band)}" if len(band) else "-"
        rows.append(row)
    return pd.DataFrame(rows)


# -- tuning -----------------------------------------------------------------------------------

# check -> (module holding its thresholds, {constant: values to try})
# The last grids searched (earlier, wider ones are in docs/data-quality.md).
GRIDS: dict[str, tuple[ModuleType, dict[str, list]]] = {
    c.OUTLIER: (outliers, {"OUTLIER_P": [1e-8, 1e-10, 1e-12, 1e-15],
                           "OUTLIER_MIN_CHANGE": [0.35], "OUTLIER_MAX_RUN": [1]}),
    c.LEVEL_SHIFT: (shifts, {"SHIFT_PENALTY": [16.0, 32.0], "SHIFT_T": [5.0, 7.0, 8.0, 9.0]}),
    c.BUNCHING: (bunching, {"BUNCH_P": [1e-3, 1e-2, 3e-2], "BUNCH_JUST": [0.02, 0.03, 0.04],
                            "BUNCH_MIN_PAST": [3]}),
    c.VARIANCE_COLLAPSE: (collapse, {"COLLAPSE_RATIO": [0.35, 0.45, 0.55]}),
    c.SHADOW: (shadow, {"SHADOW_PENALTY": [4.0, 8.0], "SHADOW_T": [2.5, 3.0, 4.0],
                        "SHADOW_MIN_ABSORBED": [0.15, 0.3], "SHADOW_ABSORBED_Z": [1.0, 2.0]}),
}


@contextmanager
def thresholds(module: ModuleType, values: Mapping[str, Any]):
    """Run with a check module's constants set to ``values``, then put them back."""
    before = {name: getattr(module, name) for name in values}
    try:
        for name, value in values.items():
            setattr(module, name, value)
        yield
    finally:
        for name, value in before.items():
            setattr(module, name, value)


def tune(bench: Bench, checks: Iterable[str] | None = None, *, seed: int = 0,
         log: Callable[[str], None] = lambda _: None) -> dict[str, dict[str, Any]]:
    """Per check, the grid point that catches most of its plants on the tuning half (tuning
    seeds) while flagging at most TUNE_MAX_UNTOUCHED of the untouched tuning-half series;
    ties go to the fewer flags. Nothing from the held-back half is looked at."""
    tune_codes = bench.codes(TUNE)
    chosen = {}
    for kind in checks or GRIDS:
        module, grid = GRIDS[kind]
        plants = [pl for pl in PLANTS if CATCHES[pl.manipulation] == kind]
        trials = bench.trials(tune_codes, seed=seed, stream=TUNING, plants=plants)
        best: tuple | None = None
        for point in product(*grid.values()):
            values = dict(zip(grid, point, strict=True))
            with thresholds(module, values):
                found = bench.untouched([kind], None if kind in pooling.POOLED_KINDS
                                        else tune_codes)
                flagged = bench.flagged(found, tune_codes, [kind])[kind]
                caught = recall(bench.cases(trials, found))
            mean = float(np.mean(list(caught.values()))) if caught else 0.0
            log(f"{kind} {values}: untouched {flagged:.1%}, recall "
                + ", ".join(f"{k} {v:.0%}" for k, v in caught.items()))
            within = flagged <= TUNE_MAX_UNTOUCHED
            score = (within, mean if within else -flagged, -flagged)
            if best is None or score > best[0]:
                best = (score, values, flagged, caught)
        assert best is not None
        chosen[kind] = {"values": best[1], "untouched": best[2], "recall": best[3]}
    return chosen


# -- the report -------------------------------------------------------------------------------

def report(bench: Bench, *, seed: int = 0, short: bool = True) -> dict[str, Any]:
    """The held-back half: untouched shares per check (and any), the cases (full length and,
    with ``short``, short copies), and the shared events found."""
    found = bench.untouched()
    held = bench.codes(HELD)
    trials = bench.trials(held, seed=seed, stream=REPORT)
    if short:
        trials += bench.trials(held, seed=seed, stream=REPORT, short=True)
    cases = bench.cases(trials, found)
    events = pooling.shared_events({code: [f for f in fs if f.kind in pooling.POOLED_KINDS]
                                    for code, fs in found.items()})
    return {"untouched_flagged": bench.flagged(found, held), "cases": cases,
            "events": events, "held": held}


def as_json(result: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """``{"recall": {plant: share}, "untouched_flagged": {check: share, "any": share}}``,
    recall on series over 30 months."""
    shares = recall(result["cases"], min_length=31)
    return {"recall": {key: round(shares.get(key, 0.0), 4) for key in JSON_PLANTS},
            "untouched_flagged": {k: round(v, 4) for k, v in
                                  result["untouched_flagged"].items()}}


def _eligible(values: pd.Series) -> bool:
    return (values.notna().sum() >= PLANT_MIN_PERIODS
            and float(np.nanmedian(values)) >= PLANT_MIN_MEDIAN)


def _as_of(values: pd.Series) -> date:
    """One reporting lag after the last period: nothing is late yet."""
    last = pd.Timestamp(values.index.max())
    return (last + pd.Timedelta(days=Frequency.MONTHLY.days)).date()


def _about(finding: c.Finding, planted: p.Planted) -> bool:
    """Whether a finding is about the planted stretch (with the slack each check needs to
    see it: a window of a year for the windowed checks)."""
    if not planted.periods:
        return False
    start, end = pd.Timestamp(planted.start), pd.Timestamp(planted.end)
    at = pd.Timestamp(finding.period_end)
    if finding.kind == c.OUTLIER:
        return at == start
    if finding.kind in (c.LEVEL_SHIFT, c.SHADOW):
        return abs((at - start).days) <= 92
    if finding.kind == c.VARIANCE_COLLAPSE:
        return start <= at <= end + pd.DateOffset(months=c.COLLAPSE_WINDOW)
    if finding.kind == c.DIGITS:
        return pd.Timestamp(finding.evidence["from"]) <= end and pd.Timestamp(
            finding.evidence["to"]) >= start
    if finding.kind == c.BUNCHING:
        window_from = pd.Timestamp(finding.evidence["window_from"])
        return window_from <= end and window_from + pd.DateOffset(months=c.BUNCH_WINDOW) > start
    return True  # late: one finding per series
