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
    render,
    section,
    status_pill,
    status_text,
)
from delivery.briefing.pack import CommitmentData, GoalData, ItemData, MeetingPack
from delivery.briefing.plans_pdf import plans_section
from delivery.i18n import N_, _, _n, formats
from delivery.palette import MUTED, STATUS_COLOURS
from delivery.status import format_date, format_number, period_label
from delivery.vocabulary import (
    CommitmentState,
    FlagState,
    Frequency,
    MeetingState,
    Status,
    flag_kind_label,
)

MEMO, FOLLOW_UP = N_("Briefing memo"), N_("Follow-up note")
KIND_WORDS = {"goal": N_("Goal"), "flag": N_("Data quality"), "commitment": N_("Commitment"),
              "topic": N_("Topic")}


def _kind(kind: str) -> str:
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind


def _when(day) -> str:  # type: ignore[no-untyped-def]
    """``Monday 16/01/2023``: the weekday in the reader's language, then the date."""
    return formats.weekday(day) + " " + format_date(day)


def briefing_pdf(pack: MeetingPack) -> bytes:
    """The memo for the governor before the meeting, as A4 PDF bytes."""
    story = letterhead(_(pack.issuer), _(MEMO), pack.title, [
        (_("Meeting"), _when(pack.held_on) + _state_words(pack)),
        (_("Scope"), pack.scope),
        (_("Invited"), ", ".join(pack.invited) or _("Not set")),
        (_("Figures as of"), format_date(pack.as_of)),
    ])
    story += section(_("Summary")) + [markup(_memo_summary(pack)), Spacer(1, 4),
                                      _scorecard(pack)]
    story += section(_("Agenda")) + [_agenda_table(pack)]
    shown: dict[str, int] = {}
    for item in pack.items:
        story += _item(item, shown)
    story += plans_section(pack.initiatives)
    story += section(_("Open commitments carried forward"))
    story.append(_commitment_table(pack.carried, pack) if pack.carried else
                 para(_("No commitment from earlier meetings is open in this scope."), "small"))
    if pack.scope_goals:
        story += section(_("Annex: every goal in scope, worst first"))
        story.append(_scope_table(pack))
    return render(story, kind=_(MEMO), title=pack.title, held_on=pack.held_on,
                  prepared_on=pack.as_of)


def followup_pdf(pack: MeetingPack) -> bytes:
    """The note after the meeting: attendance, decisions, commitments made and followed up."""
    minutes = ((_("Closed by {who} on {date}").format(who=pack.closed_by,
                                                      date=format_date(pack.closed_on))
                if pack.closed_on else _("Closed by {who}").format(who=pack.closed_by))
               if pack.closed_by else _("Still open: decisions and commitments may yet be added"))
    story = letterhead(_(pack.issuer), _(FOLLOW_UP), pack.title, [
        (_("Meeting"), _when(pack.held_on) + _state_words(pack)),
        (_("Scope"), pack.scope),
        (_("Minutes"), minutes),
    ])
    story += section(_("Summary")) + [markup(_followup_summary(pack))]
    if pack.state == MeetingState.CANCELLED.value:
        story.append(para(_("The meeting was cancelled: {reason}").format(
            reason=pack.cancelled_reason)))
    if pack.notes:
        story.append(markup("<b>" + _("Notes of the meeting.") + "</b> " + escape(pack.notes)))
    story += section(_("Attendance")) + [facts([
        (_("Present"), ", ".join(pack.attendees) or _("Not recorded")),
        (_("Invited, absent"), ", ".join(pack.absent) or _("None")),
    ])]
    story += section(_("Decisions"))
    story.append(grid(["", _("Decision"), _("On")], [
        [str(n), d.text, _decision_subject(d)] for n, d in enumerate(pack.decisions, 1)],
        [8 * mm, 112 * mm, WIDTH - 120 * mm]) if pack.decisions else
        para(_("No decision was recorded."), "small"))
    story += section(_("Commitments made"))
    story.append(_commitment_table(pack.made, pack, numbered=True) if pack.made else
                 para(_("No commitment was made."), "small"))
    story += _earlier(pack)
    return render(story, kind=_(FOLLOW_UP), title=pack.title, held_on=pack.held_on,
                  prepared_on=pack.as_of)


# -- the memo's parts --------------------------------------------------------------------------


