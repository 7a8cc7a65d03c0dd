"""Mapping files are checked when loaded; a problem names the file, the key and the reason."""

from __future__ import annotations

import pytest

from delivery.importing import MappingError, import_file, load_mapping
from delivery.plans.mapping import load_plan_mapping
from delivery.settings import load_settings

VALID = """\
goal: {code: "{goal}", create_missing: true, set: {direction: down, frequency: monthly}}
period: {column: period}
value: value
"""

INVALID = [
    ("not-yaml", "goal: [unclosed", "", "is not valid YAML"),
    ("not-a-mapping", "- just\n- a list\n", "", "should be a YAML mapping"),
    ("no-goal-code", "value: v\nperiod: {column: p}\n", "goal.code", "is required"),
    ("unknown-top-key", VALID + "colour: blue\n", "colour", "unknown key"),
    ("misspelt-read-key", VALID + "read: {delimeter: ';'}\n", "read.delimeter",
     "unknown key (expected one of blank, day_first, decimal, delimiter"),
    ("long-delimiter", VALID + "read: {delimiter: ';;'}\n", "read.delimiter",
     "should be one character"),
    ("unknown-encoding", VALID + "read: {encoding: klingon}\n", "read.encoding",
     "unknown encoding 'klingon'"),
    ("same-decimal-and-thousands", VALID + "read: {decimal: ',', thousands: ','}\n",
     "read.thousands", "should differ from read.decimal"),
    ("negative-skip-rows", VALID + "read: {skip_rows: -1}\n", "read.skip_rows",
     "should be a whole number >= 0"),
    ("bad-layout", VALID + "layout: tall\n", "layout", "should be long or wide"),
    ("wide-without-wide", VALID.replace("value: value\n", "") + "layout: wide\n", "wide",
     "give either columns or all_except"),
    ("wide-with-value", VALID + "layout: wide\nwide: {columns: [a], as: x}\n", "value",
     "a wide layout takes its values from the wide columns"),
    ("wide-without-as", "layout: wide\nwide: {columns: [a]}\ngoal: {code: x}\n"
     "period: {column: p}\n", "wide.as", "is required"),
    ("value-without-period", VALID.replace("period: {column: period}\n", ""), "period",
     "is required when value is given"),
    ("period-column-and-year", VALID.replace("{column: period}", "{column: p, year: y}"),
     "period", "give either column or year and month"),
    ("period-year-only", VALID.replace("{column: period}", "{year: y}"), "period",
     "give column (one column) or year and month"),
    ("bad-period-format", VALID.replace("{column: period}", "{column: p, format: weekly}"),
     "period.format", "should be one of auto, date, month, quarter, year, fiscal_year"),
    ("bad-fiscal-year-end", VALID.replace("{column: period}",
                                          "{column: p, fiscal_year_end_month: 13}"),
     "period.fiscal_year_end_month", "should be 1-12, not 13"),
    ("unknown-goal-attribute", VALID.replace("direction: down", "colour: red"),
     "goal.set.colour", "unknown key"),
    ("bad-constant-direction", VALID.replace("direction: down", "direction: sideways"),
     "goal.set.direction", "'sideways' is not a direction (use up, down, range)"),
    ("bad-constant-frequency", VALID.replace("frequency: monthly", "frequency: daily"),
     "goal.set.frequency", "'daily' is not a frequency"),
    ("bad-constant-number", VALID.replace("direction: down", "direction: down, tolerance: lots"),
     "goal.set.tolerance", "'lots' is not a number"),
    ("lookup-without-table", VALID.replace("direction: down",
                                           "direction: {template: '{x}'}"),
     "goal.set.direction.lookup", "should map texts to values"),
    ("create-missing-not-boolean", VALID.replace("create_missing: true", "create_missing: 1"),
     "goal.create_missing", "should be true or false"),
    ("provisional-without-values", VALID + "provisional: {column: fase}\n",
     "provisional.values", "should list the texts that mean provisional"),
]


@pytest.mark.parametrize(("text", "key", "reason"), [c[1:] for c in INVALID],
                         ids=[c[0] for c in INVALID])
def test_a_bad_mapping_is_refused_naming_file_key_and_reason(tmp_path, text, key, reason):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)

    error = caught.value
    assert error.path == str(path)
    assert error.key == key
    assert reason in error.reason
    assert str(error).startswith(f"{path}: ")


def test_a_missing_mapping_file_is_refused_by_name(tmp_path):
    with pytest.raises(MappingError, match=r"nope.yaml: cannot be read"):
        load_mapping(tmp_path / "nope.yaml")


def test_a_column_the_file_does_not_have_is_refused_naming_the_key_and_the_columns(
    db, write
):
    mapping = write("m.yaml", VALID.replace("{column: period}", "{column: Período}"))
    csv = write("f.csv", "goal,period,value\nA,2021-01,1\n")
    with pytest.raises(MappingError) as caught:
        import_file(db, csv, mapping, actor="analyst")

    assert caught.value.key == "period.column"
    assert "column 'Período' is not in f.csv (its columns: goal, period, value)" in str(
        caught.value
    )


def test_the_fiscal_year_end_month_defaults_to_the_setting(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(VALID, encoding="utf-8")
    mapping = load_mapping(path, settings=load_settings({"fiscal_year_end_month": 3}))
    assert mapping.period is not None and mapping.period.fiscal_year_end_month == 3


def test_every_shipped_mapping_loads(mappings):
    names = sorted(p.name for p in mappings.glob("*.yaml"))
    assert {"sinesp_uf_monthly.yaml", "isp_rj_monthly.yaml", "goal_catalogue.yaml",
            "figures_wide_by_month.yaml"} <= set(names)
    for path in mappings.glob("*.yaml"):
        if path.name.startswith("plans_"):  # delivery plans' own kinds (tests/plans)
            assert load_plan_mapping(path).kind
            continue
        assert load_mapping(path).code.text
