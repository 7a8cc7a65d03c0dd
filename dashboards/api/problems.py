"""Errors of the API as ``application/problem+json`` (RFC 9457): a title, the status, a
detail, and ``errors`` naming each field (``pointer``: where in the request it is)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, json

API_PREFIX = "/api/"
# the endpoints the API's blueprints serve (they guard themselves); any other route under
# /api/ is guarded as every route of the server is
API_ENDPOINTS = ("api_v1.", "api-docs.")
PROBLEM = "application/problem+json"
TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Content too large",
          415: "Unsupported media type", 422: "Unprocessable content",
          429: "Too many requests", 500: "Internal server error", 503: "Service unavailable"}


def problem(status: int, detail: str, *, errors: list[dict[str, Any]] | None = None,
            headers: Mapping[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": TITLES.get(status, "Error"),
                            "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="delivery"')
    return response


def field_errors(messages: Any, pointer: str = "") -> list[dict[str, Any]]:
    """webargs/marshmallow's nested messages as a flat list naming each field:
    ``{"json": {"figures": {"0": {"goal": ["Missing data"]}}}}`` ->
    ``[{"field": "goal", "pointer": "/figures/0/goal", "detail": "Missing data"}]``."""
    if isinstance(messages, Mapping):
        found: list[dict[str, Any]] = []
        for key, value in messages.items():
            inner = "" if not pointer and key in {"json", "query", "headers", "view_args"} \
                else f"{pointer}/{key}"
            found += field_errors(value, inner)
        return found
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        field = pointer.rsplit("/", 1)[-1] if pointer else "request"
        return [{"field": field, "pointer": pointer or "/", "detail": " ".join(messages)}]
    if isinstance(messages, list | tuple):
        return [e for m in messages for e in field_errors(m, pointer)]
    return [{"field": pointer.rsplit("/", 1)[-1] or "request", "pointer": pointer or "/",
             "detail": str(messages)}]
