"""The e-mails, written in the reader's language (the caller sets it with ``use_locale``)."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage

from delivery.i18n import _, _n, formats
from delivery.inbox.text import kind_name, title, when
from delivery.models import User
from delivery.notifications.reminders import STEPS, Reminder
from delivery.vocabulary import Status

STEP_HEADINGS = {
    "escalated": lambda: _("Overdue for a week or more (escalated to you)"),
    "overdue": lambda: _("Overdue"),
    "due_tomorrow": lambda: _("Due tomorrow"),
    "due_soon": lambda: _("Due in the next days"),
    "waiting": lambda: _("Waiting for your decision"),
    "high_risk": lambda: _("Open high risks"),
}


def address(user: User) -> str:
    name = (user.display_name or user.username).replace('"', "")
    return f'"{name}" <{user.email}>'


def reminder_mail(user: User, reminders: Sequence[Reminder], site_url: str) -> EmailMessage:
    """One message with all of a person's reminders, grouped by step, each with its link."""
    message = EmailMessage()
    message["To"] = address(user)
    message["Subject"] = _n("Delivery Tracker: {n} thing is waiting for you",
                            "Delivery Tracker: {n} things are waiting for you",
                            len(reminders)).format(n=len(reminders))
    lines = [_("Hello {name},").format(name=user.display_name or user.username), ""]
    for step in STEPS:
        mine = [r for r in reminders if r.step == step]
        if not mine:
            continue
        lines += [STEP_HEADINGS[step](), ""]
        for r in sorted(mine, key=lambda r: (r.item.due_on, r.item.thing)):
            lines.append(f"- {kind_name(r.item)}: {title(r.item)}, {when(r.item)}")
            if r.item.href:
                lines.append(f"  {site_url.rstrip('/')}{r.item.href}")
        lines.append("")
    lines += [_("Everything waiting for you: {url}").format(url=f"{site_url.rstrip('/')}/inbox"),
              _("You receive these reminders {how}; change it on your account page: {url}")
              .format(how=_digest_words(user), url=f"{site_url.rstrip('/')}/account")]
    message.set_content("\n".join(lines))
    return message


def _digest_words(user: User) -> str:
    return _("every day") if user.digest == "daily" else _("on Mondays")


def governor_mail(user: User, summary: Sequence[str], memo: tuple[str, bytes] | None,
                  site_url: str, as_of_label: str) -> EmailMessage:
    """The Monday digest: the week's review in a few lines, the briefing memo attached."""
    message = EmailMessage()
    message["To"] = address(user)
    message["Subject"] = _("Delivery Tracker: the week's review, {date}").format(
        date=as_of_label)
    lines = [_("Hello {name},").format(name=user.display_name or user.username), "",
             *summary, ""]
    lines.append(_("The briefing memo of this week's review meeting is attached.") if memo
                 else _("No review meeting is scheduled this week: no memo is attached."))
    lines.append(_("The weekly review: {url}").format(url=f"{site_url.rstrip('/')}/review"))
    message.set_content("\n".join(lines))
    if memo:
        message.add_attachment(memo[1], maintype="application", subtype="pdf",
                               filename=memo[0])
    return message


def review_summary(statuses: dict[str, int], worst: Sequence[tuple[str, str]],
                   commitments_due: int, overdue: int, late_milestones: int = 0,
                   high_risks: int = 0) -> list[str]:
    """The digest's lines: goals by status, the most off track, commitments due, late
    milestones and open high risks of the delivery plans."""
    counts = ", ".join(f"{Status(s).label}: {formats.number(n)}" for s, n in statuses.items())
    lines = [_("Goals by status: {counts}").format(counts=counts or "—")]
    if worst:
        lines.append(_("Most off track:"))
        lines += [f"- {code} · {name}" for code, name in worst]
    lines.append(_("Commitments due this week or overdue: {n} ({late} overdue)").format(
        n=formats.number(commitments_due), late=formats.number(overdue)))
    lines.append(_("Delivery plans: {late} late milestones, {risks} open high risks").format(
        late=formats.number(late_milestones), risks=formats.number(high_risks)))
    return lines
