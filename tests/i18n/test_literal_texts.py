"""No English sentence typed straight into a component: every text a person reads goes through
the catalogue (``_()``), or the browser matrix's comparison with the catalogue cannot see it
("Drop a CSV or Excel file here, or", the import page's empty state and the data-quality
grid's "No rows" text were English on every language, and in no catalogue).

The source of ``dashboards/`` is read, not run: a string constant of two words or more given
to an ``html``, ``dbc``, ``dcc`` or ``dag`` component as its first argument or as
``children``, ``placeholder``, ``title``, ``label`` or ``aria-label`` (or a grid's
``noRowsToShow``, ``headerName``) is a message left out of the catalogue."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
COMPONENT_MODULES = {"html", "dbc", "dcc", "dag"}
SHOWN = {"children", "placeholder", "title", "label", "aria-label", "noRowsToShow",
         "headerName"}
WORDS = re.compile(r"[A-Za-z]{2,}.*\s.*[A-Za-z]{2,}")  # two words or more
# Not messages: what a person types as is (an HTTP header).
CODE = {"Authorization: Bearer …"}


def _constants(node: ast.AST) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            yield from _constants(element)
    elif isinstance(node, ast.BinOp):  # "text " + _("more")
        yield from _constants(node.left)
        yield from _constants(node.right)


def _shown(tree: ast.AST) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in COMPONENT_MODULES):
            for value in [*node.args[:1], *(k.value for k in node.keywords if k.arg in SHOWN)]:
                yield from _constants(value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in SHOWN:
                    yield from _constants(value)


def literal_texts(source: str) -> list[str]:
    """The English sentences ``source`` gives its components without the catalogue."""
    return [c.value for c in _shown(ast.parse(source))
            if WORDS.search(c.value) and c.value.strip() not in CODE]


def test_the_check_finds_a_sentence_typed_into_a_component():
    source = ('html.Div(["Drop a file here, or ", html.Span(_("choose one"))])\n'
              'html.P("Choose a file.", className="text-muted")\n'
              'dag.AgGrid(dashGridOptions={"localeText": {"noRowsToShow": "No flags yet."}})\n'
              'dbc.Input(placeholder=_("Why this change?"), className="form-control mb-2")\n'
              'html.Span(code, className="goal-code small")\n')
    assert sorted(literal_texts(source)) == ["Choose a file.", "Drop a file here, or ",
                                           "No flags yet."]


def test_no_component_shows_a_sentence_that_is_not_in_the_catalogue():
    found = [f"{path.relative_to(DASHBOARDS.parent)}: {text!r}"
             for path in sorted(DASHBOARDS.rglob("*.py"))
             for text in literal_texts(path.read_text(encoding="utf-8"))]
    assert found == []
