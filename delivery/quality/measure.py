"""Measuring the checks on the real series: how many untouched series each check flags, and
how many planted manipulations it catches. Used by bench/quality_on_real_series.py and by the
test that holds the measured floors; no database.

The two real files (see ../shared/realdata/README.md) are read with pandas into series keyed by
the goal codes their import mappings give (``SINESP/<UF>/<Tipo Crime>``, ``ISP-RJ/<column>``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from delivery.quality import checks as c
from delivery.quality import plant as p
from delivery.quality.series import regular
from delivery.quality.shadows import ShadowPairs
from delivery.vocabulary import Direction, Frequency

SINESP_FILE = "br_sinesp_uf_monthly_crimes_2015_2022.csv"
ISP_FILE = "rj_isp_state_monthly_crimes_1991_2021.csv"
MONTHS = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
          "setembro", "outubro", "novembro", "dezembro"]
# Police activity counts, where more is better (as data/mappings/isp_rj_monthly.yaml says).
ISP_UP = {"apreensao_drogas", "posse_drogas", "trafico_drogas", "apreensao_drogas_sem_autor",
          "recuperacao_veiculos", "apf", "aaapai", "cmp", "cmba"}
# Where manipulations are planted: series with this much history and this typical size (a 60%
# spike in a series that counts 2 a month is not a manipulation anyone could see).
PLANT_MIN_PERIODS = 60
PLANT_MIN_MEDIAN = 10.0
SIZE_BANDS = ((0, 30, "under 30 a month"), (30, 300, "30 to 300"), (300, np.inf, "over 300"))
PANDEMIC = (pd.Timestamp("2020-03-01"), pd.Timestamp("2020-07-31"))


def load_sinesp(folder: Path) -> dict[str, pd.Series]:
    """The SINESP file as 243 monthly series (absent months stay absent)."""
    frame = pd.read_csv(Path(folder) / SINESP_FILE, dtype={"Ocorrências": float})
    month = frame["Mês"].map({name: i + 1 for i, name in enumerate(MONTHS)})
    frame["period_end"] = pd.to_datetime(
        {"year": frame["Ano"], "month": month, "day": 1}) + pd.offsets.MonthEnd(0)
    return {
        f"SINESP/{uf}/{kind}": group.set_index("period_end")["Ocorrências"].sort_index()
        for (uf, kind), group in frame.groupby(["UF", "Tipo Crime"], sort=True)
    }


def load_isp(folder: Path) -> dict[str, pd.Series]:
    """The ISP-RJ file as 53 monthly series, each from its first reported month."""
    frame = pd.read_csv(Path(folder) / ISP_FILE, sep=";", na_values=[" "])
    period_end = pd.to_datetime(
        {"year": frame["ano"], "month": frame["mes"], "day": 1}) + pd.offsets.MonthEnd(0)
    return {
        f"ISP-RJ/{column}": pd.Series(frame[column].to_numpy(float), index=period_end).dropna()
        for column in frame.columns if column not in ("ano", "mes", "fase")
    }


def load_real_series(folder: Path) -> dict[str, pd.Series]:
    return {**load_sinesp(folder), **load_isp(folder)}


def direction_of(code: str) -> Direction:
    return Direction.UP if code.removeprefix("ISP-RJ/") in ISP_UP else Direction.DOWN


def bench_plan(values: pd.Series) -> pd.Series:
    """A plan to test bunching against: a straight line from the median of the first year to
    the median of the last, so the figures fall on both sides of it as real ones would."""
    x = regular(values)
    start, end = np.nanmedian(x.iloc[:12]), np.nanmedian(x.iloc[-12:])
    return pd.Series(np.linspace(start, end, len(x)), index=x.index)


@dataclass(frozen=True)
class Case:
    """One planted manipulation and whether the check meant for it caught it; ``size`` is the
    series' median (to report recall by how much a series counts)."""

    series: str
    plant: str
    check: str
    size: float
    caught: bool


@dataclass(frozen=True)
class Plant:
    """A manipulation as the bench plants it: a label, the kind, and its strength."""

    label: str
    manipulation: str
    options: dict[str, Any]


