"""Files attached to a commitment's progress notes as evidence: a signed memo (PDF), a photo of
a finished works site (PNG, JPEG, WebP), a spreadsheet or document (XLSX, DOCX, ODS, ODT), a
table or text (CSV, TXT).

A file is checked before anything is stored, and refused with a message naming it and why:

- **size**: empty files, and files over the limit (``DELIVERY_EVIDENCE_MAX_FILE_MB``), are
  refused; at most ``MAX_FILES`` a note.
- **type by content**: the extension says what the file claims to be and the first bytes must
  agree (a program renamed ``memo.pdf`` is not a PDF). An XLSX/DOCX/ODS/ODT is a zip archive:
  it must be a real OOXML or OpenDocument container of that kind, and what it unpacks to is
  bounded by the figures import's limits (``delivery.importing.limits``): no zip bombs. CSV and
  TXT must be text (no NUL or other control bytes).
- **names**: only the last part of a path is kept, control and formatting characters (a
  right-to-left override that makes ``gpj.exe`` read ``exe.jpg``) are dropped, and the name is
  shortened; the extension is what is left after that.

Stored files are never changed or deleted (the database refuses it): a correction is a new note.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery.clock import stamp_now
from delivery.db import query_frame
from delivery.i18n import _, formats
from delivery.importing.limits import MAX_WORKBOOK_BYTES, bomb_part, expansion
from delivery.models import CommitmentUpdate, EvidenceFile

MB = 1 << 20
MAX_FILES = 10  # a note's files travel in one request (DELIVERY_MAX_REQUEST_MB)
MAX_NAME = 120
MAX_PARTS = 10_000  # members of an XLSX/DOCX/ODS/ODT; real ones have dozens
OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."


@dataclass(frozen=True)
class Kind:
    label: str  # what people call it, in messages
    media_type: str
    main_part: str = ""  # the part an OOXML/ODF container of this kind must hold


KINDS = {
    ".pdf": Kind("PDF", "application/pdf"),
    ".png": Kind("PNG", "image/png"),
    ".jpg": Kind("JPEG", "image/jpeg"),
    ".jpeg": Kind("JPEG", "image/jpeg"),
    ".webp": Kind("WebP", "image/webp"),
    ".xlsx": Kind("XLSX", OOXML + "spreadsheetml.sheet", "xl/workbook.xml"),
    ".docx": Kind("DOCX", OOXML + "wordprocessingml.document", "word/document.xml"),
    ".ods": Kind("ODS", ODF + "spreadsheet", "content.xml"),
    ".odt": Kind("ODT", ODF + "text", "content.xml"),
    ".csv": Kind("CSV", "text/csv"),
    ".txt": Kind("TXT", "text/plain"),
}
ACCEPT = ",".join([*KINDS, "image/*"])  # the file picker's filter (image/*: a phone's camera)
# Bytes no text file holds: C0 controls but tab, line feed, form feed and carriage return.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\.|$)", re.I)  # Windows device names


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 10 * MB
    max_files: int = MAX_FILES

    @classmethod
    def of(cls, settings: Any) -> Limits:
        return cls(int(settings.evidence_max_file_mb) * MB)


@dataclass(frozen=True)
class Upload:
    """A file that passed every check, ready to store."""

    name: str
    media_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class EvidenceError(ValueError):
    """A file refused: the message names it and says why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(_("file {name}: {reason}").format(name=name, reason=reason))


def safe_name(name: Any) -> str:
    """The name a file is kept and downloaded under: its last path part, without control or
    formatting characters, without Windows' reserved characters, at most MAX_NAME long."""
    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "")
    text = re.split(r"[\\/]", text)[-1]
    # Cc: controls; Cf: formatting (bidirectional overrides, zero-width); Cs/Co/Cn: surrogates,
    # private use and unassigned code points, which no file name needs.
    text = "".join(c for c in text if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co",
                                                                       "Cn"})
    text = re.sub(r'[<>:"|?*]', "_", " ".join(text.split())).strip(" .")
    if _RESERVED.match(text):
        text = "_" + text
    if len(text) > MAX_NAME:
        stem, dot, suffix = text.rpartition(".")
        suffix = suffix[:10] if dot and stem else ""
        text = text[:MAX_NAME - len(suffix) - 1].rstrip(" .") + ("." + suffix if suffix else "")
    return text or "file"


