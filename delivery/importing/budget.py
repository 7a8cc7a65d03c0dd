"""Importing budget accounts from a finance system's CSV or Excel file, described by a mapping.

Finance files hold tens of thousands of lines, so the file is read in pieces (a CSV file is
streamed) and accounts are written with one executemany per piece, not one ORM object per
line. The audit trail still has each change of an account (before and after) and, for each
piece, one entry naming every account it created.
An account is its code and fiscal year: the same file imported again changes nothing, and a
changed amount updates the account (its before and after in the audit trail).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Float, Table, bindparam, select, type_coerce, update
from sqlalchemy.orm import Session

from delivery.audit import record_bulk
from delivery.bulk import collector_paused
from delivery.db import insert_many
from delivery.i18n import _
from delivery.importing import reader
from delivery.importing.budget_cells import (
    YEARS,
    amount_cents,
    blame,
    check_columns,
    fiscal_year,
    limit,
    rendered,
    too_long,
)
from delivery.importing.budget_mapping import AMOUNTS, BudgetMapping
from delivery.importing.periods import fold
from delivery.importing.reader import read_chunks
from delivery.importing.report import ImportReport, RowError
from delivery.models import BudgetAccount, Secretariat


def import_budget_file(
    session: Session, path: Path, mapping: BudgetMapping, *, actor: str,
    dry_run: bool = False, all_or_nothing: bool = False,
) -> ImportReport:
    """Import the accounts (or, for ``kind: account_links``, the links) of one file.

    Runs in the caller's transaction and never commits; see ``import_file`` for the rules on
    rejected rows, ``dry_run`` and ``all_or_nothing``.
    """
    if mapping.kind == "account_links":
        from delivery.importing.account_links import import_links

        run: Callable[[bool], ImportReport] = lambda write: import_links(  # noqa: E731
            session, path, mapping, write=write, dry_run=dry_run)
    else:
        run = lambda write: _import_accounts(  # noqa: E731
            session, path, mapping, write=write, dry_run=dry_run)
    session.info["actor"] = actor
    if all_or_nothing and not dry_run:
        checked = run(False)  # a first pass that writes nothing decides
        if not checked.ok:
            return checked
    return run(not dry_run)


@dataclass
class _Accounts:
    """The accounts in the database, by fiscal year, fetched as the import meets each year."""

    session: Session
    by_year: dict[int, pd.DataFrame] = field(default_factory=dict)

    def of(self, years: Iterable[int]) -> pd.DataFrame:
        """The stored accounts of these years, indexed by (code, fiscal_year)."""
        table = BudgetAccount.__table__
        for year in set(years) - set(self.by_year):
            query = select(table.c.id, table.c.code, table.c.fiscal_year, *(
                table.c[c] for c in COLUMNS[:3]), *(type_coerce(table.c[a], Float)
                                                    for a in AMOUNTS)).where(
                table.c.fiscal_year == year)
            names = ["id", "code", "fiscal_year", *COLUMNS]
            rows = self.session.execute(query).all()
            columns: dict[str, Any] = (dict(zip(names, zip(*rows, strict=True), strict=True))
                                       if rows else {n: [] for n in names})
            frame = pd.DataFrame(columns)
            for amount in AMOUNTS:
                frame[amount] = np.rint(frame[amount].astype(float).fillna(0) * 100).astype(
                    np.int64)
            self.by_year[year] = frame.set_index(["code", "fiscal_year"])
        frames = [self.by_year[y] for y in years]
        return pd.concat(frames) if frames else pd.DataFrame(columns=["id", *COLUMNS])


COLUMNS = ("name", "programme", "secretariat_id", *AMOUNTS)


def _import_accounts(session: Session, path: Path, mapping: BudgetMapping, *, write: bool,
                     dry_run: bool) -> ImportReport:
    report = ImportReport(file=path.name, mapping=mapping.path.name, kind=mapping.kind,
                          description=mapping.description, dry_run=dry_run)
    secretariats = _secretariats(session)
    accounts = _Accounts(session)
    seen: dict[tuple[str, int], tuple[int, int]] = {}
    for number, chunk in enumerate(read_chunks(path, mapping.read, reader.CHUNK_ROWS)):
        if number == 0:
            check_columns(chunk, mapping, path.name)
        with collector_paused():  # pieces of 50,000 rows: see delivery.bulk
            _import_piece(session, chunk, mapping, report, _Seen(secretariats, accounts, seen),
                          write)
    report.written = write
    return report


@dataclass
class _Seen:
    """What the pieces of one file share: secretariats, stored accounts, accounts met so far."""

    secretariats: dict[str, int]
    accounts: _Accounts
    keys: dict[tuple[str, int], tuple[int, int]]  # (code, year) -> (row, hash of its values)


def _import_piece(session: Session, chunk: pd.DataFrame, mapping: BudgetMapping,
                  report: ImportReport, seen: _Seen, write: bool) -> None:
    """Check one piece of the file, then create and update its accounts (when writing).

    An account already met in an earlier piece is a repeat (``_first_of_repeats``), so what an
    earlier piece wrote never needs to be read back: the stored accounts fetched once per
    fiscal year stay right for the whole file.
    """
    report.rows_read += len(chunk)
    values, problems = _checked(chunk, mapping, seen.secretariats)
    for row, reasons in sorted(problems.items()):
        report.add_errors(RowError(report.file, row, c, r) for c, r in reasons)
    good = values.drop(index=list(problems)) if problems else values
    good = _first_of_repeats(good, seen.keys, report, mapping)
    stored = seen.accounts.of(good["fiscal_year"].unique().tolist())
    found = stored.reindex(pd.MultiIndex.from_arrays([good["code"], good["fiscal_year"]]))
    is_new = found["id"].isna().to_numpy()
    given = _given(mapping)
    differs = np.zeros(len(good), dtype=bool)
    for column in given:
        differs |= ~_same(good[column].to_numpy(), found[column].to_numpy())
    changed = [_change(good.iloc[i], found.iloc[i], given)
               for i in np.flatnonzero(differs & ~is_new)]
    new = good[is_new]
    report.accounts_created += len(new)
    report.accounts_updated += len(changed)
    report.accounts_unchanged += int((~differs & ~is_new).sum())
    if write:
        _write(session, new, changed, report.file)


def _checked(chunk: pd.DataFrame, mapping: BudgetMapping, secretariats: dict[str, int]
             ) -> tuple[pd.DataFrame, dict[int, list[tuple[str, str]]]]:
    """The values of each row, and the reasons rows are refused (by file row)."""
    rows = chunk.index.to_numpy()
    problems: dict[int, list[tuple[str, str]]] = {}

    def refuse(mask: np.ndarray, name: str, reason: Callable[[int], str]) -> None:
        for i in np.flatnonzero(mask):
            problems.setdefault(int(rows[i]), []).append((blame(mapping, name), reason(int(i))))

    text = {name: pd.Series(rendered(t, chunk, mapping.read.blank), dtype=object)
            for name, t in mapping.templates.items()}
    values = pd.DataFrame(index=chunk.index)
    for name, what, none in (("code", _("account code"), _("no account code")),
                             ("name", _("account name"), _("no account name"))):
        cells, most = text[name], limit(BudgetAccount, name)
        refuse(cells.isna().to_numpy(), name, _said(none))
        lengths = cells.str.len().fillna(0).to_numpy()
        refuse(lengths > most, name, _too_long(cells, what, most))
        values[name] = cells.to_numpy()
    years = pd.to_numeric(text["fiscal_year"], errors="coerce").to_numpy(dtype=float)
    bad_year = ~np.isin(years, np.arange(YEARS.start, YEARS.stop))
    refuse(bad_year, "fiscal_year", lambda i: str(fiscal_year(text["fiscal_year"][i]))
           if text["fiscal_year"][i] else _("no fiscal year"))
    values["fiscal_year"] = np.where(bad_year, 0, years).astype(np.int64)
    values["programme"] = text["programme"].to_numpy() if "programme" in text else None
    values["secretariat_id"] = None
    if "secretariat" in text:
        holder = text["secretariat"]
        ids = np.array([None if h is None else secretariats.get(h) or secretariats.get(fold(h))
                        for h in holder.tolist()], dtype=object)
        unknown = pd.isna(ids) & holder.notna().to_numpy()
        refuse(unknown, "secretariat",
               lambda i: _("no secretariat {name} (by code or name); add it first").format(
                   name=repr(holder[i])))
        values["secretariat_id"] = ids
    for name in AMOUNTS:  # an amount the file does not give: 0 for a new account
        values[name] = np.zeros(len(chunk), dtype=np.int64)
    for name, column in mapping.amounts.items():
        cents, reasons = amount_cents(chunk[column], mapping.read)
        refuse(pd.notna(reasons), name, _said_at(reasons))
        values[name] = cents
    return values, problems


def _said(reason: str) -> Callable[[int], str]:
    return lambda _: reason


def _said_at(reasons: np.ndarray) -> Callable[[int], str]:
    return lambda i: str(reasons[i])


def _too_long(cells: pd.Series, what: str, most: int) -> Callable[[int], str]:
    return lambda i: str(too_long(cells[i], what, most))


def _first_of_repeats(good: pd.DataFrame, seen: dict[tuple[str, int], tuple[int, int]],
                      report: ImportReport, mapping: BudgetMapping) -> pd.DataFrame:
    """Rows of an account already met (in this piece or an earlier one): an identical row is
    ignored, a different one refused naming the first row."""
    signatures = list(map(hash, zip(*(good[c].tolist() for c in COLUMNS), strict=True)))
    rows = good.index.tolist()
    keys = list(zip(good["code"].tolist(), good["fiscal_year"].tolist(), strict=True))
    again = good.duplicated(["code", "fiscal_year"]).to_numpy() | np.fromiter(
        (k in seen for k in keys), dtype=bool, count=len(keys))
    keep = ~again
    seen.update(zip([k for k, a in zip(keys, again, strict=True) if not a],
                    zip([r for r, a in zip(rows, again, strict=True) if not a],
                        [h for h, a in zip(signatures, again, strict=True) if not a],
                        strict=True), strict=True))
    for i in np.flatnonzero(again):
        first = seen[keys[i]]
        if first[1] == signatures[i]:
            report.duplicate_rows += 1
        else:
            report.add_errors([RowError(report.file, rows[i], blame(mapping, "code"), (
                _("account {code} of {year} is already in row {row} with other values").format(
                    code=keys[i][0], year=keys[i][1], row=first[0])))])
    return good[keep]


def _given(mapping: BudgetMapping) -> list[str]:
    """The account fields the file sets (the others are left as they are)."""
    fields: list[str] = [f for f in ("name", "programme") if f in mapping.templates]
    if "secretariat" in mapping.templates:
        fields.append("secretariat_id")
    return fields + list(mapping.amounts)


def _same(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Elementwise equality, missing values (None, or NaN as pandas keeps them) all equal."""
    if new.dtype.kind in "iu" and old.dtype.kind in "iu":
        return new == old
    new, old = new.astype(object), old.astype(object)
    new_missing, old_missing = pd.isna(new), pd.isna(old)
    equal = np.asarray(np.where(new_missing | old_missing, False, new == old), dtype=bool)
    return equal | (new_missing & old_missing)


