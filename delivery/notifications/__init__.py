"""Reminders and escalation by e-mail, the per-person digests and the governor's Monday
digest, sent through the configured SMTP server (see ``run``)."""

from delivery.notifications.mailer import NO_SERVER, MailServer
from delivery.notifications.reminders import Reminder, reminders_due
from delivery.notifications.run import PastDate, ReminderRun, send_reminders

__all__ = ["NO_SERVER", "MailServer", "PastDate", "Reminder", "ReminderRun", "reminders_due",
           "send_reminders"]
