"""``/account/tokens/...``: make or revoke one's own API tokens. Plain form posts, like
sign-out; the page is ``pages/account_tokens.py``. A new token's secret is handed to the page
once, through the signed session cookie, and taken out of it as the page shows it."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, redirect, request, session
from werkzeug.wrappers import Response

from dashboards.auth import SIGNED_IN, route_access
from dashboards.context import current_viewer, write_session
from delivery.api.tokens import TokenError, create_token, revoke_token
from delivery.dates import DateError, parse_day
from delivery.models import User

PAGE = "/account/tokens"
NEW_SECRET = "new_api_token"  # the session key the page pops
ERROR = "api_token_error"


def _refused(message: str) -> Response:
    session[ERROR] = message
    return redirect(PAGE, code=303)


@route_access(SIGNED_IN)
def create() -> Response:
    """Make a token for the signed-in person (audited as made by them)."""
    form = request.form
    expires_text = form.get("expires", "").strip()
    try:
        expires = parse_day(expires_text) if expires_text else None
    except DateError as exc:
        return _refused(f"expires: {exc}")
    viewer = current_viewer()
    try:
        with write_session() as db:
            user = db.get(User, viewer.user_id)
            assert user is not None
            made = create_token(db, user, form.get("name", ""), expires=expires,
                                created_by=viewer.username)
            secret = made.secret
    except TokenError as exc:
        return _refused(str(exc))
    session[NEW_SECRET] = secret
    return redirect(PAGE, code=303)


@route_access(SIGNED_IN)
def revoke() -> Response:
    """Revoke one of one's own tokens."""
    text = request.form.get("token", "")
    if not (text.isdigit() and len(text) < 10):
        return _refused("token: not a token of yours")
    viewer = current_viewer()
    try:
        with write_session() as db:
            revoke_token(db, int(text), by=viewer.username, user_id=viewer.user_id,
                         now=datetime.now(UTC))
    except TokenError as exc:
        return _refused(str(exc))
    return redirect(f"{PAGE}?revoked=1", code=303)


def register_token_routes(server: Flask) -> None:
    server.add_url_rule(f"{PAGE}/create", "account_token_create", create, methods=["POST"])
    server.add_url_rule(f"{PAGE}/revoke", "account_token_revoke", revoke, methods=["POST"])
