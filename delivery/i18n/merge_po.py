"""A git merge driver for the catalogues: merges messages, not lines.

Parallel branches each add whole entries to the same sorted ``.po``/``.pot`` files; a line merge
interleaves their ``msgid`` and ``msgstr`` lines. This reads base, ours and theirs as catalogues
and keeps every message of either side: a message both sides translated keeps ours where theirs
is unchanged from the base, else theirs where ours is. Enable it once per clone with

    git config merge.po.driver "python -m delivery.i18n.merge_po %O %A %B"

(``.gitattributes`` names the driver; without the config git falls back to a line merge).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from delivery.i18n.catalogues import _write


def _read(path: str) -> Catalog:
    with open(path, "rb") as po:
        return read_po(po)


def merge(base: Catalog, ours: Catalog, theirs: Catalog) -> Catalog:
    """``ours`` with every message of ``theirs`` it lacks, and theirs' changes to shared ones."""
    for message in theirs:
        if not message.id:
            continue
        mine = ours.get(message.id, context=message.context)
        before = base.get(message.id, context=message.context)
        if mine is None:
            if before is None:  # added by them; a message we removed stays removed
                ours[message.id] = message
        elif before is not None and mine.string == before.string:  # only they changed it
            if isinstance(mine.id, tuple) != isinstance(message.id, tuple):
                # they made it plural (or singular): their whole entry, not a string of the
                # other shape under our msgid
                ours.delete(mine.id, context=mine.context)
                ours[message.id] = message
            else:
                mine.string, mine.flags = message.string, set(message.flags)
    return ours


def main(base: str, ours: str, theirs: str) -> int:
    _write(merge(_read(base), _read(ours), _read(theirs)), Path(ours))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
