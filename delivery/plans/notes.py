"""The note beside a physical progress report ("works stopped by rain in March", "contract
re-tendered"): one home for what a note may be, shared by the screens, the API
(``delivery.plans.edits``) and the plans import (``delivery.plans.importing``).

A note is optional free text of at most ``MAX_NOTE`` characters (the import's page of text for
a reason). Surrounding blanks are trimmed, line ends become ``\\n``, and an empty note is no
note. Control characters other than line ends and tabs are refused rather than dropped: a note
with a NUL or an escape sequence in it came from a broken system, and its sender should hear
so; lone surrogates (which JSON can carry) are refused too, since no database can store them.
"""

from __future__ import annotations

import unicodedata

from delivery.i18n import _

MAX_NOTE = 2000
_KEPT = {"\n", "\t"}


class NoteRefused(ValueError):
    """Why a note is refused, in words a person can read (the field is always ``note``)."""


def clean_note(value: object) -> str | None:
    """The note as stored (None: no note); ``NoteRefused`` for anything else than a text of
    at most ``MAX_NOTE`` printable characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise NoteRefused(_("{value} is not a text").format(value=str(value)[:40]))
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_NOTE:
        raise NoteRefused(_("longer than {n} characters").format(n=MAX_NOTE))
    for char in text:
        if char not in _KEPT and unicodedata.category(char) in {"Cc", "Cs"}:
            raise NoteRefused(_("a control character (U+{code:04X}) is not allowed").format(
                code=ord(char)))
    return text or None
