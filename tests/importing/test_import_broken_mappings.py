"""No mapping, however wrong, gives a traceback: `delivery import` says in one line which key of
the mapping is wrong and why, and exits with status 2."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from delivery.cli import main

DATA = "goal,period,Valor,Conta\nA,2024-01,10,C1\n"
FIGURES = 'goal: {code: "{goal}", create_missing: true}\nperiod: {column: period}\n'

BROKEN = [
    ("value-as-template", FIGURES + 'value: "{Valor}"\n',
     "value: names one column, not a template: write Valor, not {Valor}"),
    ("period-column-as-template", 'goal: {code: "{goal}"}\nperiod: {column: "{period}"}\n'
     "value: Valor\n", "period.column: names one column, not a template"),
    ("unknown-top-key", FIGURES + "value: Valor\ncolour: red\n", "colour: unknown key"),
    ("unknown-goal-key", 'goal: {code: "{goal}", colour: red}\n', "goal.colour: unknown key"),
    ("goal-is-a-list", "goal: [1, 2]\n", "goal: should be a mapping of keys to values"),
    ("skip-rows-is-text", FIGURES + "value: Valor\nread: {skip_rows: two}\n",
     "read.skip_rows: should be a whole number"),
    ("delimiter-is-a-list", FIGURES + "value: Valor\nread: {delimiter: [a]}\n",
     "read.delimiter: should be a text"),
    ("unknown-encoding", FIGURES + "value: Valor\nread: {encoding: klingon}\n",
     "read.encoding: unknown encoding 'klingon'"),
    ("layout-is-a-number", 'goal: {code: "{goal}"}\nlayout: 5\n', "layout: should be long"),
    ("lookup-without-table", 'goal: {code: "{goal}", set: {direction: {template: "{goal}"}}}\n',
     "goal.set.direction.lookup: should map texts to values"),
    ("fiscal-year-end-13", FIGURES + "value: Valor\nperiod: {column: period, "
     "fiscal_year_end_month: 13}\n", "period.fiscal_year_end_month: should be 1-12"),
    ("column-not-in-file", FIGURES + "value: Amount\n", "value: column 'Amount' is not in"),
    ("not-yaml", "goal: {code: [\n", "is not valid YAML"),
    ("a-list-not-a-mapping", "- a\n- b\n", "should be a YAML mapping"),
    ("empty-file", "", "should be a YAML mapping"),
    ("unknown-kind", "kind: salaries\n", "kind: should be one of figures, budget_accounts"),
    ("budget-without-appropriated", 'kind: budget_accounts\naccount: {code: "{Conta}", '
     'fiscal_year: "2024", name: "{Conta}"}\namounts: {spent: Valor}\n',
     "amounts.appropriated: is required"),
    ("budget-amount-as-template", 'kind: budget_accounts\naccount: {code: "{Conta}", '
     'fiscal_year: "2024", name: "{Conta}"}\namounts: {appropriated: "{Valor}"}\n',
     "amounts.appropriated: names one column, not a template: write Valor, not {Valor}"),
    ("budget-column-name-without-braces", 'kind: budget_accounts\naccount: {code: Conta, '
     'fiscal_year: "2024", name: "{Conta}"}\namounts: {appropriated: Valor}\n',
     "account.code: 'Conta' is a column of data.csv: write {Conta}"),
    ("budget-unknown-account-key", 'kind: budget_accounts\naccount: {code: "{Conta}", '
     'fiscal_year: "2024", name: x, owner: y}\namounts: {appropriated: Valor}\n',
     "account.owner: unknown key"),
    ("budget-without-account", "kind: budget_accounts\namounts: {appropriated: Valor}\n",
     "account: is required"),
    ("links-share-unit", 'kind: account_links\nlink: {account: "{Conta}", fiscal_year: "2024",'
     ' goal: "{goal}"}\nshare: {column: Valor, as: per-mille}\n',
     "share.as: should be fraction (0.25) or percent (25)"),
    ("alias-bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
        for i in range(8)) + "goal: *i\n", "aliases (*name) expand to more than 100,000"),
    ("deeply-nested", "goal: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ("source-too-long", FIGURES + "value: Valor\nsource: " + "s" * 301 + "\n",
     "source: is 301 characters long (at most 300)"),
    ("not-utf8", b"goal: {code: \xff\xfe}\n", "is not UTF-8 text"),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_a_broken_mapping_is_one_line_naming_its_key(tmp_path, database_url, monkeypatch, text,
                                                     expected):
    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    data, mapping = tmp_path / "data.csv", tmp_path / "m.yaml"
    data.write_text(DATA, encoding="utf-8")
    mapping.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    started = time.perf_counter()
    result = CliRunner().invoke(main, ["import", str(data), "--mapping", str(mapping)])

    assert time.perf_counter() - started < 5  # an alias bomb is refused, not expanded
    assert isinstance(result.exception, SystemExit) and result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.output
    assert "Traceback" not in result.output
