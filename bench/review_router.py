"""The weekly review's page callback at national scale on the load test's PostgreSQL database,
over HTTP-less Flask test requests: after one saved figure, and warm.

    .venv/bin/python bench/review_router.py [--saves 5] [--demo]

``delivery_load_national`` (20,000 goals, 2.4 million figures; built by bench/load.py when
missing; ``--demo``: ``delivery_load_demo``), signed in as the load test's governor (run
bench/load.py once first: it creates the people). Each round saves one figure (as
bench/regrade.py does), then times the requests dash-renderer sends once the page shell is
there (the pages router and any callback on load): what a worker does for a review after a
secretariat's save. Then the same requests warm (nothing changed). Printed: the median and
each round, and the machine's load average. Run it from two checkouts one after the other
to compare code.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

import load  # noqa: E402  (bench/load.py: the databases)
import regrade  # noqa: E402  (bench/regrade.py: one save)
import review_page  # noqa: E402  (the browser's requests)

from delivery.clock import review_date  # noqa: E402
from delivery.db import make_engine, make_session_factory  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args()
    url = (load.database("delivery_load_demo", load.build_demo) if args.demo
           else load.database("delivery_load_national", load.build_national))
    factory = make_session_factory(make_engine(url))
    with factory() as session:
        as_of = review_date(session)
    review_page.PATH = "/review"
    _, client = review_page.our_client(url)
    requests, _ = review_page.on_load(client)
    callbacks = [r for r in requests if r[0] == "POST"]
    rng = random.Random(15)
    after = []
    for _ in range(args.saves):
        regrade.save_one(factory, rng, as_of)
        began = time.perf_counter()
        for request in callbacks:
            review_page._send(client, request)
        after.append(time.perf_counter() - began)
    warm = review_page.timed(client, callbacks, args.saves, warm_up=True)
    warm_totals = [sum(row) for row in warm]
    print(f"{'demo' if args.demo else 'national'} review, {len(callbacks)} callbacks on load; "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| review callbacks | median s | rounds (s) |\n|---|---:|---|")
    for name, times in (("after one saved figure", after), ("warm", warm_totals)):
        print(f"| {name} | {statistics.median(times):.2f} | "
              f"{', '.join(f'{t:.2f}' for t in times)} |")


if __name__ == "__main__":
    main()
