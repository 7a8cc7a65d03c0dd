"""A person's e-mail address and how often their reminders come (audited like any change)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.models import User
from delivery.vocabulary import Digest

# one @, something on each side, a dot in the domain, no spaces or control characters
_PART = r"[^@\s\x00-\x1f\x7f\"<>,;]"
_ADDRESS = re.compile(rf"{_PART}+@{_PART}+\.[^@\s\x00-\x1f\x7f\"<>,;.]+")


def clean_email(text: object) -> str | None:
    """An e-mail address as typed (trimmed), None when empty; ValueError naming ``email``."""
    raw = text.strip() if isinstance(text, str) else ""
    if not raw:
        return None
    if len(raw) > 254 or not _ADDRESS.fullmatch(raw):
        raise ValueError(_("email: {text} is not an e-mail address like name@example.org")
                         .format(text=repr(raw[:60])))
    return raw


def clean_digest(text: object) -> Digest:
    try:
        return Digest(text if isinstance(text, str) else "")
    except ValueError:
        raise ValueError(_("digest: choose daily, weekly or none")) from None


def set_mail_preferences(session: Session, user: User, *, email: object, digest: object,
                         head: bool | None = None) -> None:
    """Save where and how often ``user`` gets reminders (and, when given, whether they head
    their secretariat). Nothing is changed if either value is refused."""
    address, how = clean_email(email), clean_digest(digest)
    user.email, user.digest = address, how.value
    if head is not None:
        user.is_secretariat_head = head
    session.flush()
