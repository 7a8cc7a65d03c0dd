"""Owners are people: a commitment (later a milestone) is owned by an account or by a
secretariat, picked from a list.

A choice travels as text, ``user:<id>`` or ``secretariat:<id>`` (a dropdown's value, a form
field); ``resolve_owner`` turns it into an ``Owner`` or refuses it naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.models import Secretariat, User
from delivery.vocabulary import Role


@dataclass(frozen=True)
class Owner:
    """Who answers for a commitment: the name shown, the account (if a person), and the
    secretariat (a secretariat owner, or the owning account's own)."""

    label: str
    user_id: int | None
    secretariat_id: int | None

    @property
    def choice(self) -> str:
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"secretariat:{self.secretariat_id}" if self.secretariat_id else ""


def owner_choices(session: Session) -> list[dict[str, str]]:
    """Every active account (not the governor's: the governor promises nothing to himself)
    and every secretariat, as ``{"label", "value"}`` for a dropdown, secretariats first."""
    secretariats = session.scalars(select(Secretariat).order_by(Secretariat.code))
    users = session.scalars(select(User).where(User.is_active.is_(True),
                                               User.role != Role.GOVERNOR)
                            .order_by(User.display_name, User.username))
    codes = dict(session.execute(select(Secretariat.id, Secretariat.code)).all())
    options = [{"label": f"{s.code} · {s.name}", "value": f"secretariat:{s.id}"}
               for s in secretariats]
    for user in users:
        where = (codes.get(user.secretariat_id) if user.secretariat_id else None) or _(
            "delivery unit")
        options.append({"label": f"{user.display_name or user.username} ({where})",
                        "value": f"user:{user.id}"})
    return options


def resolve_owner(session: Session, choice: object) -> Owner:
    """The owner a choice names; ValueError (naming ``owner``) for anything else."""
    kind, _sep, raw = choice.partition(":") if isinstance(choice, str) else ("", "", "")
    if not raw.isdigit() or len(raw) > 9:
        raise ValueError(_("owner: pick an account or a secretariat from the list"))
    if kind == "user":
        user = session.get(User, int(raw))
        if user is None or not user.is_active:
            raise ValueError(_("owner: no active account {id}").format(id=raw))
        return Owner(user.display_name or user.username, user.id, user.secretariat_id)
    if kind == "secretariat":
        secretariat = session.get(Secretariat, int(raw))
        if secretariat is None:
            raise ValueError(_("owner: no secretariat {id}").format(id=raw))
        return Owner(secretariat.name, None, secretariat.id)
    raise ValueError(_("owner: pick an account or a secretariat from the list"))
