"""The two meeting documents as PDF: the briefing memo sent before the meeting (the data of
every agenda item, charts included) and the follow-up note sent after it (attendance,
decisions, every commitment made with owner and date, what was closed and what is still open).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from delivery.briefing.charts import goal_chart
from delivery.briefing.layout import (
    SHADE,
    WIDTH,
    facts,
    grid,
    letterhead,
    markup,
    para,
    plural,
    render,
    section,
    status_pill,
    status_text,
)
from delivery.briefing.pack import CommitmentData, GoalData, ItemData, MeetingPack
from delivery.palette import MUTED, STATUS_COLOURS
from delivery.status import format_date, format_number, period_label
from delivery.vocabulary import CommitmentState, Frequency, MeetingState, Status

MEMO, FOLLOW_UP = "Briefing memo", "Follow-up note"
KIND_WORDS = {"goal": "Goal", "flag": "Data quality", "commitment": "Commitment",
              "topic": "Topic"}


def briefing_pdf(pack: MeetingPack) -> bytes:
    """The memo for the governor before the meeting, as A4 PDF bytes."""
    story = letterhead(pack.issuer, MEMO, pack.title, [
        ("Meeting", f"{pack.held_on:%A} {format_date(pack.held_on)}" + _state_words(pack)),
        ("Scope", pack.scope),
        ("Invited", ", ".join(pack.invited) or "Not set"),
        ("Figures as of", format_date(pack.as_of)),
    ])
    story += section("Summary") + [markup(_memo_summary(pack)), Spacer(1, 4),
                                   _scorecard(pack)]
    story += section("Agenda") + [_agenda_table(pack)]
    shown: dict[str, int] = {}
    for item in pack.items:
        story += _item(item, shown)
    story += section("Open commitments carried forward")
    story.append(_commitment_table(pack.carried, pack) if pack.carried else
                 para("No commitment from earlier meetings is open in this scope.", "small"))
    if pack.scope_goals:
        story += section("Annex: every goal in scope, worst first")
        story.append(_scope_table(pack))
    return render(story, kind=MEMO, title=pack.title, held_on=pack.held_on,
                  prepared_on=pack.as_of)


def followup_pdf(pack: MeetingPack) -> bytes:
    """The note after the meeting: attendance, decisions, commitments made and followed up."""
    minutes = (f"Closed by {pack.closed_by}"
               + (f" on {format_date(pack.closed_on)}" if pack.closed_on else "")
               if pack.closed_by else "Still open: decisions and commitments may yet be added")
    story = letterhead(pack.issuer, FOLLOW_UP, pack.title, [
        ("Meeting", f"{pack.held_on:%A} {format_date(pack.held_on)}" + _state_words(pack)),
        ("Scope", pack.scope),
        ("Minutes", minutes),
    ])
    story += section("Summary") + [markup(_followup_summary(pack))]
    if pack.state == MeetingState.CANCELLED.value:
        story.append(para(f"The meeting was cancelled: {pack.cancelled_reason}"))
    if pack.notes:
        story.append(markup(f"<b>Notes of the meeting.</b> {escape(pack.notes)}"))
    story += section("Attendance") + [facts([
        ("Present", ", ".join(pack.attendees) or "Not recorded"),
        ("Invited, absent", ", ".join(pack.absent) or "None"),
    ])]
    story += section("Decisions")
    story.append(grid(["", "Decision", "On"], [
        [str(n), d.text, _decision_subject(d)] for n, d in enumerate(pack.decisions, 1)],
        [8 * mm, 112 * mm, WIDTH - 120 * mm]) if pack.decisions else
        para("No decision was recorded.", "small"))
    story += section("Commitments made")
    story.append(_commitment_table(pack.made, pack, numbered=True) if pack.made else
                 para("No commitment was made.", "small"))
    story += _earlier(pack)
    return render(story, kind=FOLLOW_UP, title=pack.title, held_on=pack.held_on,
                  prepared_on=pack.as_of)


# -- the memo's parts --------------------------------------------------------------------------


def _state_words(pack: MeetingPack) -> str:
    if pack.state == MeetingState.CANCELLED.value:
        return " (cancelled)"
    return " (held)" if pack.state == MeetingState.HELD.value else ""


def _memo_summary(pack: MeetingPack) -> str:
    counts = pack.status_counts
    total = sum(counts.values())
    if total:
        parts = [f"{counts.get(s.value, 0)} {s.label.lower()}" for s in
                 (Status.ON_TRACK, Status.SLIPPING, Status.OFF_TRACK)]
        stale = counts.get(Status.NO_RECENT_DATA.value, 0)
        text = (f"Of the {total} goals under {escape(pack.scope_name)}, {parts[0]}, {parts[1]} "
                f"and <b>{parts[2]}</b> as of {format_date(pack.as_of)}")
        text += f"; {stale} have no recent figure." if stale else "."
    else:
        text = "This meeting has no goals in its scope."
    open_ = [c for c in pack.carried if c.is_open]
    late = pack.overdue
    if open_:
        text += (f" There {'is' if len(open_) == 1 else 'are'} "
                 f"{plural(len(open_), 'open commitment')} from earlier meetings, "
                 + (f"<b>{len(late)} of {'it' if len(open_) == 1 else 'them'} overdue</b>."
                    if late else "none overdue."))
    else:
        text += " No commitment from earlier meetings is open."
    items = len(pack.items)
    text += f" The agenda has {items} item{'s' if items != 1 else ''}."
    return text


def _scorecard(pack: MeetingPack) -> Table:
    """Counts in their status colours, then the overdue commitments: the page at a glance."""
    cells, colours = [], []
    for status in (Status.OFF_TRACK, Status.SLIPPING, Status.NO_RECENT_DATA, Status.ON_TRACK):
        cells.append(_tile(str(pack.status_counts.get(status.value, 0)), status.label))
        colours.append(STATUS_COLOURS[status])
    cells.append(_tile(str(len(pack.overdue)), "Commitments overdue"))
    colours.append(STATUS_COLOURS[Status.OFF_TRACK] if pack.overdue else MUTED)
    table = Table([cells], colWidths=[WIDTH / 5] * 5)
    style = [("BACKGROUND", (0, 0), (-1, -1), SHADE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
             ("LINEBEFORE", (1, 0), (-1, -1), 3, HexColor("#ffffff"))]
    style += [("LINEABOVE", (i, 0), (i, 0), 2.5, HexColor(c)) for i, c in enumerate(colours)]
    table.setStyle(TableStyle(style))
    return table


def _tile(number: str, label: str) -> list[Flowable]:
    return [para(number, "tile"), para(label, "small")]


def _agenda_table(pack: MeetingPack) -> Flowable:
    if not pack.items:
        return para("The agenda is empty.", "small")
    rows = [[str(i.number), i.title, KIND_WORDS[i.kind], markup(_item_state(i), "cell")]
            for i in pack.items]
    return grid(["", "Item", "Type", "Status"], rows,
                [8 * mm, 107 * mm, 25 * mm, WIDTH - 140 * mm])


def _item_state(item: ItemData) -> str:
    if item.goal is not None and item.kind == "goal":
        return status_text(item.goal.status)
    if item.commitment is not None:
        return _commitment_state(item.commitment)
    if item.flag is not None:
        return f"Flag {escape(item.flag.state)}"
    return ""


def _item(item: ItemData, shown: dict[str, int]) -> list[Flowable]:
    """One agenda item's section; ``shown`` maps goal codes to the item that already printed
    the goal's chart, so that a flag on the same goal refers to it instead of repeating it."""
    right: Flowable = (status_pill(item.goal.status) if item.goal is not None and
                       item.kind == "goal" else para(KIND_WORDS[item.kind].upper(), "label_right"))
    head = Table([[markup(f"{item.number}", "h2"), para(item.title, "h2"), right]],
                 colWidths=[8 * mm, WIDTH - 36 * mm, 28 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    block: list[Flowable] = [head]
    if item.kind == "goal" and item.goal is not None:
        block += _goal_block(item.goal, item.title)
    elif item.kind == "flag" and item.flag is not None:
        flag = item.flag
        block.append(para(f"Data-quality flag ({flag.kind.replace('_', ' ')}) on goal "
                          f"{flag.goal_code}, {flag.goal_name}; raised "
                          f"{format_date(flag.raised_on)}; {flag.state}.", "small"))
        block += [Spacer(1, 3), para(flag.reason)]
        if flag.evidence:
            block += [facts([(k.replace("_", " "), _evidence(v))
                             for k, v in flag.evidence.items()], 38 * mm), Spacer(1, 6)]
        if item.goal is not None and item.goal.code in shown:
            block.append(para(f"The goal's figures and chart are under item "
                              f"{shown[item.goal.code]}.", "small"))
        elif item.goal is not None:
            block += _goal_block(item.goal, item.title, height=44 * mm)
    elif item.commitment is not None:
        c = item.commitment
        block.append(para(f"Promised at {c.made_at} on {format_date(c.made_on)}.", "small"))
        block += [Spacer(1, 3), _commitment_table([c], None)]
    elif item.kind == "topic" and not item.note:
        block.append(para("For discussion.", "small"))
    if item.note and not (item.built and item.kind != "topic"):
        block += [Spacer(1, 3), para(item.note, "note")]
    if item.goal is not None:
        shown.setdefault(item.goal.code, item.number)
    return [Spacer(1, 14), KeepTogether(block)]


def _goal_block(goal: GoalData, title: str, height: float = 52 * mm) -> list[Flowable]:
    about = [f"Goal {goal.code}"]
    if goal.name.strip().lower() not in title.strip().lower():
        about.append(goal.name)
    if goal.owner:
        about.append(f"lead: {goal.owner}")
    blocks: list[Flowable] = [
        para(" · ".join(about), "small"),
        para(f"Indicator: {goal.indicator}" + (f" · unit: {goal.unit}" if goal.unit else ""),
             "small"),
        Spacer(1, 4), para(goal.reason), _figure_strip(goal), Spacer(1, 6),
        goal_chart(goal, WIDTH, height), Spacer(1, 3)]
    if goal.forecast is not None and goal.forecast.reason:
        blocks.append(para(goal.forecast.reason, "small"))
    return blocks


def _figure_strip(goal: GoalData) -> Table:
    latest_when = (period_label(goal.latest_on, Frequency(goal.frequency))
                   if goal.latest_on else "no figure yet")
    f = goal.forecast
    forecast, forecast_when = "n/a", "too few figures to extrapolate"
    if f is not None and f.value is not None:
        forecast = _amount(f.value, goal.unit, bare=True)
        forecast_when = (f"at the deadline; 80% range {format_number(f.low)} to "
                         f"{format_number(f.high)}" if f.low is not None and f.high is not None
                         else "at the deadline")
    unit = f"{goal.unit}, " if goal.unit and goal.unit != "%" else ""
    cells = [
        ("Latest figure", _amount(goal.latest_value, goal.unit, bare=True),
         unit + latest_when),
        ("Planned", _amount(goal.planned, goal.unit, bare=True),
         unit + "same period"),
        ("Target", _amount(goal.target_value, goal.unit, bare=True),
         unit + (f"by {format_date(goal.target_date)}" if goal.target_date else "no date")),
        ("Forecast", forecast, forecast_when),
    ]
    table = Table([[[para(label.upper(), "label"), Spacer(1, 2), para(value, "figure"),
                     para(when, "small")] for label, value, when in cells]],
                  colWidths=[WIDTH / 4] * 4)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), SHADE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBEFORE", (1, 0), (-1, -1), 3, HexColor("#ffffff"))]))
    return table


def _amount(value: float | None, unit: str, *, bare: bool = False) -> str:
    """``3,862 homes``; ``bare`` leaves the unit out (but keeps ``%``)."""
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{format_number(value)}%"
    return format_number(value) if bare else f"{format_number(value)} {unit}".strip()


def _evidence(value: object) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return format_number(float(value))
    if isinstance(value, list | tuple):
        return ", ".join(_evidence(v) for v in value)
    return str(value)


# -- commitments ---------------------------------------------------------------------------


def _commitment_state(c: CommitmentData) -> str:
    """Markup: done or dropped with the date, else how late or how soon."""
    if not c.is_open:
        word = CommitmentState(c.state).value.capitalize()
        return f"{word} {format_date(c.closed_on)}" if c.closed_on else word
    late = c.days_overdue or 0
    if late > 0:
        colour = STATUS_COLOURS[Status.OFF_TRACK]
        return f'<font color="{colour}"><b>{late} day{"s" if late != 1 else ""} overdue</b></font>'
    if late == 0:
        return f'<font color="{STATUS_COLOURS[Status.SLIPPING]}"><b>Due today</b></font>'
    if late >= -7:
        colour = STATUS_COLOURS[Status.SLIPPING]
        return f'<font color="{colour}">Due in {-late} day{"s" if late != -1 else ""}</font>'
    return "Open"


def _commitment_table(rows: list[CommitmentData], pack: MeetingPack | None, *,
                      numbered: bool = False) -> Table:
    """What, owner, due date and state; each line says where it came from."""
    body = []
    for n, c in enumerate(rows, 1):
        origin = [f"goal {escape(c.goal_code)}"] if c.goal_code else []
        if pack is None or c.made_on != pack.held_on:
            origin.append(f"made {format_date(c.made_on)}")
        what = escape(c.description) + (
            f'<br/><font size="7.5" color="{MUTED}">{" · ".join(origin)}</font>' if origin
            else "")
        line = [markup(what, "cell"), c.owner, format_date(c.due_on),
                markup(_commitment_state(c), "cell")]
        body.append([str(n), *line] if numbered else line)
    header = ["Commitment", "Owner", "Due", "State"]
    widths = [76 * mm, 40 * mm, 20 * mm, WIDTH - 136 * mm]
    if numbered:
        header, widths = ["", *header], [6 * mm, 70 * mm, *widths[1:]]
    return grid(header, body, widths)


def _earlier(pack: MeetingPack) -> list[Flowable]:
    """The commitments carried into the meeting: those closed since, those still open."""
    if not pack.carried:
        return [*section("Earlier commitments"), para(
            "No commitment from earlier meetings was open in this scope when the meeting "
            "began.", "small")]
    closed = [c for c in pack.carried if not c.is_open]
    still = [c for c in pack.carried if c.is_open]
    return [
        *section("Earlier commitments: still open"),
        _commitment_table(still, pack) if still else
        para("Every earlier commitment has been closed.", "small"),
        *section("Earlier commitments: closed since the meeting began"),
        _commitment_table(closed, pack) if closed else
        para("None has been closed yet.", "small")]


def _decision_subject(d) -> str:  # type: ignore[no-untyped-def]
    if d.item_number is not None:
        return f"Item {d.item_number}: {d.item_title}"
    return f"Goal {d.goal_code}" if d.goal_code else "General"


def _followup_summary(pack: MeetingPack) -> str:
    if pack.state == MeetingState.CANCELLED.value:
        return f"The meeting planned for {format_date(pack.held_on)} did not take place."
    text = (f"The meeting on {format_date(pack.held_on)} was attended by {len(pack.attendees)} "
            f"of the {plural(len(pack.invited), 'person', 'people')} invited. It recorded "
            f"{plural(len(pack.decisions), 'decision')} and "
            f"<b>{plural(len(pack.made), 'commitment')}</b>")
    if pack.made:
        first, last = min(c.due_on for c in pack.made), max(c.due_on for c in pack.made)
        text += (f", due on {format_date(first)}" if first == last else
                 f", due between {format_date(first)} and {format_date(last)}")
    text += "."
    if pack.made:
        done = sum(c.state == CommitmentState.DONE.value for c in pack.made)
        late = sum(c.is_open and (c.days_overdue or 0) > 0 for c in pack.made)
        text += (f" By {format_date(pack.as_of)}, {done} of them "
                 f"{'has' if done == 1 else 'have'} been done and {late} "
                 f"{'is' if late == 1 else 'are'} overdue.")
    if pack.carried:
        still = [c for c in pack.carried if c.is_open]
        closed = len(pack.carried) - len(still)
        text += (f" Of the {plural(len(pack.carried), 'earlier commitment')} it followed up, "
                 f"{closed} {'has' if closed == 1 else 'have'} been closed and {len(still)} "
                 f"{'remains' if len(still) == 1 else 'remain'} open, "
                 f"<b>{len(pack.overdue)} overdue</b> on {format_date(pack.as_of)}.")
    return text


def _scope_table(pack: MeetingPack) -> Table:
    rows = []
    for g in pack.scope_goals:
        unit = (f'<br/><font size="7.5" color="{MUTED}">{escape(g.unit)}</font>'
                if g.unit and g.unit != "%" else "")
        rows.append([markup(f"<b>{escape(g.code)}</b><br/>{escape(g.name)}{unit}", "cell"),
                     g.owner, markup(status_text(g.status), "cell"),
                     _amount(g.latest_value, g.unit, bare=True),
                     _amount(g.planned, g.unit, bare=True),
                     _amount(g.target_value, g.unit, bare=True),
                     str(g.item_number) if g.item_number else ""])
    return grid(["Goal", "Lead", "Status", "Latest", "Planned", "Target", "Item"], rows,
                [52 * mm, 34 * mm, 19 * mm, 16 * mm, 16 * mm, 16 * mm, WIDTH - 153 * mm],
                right=(3, 4, 5, 6))
