"""In front of every API endpoint: the token (``Authorization: Bearer``), the rate limit,
the JSON depth; after it: the audit entry and the ETag. The API never reads the sign-in
cookie, so it needs no cross-site check: a browser cannot send a token by itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import current_app, g, request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from dashboards.api.problems import problem
from dashboards.auth import MAX_JSON_DEPTH, too_deep
from dashboards.context import EXTENSION
from delivery.access import Viewer
from delivery.api.ratelimit import count_request
from delivery.api.tokens import TokenRefused, TokenUse, audit_use, authenticate
from delivery.i18n import _

MAX_BODY = 4 * 2**20  # 5,000 figures are about 1 MB; larger files go through `delivery import`


def _factory():  # type: ignore[no-untyped-def]
    return current_app.extensions[EXTENSION]["session_factory"]


def _settings():  # type: ignore[no-untyped-def]
    return current_app.extensions[EXTENSION]["settings"]


def api_viewer() -> Viewer:
    return g.api_use.viewer  # type: ignore[no-any-return]


def token_id() -> int:
    return g.api_use.token_id  # type: ignore[no-any-return]


@contextmanager
def api_read() -> Iterator[Session]:
    with _factory()() as session:
        yield session


@contextmanager
def api_write() -> Iterator[Session]:
    """One transaction, committed whole or rolled back, acted by the token's person."""
    with _factory()() as session, session.begin():
        session.info["actor"] = api_viewer().username
        yield session


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def before() -> Response | None:
    """Who is asking, within their rate; a refusal as problem+json otherwise."""
    now = datetime.now(UTC)
    limit = int(_settings().api_rate_per_minute)
    try:
        with _factory()() as session, session.begin():
            use = authenticate(session, _bearer(), now)
            verdict = count_request(session, use.token_id, limit, now)
    except TokenRefused as refused:
        return problem(401, str(refused))
    g.api_use, g.api_rate = use, verdict
    if not verdict.allowed:
        return problem(429, _("More than {n} requests a minute with this token: wait {s} "
                              "seconds.").format(n=limit, s=verdict.reset_seconds),
                       headers={"Retry-After": str(verdict.reset_seconds)})
    if (request.content_length or 0) > MAX_BODY:
        return problem(413, _("The request is larger than {n} MB: push at most 5,000 figures "
                              "at a time.").format(n=MAX_BODY // 2**20))
    if request.mimetype == "application/json" and too_deep(request.get_data(cache=True)):
        return problem(400, _("The request nests deeper than {n} levels.").format(
            n=MAX_JSON_DEPTH))
    return None


def after(response: Response) -> Response:
    """Audit the use; rate headers; an ETag on what was read (304 when the client has it)."""
    use: TokenUse | None = g.get("api_use")
    if use is None:
        return response
    rate = g.get("api_rate")
    if rate is not None:
        response.headers["X-RateLimit-Limit"] = str(rate.limit)
        response.headers["X-RateLimit-Remaining"] = str(rate.remaining)
        response.headers["X-RateLimit-Reset"] = str(rate.reset_seconds)
    if request.method == "GET" and response.status_code == 200:
        response.add_etag()
        response.headers["Cache-Control"] = "private, no-cache"
        response.make_conditional(request)
    with _factory()() as session, session.begin():
        audit_use(session, use, method=request.method, path=request.full_path.rstrip("?"),
                  status=response.status_code, now=datetime.now(UTC))
    return response
