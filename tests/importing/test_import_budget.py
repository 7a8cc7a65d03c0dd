"""Budget accounts from a finance system's file: every bad line named by its file row, the good
lines stored, the same file again changes nothing, a changed amount is an audited update."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from delivery.importing import RowError, import_file, reader
from delivery.models import AuditEntry, BudgetAccount, Secretariat

MAPPING = """\
kind: budget_accounts
read: {delimiter: ";", decimal: ",", thousands: "."}
account: {code: "{Conta}", fiscal_year: "{Ano}", name: "{Nome}", programme: "{Programa}",
          secretariat: "{UG}"}
amounts: {appropriated: Dotacao, committed: Empenhado, spent: Pago}
"""
HEADER = "Programa;Conta;Nome;Ano;UG;Dotacao;Empenhado;Pago"
GOOD = "PPV;0412.0001;Policing;2024;SDS;1.234,56;100,00;50"

BAD_LINES = [
    ("letters-in-amount", "PPV;0412.0002;X;2024;;12a;0;0",
     [("Dotacao", "'12a' is not an amount")]),
    ("point-decimal-in-a-comma-file", "PPV;0412.0003;X;2024;;1,234.56;0;0",
     [("Dotacao", "'1,234.56' is not an amount (for 1,234.56 set read.decimal: \".\" and "
                  "read.thousands: \",\")")]),
    ("empty-amount", "PPV;0412.0004;X;2024;;;0;0",
     [("Dotacao", "no amount (write 0 for none)")]),
    ("nan", "PPV;0412.0005;X;2024;;NaN;0;0", [("Dotacao", "'NaN' is not a finite amount")]),
    ("infinity", "PPV;0412.0006;X;2024;;0;Infinity;0",
     [("Empenhado", "'Infinity' is not a finite amount")]),
    ("negative-appropriation", "PPV;0412.0007;X;2024;;-1.000,00;0;0",
     [("Dotacao", "'-1.000,00' is negative (amounts are never negative)")]),
    ("three-decimals", "PPV;0412.0008;X;2024;;1,234;0;0",
     [("Dotacao", "'1,234' has 3 decimal places (at most 2); is ',' a thousands mark here? "
                  "(for 1,234.56 set read.decimal: \".\" and read.thousands: \",\")")]),
    ("not-a-year", "PPV;0412.0009;X;20x4;;1;0;0", [("Ano", "'20x4' is not a year")]),
    ("year-out-of-range", "PPV;0412.0010;X;9999;;1;0;0",
     [("Ano", "9999 is not a year between 1900 and 2200")]),
    ("no-code", "PPV;;X;2024;;1;0;0", [("Conta", "no account code")]),
    ("unknown-secretariat", "PPV;0412.0011;X;2024;NOPE;1;0;0",
     [("UG", "no secretariat 'NOPE' (by code or name); add it first")]),
    ("name-too-long", "PPV;0412.0012;" + "N" * 301 + ";2024;;1;0;0",
     [("Nome", "account name is 301 characters long (at most 300)")]),
    ("two-problems", "PPV;0412.0013;X;2024;;12a;NaN;0",
     [("Dotacao", "'12a' is not an amount"), ("Empenhado", "'NaN' is not a finite amount")]),
]


@pytest.fixture
def sds(db):
    db.add(Secretariat(code="SDS", name="Secretaria de Defesa Social"))
    db.flush()


def budget(write, lines: list[str], ending: str = "\n", name: str = "budget.csv"):
    return write(name, ending.join([HEADER, *lines]) + ending)


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in BAD_LINES],
                         ids=[c[0] for c in BAD_LINES])
def test_a_bad_budget_line_is_named_by_its_file_row_and_the_good_ones_stored(
        db, write, sds, line, expected):
    report = import_file(db, budget(write, [GOOD, line, GOOD.replace("0001", "0099")]),
                         write("m.yaml", MAPPING), actor="analyst")

    assert report.errors == [RowError("budget.csv", 3, column, reason)
                             for column, reason in expected]
    assert report.accounts_created == 2
    assert sorted(db.scalars(select(BudgetAccount.code))) == ["0412.0001", "0412.0099"]


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n"], ids=["cr", "lf", "crlf"])
def test_every_line_ending_gives_the_same_rows_and_row_numbers(db, write, sds, ending):
    lines = [GOOD, "PPV;0412.0002;X;2024;;12a;0;0", "PPV;0412.0003;Y;2023;SDS;7,5;0;0"]
    report = import_file(db, budget(write, lines, ending), write("m.yaml", MAPPING),
                         actor="analyst")

    assert [(e.row, e.column) for e in report.errors] == [(3, "Dotacao")]
    stored = {a.code: a for a in db.scalars(select(BudgetAccount))}
    assert stored["0412.0001"].appropriated == Decimal("1234.56")
    assert stored["0412.0001"].programme == "PPV"
    assert stored["0412.0001"].secretariat.code == "SDS"
    assert stored["0412.0003"].appropriated == Decimal("7.50")
    assert stored["0412.0003"].fiscal_year == 2023


def test_the_same_file_again_changes_nothing(db, write, sds):
    path, mapping = budget(write, [GOOD, "PPV;0412.0002;X;2024;;2;1;0"]), write("m.yaml", MAPPING)
    import_file(db, path, mapping, actor="analyst")
    audit_rows = len(db.scalars(select(AuditEntry)).all())

    again = import_file(db, path, mapping, actor="analyst")

    assert (again.changed, again.accounts_unchanged) == (0, 2)
    assert len(db.scalars(select(AuditEntry)).all()) == audit_rows


def test_a_changed_amount_updates_the_account_and_is_audited(db, write, sds):
    mapping = write("m.yaml", MAPPING)
    import_file(db, budget(write, [GOOD]), mapping, actor="analyst")

    report = import_file(db, budget(write, [GOOD.replace("100,00", "900,10")], name="b2.csv"),
                         mapping, actor="finance")

    assert (report.accounts_updated, report.accounts_created) == (1, 0)
    account = db.scalars(select(BudgetAccount)).one()
    db.refresh(account)
    assert account.committed == Decimal("900.10")
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "update",
                                                AuditEntry.object_type == "BudgetAccount")).one()
    assert (entry.actor, entry.object_id) == ("finance", str(account.id))
    assert (entry.before, entry.after) == ({"committed": 100.0}, {"committed": 900.1})


def test_the_creation_of_accounts_is_in_the_audit_trail_with_who_and_which(db, write, sds):
    import_file(db, budget(write, [GOOD]), write("m.yaml", MAPPING), actor="analyst")

    entry = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "BudgetAccount")).one()
    assert (entry.actor, entry.action) == ("analyst", "import")
    assert entry.after == {"file": "budget.csv", "created": 1, "accounts": ["0412.0001/2024"]}


def test_all_or_nothing_writes_nothing_when_a_line_is_bad(db, write, sds):
    path = budget(write, [GOOD, "PPV;0412.0002;X;2024;;12a;0;0"])
    report = import_file(db, path, write("m.yaml", MAPPING), actor="analyst",
                         all_or_nothing=True)

    assert not report.written and report.rejected == 1
    assert db.scalars(select(BudgetAccount)).all() == []


def test_a_dry_run_counts_but_writes_nothing(db, write, sds):
    report = import_file(db, budget(write, [GOOD]), write("m.yaml", MAPPING), actor="analyst",
                         dry_run=True)

    assert report.accounts_created == 1 and not report.written
    assert db.scalars(select(BudgetAccount)).all() == []


def test_a_repeated_account_is_ignored_when_equal_and_refused_when_different(db, write, sds):
    lines = [GOOD, GOOD, GOOD.replace("Policing", "Other")]
    report = import_file(db, budget(write, lines), write("m.yaml", MAPPING), actor="analyst")

    assert report.duplicate_rows == 1
    assert report.errors == [RowError("budget.csv", 4, "Conta", "account 0412.0001 of 2024 is "
                                      "already in row 2 with other values")]


def test_a_file_read_in_pieces_numbers_rows_and_finds_repeats_across_pieces(
        db, write, sds, monkeypatch):
    monkeypatch.setattr(reader, "CHUNK_ROWS", 2)
    lines = [GOOD, "PPV;0412.0002;X;2024;;1;0;0", "PPV;0412.0003;X;2024;;12a;0;0",
             "PPV;0412.0004;X;2024;;1;0;0", GOOD.replace("Policing", "Other")]
    report = import_file(db, budget(write, lines, "\r"), write("m.yaml", MAPPING),
                         actor="analyst")

    assert [(e.row, e.column) for e in report.errors] == [(4, "Dotacao"), (6, "Conta")]
    assert report.accounts_created == 3


def test_an_account_without_programme_or_secretariat_stores_none(db, write):
    mapping = write("m.yaml", MAPPING)
    import_file(db, budget(write, ["  ;0412.0002;X;2024;;1;0;0"]), mapping, actor="analyst")

    account = db.scalars(select(BudgetAccount)).one()
    assert (account.programme, account.secretariat_id) == (None, None)
    assert import_file(db, budget(write, ["  ;0412.0002;X;2024;;1;0;0"], name="again.csv"),
                       mapping, actor="analyst").changed == 0


def test_amounts_the_file_does_not_give_are_zero_for_a_new_account_and_kept_otherwise(db, write):
    full = write("m.yaml", MAPPING)
    only = write("only.yaml", MAPPING.replace(", committed: Empenhado, spent: Pago", ""))
    import_file(db, budget(write, ["PPV;0412.0001;X;2024;;1;2;3"]), full, actor="analyst")

    report = import_file(db, budget(write, ["PPV;0412.0001;X;2024;;5;;",
                                            "PPV;0412.0002;Y;2024;;7;;"], name="b2.csv"),
                         only, actor="analyst")

    assert (report.accounts_updated, report.accounts_created) == (1, 1)
    stored = {a.code: a for a in db.scalars(select(BudgetAccount))}
    for account in stored.values():
        db.refresh(account)
    assert [stored["0412.0001"].appropriated, stored["0412.0001"].committed] == [5, 2]
    assert [stored["0412.0002"].appropriated, stored["0412.0002"].spent] == [7, 0]


def test_the_command_imports_a_budget_file_with_dry_run_and_all_or_nothing(
        tmp_path, database_url, monkeypatch):
    from click.testing import CliRunner

    from delivery.cli import main

    monkeypatch.setenv("DELIVERY_DATABASE_URL", database_url)
    run = CliRunner().invoke
    assert run(main, ["db", "upgrade"]).exit_code == 0
    (tmp_path / "m.yaml").write_text(MAPPING, "utf-8")
    data = tmp_path / "budget.csv"
    lines = [HEADER, GOOD.replace(";SDS;", ";;"), "PPV;0412.0002;X;2024;;12a;0;0", ""]
    data.write_bytes("\r".join(lines).encode())
    args = ["import", str(data), "--mapping", str(tmp_path / "m.yaml")]

    dry = run(main, [*args, "--dry-run"])
    strict = run(main, [*args, "--all-or-nothing"])
    kept = run(main, args)
    again = run(main, args)

    assert dry.exit_code == 1 and "accounts: 1 created" in dry.output
    assert "budget.csv:3 Dotacao: '12a' is not an amount" in dry.output
    assert strict.exit_code == 1 and "Nothing was written" in strict.output
    assert kept.exit_code == 1 and "accounts: 1 created" in kept.output
    assert "accounts: 0 created, 0 updated, 1 unchanged" in again.output
