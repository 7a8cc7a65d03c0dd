"""Two imports of the same goals at once, in two real processes: the second waits for the first
(or, past the wait, stops with a clear message); never a traceback, never a goal twice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from delivery.models import BudgetAccount, Figure, Goal

ROOT = Path(__file__).resolve().parents[2]
FIGURES = """\
goal: {code: "{goal}", create_missing: true, set: {direction: down, frequency: monthly}}
period: {column: period, format: month}
value: value
"""
ACCOUNTS = """\
kind: budget_accounts
account: {code: "{code}", fiscal_year: "2024", name: "{code}"}
amounts: {appropriated: amount}
"""


def run_twice_at_once(data: Path, mapping: Path, database_url: str) -> list[tuple[int, str]]:
    command = [str(Path(sys.executable).with_name("delivery")), "import", str(data),
               "--mapping", str(mapping)]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "DELIVERY_DATABASE_URL":
           database_url}
    started = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    return [(p.wait(timeout=300), p.stdout.read() if p.stdout else "") for p in started]


def test_two_imports_of_the_same_goals_at_once_store_each_goal_and_figure_once(
        tmp_path, database_url, session_factory):
    rows = "".join(f"G{g},2023-{m:02d},{g * 10 + m}\n" for g in range(200) for m in range(1, 13))
    data = tmp_path / "figures.csv"
    data.write_text("goal,period,value\n" + rows, encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(FIGURES, encoding="utf-8")

    results = run_twice_at_once(data, mapping, database_url)

    for code, output in results:
        assert "Traceback" not in output, output
        assert code == 0 or (code == 3 and "another import is writing" in output), output
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Goal)) == 200
        assert session.scalar(select(func.count()).select_from(Figure)) == 2400


def test_two_imports_of_the_same_accounts_at_once_store_each_account_once(
        tmp_path, database_url, session_factory):
    data = tmp_path / "budget.csv"
    data.write_text("code,amount\n" + "".join(f"A{i},{i}.5\n" for i in range(5000)),
                    encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(ACCOUNTS, encoding="utf-8")

    results = run_twice_at_once(data, mapping, database_url)

    for code, output in results:
        assert "Traceback" not in output, output
        assert code == 0 or (code == 3 and "another import is writing" in output), output
    assert any("5,000 created" in output for _, output in results)
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(BudgetAccount)) == 5000