# What the bench plants into every eligible series (reclassification: into every pair).
PLANTS = (
    Plant("spike 40%", p.SPIKE, {"size": 0.4}),
    Plant("spike 60%", p.SPIKE, {"size": 0.6}),
    Plant("level shift 35%", p.SHIFT, {"size": 0.35}),
    Plant("level shift 60%", p.SHIFT, {"size": 0.6}),
    Plant("bunching, misses up to 10% moved", p.BUNCH, {"reach": 0.10}),
    Plant("flattening to 15% of variation, 18 months", p.FLATTEN, {"keep": 0.15}),
    Plant("60% of 24 months rounded to 5", p.ROUND, {"share": 0.6}),
    Plant("15% of cases reclassified to the shadow", p.RECLASSIFY, {"share": 0.15}),
    Plant("25% of cases reclassified to the shadow", p.RECLASSIFY, {"share": 0.25}),
    Plant("last 2 figures withheld", p.WITHHOLD, {"latest": 2}),
)


# manipulation -> the finding kind meant to catch it
CATCHES = {p.SPIKE: c.OUTLIER, p.SHIFT: c.LEVEL_SHIFT, p.BUNCH: c.BUNCHING,
           p.FLATTEN: c.VARIANCE_COLLAPSE, p.ROUND: c.DIGITS, p.RECLASSIFY: c.SHADOW,
           p.WITHHOLD: c.LATE}


def untouched_findings(series: Mapping[str, pd.Series], pairs: ShadowPairs) -> pd.DataFrame:
    """Every finding of every check on the series as they are: one row per finding, with
    columns series, kind, period_end. Late is judged one reporting lag after each file ends."""
    rows = []
    series = _regular(series)
    for code, values in series.items():
        for finding in _all_findings(code, values, series, pairs):
            rows.append((code, finding.kind, finding.period_end))
    return pd.DataFrame(rows, columns=["series", "kind", "period_end"])


def planted_cases(series: Mapping[str, pd.Series], pairs: ShadowPairs, seed: int = 0,
                  plants: Iterable[Plant] = PLANTS) -> list[Case]:
    """Plant each manipulation into a copy of every eligible series and run the check meant
    for it; caught means a finding of that kind about the planted periods that the untouched
    series did not already have."""
    cases = []
    plants = list(plants)
    series = _regular(series)
    for k, (code, values) in enumerate(sorted(series.items())):
        if not _eligible(values):
            continue
        size = float(np.nanmedian(values))
        untouched: dict[tuple[str, str], set] = {}
        for plant in plants:
            kind = CATCHES[plant.manipulation]
            for planted, shadow_name in _plant(plant, code, values, series, pairs,
                                               seed * 100_003 + k):
                if (kind, shadow_name) not in untouched:
                    reference = p.Planted("", values, [], shadow=series.get(shadow_name))
                    untouched[kind, shadow_name] = {
                        (f.kind, f.period_end)
                        for f in _run(kind, code, reference, shadow_name, values)}
                before = untouched[kind, shadow_name]
                found = _run(kind, code, planted, shadow_name, values)
                caught = any(_about(f, planted) and (f.kind, f.period_end) not in before
                             for f in found)
                cases.append(Case(code, plant.label, kind, size, caught))
    return cases