def _change(new: pd.Series, old: pd.Series, given: list[str]) -> tuple:
    before = {c: _py(old[c]) for c in given if not _same(np.array([new[c]], dtype=object),
                                                       np.array([old[c]], dtype=object))[0]}
    return int(old["id"]), before, {c: _py(new[c]) for c in before}


def _py(value: Any) -> Any:
    """numpy scalars and NaN as plain Python values (for the database and the audit trail)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _secretariats(session: Session) -> dict[str, int]:
    """Secretariat ids by code and by folded name."""
    found: dict[str, int] = {}
    for id_, code, name in session.execute(select(Secretariat.id, Secretariat.code,
                                                  Secretariat.name)):
        found.setdefault(fold(name), id_)
        found[code] = id_
    return found


def _write(session: Session, new: pd.DataFrame, changed: list[tuple], source: str) -> None:
    """One executemany for the new accounts and one per set of changed fields, then the audit
    rows (money as numbers in the audit trail, as the ORM path writes it)."""
    table = cast(Table, BudgetAccount.__table__)
    if len(new):
        columns = ["code", "fiscal_year", *COLUMNS]
        cells = [new[c].tolist() for c in columns]
        # SQLite keeps a Numeric as a double, and cents / 100 is the very double the Decimal
        # would become (both are the nearest to the exact value): no Decimal per amount there.
        money = _money if session.get_bind().dialect.name != "sqlite" else _hundredth
        for i, c in enumerate(columns):
            if c in AMOUNTS:
                cells[i] = [money(v) for v in cells[i]]
            elif c in ("programme", "secretariat_id"):  # pandas keeps a missing one as NaN
                cells[i] = [_py(v) for v in cells[i]]
        insert_many(session, table, columns, list(zip(*cells, strict=True)))
        # One audit row for the piece, not one per account: the trail of a 20,000-line file
        # would double the import's time. It names every account created; changes to an
        # account later are audited one by one with before and after.
        record_bulk(session, "import", "BudgetAccount", [(source[:120], None, {
            "file": source, "created": len(new),
            "accounts": [f"{c}/{y}" for c, y in zip(cells[0], cells[1], strict=True)]})])
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for id_, _before, after in changed:
        by_fields.setdefault(tuple(sorted(after)), []).append(
            {"_id": id_, **{k: _money(v) if k in AMOUNTS else v for k, v in after.items()}})
    for rows in by_fields.values():
        # The SET clause is the fields of the rows; the id is bound under another name.
        session.connection().execute(update(table).where(table.c.id == bindparam("_id")), rows)
    if changed:
        record_bulk(session, "update", "BudgetAccount",
                    [(str(id_), _plain(before), _plain(after)) for id_, before, after in changed])


def _hundredth(cents: int) -> float:
    return cents / 100


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v / 100 if k in AMOUNTS and v is not None else v for k, v in values.items()}
