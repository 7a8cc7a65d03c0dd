"""Benchmark: the data-quality checks on the real monthly series, untouched and planted.

    .venv/bin/python bench/quality_on_real_series.py [--realdata ../shared/realdata] [--seed 0]

Loads the two real files (SINESP: 27 states x 9 crime types, 2015-2022; ISP-RJ: 53 indicators,
1991-2021) with pandas, no database, then prints

1. per check, how many untouched series it flags (late is judged one month after each file
   ends, bunching against a straight-line plan through each series, shadow divergence on the
   pairs in data/quality/shadows.yaml);
2. per planted manipulation (delivery/quality/plant.py, seeded), how many of the copies it was
   planted into the check meant for it caught, overall and by how much the series counts.

Manipulations are planted into every series with at least 60 months and a median of at least
10 (195 of the 296); reclassifications into every such target that has a shadow. The test
tests/quality/test_on_real_series.py holds these numbers as floors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from delivery.quality.measure import (  # noqa: E402
    flagged_table,
    load_real_series,
    planted_cases,
    recall_table,
    untouched_findings,
)
from delivery.quality.shadows import load_shadows  # noqa: E402

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    pd.set_option("display.width", 160)

    started = time.perf_counter()
    series = load_real_series(args.realdata)
    pairs = load_shadows()
    found = untouched_findings(series, pairs)
    flagged = flagged_table(found, series)
    took_untouched = time.perf_counter() - started
    cases = planted_cases(series, pairs, seed=args.seed)
    recall = recall_table(cases)
    took = time.perf_counter() - started

    print(f"Untouched: {len(series)} real monthly series ({took_untouched:.0f} s)\n")
    flagged["share"] = flagged["share"].map("{:.1%}".format)
    print(flagged.to_string(index=False))
    print(f"\nPlanted (seed {args.seed}): {len(cases)} cases ({took - took_untouched:.0f} s)\n")
    recall["recall"] = recall["recall"].map("{:.0%}".format)
    print(recall.to_string(index=False))


if __name__ == "__main__":
    main()
