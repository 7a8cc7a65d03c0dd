"""How far any one-series level-shift test can go on the real series: an oracle's trade-off.

    .venv/bin/python bench/level_shift_ceiling.py [--realdata ../shared/realdata]

For each series of the tuning half (delivery/quality/measure.py; nothing from the held-back
half), the step between the medians of K months either side of every month, on the log scale
with the STL season removed (``series``), or also less the median movement of the same crime
in the other states (``less peers``), in robust standard errors (from the spread of month-to-
month changes). An untouched series counts as flagged when a step of at least MIN_CHANGE
reaches T anywhere; a planted shift (tuning seeds) counts as caught when it reaches T within
two months of where it was planted: an oracle that is told where to look. Printed: per
statistic and threshold, the share of untouched series flagged beside the recall of 35% and
60% shifts. Where recall is no higher than the share flagged, no threshold on one series meets
80% recall at 10% flagged; docs/data-quality.md has the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from delivery.quality import measure as m  # noqa: E402
from delivery.quality import pooling  # noqa: E402
from delivery.quality.realseries import load_real_series  # noqa: E402
from delivery.quality.series import MAD_TO_SD, decompose  # noqa: E402
from delivery.quality.shadows import load_shadows  # noqa: E402

REALDATA = Path(os.environ.get("DELIVERY_REALDATA") or
                Path(__file__).resolve().parents[2] / "shared" / "realdata")
MIN_CHANGE = 0.3
THRESHOLDS = (4, 6, 8, 10)


def deseasonalised(d) -> np.ndarray:
    return (d.scaled - d.seasonal).to_numpy(dtype=float)


def peer_factor(bench: m.Bench, code: str, index: pd.DatetimeIndex) -> np.ndarray:
    """The median movement (less each one's median) of the same crime in the other states
    (SINESP) or of the other indicators (ISP-RJ); zeros where there is none."""
    columns = []
    for family, members in pooling.families(bench.series).items():
        if not pooling.in_family(code, family) or (
                code.startswith("SINESP/") and not family.startswith("SINESP/*/")):
            continue
        for peer in members:
            values = bench.series[peer].reindex(index)
            if peer == code or values.notna().sum() < 24 or np.nanmedian(values) < 5:
                continue
            y = pd.Series(deseasonalised(bench.decomposition(peer)),
                          index=bench.series[peer].index).reindex(index)
            columns.append((y - y.median()).to_numpy(dtype=float))
    if not columns:
        return np.zeros(len(index))
    with np.errstate(all="ignore"):
        return np.nan_to_num(np.nanmedian(np.vstack(columns), axis=0))


def steps(y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per month, the step between the medians of k months after and before, and that step in
    robust standard errors."""
    n = len(y)
    step = np.full(n, np.nan)
    for i in range(k, n - 5):
        before, after = y[i - k:i], y[i:i + k]
        if np.isfinite(before).sum() >= 3 and np.isfinite(after).sum() >= 3:
            step[i] = np.nanmedian(after) - np.nanmedian(before)
    dy = np.diff(y)
    dy = dy[np.isfinite(dy)]
    sd = max(MAD_TO_SD * float(np.median(np.abs(dy - np.median(dy)))) / np.sqrt(2), 1e-9)
    return step, step / (1.25 * sd * np.sqrt(2 / k))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    args = parser.parse_args()
    bench = m.Bench(load_real_series(args.realdata), load_shadows())
    codes = bench.codes(m.TUNE)
    plants = [pl for pl in m.PLANTS if pl.key.startswith("level_shift")]
    trials = bench.trials(codes, seed=0, stream=m.TUNING, plants=plants)
    big = (np.log1p(MIN_CHANGE), np.log1p(-MIN_CHANGE))
    print(f"Tuning half: {len(codes)} untouched series, {len(trials)} planted shifts\n")
    print(f"{'statistic':<12} {'K':>3} {'T':>3} {'untouched':>10} "
          + " ".join(f"{pl.key:>15}" for pl in plants))
    for label, peers in (("series", False), ("less peers", True)):
        for k in (6, 12):
            def z_of(code: str, d, peers: bool = peers, k: int = k
                     ) -> tuple[np.ndarray, np.ndarray]:
                y = deseasonalised(d)
                if peers:
                    y = y - peer_factor(bench, code, d.observed.index)
                step, z = steps(y, k)
                return np.where((step >= big[0]) | (step <= big[1]), np.abs(z), 0.0), z
            untouched = [np.nanmax(z_of(c, bench.decomposition(c))[0]) for c in codes]
            planted = []
            for trial in trials:
                d = decompose(trial.planted.series)
                at = d.observed.index.get_loc(pd.Timestamp(trial.planted.start))
                z = z_of(trial.code, d)[0]
                planted.append((trial.plant.key, np.nanmax(z[max(0, at - 2):at + 3])))
            for t in THRESHOLDS:
                flagged = np.mean(np.array(untouched) > t)
                recall = [np.mean([v > t for key, v in planted if key == pl.key])
                          for pl in plants]
                print(f"{label:<12} {k:>3} {t:>3} {flagged:>10.0%} "
                      + " ".join(f"{r:>15.0%}" for r in recall), flush=True)


if __name__ == "__main__":
    main()
