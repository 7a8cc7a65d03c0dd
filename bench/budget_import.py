"""Benchmark: importing a finance system's budget file, against pandas reading the same file.

    .venv/bin/python bench/budget_import.py [--lines 20000] [--database URL]

Writes a budget file of ``--lines`` data lines the way finance systems export them: semicolons,
decimal commas with dot thousands marks (1.234,56), CR-only line endings, and one line in fifty
malformed (``12a``, ``1,234.56``, empty, ``NaN``, ``Infinity``, a negative appropriation).
Then, in one run:

- baseline: ``pandas.read_csv`` of the same file (every cell as text), the least any import
  must do;
- import: ``delivery import``'s own path (``import_file``) into a fresh database, committed;
- again: the same file imported a second time, which must change nothing.

Prints lines per second of each, the ratio import / baseline, and checks that every malformed
line was named by its file row and that the second import wrote nothing. The target is at
least 20,000 lines a second for the import.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.importing import import_file, load_mapping  # noqa: E402

MAPPING = """\
kind: budget_accounts
description: SIAFI-style budget lines
read: {delimiter: ";", decimal: ",", thousands: "."}
account: {code: "{Conta}", fiscal_year: "{Exercicio}", name: "{Descricao}",
          programme: "{Programa}"}
amounts: {appropriated: Dotacao, committed: Empenhado, spent: Pago}
"""
MALFORMED = ["12a", "1,234.56", "", "NaN", "Infinity", "-1.000,00"]


def money(cents: np.ndarray) -> list[str]:
    """Amounts written as 1.234.567,89."""
    return [f"{c // 100:,}".replace(",", ".") + f",{c % 100:02d}" for c in cents.tolist()]


def budget_file(path: Path, lines: int, rng: np.random.Generator) -> set[int]:
    """Write the file; return the file rows (header = row 1) that are malformed."""
    appropriated = rng.integers(1_000_00, 500_000_000_00, lines)
    committed = appropriated * rng.uniform(0, 1, lines)
    spent = committed * rng.uniform(0, 1, lines)
    frame = pd.DataFrame({
        "Programa": [f"P{p:03d}" for p in rng.integers(1, 120, lines)],
        "Conta": [f"{i // 1000:04d}.{i % 1000:04d}" for i in range(lines)],
        "Descricao": [f"Budget line {i}" for i in range(lines)],
        "Exercicio": rng.choice([2023, 2024], lines),
        "Dotacao": money(appropriated),
        "Empenhado": money(committed.astype(np.int64)),
        "Pago": money(spent.astype(np.int64)),
    })
    bad = np.flatnonzero(np.arange(lines) % 50 == 7)
    frame.loc[bad, "Dotacao"] = [MALFORMED[i % len(MALFORMED)] for i in range(len(bad))]
    text = frame.to_csv(sep=";", index=False, lineterminator="\r")
    path.write_text(text, encoding="utf-8")
    return {int(i) + 2 for i in bad}


def timed(action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        data, mapping_path = tmp / "budget.csv", tmp / "budget.yaml"
        bad_rows = budget_file(data, args.lines, np.random.default_rng(11))
        mapping_path.write_text(MAPPING, encoding="utf-8")
        mapping = load_mapping(mapping_path)
        engine = make_engine(args.database or f"sqlite:///{tmp / 'bench.db'}")
        upgrade(engine)
        factory = make_session_factory(engine)

        _, baseline = timed(lambda: pd.read_csv(data, sep=";", dtype=str, keep_default_na=False))

        def run():  # type: ignore[no-untyped-def]
            with factory() as session, session.begin():
                return import_file(session, data, mapping, actor="bench")

        first, took = timed(run)
        second, again = timed(run)
        engine.dispose()

    named = {e.row for e in first.errors}
    print(f"budget file: {args.lines:,} lines, CR line endings, {len(bad_rows):,} malformed")
    print(f"pandas read_csv (baseline): {baseline:6.3f} s  {args.lines / baseline:10,.0f} lines/s")
    print(f"import, first time:         {took:6.3f} s  {args.lines / took:10,.0f} lines/s  "
          f"({first.accounts_created:,} created, {first.rejected:,} rejected)")
    print(f"import, same file again:    {again:6.3f} s  {args.lines / again:10,.0f} lines/s  "
          f"({second.changed:,} changed, {second.accounts_unchanged:,} unchanged)")
    print(f"ratio import / read_csv: {took / baseline:.1f}x the time of reading the file")
    checks = {
        "every malformed line named by its file row": named == bad_rows,
        "every other line stored": first.accounts_created == args.lines - len(bad_rows),
        "second import changed nothing": second.changed == 0,
        "at least 20,000 lines/s": args.lines / took >= 20_000,
    }
    for what, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {what}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
