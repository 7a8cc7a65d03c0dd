"""Reading a CSV or Excel file into a frame of text, each row numbered as a spreadsheet shows it.

Every cell is read as text (numbers, codes with leading zeros and dates alike), so that what
a cell means is decided by the mapping, and a rejected cell can be quoted as it was written.
The frame's index is the row number a person sees when opening the file in a spreadsheet:
the header is row ``skip_rows + 1`` and the first data row is row ``skip_rows + 2``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from delivery.i18n import _
from delivery.importing.limits import check_workbook_size

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CHUNK_ROWS = 50_000  # rows of a CSV file held at once when it is streamed


class ReadError(ValueError):
    """The file cannot be read as the mapping says (encoding, shape, sheet, header)."""


@dataclass(frozen=True)
class ReadOptions:
    delimiter: str = ","
    encoding: str = "utf-8"
    decimal: str = "."
    thousands: str | None = None
    sheet: str | int | None = None
    skip_rows: int = 0
    blank: tuple[str, ...] = ()
    day_first: bool = False


def read_table(path: Path, options: ReadOptions) -> pd.DataFrame:
    """The file's data rows as text (``""`` for an empty cell), indexed by spreadsheet row."""
    chunks = list(read_chunks(path, options, rows=0))
    return chunks[0] if len(chunks) == 1 else pd.concat(chunks)


def read_chunks(path: Path, options: ReadOptions, rows: int | None = None
                ) -> Iterator[pd.DataFrame]:
    """``read_table`` in pieces of at most ``rows`` data rows (default CHUNK_ROWS; a CSV file
    is streamed, so a file of millions of lines never sits in memory whole; a workbook comes in
    one piece).
    Every piece has the same columns and is indexed by spreadsheet row."""
    path = Path(path)
    rows = CHUNK_ROWS if rows is None else rows or None  # 0: the whole file at once
    if not path.exists():
        raise ReadError(_("{path}: no such file").format(path=path))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        raw: Iterator[pd.DataFrame] = iter([_excel_rows(path, options)])
    elif path.suffix.lower() == ".xls":
        raise ReadError(_("{path}: old .xls workbooks are not read; save it as .xlsx or CSV")
                        .format(path=path))
    else:
        raw = _csv_rows(path, options, rows)
    first = next(raw, pd.DataFrame())
    if first.empty:
        raise ReadError(_("{path}: no header row (the file is empty after skip_rows)").format(
            path=path))
    header = [_header_text(h) for h in first.iloc[0].tolist()]
    body = first.iloc[1:]
    keep = [i for i, name in enumerate(header) if name or body.iloc[:, i].ne("").any()]
    header = [header[i] or _("column {n}").format(n=i + 1) for i in keep]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise ReadError(_("{path}: the header names {names} more than once").format(
            path=path, names=", ".join(map(repr, repeated))))
    yield _shaped(body, keep, header, options)
    for piece in raw:
        yield _shaped(piece, keep, header, options)


def _shaped(body: pd.DataFrame, keep: list[int], header: list[str],
            options: ReadOptions) -> pd.DataFrame:
    """Kept columns named by the header, indexed by spreadsheet row, wholly empty rows dropped."""
    start = int(body.index[0]) if len(body) else 1
    frame = body.iloc[:, [i for i in keep if i < body.shape[1]]]
    if frame.shape[1] < len(header):  # a later piece whose rows are all short
        frame = frame.reindex(columns=range(len(header)), fill_value="")
    frame.columns = pd.Index(header, dtype=object)
    frame.index = pd.RangeIndex(options.skip_rows + 1 + start,
                                options.skip_rows + 1 + start + len(frame))
    if not len(frame.columns):
        return frame
    maybe_empty = frame.iloc[:, 0].eq("").to_numpy()  # cheap first look, then whole rows
    if maybe_empty.any():
        empty = maybe_empty.copy()
        empty[maybe_empty] = frame[maybe_empty].eq("").all(axis=1).to_numpy()
        frame = frame[~empty]
    return frame


def _header_text(value: object) -> str:
    return str(value).replace("\ufeff", "").strip()


def _csv_rows(path: Path, options: ReadOptions, rows: int | None) -> Iterator[pd.DataFrame]:
    encoding = options.encoding.lower().replace("_", "-")
    if encoding in {"utf-8", "utf8"}:
        encoding = "utf-8-sig"  # a byte-order mark, if any, is not part of the first header
    try:
        reader = pd.read_csv(
            path,
            sep=options.delimiter,
            header=None,
            dtype=str,
            encoding=encoding,
            skiprows=options.skip_rows,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,  # keeps row numbers as a spreadsheet shows them
            quotechar='"',
            engine="c",
            low_memory=False,
            chunksize=rows,
        )
        pieces = iter([reader]) if rows is None else reader
        for frame in pieces:
            # Only a row with fewer fields than the header has missing cells, then its last.
            if len(frame.columns) and frame.iloc[:, -1].isna().any():
                frame = frame.fillna("")
            yield frame
    except UnicodeDecodeError as exc:
        raise ReadError(_(
            "{path}: the file is not {encoding} (byte {byte} at offset {offset}); set "
            "read.encoding in the mapping, e.g. latin-1 or cp1252").format(
                path=path, encoding=options.encoding, byte=f"{exc.object[exc.start]:#04x}",
                offset=exc.start)) from None
    except LookupError:
        raise ReadError(_("{path}: unknown encoding {encoding}").format(
            path=path, encoding=repr(options.encoding))) from None
    except pd.errors.EmptyDataError:
        return
    except pd.errors.ParserError as exc:
        raise ReadError(f"{path}: {str(exc).strip()}") from None


def _excel_rows(path: Path, options: ReadOptions) -> pd.DataFrame:
    import openpyxl  # only needed for workbooks

    check_workbook_size(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ReadError(_("{path}: not a readable .xlsx workbook ({reason})").format(
            path=path, reason=exc)) from None
    try:
        sheet = _sheet(book, options.sheet, path)
        rows = [
            [_cell_text(v, options.decimal) for v in row]
            for row in sheet.iter_rows(min_row=options.skip_rows + 1, values_only=True)
        ]
    finally:
        book.close()
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _sheet(book, sheet: str | int | None, path: Path):  # type: ignore[no-untyped-def]
    if sheet is None:
        return book.worksheets[0]
    if isinstance(sheet, int):
        if not 1 <= sheet <= len(book.worksheets):
            raise ReadError(_("{path}: there is no sheet number {sheet}").format(path=path,
                                                                                sheet=sheet))
        return book.worksheets[sheet - 1]
    if sheet not in book.sheetnames:
        raise ReadError(_("{path}: no sheet named {sheet} (sheets: {sheets})").format(
            path=path, sheet=repr(sheet), sheets=", ".join(book.sheetnames)))
    return book[sheet]


def _cell_text(value: object, decimal: str) -> str:
    """A cell as the text a person reads, numbers written with the mapping's decimal mark."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
