"""The REST API, ``/api/v1``, served by the same Flask server as the screens.

flask-smorest writes the OpenAPI 3.1 document (``/api/v1/openapi.json``) from the code; the
documentation page (``/api/v1/docs``) is drawn from that document on the server, with no
script to fetch. Errors are ``application/problem+json``. See ``dashboards/api/views.py``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from dashboards.api.docs import register_docs
from dashboards.api.problems import API_PREFIX, field_errors, problem

VERSION = "v1"


class ProblemApi(Api):
    """flask-smorest's Api whose errors under ``/api/`` are problem+json; the rest of the
    server keeps Flask's own error pages."""

    def handle_http_exception(self, error: HTTPException) -> Any:
        if not request.path.startswith(API_PREFIX):
            return error.get_response()
        data = getattr(error, "data", None) or {}
        messages = data.get("errors") or data.get("messages")
        errors = field_errors(messages) if messages else None
        detail = data.get("message") or error.description or error.name
        if errors and error.code in (400, 422):
            detail = "; ".join(f"{e['field']}: {e['detail']}" for e in errors)
        return problem(error.code or 500, str(detail), errors=errors,
                       headers=data.get("headers"))


def register_api(server: Flask) -> ProblemApi:
    """Mount ``/api/v1`` (endpoints, OpenAPI document, documentation page) on ``server``."""
    from dashboards.api.views import blp

    server.config.update(
        API_TITLE="Delivery Tracker API", API_VERSION=VERSION, OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=f"/api/{VERSION}", OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": "Read goals, figures, trajectories, roll-ups, budget "
                                    "links, commitments and initiatives (milestones, "
                                    "progress, risks); push figures, update "
                                    "commitments and record delivery-plan changes (a "
                                    "milestone done or its forecast moved, physical "
                                    "progress, a risk's update); every write honours an "
                                    "`Idempotency-Key` header. "
                                    "Authenticate with a personal token: "
                                    "`Authorization: Bearer <token>`."},
            "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
            "security": [{"token": []}],
        },
    )
    api = ProblemApi(server)
    api.DEFAULT_ERROR_RESPONSE_NAME = None  # each endpoint names its own problem answers
    api.register_blueprint(blp)
    register_docs(server, api)
    return api
