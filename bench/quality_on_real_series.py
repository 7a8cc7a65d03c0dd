"""Benchmark: the data-quality checks on the real monthly series, held-back half only.

    .venv/bin/python bench/quality_on_real_series.py [--json] [--tune] [--seed 0]
                                                     [--realdata ../shared/realdata]

(the real data folder: --realdata, else $DELIVERY_REALDATA, else ../shared/realdata)

Loads the two real files (SINESP: 27 states x 9 crime types, 2015-2022; ISP-RJ: 53 indicators,
1991-2021) with pandas, no database. Every series belongs, by a hash of its code, to the tuning
half or the held-back half (delivery/quality/measure.py). Prints, for the held-back half:

1. per check, the share of untouched series it flags (after folding breaks shared by many
   related series into one event), and the share flagged by any judged check;
2. per planted manipulation, the recall of the check meant for it on series over 30 months,
   then caught/planted by series length (under 30 months: planted into each series' last 24
   months; 30-300; over 300) and by typical count a month;
3. the shared events (one line each) and the time the checks take per series.

``--json`` prints only ``{"recall": {plant: share}, "untouched_flagged": {check: share, "any":
share}}``. ``--tune`` instead searches each check's thresholds on the tuning half, with tuning
seeds, and prints what it would choose (the constants in delivery/quality/checks/ are set from
that output by hand). tests/quality/test_on_real_series.py holds the figures as floors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from delivery.quality.checks import check_all  # noqa: E402
from delivery.quality.measure import Bench, as_json, recall_table, report, tune  # noqa: E402
from delivery.quality.realseries import (  # noqa: E402
    bench_plan,
    direction_of,
    load_real_series,
)
from delivery.quality.shadows import load_shadows  # noqa: E402

# The shared real data beside the checkout, or where DELIVERY_REALDATA says (as the tests do).
REALDATA = Path(os.environ.get("DELIVERY_REALDATA") or
                Path(__file__).resolve().parents[2] / "shared" / "realdata")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print only the JSON summary")
    parser.add_argument("--tune", action="store_true",
                        help="choose thresholds on the tuning half and print them")
    parser.add_argument("--checks", nargs="*", help="with --tune: only these checks")
    args = parser.parse_args()
    pd.set_option("display.width", 200)
    bench = Bench(load_real_series(args.realdata), load_shadows())

    if args.tune:
        chosen = tune(bench, args.checks, seed=args.seed, log=print)
        print(json.dumps(chosen, indent=1, default=str))
        return

    started = time.perf_counter()
    result = report(bench, seed=args.seed)
    took = time.perf_counter() - started
    if args.json:
        print(json.dumps(as_json(result)))
        return
    held = result["held"]
    print(f"Held-back half: {len(held)} of {len(bench.series)} real monthly series "
          f"({took:.0f} s)\n")
    print("Untouched series flagged (after shared events are folded):")
    for check, share in result["untouched_flagged"].items():
        print(f"  {check:<18} {share:6.1%}")
    print(f"\nPlanted (seed {args.seed}, report stream): {len(result['cases'])} cases\n")
    table = recall_table(result["cases"])
    table["recall (>30 months)"] = table["recall (>30 months)"].map("{:.0%}".format)
    print(table.to_string(index=False))
    print(f"\nShared events among all {len(bench.series)} series: {len(result['events'])}")
    for event in result["events"]:
        print(f"  {event.period_end} {event.family}: {len(event.members)} of "
              f"{event.family_size}")
    print(f"\nTime per goal, all checks as after a write: {_per_goal(bench) * 1000:.0f} ms")


def _per_goal(bench: Bench) -> float:
    """Mean seconds for check_all on one series (with its plan and shadows), over all."""
    started = time.perf_counter()
    for code, values in bench.series.items():
        shadows = {n: bench.series[n] for n in bench.pairs.shadows_of(code) if n in bench.series}
        check_all(values, as_of=values.index[-1].date(), planned=bench_plan(values),
                  direction=direction_of(code), shadows=shadows,
                  shadow_peers={n: bench.peers(code, n) for n in shadows})
    return (time.perf_counter() - started) / len(bench.series)


if __name__ == "__main__":
    main()
