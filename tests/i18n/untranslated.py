"""Finding English left on a translated page: the check the browser matrix and the layout tests
call (``english_leftovers``), with two ways to collect what a page shows.

A visible text is English left over when it is exactly an English message of the catalogue
(or one of its lines, or a sentence of its) whose translation in the page's language differs:
names and codes (a goal's name, ``SDS``, ``PE-SEG-01``) are not messages, and words that read
the same in both languages ("Status" is not, "Meta" is) do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from babel.messages.pofile import read_po

from delivery.i18n import DOMAIN, LOCALE_DIR

# Placeholders become wildcards of one to four words, so "Week of {date} · {n} goals" matches
# what it was filled as, but "{start} to {end}" does not match every sentence with a "to".
_PLACEHOLDER = re.compile(r"\\\{[^{}]*\\\}")
_FILLED = r"\S+(?:\s\S+){0,3}?"
# A visible text is compared whole, and each of its lines and " · "-separated parts.
_PARTS = re.compile(r"\s*(?:\n| · )\s*")


@cache
def english_messages(locale: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The English messages whose ``locale`` translation differs: plain ones (to compare
    exactly) and, for those with placeholders, patterns that match them once filled in."""
    with (LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        catalog = read_po(po, locale=locale)
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if not english.strip() or english in strings:
                continue  # reads the same in both languages: not a leftover
            if "{" in english:
                literal = _PLACEHOLDER.split(re.escape(english.strip()))
                if len(re.sub(r"[^A-Za-z]", "", "".join(literal))) >= 3:  # not "{value} ({date})"
                    patterns.append(re.compile(_FILLED.join(literal) + r"\Z"))
            else:
                plain.add(english.strip())
    return frozenset(plain), tuple(patterns)


# A name this long is not a piece of an English word: a text left with no letter once such names
# are taken out of it (a meeting's title and its date) is data, not a message.
_LONG_NAME = 4


def _without(text: str, names: Iterable[str]) -> str:
    for name in names:
        if name in text:
            text = text.replace(name, " ")
    return text


def english_leftovers(texts: Iterable[str], locale: str,
                      names: Iterable[str] = ()) -> list[str]:
    """The texts of ``texts`` (what a page in ``locale`` shows) that are English messages of
    the catalogue with another translation in ``locale``: an empty list means none is left.
    ``names``: the data's own names and codes on the page (a goal called "Goal homicides" is
    a name, not the message "Goal {code}"), never counted, nor a text made of names and numbers
    only ("Pact for Life: monthly results · 12/12/2022", which "Pact {code}: {name}" matches)."""
    plain, patterns = english_messages(locale)
    known = {n.strip() for n in names}
    # Longer names first, so "Pact for Life: monthly results" goes before "Pact for Life".
    long_names = sorted((n for n in known if len(n) >= _LONG_NAME), key=len, reverse=True)
    found: list[str] = []
    for text in texts:
        for part in {text.strip(), *(p for p in _PARTS.split(text) if p)}:
            part = part.strip().rstrip(":").strip()
            if len(part) < 2 or part in known or not re.search(r"[A-Za-z]", part):
                continue
            if not re.search(r"[A-Za-z]", _without(part, long_names)):
                continue  # only names and numbers: "Pact for Life: monthly results · 12/12/2022"
            if part in plain or any(p.match(part) for p in patterns):
                found.append(part)
    return sorted(set(found))


def layout_texts(component: Any) -> Iterator[str]:
    """Every string a Dash layout shows: children, and the titles, placeholders and labels
    people read (walked without a browser, for tests that render a layout function)."""
    if component is None or isinstance(component, bool | int | float):
        return
    if isinstance(component, str):
        yield component
        return
    if isinstance(component, list | tuple):
        for child in component:
            yield from layout_texts(child)
        return
    if isinstance(component, dict):  # dropdown options: their labels
        yield from layout_texts(component.get("label"))
        return
    props = getattr(component, "to_plotly_json", None)
    if props is None:
        return
    for name in ("children", "title", "placeholder", "label", "aria-label", "options"):
        yield from layout_texts(getattr(component, name, None))


# What a browser shows: every text node's text, and the titles, placeholders and labels.
PAGE_TEXTS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName)) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[title],[placeholder],[aria-label]')) {
    for (const name of ['title', 'placeholder', 'aria-label']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
  }
  return out;
}"""


def page_texts(page: Any) -> list[str]:
    """What a Playwright ``page`` shows (text nodes, titles, placeholders, aria-labels)."""
    return list(page.evaluate(PAGE_TEXTS_JS))
