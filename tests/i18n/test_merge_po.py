"""The catalogue merge driver (delivery/i18n/merge_po.py) keeps both branches' messages."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from delivery.i18n.merge_po import merge


def _catalog(*messages: tuple[object, object]) -> Catalog:
    catalog = Catalog(locale="pt_BR")
    for msgid, msgstr in messages:
        catalog.add(msgid, msgstr)
    return catalog


def test_messages_added_on_either_side_are_both_kept() -> None:
    base = _catalog(("Goal", "Meta"))
    ours = _catalog(("Goal", "Meta"), ("Pact", "Pacto"))
    theirs = _catalog(("Goal", "Meta"), ("Risk", "Risco"))
    merged = merge(base, ours, theirs)
    assert {m.id: m.string for m in merged if m.id} == {
        "Goal": "Meta", "Pact": "Pacto", "Risk": "Risco"}


def test_a_translation_changed_only_by_them_is_taken() -> None:
    base = _catalog(("Goal", "Objetivo"))
    merged = merge(base, _catalog(("Goal", "Objetivo")), _catalog(("Goal", "Meta")))
    assert merged.get("Goal").string == "Meta"


def test_a_message_they_made_plural_replaces_ours_whole() -> None:
    # A singular "{n} upcoming" that one branch turned into a plural form: writing their
    # tuple of forms under our singular msgid broke the driver (session 6's merge).
    base = _catalog(("{n} upcoming", "{n} próximas"))
    ours = _catalog(("{n} upcoming", "{n} próximas"), ("Pact", "Pacto"))
    theirs = _catalog((("{n} upcoming", "{n} upcoming"), ("{n} próxima", "{n} próximas")))
    merged = merge(base, ours, theirs)
    message = merged.get("{n} upcoming")
    assert message.id == ("{n} upcoming", "{n} upcoming")
    assert message.string == ("{n} próxima", "{n} próximas")
    assert merged.get("Pact").string == "Pacto"
