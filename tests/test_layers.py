"""The domain core stands alone: ``delivery/`` imports neither the packages built on top of it
(the strategy map, pacts, the screens) nor the web stack. ``delivery/cli.py`` is the exception:
it is the command line's composition root and wires the map's commands and the web app in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "delivery"
ABOVE = {"strategy_maps", "pacts", "dashboards", "dash", "plotly", "flask"}
ROOTS = {CORE / "cli.py"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(set(CORE.rglob("*.py")) - ROOTS),
                         ids=lambda p: str(p.relative_to(CORE.parent)))
def test_the_domain_core_imports_nothing_built_on_top_of_it(path: Path) -> None:
    assert imported_packages(path) & ABOVE == set()


def test_the_check_sees_an_import_of_the_strategy_map(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from strategy_maps.reports import spending_report\n")
    assert imported_packages(module) == {"strategy_maps"}
