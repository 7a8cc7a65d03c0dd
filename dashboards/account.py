"""``/account/sessions/...``: end one of one's own sessions, all of them, or (admins) all of
someone else's, or (admins) make a secretariat user its head or not. Plain form posts, like
sign-out; the page is ``pages/account_sessions.py``.
``/account/mail``: one's e-mail address and reminder digest (``pages/account_mail.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, redirect, request, session
from werkzeug.wrappers import Response

from dashboards.auth import SIGN_IN_PATH, SIGNED_IN, route_access
from dashboards.context import current_session_id, current_viewer, write_session
from delivery.models import User
from delivery.notifications.preferences import set_mail_preferences
from delivery.signin.sessions import BY_ADMIN, EVERYWHERE, SIGNED_OUT, end_session, end_sessions
from delivery.users import UserError, set_secretariat_head
from delivery.vocabulary import Role

PAGE = "/account/sessions"
MAIL_PAGE = "/account"


def _posted_id(field: str) -> int | None:
    text = request.form.get(field, "")
    return int(text) if text.isdigit() and len(text) < 12 else None


@route_access(SIGNED_IN)
def end_one() -> Response:
    """End one of the viewer's own sessions (another device's, or this one)."""
    session_id, viewer = _posted_id("session"), current_viewer()
    if session_id is None:
        return redirect(f"{PAGE}?error=session", code=303)
    with write_session() as db:
        end_session(db, session_id, SIGNED_OUT, datetime.now(UTC), user_id=viewer.user_id)
    if session_id == current_session_id():
        session.clear()
        return redirect(f"{SIGN_IN_PATH}?signed_out=1", code=303)
    return redirect(f"{PAGE}?ended=1", code=303)


@route_access(SIGNED_IN)
def end_all() -> Response:
    """Sign the viewer out everywhere, this browser included."""
    with write_session() as db:
        end_sessions(db, current_viewer().user_id or 0, EVERYWHERE)
    session.clear()
    return redirect(f"{SIGN_IN_PATH}?signed_out=1", code=303)


@route_access((Role.ADMIN,))
def end_users() -> Response:
    """An administrator ends every session of one user."""
    user_id = _posted_id("user")
    if user_id is None:
        return redirect(f"{PAGE}?error=user", code=303)
    with write_session() as db:
        end_sessions(db, user_id, BY_ADMIN)
    if user_id == current_viewer().user_id:
        session.clear()
        return redirect(f"{SIGN_IN_PATH}?signed_out=1", code=303)
    return redirect(f"{PAGE}?ended=1", code=303)


@route_access((Role.ADMIN,))
def set_head() -> Response:
    """An administrator makes a secretariat user head of their secretariat (``head=1``), or
    not (``head=0``); audited. Anything else comes back as a message, changing nothing."""
    user_id, head = _posted_id("user"), request.form.get("head", "")
    if user_id is None or head not in {"0", "1"}:
        return redirect(f"{PAGE}?error=head#account-heads", code=303)
    with write_session() as db:
        user = db.get(User, user_id)
        if user is None:
            return redirect(f"{PAGE}?error=head#account-heads", code=303)
        try:
            set_secretariat_head(db, user, head == "1")
        except UserError:
            return redirect(f"{PAGE}?error=head#account-heads", code=303)
    return redirect(f"{PAGE}?head=saved#account-heads", code=303)


@route_access(SIGNED_IN)
def save_mail() -> Response:
    """Save the viewer's own e-mail address and digest (audited); a refused value changes
    nothing and comes back named."""
    with write_session() as db:
        user = db.get(User, current_viewer().user_id)
        if user is None:
            return redirect(f"{SIGN_IN_PATH}", code=303)
        try:
            set_mail_preferences(db, user, email=request.form.get("email", ""),
                                 digest=request.form.get("digest", ""))
        except ValueError as exc:
            field = "email" if str(exc).startswith("email") else "digest"
            return redirect(f"{MAIL_PAGE}?error={field}", code=303)
    return redirect(f"{MAIL_PAGE}?saved=1", code=303)


def register_account_routes(server: Flask) -> None:
    server.add_url_rule(f"{MAIL_PAGE}/mail", "account_mail", save_mail, methods=["POST"])
    for rule, view in (("end", end_one), ("end-all", end_all), ("end-user", end_users),
                       ("head", set_head)):
        server.add_url_rule(f"{PAGE}/{rule}", f"account_{rule}", view, methods=["POST"])
