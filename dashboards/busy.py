"""When the database is busy: a lock held by another save outlasted the wait allowed to a web
request (SQLite's busy timeout, PostgreSQL's lock or statement timeout). Nothing was written;
the person is told so and asked to try again, never shown a 500.

Routes answer 503 with Retry-After; callbacks (pages included) keep the screen as it was and
show the message in the frame's banner.
"""

from __future__ import annotations

from dash import Dash, set_props
from dash_bootstrap_components import Alert
from flask import Response
from sqlalchemy.exc import OperationalError

from delivery.db import is_busy
from delivery.i18n import _

BANNER = "busy-banner"
RETRY_AFTER_SECONDS = 5


def message() -> str:
    """What the person is told, in their language."""
    return _("The database is busy with another change. Nothing was saved or changed: try "
             "again in {seconds} seconds.").format(seconds=RETRY_AFTER_SECONDS)


def banner() -> Alert:
    """The place in the frame where a callback that met a busy database says so."""
    return Alert(id=BANNER, is_open=False, color="warning", dismissable=True,
                 className="py-2")


def on_callback_error(error: Exception) -> None:
    """Dash's app-wide callback error handler: a busy database leaves every output as it was
    and opens the banner; any other error goes on as before."""
    if not is_busy(error):
        raise error
    set_props(BANNER, {"children": message(), "is_open": True})


def _busy_response(error: OperationalError) -> Response:
    if not is_busy(error):
        raise error
    return Response(message(), status=503, mimetype="text/plain",
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def init_busy(app: Dash) -> None:
    """Answer a busy database with 503 "try again" on every route of ``app``'s server."""
    app.server.register_error_handler(OperationalError, _busy_response)
