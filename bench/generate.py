"""Generate a national-scale dataset: 20,000 goals and 10 years of monthly figures (2.4 million).

    python bench/generate.py [--goals 20000] [--years 10] [--out bench/out]

Writes ``goals.csv`` (one row per goal: objective, pillar, owner, baseline, target...) and
``figures.csv`` (long: goal code, month, value). Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

PILLARS = ["Safety", "Education", "Health", "Economy", "Infrastructure", "Governance"]
OBJECTIVES_PER_PILLAR = 2
SECRETARIATS = 40


def goals_frame(
    n_goals: int, first_year: int, years: int, rng: np.random.Generator
) -> pd.DataFrame:
    objectives = [f"{p} objective {i + 1}" for p in PILLARS for i in range(OBJECTIVES_PER_PILLAR)]
    objective_index = rng.integers(0, len(objectives), n_goals)
    baseline = rng.uniform(100, 10_000, n_goals).round(1)
    down = rng.random(n_goals) < 0.6
    change = rng.uniform(0.05, 0.4, n_goals)
    target = np.where(down, baseline * (1 - change), baseline * (1 + change)).round(1)
    return pd.DataFrame({
        "code": [f"G{i:05d}" for i in range(1, n_goals + 1)],
        "name": [f"National goal {i}" for i in range(1, n_goals + 1)],
        "objective": [objectives[i] for i in objective_index],
        "pillar": [PILLARS[i // OBJECTIVES_PER_PILLAR] for i in objective_index],
        "owner": [f"SEC{i:02d}" for i in rng.integers(1, SECRETARIATS + 1, n_goals)],
        "indicator": "Indicator",
        "unit": "units",
        "direction": np.where(down, "down", "up"),
        "frequency": "monthly",
        "baseline_value": baseline,
        "baseline_date": f"{first_year - 1}-12-31",
        "target_value": target,
        "target_date": f"{first_year + years - 1}-12-31",
    })


def figures_frame(goals: pd.DataFrame, first_year: int, years: int,
                  rng: np.random.Generator) -> pd.DataFrame:
    months = pd.period_range(f"{first_year}-01", periods=12 * years, freq="M")
    n, m = len(goals), len(months)
    progress = np.arange(1, m + 1) / m
    base = goals["baseline_value"].to_numpy()[:, None]
    target = goals["target_value"].to_numpy()[:, None]
    # Each goal runs at its own pace (some fall behind), with month-to-month noise.
    pace = rng.uniform(0.6, 1.1, n)[:, None]
    noise = rng.normal(0, 0.02, (n, m)) * base
    values = (base + (target - base) * progress[None, :] * pace + noise).round(1)
    return pd.DataFrame({
        "goal": np.repeat(goals["code"].to_numpy(), m),
        "month": np.tile(months.strftime("%Y-%m").to_numpy(), n),
        "value": values.ravel(),
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=20_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--first-year", type=int, default=2015)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    goals = goals_frame(args.goals, args.first_year, args.years, rng)
    goals.to_csv(args.out / "goals.csv", index=False)
    figures = figures_frame(goals, args.first_year, args.years, rng)
    figures.to_csv(args.out / "figures.csv", index=False)
    print(f"wrote {len(goals):,} goals and {len(figures):,} figures to {args.out}")


if __name__ == "__main__":
    main()
