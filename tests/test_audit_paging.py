"""Paging the audit trail (delivery.audit_queries.audit_page): thousands of changes read a
page at a time, newest first, every change once, ties on the same instant kept in order,
filters applied on every page; a forged cursor reads from the newest."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from delivery.access import Viewer
from delivery.audit_queries import Cursor, audit_page, audit_trail
from delivery.models import AuditEntry, Figure, User
from tests.personas import build_government, fast_password_hashing  # noqa: F401

START = datetime(2030, 1, 1, tzinfo=UTC)
ENTRIES, FIGURES = 3000, 600


@pytest.fixture
def ana(db):
    gov = build_government(db)
    goal_id = gov.goals["homicides"]
    # three entries share each second: ties on ``at`` must still page in a fixed order
    db.execute(insert(AuditEntry), [
        {"at": START + timedelta(seconds=n // 3), "actor": "bulk" if n % 2 else "ana",
         "action": "update", "object_type": "Goal" if n % 5 else "Pact",
         "object_id": str(n), "before": {"n": n - 1}, "after": {"n": n}}
        for n in range(ENTRIES)])
    # figures stored at the same instants as some entries
    db.execute(insert(Figure), [
        {"goal_id": goal_id, "period_start": date(1990, 1, 1) + timedelta(days=31 * n),
         "period_end": date(1990, 1, 28) + timedelta(days=31 * n), "value": float(n),
         "revision": 1, "reported_by": "bulk", "recorded_at": START + timedelta(seconds=n * 2),
         "known_on": date(2030, 1, 1), "source": "", "note": "", "is_provisional": False}
        for n in range(FIGURES)])
    db.flush()
    return Viewer.of(db.get(User, gov.users["analyst"]))


def walk(db, viewer, size, **filters):
    rows, after, pages = [], None, 0
    while True:
        page, after = audit_page(db, viewer, limit=size, after=after, **filters)
        rows += page
        pages += 1
        assert len(page) <= size
        if after is None:
            return rows, pages
        assert len(page) == size  # only the last page is short


def key(row):
    return (row.source, row.row_id)


def test_paging_reads_every_change_once_newest_first(db, ana):
    everything = audit_trail(db, ana, limit=10**6)
    rows, pages = walk(db, ana, 30)
    assert len(rows) == len(everything) >= ENTRIES + FIGURES
    assert [key(r) for r in rows] == [key(r) for r in everything]
    assert len({key(r) for r in rows}) == len(rows)
    assert all(a.cursor > b.cursor for a, b in zip(rows, rows[1:], strict=False))
    assert pages == -(-len(rows) // 30)


@pytest.mark.parametrize("filters", [
    {"object_type": "Pact"}, {"actor": "bulk"}, {"object_type": "Figure"},
    {"start": START + timedelta(seconds=200), "end": START + timedelta(seconds=500)},
], ids=["kind", "person", "figures", "dates"])
def test_filters_hold_on_every_page(db, ana, filters):
    rows, _pages = walk(db, ana, 25, **filters)
    assert [key(r) for r in rows] == [key(r) for r in audit_trail(db, ana, limit=10**6,
                                                                  **filters)]
    assert rows


def test_a_page_deep_in_the_trail_costs_what_the_first_does(db, ana):
    rows, _pages = walk(db, ana, 30)
    deep = rows[-31].cursor
    began = time.perf_counter()
    page, _next = audit_page(db, ana, limit=30, after=deep)
    assert time.perf_counter() - began < 1.0 and len(page) == 30


@pytest.mark.parametrize("junk", ["", "x", "a|b|c", "2030-01-01T00:00:00|z|1",
                                  "2030-01-01T00:00:00|e|99999999999", "9" * 10_000, None, 5,
                                  "2030-13-01T00:00:00|e|1"])
def test_a_forged_cursor_is_no_cursor(junk):
    assert Cursor.parse(junk) is None


def test_a_cursor_survives_its_text(db, ana):
    page, after = audit_page(db, ana, limit=30)
    assert after is not None and Cursor.parse(after.text()) == after
    again, _next = audit_page(db, ana, limit=30, after=Cursor.parse(after.text()))
    assert {key(r) for r in again}.isdisjoint({key(r) for r in page})