def _state_words(pack: MeetingPack) -> str:
    if pack.state == MeetingState.CANCELLED.value:
        return f" ({MeetingState.CANCELLED.label})"
    return f" ({MeetingState.HELD.label})" if pack.state == MeetingState.HELD.value else ""


def _memo_summary(pack: MeetingPack) -> str:
    counts = pack.status_counts
    total = sum(counts.values())
    if total:
        parts = [f"{counts.get(s.value, 0)} {s.counted(counts.get(s.value, 0))}" for s in
                 (Status.ON_TRACK, Status.SLIPPING, Status.OFF_TRACK)]
        stale = counts.get(Status.NO_RECENT_DATA.value, 0)
        text = _n("Of the {n} goal under {scope}, {on_track}, {slipping} and <b>{off_track}</b> "
                  "as of {date}",
                  "Of the {n} goals under {scope}, {on_track}, {slipping} and <b>{off_track}</b> "
                  "as of {date}", total).format(
            n=total, scope=escape(pack.scope_name), on_track=parts[0], slipping=parts[1],
            off_track=parts[2], date=format_date(pack.as_of))
        text += ("; " + _n("{n} has no recent figure.", "{n} have no recent figure.",
                           stale).format(n=stale)) if stale else "."
    else:
        text = _("This meeting has no goals in its scope.")
    open_ = [c for c in pack.carried if c.is_open]
    late = pack.overdue
    if open_:
        text += " " + _n("There is {n} open commitment from earlier meetings,",
                         "There are {n} open commitments from earlier meetings,",
                         len(open_)).format(n=len(open_)) + " " + (
            "<b>" + _n("{n} of them overdue", "{n} of them overdue", len(late)).format(
                n=len(late)) + "</b>." if late else _("none overdue."))
    else:
        text += " " + _("No commitment from earlier meetings is open.")
    items = len(pack.items)
    text += " " + _n("The agenda has {n} item.", "The agenda has {n} items.", items).format(
        n=items)
    return text


def _scorecard(pack: MeetingPack) -> Table:
    """Counts in their status colours, then the overdue commitments: the page at a glance."""
    cells, colours = [], []
    for status in (Status.OFF_TRACK, Status.SLIPPING, Status.NO_RECENT_DATA, Status.ON_TRACK):
        cells.append(_tile(str(pack.status_counts.get(status.value, 0)), status.label))
        colours.append(STATUS_COLOURS[status])
    cells.append(_tile(str(len(pack.overdue)), _("Commitments overdue")))
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
        return para(_("The agenda is empty."), "small")
    rows = [[str(i.number), i.title, _kind(i.kind), markup(_item_state(i), "cell")]
            for i in pack.items]
    return grid(["", _("Item"), _("Type"), _("Status")], rows,
                [8 * mm, 107 * mm, 25 * mm, WIDTH - 140 * mm])


def _item_state(item: ItemData) -> str:
    if item.goal is not None and item.kind == "goal":
        return status_text(item.goal.status)
    if item.commitment is not None:
        return _commitment_state(item.commitment)
    if item.flag is not None:
        return _("Flag {state}").format(state=escape(_flag_state(item.flag.state)))
    return ""


def _item(item: ItemData, shown: dict[str, int]) -> list[Flowable]:
    """One agenda item's section; ``shown`` maps goal codes to the item that already printed
    the goal's chart, so that a flag on the same goal refers to it instead of repeating it."""
    right: Flowable = (status_pill(item.goal.status) if item.goal is not None and
                       item.kind == "goal" else para(_kind(item.kind).upper(), "label_right"))
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
        block.append(para(_("Data-quality flag ({kind}) on goal {code}, {name}; raised {date}; "
                            "{state}.").format(kind=flag_kind_label(flag.kind),
                                               code=flag.goal_code, name=flag.goal_name,
                                               date=format_date(flag.raised_on),
                                               state=_flag_state(flag.state)), "small"))
        block += [Spacer(1, 3), para(flag.reason)]
        if flag.evidence:
            block += [facts([(k.replace("_", " "), _evidence(v))
                             for k, v in flag.evidence.items()], 38 * mm), Spacer(1, 6)]
        if item.goal is not None and item.goal.code in shown:
            block.append(para(_("The goal's figures and chart are under item {n}.").format(
                n=shown[item.goal.code]), "small"))
        elif item.goal is not None:
            block += _goal_block(item.goal, item.title, height=44 * mm)
    elif item.commitment is not None:
        c = item.commitment
        block.append(para(_("Promised at {meeting} on {date}.").format(
            meeting=c.made_at, date=format_date(c.made_on)), "small"))
        block += [Spacer(1, 3), _commitment_table([c], None)]
    elif item.kind == "topic" and not item.note:
        block.append(para(_("For discussion."), "small"))
    if item.note and not (item.built and item.kind != "topic"):
        block += [Spacer(1, 3), para(item.note, "note")]
    if item.goal is not None:
        shown.setdefault(item.goal.code, item.number)
    return [Spacer(1, 14), KeepTogether(block)]