def suffix_of(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return "." + suffix.lower() if dot and stem else ""


def decode(contents: Any, name: Any, limits: Limits = Limits()) -> tuple[str, bytes]:
    """(safe name, bytes) of an upload as a browser sends it (``data:<type>;base64,<data>``);
    a file over the size limit is refused from its length, before it is decoded."""
    shown = safe_name(name)
    if not isinstance(contents, str) or not contents.startswith("data:") or "," not in contents:
        raise EvidenceError(shown, _("the upload could not be read"))
    encoded = contents.partition(",")[2]
    if len(encoded) // 4 * 3 > limits.max_file_bytes + 3:
        raise EvidenceError(shown, _too_large(len(encoded) // 4 * 3, limits))
    try:
        return shown, base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceError(shown, _("the upload could not be read")) from None


def _too_large(size: int, limits: Limits) -> str:
    return _("it is {size}; files of at most {limit} are accepted").format(
        size=formats.file_size(size), limit=formats.file_size(limits.max_file_bytes))


def check(name: Any, content: Any, limits: Limits = Limits()) -> Upload:
    """The file, checked (see the module docstring); EvidenceError naming it otherwise."""
    shown = safe_name(name)
    if not isinstance(content, bytes | bytearray):
        raise EvidenceError(shown, _("the upload could not be read"))
    content = bytes(content)
    if not content:
        raise EvidenceError(shown, _("the file is empty"))
    if len(content) > limits.max_file_bytes:
        raise EvidenceError(shown, _too_large(len(content), limits))
    kind = KINDS.get(suffix_of(shown))
    if kind is None:
        raise EvidenceError(shown, _("only {kinds} files are accepted").format(
            kinds=", ".join(dict.fromkeys(k.label for k in KINDS.values()))))
    reason = _content_problem(kind, content)
    if reason:
        raise EvidenceError(shown, reason)
    return Upload(shown, kind.media_type, content)


def _content_problem(kind: Kind, content: bytes) -> str | None:
    """Why ``content`` is not a file of ``kind``, or None when it is."""
    not_it = _("its content is not a {kind} file").format(kind=kind.label)
    if kind.main_part:
        return _container_problem(kind, content) if content.startswith(b"PK\x03\x04") else not_it
    if kind.media_type.startswith("text/"):
        return not_it if _BINARY.search(content) else None
    head = content[:1024]
    signed = {"application/pdf": b"%PDF-" in head,
              "image/png": head.startswith(b"\x89PNG\r\n\x1a\n"),
              "image/jpeg": head.startswith(b"\xff\xd8\xff"),
              "image/webp": head[:4] == b"RIFF" and head[8:12] == b"WEBP"}
    return None if signed[kind.media_type] else not_it


def _container_problem(kind: Kind, content: bytes) -> str | None:
    """Why a zip is not an XLSX/DOCX/ODS/ODT of ``kind`` (or would unpack past the limits).
    Only the zip directory is read, and the ODF ``mimetype`` part, declared a few bytes long:
    Python's zipfile never unpacks a part past its declared size, so the sizes bind."""
    not_it = _("it is not a real {kind} document").format(kind=kind.label)
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                return not_it
            total = sum(p.file_size for p in parts)
            if total > MAX_WORKBOOK_BYTES:
                return _("it unpacks to {size}, more than {limit}: refused as a possible zip "
                         "bomb").format(size=formats.file_size(total),
                                        limit=formats.file_size(MAX_WORKBOOK_BYTES))
            bomb = bomb_part(parts)
            if bomb is not None:
                return _("a part expands {ratio} times: refused as a possible zip bomb").format(
                    ratio=formats.number(expansion(bomb)))
            names = {p.filename for p in parts}
            if kind.media_type.startswith(OOXML):
                return None if {"[Content_Types].xml", kind.main_part} <= names else not_it
            # An OpenDocument file starts with its uncompressed "mimetype" part.
            first = parts[0] if parts else None
            if (first is None or first.filename != "mimetype" or first.file_size > 100
                    or kind.main_part not in names):
                return not_it
            return None if archive.read(first).strip() == kind.media_type.encode() else not_it
    # A hostile archive fails in many ways (bad directory, CRC, sizes, compression methods);
    # each means the same to the person: not a real document.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, KeyError):
        return not_it


def check_uploads(contents: Any, names: Any, limits: Limits = Limits()) -> list[Upload]:
    """Every file of one upload (the lists a browser's multiple-file picker gives), checked; the
    first refusal is raised. Nothing chosen gives an empty list."""
    if contents in (None, "", []):
        return []
    if isinstance(contents, str):
        contents, names = [contents], [names]
    if not isinstance(contents, list) or not isinstance(names, list) or len(names) != len(
            contents):
        raise ValueError(_("files: the upload could not be read"))
    if len(contents) > limits.max_files:
        raise ValueError(_("files: at most {n} files a note").format(n=limits.max_files))
    return [check(*decode(c, n, limits), limits) for c, n in zip(contents, names, strict=True)]


def store(session: Session, update: CommitmentUpdate, uploads: Sequence[Upload], *,
          by: str) -> list[EvidenceFile]:
    """The checked files, kept with the progress note ``update``."""
    at = stamp_now(session)
    rows = [EvidenceFile(update_id=update.id, commitment_id=update.commitment_id, name=u.name,
                         media_type=u.media_type, size=len(u.content), sha256=u.sha256,
                         content=u.content, recorded_by=by, recorded_at=at) for u in uploads]
    session.add_all(rows)
    session.flush()
    return rows


FILE_COLUMNS = ["file_id", "update_id", "name", "media_type", "size", "sha256", "recorded_by",
                "recorded_at"]


def files_of(session: Session, commitment_id: int) -> pd.DataFrame:
    """A commitment's evidence files, oldest first, without their bytes (``FILE_COLUMNS``)."""
    return query_frame(session, select(
        EvidenceFile.id, EvidenceFile.update_id, EvidenceFile.name, EvidenceFile.media_type,
        EvidenceFile.size, EvidenceFile.sha256, EvidenceFile.recorded_by,
        EvidenceFile.recorded_at).where(EvidenceFile.commitment_id == commitment_id)
        .order_by(EvidenceFile.id), FILE_COLUMNS)


def evidence_count(session: Session, commitment_id: int, as_of: date) -> int:
    """How many files the commitment's notes carried by the end of ``as_of`` (UTC)."""
    until = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=UTC)
    return session.scalar(select(func.count(EvidenceFile.id)).where(
        EvidenceFile.commitment_id == commitment_id, EvidenceFile.recorded_at < until)) or 0


def file_of(session: Session, commitment_id: int, file_id: int) -> EvidenceFile | None:
    """The file ``file_id`` if it is one of the commitment's (None otherwise: a download never
    reaches a file through another commitment's address)."""
    return session.scalars(select(EvidenceFile).where(
        EvidenceFile.id == file_id, EvidenceFile.commitment_id == commitment_id)).first()
