"""The words of an inbox item, in the current language (the page's, or the e-mail reader's)."""

from __future__ import annotations

from datetime import date

from delivery.i18n import _, _n, formats
from delivery.inbox.items import InboxItem
from delivery.vocabulary import Frequency

KIND_NAMES = {"figure": lambda: _("Figure to report"), "commitment": lambda: _("Commitment"),
              "proposal": lambda: _("Proposal to decide"),
              "flags": lambda: _("Data-quality flags"), "milestone": lambda: _("Milestone"),
              "risk": lambda: _("High risk")}


def kind_name(item: InboxItem) -> str:
    name = KIND_NAMES.get(item.kind)
    return name() if name else item.kind


def title(item: InboxItem) -> str:
    """What the thing is, in one line."""
    if item.kind == "figure":
        period = formats.period(date.fromisoformat(item.subject), Frequency(item.frequency),
                                long=True)
        return _("{goal}: the figure for {period}").format(goal=item.goal_name, period=period)
    if item.kind == "proposal":
        return _("{goal}: a new trajectory proposed by {who}").format(goal=item.goal_name,
                                                                      who=item.subject)
    if item.kind == "flags":
        return _n("{goal}: {n} open flag", "{goal}: {n} open flags", item.count).format(
            goal=item.goal_name, n=item.count)
    if item.kind == "milestone":
        return _("{initiative}: milestone {milestone}").format(initiative=item.goal_name,
                                                               milestone=item.subject)
    if item.kind == "risk":
        return _("{subject}: risk scored {score}: {risk}").format(
            subject=item.goal_name, score=item.count, risk=item.subject)
    return item.subject


def when(item: InboxItem) -> str:
    """When it is due, how late it is, or how long it has waited."""
    days, day = item.days_late, formats.day(item.due_on)
    if item.kind == "risk":
        if item.undated:
            return _("open, with no review date")
        if days > 0:
            return _n("review {n} day overdue (due {date})", "review {n} days overdue (due {date})",
                      days).format(n=days, date=day)
        if days == 0:
            return _("review due today")
        return _n("review due in {n} day ({date})", "review due in {n} days ({date})",
                  -days).format(n=-days, date=day)
    if item.kind in {"proposal", "flags"}:
        if days <= 0:
            return _("since today")
        return _n("waiting {n} day, since {date}", "waiting {n} days, since {date}",
                  days).format(n=days, date=day)
    if days > 0:
        return _n("{n} day overdue (due {date})", "{n} days overdue (due {date})",
                  days).format(n=days, date=day)
    if days == 0:
        return _("due today")
    if days == -1:
        return _("due tomorrow")
    return _n("due in {n} day ({date})", "due in {n} days ({date})", -days).format(
        n=-days, date=day)
