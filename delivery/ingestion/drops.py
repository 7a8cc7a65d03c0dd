"""File drops: the CSV or Excel files left in a folder, known by their content.

A file is read once per content: its SHA-256 is recorded with the run that read it (in the
same transaction as its figures), so the same bytes dropped again add nothing, while a file
changed under the same name is read again. After the run is committed, read files go to
``processed/`` and unreadable ones to ``failed/`` (or stay, with ``after: keep``); if the
process stops between the commit and the move, the next run sees the hash and just moves them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from delivery.i18n.worded import w_
from delivery.ingestion.errors import SourceError

IGNORED_PREFIXES = (".", "~$")  # hidden files, Office lock files
IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload")  # files still being written


@dataclass(frozen=True)
class DroppedFile:
    path: Path
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def scan(folder: Path | str, patterns: list[str]) -> list[DroppedFile]:
    """The files in ``folder`` (not its subfolders) matching a pattern, oldest first."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(w_("the drop folder {folder} does not exist", folder=folder))
    paths = {p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}
    paths = {p for p in paths if not p.name.startswith(IGNORED_PREFIXES)
             and not p.name.endswith(IGNORED_SUFFIXES)}
    ordered = sorted(paths, key=lambda p: (p.stat().st_mtime, p.name))
    return [DroppedFile(p, _sha256(p), p.stat().st_size) for p in ordered]


def put_away(file: DroppedFile, subfolder: str) -> Path:
    """Move the file into ``subfolder`` of its folder, never over another file."""
    target_dir = file.path.parent / subfolder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / file.name
    if target.exists():
        target = target_dir / f"{file.path.stem}.{file.sha256[:12]}{file.path.suffix}"
    if target.exists():  # the very same bytes were put away before
        file.path.unlink()
        return target
    file.path.replace(target)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
