"""Extracting the texts to translate and updating the catalogues: what ``make messages`` runs.

The same steps as ``pybabel extract -F babel.cfg`` then ``pybabel update``, with the keywords
kept here, in one place, so the test that the template is current extracts exactly as
``make messages`` does. Line references are left out and messages sorted, so that parallel
branches adding texts merge without conflicts in the catalogues.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from delivery.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parents[2]  # the repository: babel.cfg's patterns are relative to it
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
# _ gettext, _n ngettext, _l lazy_gettext, N_ marked only; gettext, ngettext, pgettext as is;
# w_ and wn_ worded when read (delivery.i18n.worded).
KEYWORDS = {**DEFAULT_KEYWORDS, "_n": (1, 2), "_l": None, "N_": None, "w_": None,
            "wn_": (1, 2)}
PROJECT = "Delivery Tracker"
# A fixed date in the headers: a date that changed on every extraction would make every branch
# that adds a text conflict with every other in the catalogues.
SINCE = datetime(2026, 12, 6, tzinfo=UTC)


def _new_catalog(language: str | None = None) -> Catalog:
    return Catalog(locale=language, domain=DOMAIN, project=PROJECT, version="",
                   copyright_holder=PROJECT, charset="utf-8", creation_date=SINCE,
                   revision_date=SINCE, last_translator=f"{PROJECT} team",
                   language_team=f"{PROJECT} team", fuzzy=False)


def extract(root: Path = ROOT) -> Catalog:
    """Every translatable text in the Python files that ``babel.cfg`` names."""
    with (root / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = _new_catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    for where, text in cli_help_texts():
        if text not in catalog:
            catalog.add(text, None, [(where, 0)],
                        auto_comments=["help of a `delivery` command or option"])
    return catalog


def cli_help_texts() -> list[tuple[str, str]]:
    """The help texts of the ``delivery`` commands (their docstrings and options' ``help``),
    which a help page shows translated (``delivery.cli_support.localize``)."""
    from delivery.cli import main  # the whole command tree, registered on import
    from delivery.cli_support import help_texts

    return [(f"delivery {where}".strip(), text) for where, text in help_texts(main)]


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        write_po(out, catalog, width=100, no_location=True, sort_output=True,
                 ignore_obsolete=True)


def update(root: Path = ROOT) -> None:
    """Extract into ``messages.pot``, then bring each language's ``.po`` up to it: new texts
    get an empty translation, changed ones are marked fuzzy (shown in English until a
    translator checks them), removed ones are dropped."""
    template = extract(root)
    _write(template, TEMPLATE)
    for language in LANGUAGES:
        path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.exists():
            with path.open("rb") as po:
                catalog = read_po(po, locale=language, domain=DOMAIN)
        else:
            catalog = _new_catalog(language)
        catalog.update(template, update_creation_date=False)
        catalog.fuzzy = False  # the header: fuzzy would hide its plural rule from gettext
        _write(catalog, path)


if __name__ == "__main__":
    update()
    print(f"Updated {TEMPLATE.relative_to(ROOT)} and the catalogues of {', '.join(LANGUAGES)}",
          file=sys.stderr)