def _goal_block(goal: GoalData, title: str, height: float = 52 * mm) -> list[Flowable]:
    about = [_("Goal {code}").format(code=goal.code)]
    if goal.name.strip().lower() not in title.strip().lower():
        about.append(goal.name)
    if goal.owner:
        about.append(_("lead: {owner}").format(owner=goal.owner))
    blocks: list[Flowable] = [
        para(" · ".join(about), "small"),
        para(_("Indicator: {indicator}").format(indicator=goal.indicator)
             + (" · " + _("unit: {unit}").format(unit=goal.unit) if goal.unit else ""),
             "small"),
        Spacer(1, 4), para(goal.reason), _figure_strip(goal), Spacer(1, 6),
        goal_chart(goal, WIDTH, height), Spacer(1, 3)]
    if goal.forecast is not None and goal.forecast.reason:
        blocks.append(para(goal.forecast.reason, "small"))
    return blocks


def _figure_strip(goal: GoalData) -> Table:
    latest_when = (period_label(goal.latest_on, Frequency(goal.frequency))
                   if goal.latest_on else _("no figure yet"))
    f = goal.forecast
    forecast, forecast_when = _("n/a"), _("too few figures to extrapolate")
    if f is not None and f.value is not None:
        forecast = _amount(f.value, goal.unit, bare=True)
        forecast_when = (_("at the deadline; 80% range {low} to {high}").format(
            low=_amount(f.low, goal.unit, bare=True), high=_amount(f.high, goal.unit, bare=True))
            if f.low is not None and f.high is not None else _("at the deadline"))
    unit = f"{goal.unit}, " if goal.unit and goal.unit != "%" else ""
    cells = [
        (_("Latest figure"), _amount(goal.latest_value, goal.unit, bare=True),
         unit + latest_when),
        (_("Planned"), _amount(goal.planned, goal.unit, bare=True),
         unit + _("same period")),
        (_("Target"), _amount(goal.target_value, goal.unit, bare=True),
         unit + (_("by {date}").format(date=format_date(goal.target_date))
                 if goal.target_date else _("no date"))),
        (_("Forecast"), forecast, forecast_when),
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
    """``3,862 homes``; ``bare`` leaves the unit out (but keeps ``%``); in the precision the
    unit deserves (counts without decimals)."""
    if value is None:
        return _("n/a")
    if bare and unit != "%":
        return formats.number(value, unit)
    return formats.with_unit(value, unit)


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
        word = CommitmentState(c.state).label.capitalize()
        return f"{word} {format_date(c.closed_on)}" if c.closed_on else word
    late = c.days_overdue or 0
    if late > 0:
        colour = STATUS_COLOURS[Status.OFF_TRACK]
        words = _n("{n} day overdue", "{n} days overdue", late).format(n=late)
        return f'<font color="{colour}"><b>{words}</b></font>'
    if late == 0:
        words = _("Due today")  # outside the f-string, where extraction sees it
        return f'<font color="{STATUS_COLOURS[Status.SLIPPING]}"><b>{words}</b></font>'
    if late >= -7:
        colour = STATUS_COLOURS[Status.SLIPPING]
        words = _n("Due in {n} day", "Due in {n} days", -late).format(n=-late)
        return f'<font color="{colour}">{words}</font>'
    return CommitmentState.OPEN.label.capitalize()


def _commitment_table(rows: list[CommitmentData], pack: MeetingPack | None, *,
                      numbered: bool = False) -> Table:
    """What, owner, due date and state; each line says where it came from."""
    body = []
    for n, c in enumerate(rows, 1):
        origin = [_("goal {code}").format(code=escape(c.goal_code))] if c.goal_code else []
        if pack is None or c.made_on != pack.held_on:
            origin.append(_("made {date}").format(date=format_date(c.made_on)))
        if c.evidence_files:
            origin.append(_n("{n} evidence file", "{n} evidence files", c.evidence_files).format(
                n=c.evidence_files))
        what = escape(c.description) + (
            f'<br/><font size="7.5" color="{MUTED}">{" · ".join(origin)}</font>' if origin
            else "")
        line = [markup(what, "cell"), c.owner, format_date(c.due_on),
                markup(_commitment_state(c), "cell")]
        body.append([str(n), *line] if numbered else line)
    header = [_("Commitment"), _("Owner"), _("Due"), _("State")]
    widths = [76 * mm, 40 * mm, 20 * mm, WIDTH - 136 * mm]
    if numbered:
        header, widths = ["", *header], [6 * mm, 70 * mm, *widths[1:]]
    return grid(header, body, widths)


def _earlier(pack: MeetingPack) -> list[Flowable]:
    """The commitments carried into the meeting: those closed since, those still open."""
    if not pack.carried:
        return [*section(_("Earlier commitments")), para(
            _("No commitment from earlier meetings was open in this scope when the meeting "
              "began."), "small")]
    closed = [c for c in pack.carried if not c.is_open]
    still = [c for c in pack.carried if c.is_open]
    return [
        *section(_("Earlier commitments: still open")),
        _commitment_table(still, pack) if still else
        para(_("Every earlier commitment has been closed."), "small"),
        *section(_("Earlier commitments: closed since the meeting began")),
        _commitment_table(closed, pack) if closed else
        para(_("None has been closed yet."), "small")]


def _decision_subject(d) -> str:  # type: ignore[no-untyped-def]
    if d.item_number is not None:
        return _("Item {n}: {title}").format(n=d.item_number, title=d.item_title)
    return _("Goal {code}").format(code=d.goal_code) if d.goal_code else _("General")


def _followup_summary(pack: MeetingPack) -> str:
    if pack.state == MeetingState.CANCELLED.value:
        return _("The meeting planned for {date} did not take place.").format(
            date=format_date(pack.held_on))
    invited, decisions, made = len(pack.invited), len(pack.decisions), len(pack.made)
    text = (_n("The meeting on {date} was attended by {present} of the {n} person invited.",
               "The meeting on {date} was attended by {present} of the {n} people invited.",
               invited).format(date=format_date(pack.held_on), present=len(pack.attendees),
                               n=invited)
            + " " + _("It recorded {decisions} and <b>{commitments}</b>").format(
                decisions=_n("{n} decision", "{n} decisions", decisions).format(n=decisions),
                commitments=_n("{n} commitment", "{n} commitments", made).format(n=made)))
    if pack.made:
        first, last = min(c.due_on for c in pack.made), max(c.due_on for c in pack.made)
        text += (_(", due on {date}").format(date=format_date(first)) if first == last else
                 _(", due between {first} and {last}").format(first=format_date(first),
                                                              last=format_date(last)))
    text += "."
    if pack.made:
        done = sum(c.state == CommitmentState.DONE.value for c in pack.made)
        late = sum(c.is_open and (c.days_overdue or 0) > 0 for c in pack.made)
        text += " " + _("By {date}, {done} and {late}.").format(
            date=format_date(pack.as_of),
            done=_n("{n} of them has been done", "{n} of them have been done", done).format(
                n=done),
            late=_n("{n} is overdue", "{n} are overdue", late).format(n=late))
    if pack.carried:
        still = [c for c in pack.carried if c.is_open]
        closed = len(pack.carried) - len(still)
        text += " " + _("Of the {carried} it followed up, {closed} and {still}, <b>{overdue}</b> "
                        "on {date}.").format(
            carried=_n("{n} earlier commitment", "{n} earlier commitments",
                       len(pack.carried)).format(n=len(pack.carried)),
            closed=_n("{n} has been closed", "{n} have been closed", closed).format(n=closed),
            still=_n("{n} remains open", "{n} remain open", len(still)).format(n=len(still)),
            overdue=_n("{n} overdue", "{n} overdue", len(pack.overdue)).format(
                n=len(pack.overdue)),
            date=format_date(pack.as_of))
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
    return grid([_("Goal"), _("Lead"), _("Status"), _("Latest"), _("Planned"), _("Target"),
                 _("Item")], rows,
                [52 * mm, 34 * mm, 19 * mm, 16 * mm, 16 * mm, 16 * mm, WIDTH - 153 * mm],
                right=(3, 4, 5, 6))


def _flag_state(state: str) -> str:
    return FlagState(state).label if state in set(FlagState) else state
