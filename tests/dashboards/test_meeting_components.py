"""The meeting and likelihood screens' pieces, from plain frames (no browser, no app)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dashboards.components.likelihood import (
    judgements_table,
    league_table,
    parse_subject,
    rating_chip,
    track_record_lines,
)
from dashboards.components.meetings import (
    AGENDA_DOWN,
    AGENDA_REMOVE,
    AGENDA_UP,
    AgendaRow,
    agenda_list,
    attendance_options,
    attendance_text,
    commitments_made,
    health_table,
    meetings_table,
)
from dashboards.components.status import status_badge


def walk(component: Any) -> Iterator[Any]:
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from walk(child)


def text_of(component: Any) -> str:
    return str(component.to_plotly_json())


def classes(component: Any) -> list[str]:
    return [getattr(c, "className", "") or "" for c in walk(component)]


def health(**rows: dict[str, Any]) -> pd.DataFrame:
    base = {"scope": "pact", "code": "", "scheduled": 10, "held": 10, "cancelled": 0,
            "not_recorded": 0, "held_share": 1.0, "commitments_due": 4, "closed_on_time": 4,
            "on_time_share": 1.0, "open_overdue": 0, "mean_days_overdue": np.nan}
    return pd.DataFrame([{**base, "name": name, **values} for name, values in rows.items()])


def test_the_health_table_highlights_the_slips_and_only_them():
    table = health(
        steady={},
        cancelling={"held": 6, "cancelled": 4, "held_share": 0.6},  # CitiStat's third, and more
        late={"closed_on_time": 2, "on_time_share": 0.5, "open_overdue": 2,
              "mean_days_overdue": 12.5},
    )
    rows = [r for r in walk(health_table(table)) if "health-row" in classes(r)[0]]
    assert ["health-slipping" in r.className for r in rows] == [False, True, True]
    cells = [[getattr(c, "className", "") for c in r.children] for r in rows]
    assert [c.count("text-end slip") for c in cells] == [0, 1, 2]
    assert "6 of 10" in text_of(rows[1]) and "60%" in text_of(rows[1])
    assert "12.5" in text_of(rows[2])


def test_a_routine_without_meetings_due_shows_dashes_not_zero_percent():
    table = health(new={"scheduled": 0, "held": 0, "held_share": np.nan, "commitments_due": 0,
                        "closed_on_time": 0, "on_time_share": np.nan})
    text = text_of(health_table(table))
    assert "0 of 0" in text and "—" in text and "0%" not in text
    assert "health-slipping" not in text


def test_the_meetings_table_links_each_meeting_and_says_when_minutes_are_closed():
    meetings = pd.DataFrame([
        {"meeting_id": 7, "held_on": date(2023, 1, 9), "title": "Weekly review: roads",
         "scope": "Objective: Roads", "state": "held", "closed": True, "agenda_items": 3,
         "commitments": 2},
        {"meeting_id": 8, "held_on": date(2023, 1, 2), "title": "Weekly review: money",
         "scope": "Objective: Money", "state": "cancelled", "closed": False, "agenda_items": 0,
         "commitments": 0}])
    table = meetings_table(meetings, empty="none")
    links = [c.href for c in walk(table) if getattr(c, "href", None)]
    assert links == ["/meeting/7", "/meeting/8"]
    text = text_of(table)
    assert "Held · minutes closed" in text and "Cancelled" in text and "9 Jan 2023" in text
    assert text_of(meetings_table(meetings.iloc[0:0], empty="No meeting yet.")).count(
        "No meeting yet.") == 1


ROWS = [AgendaRow(1, "topic", "Feminicides"),
        AgendaRow(2, "goal", "Firearms seized", goal_code="SDS-ARMAS", status="off_track",
                  reason="The figure is 24% behind."),
        AgendaRow(3, "commitment", "Task force", goal_code="SDS-ESCL-RMR", status="slipping",
                  reason="Chefe da Polícia Civil · 3 days overdue")]


def buttons(component: Any) -> dict[tuple[str, int], bool]:
    return {(c.id["type"], c.id["index"]): bool(c.disabled) for c in walk(component)
            if isinstance(getattr(c, "id", None), dict)}


def test_the_agenda_can_move_every_item_but_not_past_either_end():
    found = buttons(agenda_list(ROWS, editable=True))
    assert found[(AGENDA_UP, 1)] and not found[(AGENDA_DOWN, 1)]  # first: no way up
    assert not found[(AGENDA_UP, 3)] and found[(AGENDA_DOWN, 3)]  # last: no way down
    assert not any(disabled for (kind, _), disabled in found.items() if kind == AGENDA_REMOVE)
    assert len(found) == 9


def test_a_read_only_agenda_has_no_buttons_and_links_goals_with_their_status():
    agenda = agenda_list(ROWS, editable=False)
    assert buttons(agenda) == {}
    assert [c.href for c in walk(agenda) if getattr(c, "href", None)] == [
        "/goal/SDS-ARMAS", "/goal/SDS-ESCL-RMR"]
    assert classes(agenda).count("status-badge") == 2
    assert "3 days overdue" in text_of(agenda)
    assert "Nothing on the agenda" in text_of(agenda_list([], editable=False))


def test_commitments_made_say_overdue_only_when_open_past_their_date():
    made = pd.DataFrame([
        {"description": "Late", "owner": "A", "goal_code": "G1", "due_on": date(2023, 1, 10),
         "state": "open"},
        {"description": "Done late", "owner": "B", "goal_code": None,
         "due_on": date(2023, 1, 10), "state": "done"},
        {"description": "Ahead", "owner": "C", "goal_code": "G2", "due_on": date(2023, 2, 1),
         "state": "open"}])
    rows = [r for r in walk(commitments_made(made, as_of=date(2023, 1, 16)))
            if getattr(r, "className", "") == "commitment-made"]
    states = [r.children[-1].children.children for r in rows]
    assert states == ["Overdue", "Done", "Open"]


def test_attendance_lists_the_invited_then_others_who_came_once_each():
    options = attendance_options(["Governor", "Secretary"], ["Secretary", "Police chief"])
    assert [o["value"] for o in options] == ["Governor", "Secretary", "Police chief"]
    text = text_of(attendance_text(["Governor", "Secretary"], ["Secretary"]))
    assert "Present: " in text and "Invited, absent: " in text and "Governor" in text


# -- likelihood -------------------------------------------------------------------------------


def test_a_judgement_chip_is_not_drawn_like_a_computed_status():
    chip, badge = rating_chip("amber_red"), status_badge("off_track")
    assert "rating-chip" in chip.className and "status-badge" not in chip.className
    assert badge.className == "status-badge"
    assert "Amber-red" in text_of(chip) and "linear-gradient" in text_of(chip)  # two-tone


def test_disagreement_shows_every_raters_rating_side_by_side_never_an_average():
    latest = pd.DataFrame([
        {"subject": "goal", "subject_id": 5, "code": "SES-CIR", "name": "Surgeries",
         "rater": rater, "assessed_on": date(2023, 1, 9), "rating": rating,
         "reasons": f"{rater} says so", "challenge": "high", "planning": None,
         "implementation": None, "performance_management": None, "capacity": None,
         "stage": None}
        for rater, rating in [("ana", "green"), ("bia", "red")]])
    spread = pd.DataFrame([{"subject": "goal", "subject_id": 5, "code": "SES-CIR",
                            "name": "Surgeries", "raters": 2,
                            "ratings": [("ana", "green"), ("bia", "red")], "best": "green",
                            "worst": "red", "spread": 3, "agreed": False}])
    table = judgements_table(spread, latest)
    chips = [c for c in walk(table) if "rating-chip" in (getattr(c, "className", "") or "")]
    assert [c.className.split()[-1] for c in chips] == ["rating-green", "rating-red"]
    text = text_of(table)
    assert "2 raters, 3 steps apart" in text and "bia says so" in text
    assert "Amber" not in text  # no middle rating made up


def test_the_league_table_keeps_the_domains_order_and_shows_a_pacts_own_ratings():
    base = {"goals": 4, "rated": 2, "green": 0, "amber_green": 0, "amber_red": 1, "red": 1,
            "disagreements": 1, "on_track": 1, "slipping": 1, "off_track": 2,
            "no_recent_data": 0}
    table = pd.DataFrame([
        {**base, "kind": "pact", "code": "PPV", "name": "Pact for Life", "worst": "red",
         "own_ratings": [("ana", "amber_red"), ("bia", "amber_green")]},
        {**base, "kind": "objective", "code": "OE09", "name": "Jobs", "worst": None,
         "own_ratings": [], "rated": 0, "amber_red": 0, "red": 0, "disagreements": 0}])
    view = league_table(table)
    rows = [r for r in walk(view) if getattr(r, "className", "") == "league-row"]
    assert "Pact for Life" in text_of(rows[0]) and "not rated" in text_of(rows[1])
    assert "'ana'" in text_of(rows[0]) and "'bia'" in text_of(rows[0])
    assert "/pact/PPV" in text_of(rows[0]) and "/objective/OE09" in text_of(rows[1])


def test_the_track_record_reads_as_a_sentence_per_rating_worst_first():
    summary = pd.DataFrame([
        {"rating": "green", "judgements": 5, "off_track_then": 0, "off_track_later": 1,
         "share_off_track_later": 0.2, "newly_off_track": 1},
        {"rating": "amber_green", "judgements": 0, "off_track_then": 0, "off_track_later": 0,
         "share_off_track_later": np.nan, "newly_off_track": 0},
        {"rating": "amber_red", "judgements": 11, "off_track_then": 8, "off_track_later": 8,
         "share_off_track_later": 8 / 11, "newly_off_track": 0},
        {"rating": "red", "judgements": 0, "off_track_then": 0, "off_track_later": 0,
         "share_off_track_later": np.nan, "newly_off_track": 0}])
    lines = [text_of(line) for line in track_record_lines(summary, after_days=56).children]
    assert len(lines) == 2
    assert "Of 11 goals rated amber-red, 8 were off track 8 weeks later." in lines[0]
    assert "Of 5 goals rated green, 1 was off track 8 weeks later (1 not off track" in lines[1]
    empty = track_record_lines(summary.assign(judgements=0), after_days=56)
    assert "No goal judgement is 8 weeks old yet" in text_of(empty)


@pytest.mark.parametrize("value", [None, "", "goal:", "goal:x", "figure:3", 3, ["goal:1"]],
                         ids=repr)
def test_a_subject_that_is_not_a_goal_or_pact_is_refused_by_name(value):
    with pytest.raises(ValueError, match="^subject: "):
        parse_subject(value)


def test_a_subject_is_read_as_its_kind_and_id():
    assert parse_subject("pact:3") == ("pact", 3) and parse_subject("goal:12") == ("goal", 12)
