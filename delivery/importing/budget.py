"""Importing budget accounts from a finance system's CSV or Excel file, described by a mapping.

Finance files hold tens of thousands of lines, so the file is read in pieces (a CSV file is
streamed) and accounts are written with one executemany per piece, not one ORM object per
line; each creation and each change of an account is written to the audit trail all the same.
An account is its code and fiscal year: the same file imported again changes nothing, and a
changed amount updates the account (its before and after in the audit trail).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Float, Table, bindparam, select, type_coerce, update
from sqlalchemy.orm import Session

from delivery.audit import record_bulk
from delivery.db import insert_many
from delivery.i18n import _
from delivery.importing import reader
from delivery.importing.budget_mapping import AMOUNTS, BudgetMapping
from delivery.importing.mapping import MappingError, Template
from delivery.importing.periods import fold
from delivery.importing.reader import ReadOptions, read_chunks
from delivery.importing.report import ImportReport, RowError
from delivery.models import BudgetAccount, Secretariat

MAX_CENTS = 10**18 - 1  # Numeric(18, 2)
YEARS = range(1900, 2201)
_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


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


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cycle collector walks every live object each time enough new ones are made; a
    piece of 50,000 rows makes millions, and the walks cost more than the import itself. It is
    paused for one piece at a time (reference counting still frees what is dropped)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rendered(template: Template, frame: pd.DataFrame, blank: Iterable[str]) -> list[str | None]:
    """The template's text in every row, stripped; None where a cell it uses is blank."""
    markers = {"", *(b.strip() for b in blank)}
    columns = template.columns
    if template.text.strip() == "{" + (columns[0] if columns else "") + "}":
        cells = frame[columns[0]].str.strip()
        return [None if c in markers else c for c in cells.tolist()]
    if not columns:
        text = template.text.strip()
        return [text or None] * len(frame)
    cells = {c: frame[c].str.strip().tolist() for c in columns}
    out: list[str | None] = []
    for i in range(len(frame)):
        row = {c: None if cells[c][i] in markers else cells[c][i] for c in columns}
        filled = template.render(row.__getitem__)
        out.append(filled.strip() if filled is not None else None)
    return out


def blame(mapping: BudgetMapping, name: str) -> str:
    """The column an error in ``name`` is reported under: its template's first column."""
    template = mapping.templates.get(name)
    if template is not None and template.columns:
        return template.columns[0]
    return mapping.amounts.get(name) or name


def check_columns(frame: pd.DataFrame, mapping: BudgetMapping, name: str) -> None:
    """MappingError for a column the mapping names that the file lacks, or a column's name
    given where a template was meant (``Conta`` for ``{Conta}``)."""
    present = set(frame.columns)
    for key, column in mapping.column_uses():
        if column not in present:
            raise MappingError(mapping.path, key, f"column {column!r} is not in {name} (its "
                               f"columns: {', '.join(map(str, frame.columns))})")
    for key, text in mapping.constant_columns():
        if text.strip() in present:
            raise MappingError(mapping.path, key, f"{text!r} is a column of {name}: write "
                               f"{{{text.strip()}}} to take each row's text")


def amount_reader(read: ReadOptions) -> Callable[[str], int | str]:
    """A function from an amount's text to its whole cents or the reason it is refused.

    The text must be written exactly as the mapping's ``read.decimal`` and ``read.thousands``
    say: with ``decimal: "."`` and no thousands mark, ``1,234.56`` and ``1.234,56`` are both
    refused rather than guessed.
    """
    dec, thou = re.escape(read.decimal), re.escape(read.thousands) if read.thousands else None
    whole = rf"(?:\d{{1,3}}(?:{thou}\d{{3}})+|\d+)" if thou else r"\d+"
    pattern = re.compile(rf"([+-]?)({whole})(?:{dec}(\d*))?")
    hint = (_(' (for 1.234,56 set read.decimal: "," and read.thousands: ".")')
            if read.decimal == "." else
            _(' (for 1,234.56 set read.decimal: "." and read.thousands: ",")'))

    def read_amount(text: str) -> int | str:
        cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
        if not cleaned:
            return _("no amount (write 0 for none)")
        if cleaned.lower() in _NOT_FINITE:
            return _("{text} is not a finite amount").format(text=repr(text))
        match = pattern.fullmatch(cleaned)
        if match is None:
            other = "," if read.decimal == "." else "."
            return (_("{text} is not an amount").format(text=repr(text))
                    + (hint if other in cleaned else ""))
        sign, digits, cents = match.groups()
        if cents and len(cents) > 2:
            return _("{text} has {places} decimal places (at most 2); is {mark} a thousands "
                     "mark here?").format(text=repr(text), places=len(cents),
                                          mark=repr(read.decimal)) + hint
        value = int(digits.replace(read.thousands, "") if read.thousands else digits) * 100 \
            + int((cents or "0").ljust(2, "0"))
        if sign == "-" and value:
            return _("{text} is negative (amounts are never negative)").format(text=repr(text))
        if value > MAX_CENTS:
            return _("{text} is larger than the largest amount stored ({largest})").format(
                text=repr(text), largest=f"{MAX_CENTS // 100:,}")
        return value

    return read_amount


def fiscal_year(text: str) -> int | str:
    """The year, or the reason the text is not one."""
    try:
        year = int(text)
    except ValueError:
        return _("{text} is not a year").format(text=repr(text))
    return year if year in YEARS else _("{year} is not a year between 1900 and 2200").format(
        year=year)


def too_long(text: str, what: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return _("{what} is {length} characters long (at most {limit})").format(
        what=what, length=len(text), limit=limit)


def limit(model: Any, column: str) -> int:
    length = model.__table__.c[column].type.length
    return int(length) if length else 10**9


def amount_cents(texts: pd.Series, read: ReadOptions) -> tuple[np.ndarray, np.ndarray]:
    """(cents, reasons) of a column of amounts: whole cents (0 where refused) and the reason
    each refused one is refused (None where read).

    Plain amounts (unsigned, the mapping's marks, at most two decimals) are read as whole
    columns; only the rest go one by one through ``amount_reader``, which says what is wrong.
    """
    dec, thou = re.escape(read.decimal), re.escape(read.thousands) if read.thousands else None
    whole = rf"\d{{1,3}}(?:{thou}\d{{3}}){{0,4}}|\d{{1,16}}" if thou else r"\d{1,16}"
    plain = re.compile(rf"\s*({whole})(?:{dec}(\d\d?))?\s*").fullmatch
    marks = read.thousands or ""
    cents = np.zeros(len(texts), dtype=np.int64)
    reasons = np.full(len(texts), None, dtype=object)
    read_one = amount_reader(read)
    for i, text in enumerate(texts.tolist()):
        match = plain(text)
        if match is not None:  # the common case, without a call per amount
            digits, part = match.groups()
            cents[i] = int((digits.replace(marks, "") if marks else digits)
                           + (part or "").ljust(2, "0"))
            continue
        value = read_one(text)
        if isinstance(value, str):
            reasons[i] = value
        else:
            cents[i] = value
    return cents, reasons


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
        with collection_paused():
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
