"""Wherever a commitment is named, it links to its own page ``/commitment/<id>``; the inbox
line of one the reader may not open has no link (no path to a refusal)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import html

from dashboards.components.commitments import commitment_link
from dashboards.components.inbox import item_row
from dashboards.components.meetings import commitments_made
from dashboards.components.pact import commitments_table as pact_commitments
from dashboards.components.review import commitments_table as review_commitments
from delivery.inbox import InboxItem
from tests.dashboards.test_meeting_components import walk

AS_OF = date(2023, 1, 16)


def links(component: object) -> dict[str, str]:
    return {c.children: c.href for c in walk(component) if isinstance(c, html.A)
            and "commitment-link" in (c.className or "")}


def frame(**extra: object) -> pd.DataFrame:
    return pd.DataFrame([{"commitment_id": 7, "description": "Open the new school",
                          "owner": "Sónia", "secretariat": "SDS", "due_on": date(2023, 1, 10),
                          "state": "open", "meeting": "Pact review", "held_on": date(2023, 1, 2),
                          "goal_id": 1, "days_overdue": 6, **extra}])


def test_the_pact_and_goal_pages_commitments_link_to_their_page():
    assert links(pact_commitments(frame(), AS_OF)) == {"Open the new school": "/commitment/7"}


def test_the_weekly_reviews_commitments_link_to_their_page():
    assert links(review_commitments(frame())) == {"Open the new school": "/commitment/7"}


def test_the_minutes_commitments_link_to_their_page_and_without_an_id_name_it_only():
    made = frame(goal_code="G1")
    assert links(commitments_made(made, as_of=AS_OF)) == {"Open the new school": "/commitment/7"}
    assert commitment_link("Said aloud", None) == "Said aloud"
    assert commitment_link("Said aloud", float("nan")) == "Said aloud"


def test_an_inbox_line_without_a_page_to_open_is_not_a_link():
    item = InboxItem(kind="commitment", thing="commitment:7", due_on=AS_OF, as_of=AS_OF,
                     href="", subject="Open the new school")
    assert not [c for c in walk(item_row(item)) if isinstance(c, html.A)]
    linked = item_row(InboxItem(kind="commitment", thing="commitment:7", due_on=AS_OF,
                                as_of=AS_OF, href="/commitment/7"))
    assert [c.href for c in walk(linked) if isinstance(c, html.A)] == ["/commitment/7"]