def flagged_table(found: pd.DataFrame, series: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Per check: how many untouched series it flags (of how many), with how many findings,
    and how many series it flags for something outside the pandemic months (March to July
    2020, when recorded crime really did jump in most series)."""
    total = len(series)
    ends = pd.to_datetime(found["period_end"])
    outside = found[~ends.between(*PANDEMIC)]
    rows = []
    for kind in c.KINDS:
        hits = found[found["kind"] == kind]
        flagged = hits["series"].nunique()
        rows.append({"check": kind, "series_flagged": flagged, "of_series": total,
                     "share": flagged / total, "findings": len(hits),
                     "flagged_outside_pandemic": outside.loc[outside["kind"] == kind,
                                                             "series"].nunique()})
    return pd.DataFrame(rows)


def recall_table(cases: list[Case]) -> pd.DataFrame:
    """Per plant: planted cases, caught, recall, and caught/planted per size band."""
    frame = pd.DataFrame([vars(case) for case in cases])
    rows = []
    for label, group in frame.groupby("plant", sort=False):
        row = {"plant": label, "check": group["check"].iloc[0], "planted": len(group),
               "caught": int(group["caught"].sum()), "recall": group["caught"].mean()}
        for low, high, band_label in SIZE_BANDS:
            band = group[(group["size"] >= low) & (group["size"] < high)]
            row[band_label] = f"{int(band['caught'].sum())}/{len(band)}"
        rows.append(row)
    return pd.DataFrame(rows)


def _regular(series: Mapping[str, pd.Series]) -> dict[str, pd.Series]:
    """Every series on its full calendar once, so that no check has to do it again."""
    return {code: regular(values) for code, values in series.items()}


def _eligible(values: pd.Series) -> bool:
    return (values.notna().sum() >= PLANT_MIN_PERIODS
            and float(np.nanmedian(values)) >= PLANT_MIN_MEDIAN)


def _all_findings(code: str, values: pd.Series, series: Mapping[str, pd.Series],
                  pairs: ShadowPairs) -> list[c.Finding]:
    direction = direction_of(code)
    shadows = {name: series[name] for name in pairs.shadows_of(code) if name in series}
    as_of = _as_of(values)
    return c.check_all(values, as_of=as_of, planned=bench_plan(values), direction=direction,
                       shadows=shadows)


def _as_of(values: pd.Series) -> date:
    """One reporting lag after the last period: nothing is late yet."""
    last = pd.Timestamp(values.index.max())
    return (last + pd.Timedelta(days=Frequency.MONTHLY.days)).date()


def _plant(plant: Plant, code: str, values: pd.Series, series: Mapping[str, pd.Series],
           pairs: ShadowPairs, seed: int) -> list[tuple[p.Planted, str]]:
    """The planted copies for one series (one per shadow for a reclassification), each with
    the name of the shadow it is paired with ("" for none)."""
    options = plant.options
    direction = direction_of(code)
    if plant.manipulation == p.RECLASSIFY:
        return [(p.reclassify(values, series[name], direction, seed=seed, **options), name)
                for name in pairs.shadows_of(code) if name in series]
    if plant.manipulation == p.BUNCH:
        planted = p.bunch(values, bench_plan(values), direction, seed=seed, **options)
        if not planted.periods:  # no figure near enough the plan to move
            return []
    elif plant.manipulation == p.WITHHOLD:
        planted = p.withhold(values, latest=int(options["latest"]))
    else:
        planters: dict[str, Callable[..., p.Planted]] = {
            p.SPIKE: p.spike, p.SHIFT: p.level_shift, p.FLATTEN: p.flatten,
            p.ROUND: p.round_figures}
        planter = planters[plant.manipulation]
        planted = planter(values, seed=seed, **options)
    return [(planted, "")]


def _run(kind: str, code: str, planted: p.Planted, shadow_name: str,
         original: pd.Series) -> list[c.Finding]:
    x = planted.series
    if kind == c.OUTLIER:
        return c.check_outliers(x)
    if kind == c.LEVEL_SHIFT:
        return c.check_level_shift(x)
    if kind == c.BUNCHING:
        return c.check_bunching(x, bench_plan(original), direction_of(code))
    if kind == c.VARIANCE_COLLAPSE:
        return c.check_variance_collapse(x)
    if kind == c.DIGITS:
        return c.check_digits(x)
    if kind == c.SHADOW:
        return c.check_shadow(x, planted.shadow, direction_of(code), shadow_name=shadow_name)
    return c.check_late(x, _as_of(original))


def _about(finding: c.Finding, planted: p.Planted) -> bool:
    """Whether a finding is about the planted stretch (with the slack each check needs to
    see it: a window of a year for the windowed checks)."""
    if not planted.periods:
        return False
    start, end = pd.Timestamp(planted.start), pd.Timestamp(planted.end)
    at = pd.Timestamp(finding.period_end)
    if finding.kind == c.OUTLIER:
        return at == start
    if finding.kind == c.LEVEL_SHIFT:
        return abs((at - start).days) <= 92
    if finding.kind == c.VARIANCE_COLLAPSE:
        return start <= at <= end + pd.DateOffset(months=c.COLLAPSE_WINDOW)
    if finding.kind == c.SHADOW:
        return start <= at < start + pd.DateOffset(months=2 * c.SHADOW_WINDOW)
    if finding.kind == c.DIGITS:
        return pd.Timestamp(finding.evidence["from"]) <= end and pd.Timestamp(
            finding.evidence["to"]) >= start
    if finding.kind == c.BUNCHING:
        window_from = pd.Timestamp(finding.evidence["window_from"])
        return window_from <= end and window_from + pd.DateOffset(months=c.BUNCH_WINDOW) > start
    return True  # late: one finding per series

