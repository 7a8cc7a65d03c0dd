"""``delivery serve``: the web app under gunicorn, configured from the settings (no shell, no
config file). The app is built once, before the workers are forked (gunicorn's preload), with
the weekly review's kept data computed (``warm_review``): every worker starts with it instead of
each paying the cold read of the figures. Its connections are closed before the fork; each
worker opens its own. Memory: ``delivery.malloc``.

The app itself comes from the caller (``delivery/cli.py``, the composition root), so this module
stays free of the web layer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from delivery.malloc import before_fork, tune_malloc

MAX_AUTO_WORKERS = 12
THREADS = 4  # per worker: a page fires several callbacks at once; most of their time is SQL
# Who asked (through X-Forwarded-For when DELIVERY_PROXIES trusts it), which worker answered
# (its pid, in angle brackets), what, and how long it took in microseconds.
ACCESS_LOG = '%(h)s %(p)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'


def worker_count(configured: int, cores: int | None = None) -> int:
    """``configured`` when set, else two per core plus one, at most ``MAX_AUTO_WORKERS``."""
    if configured > 0:
        return configured
    return min(2 * (cores or os.cpu_count() or 1) + 1, MAX_AUTO_WORKERS)


def gunicorn_options(settings: Any, *, workers: int | None = None, host: str | None = None,
                     port: int | None = None) -> dict[str, Any]:
    """gunicorn's settings for ``settings`` (arguments given here win)."""
    return {
        "bind": f"{host or settings.host}:{port or settings.port}",
        "workers": worker_count(workers or settings.web_workers),
        "worker_class": "gthread", "threads": THREADS,
        "timeout": settings.web_timeout_seconds, "graceful_timeout": 30, "keepalive": 5,
        # A worker is replaced after this many requests: slow memory growth cannot pile up.
        "max_requests": 2000, "max_requests_jitter": 200,
        "accesslog": "-", "errorlog": "-", "access_log_format": ACCESS_LOG,
        "proc_name": "delivery-web",
        "preload_app": True,  # built and warmed once, then forked (see warm_review)
    }


def warm_review(session_factory: Callable[[], Any], engine: Any) -> None:
    """Compute the weekly review's kept data for the review date (``review_grades``: the
    figure window, the plan frames, every goal graded), then close the engine's connections:
    called before gunicorn forks its workers, they all start warm, and none shares a
    connection with another. A failure leaves the first review to do it."""
    from delivery.clock import review_date
    from delivery.review import review_grades

    try:
        with session_factory() as session:
            review_grades(session, review_date(session))
    except Exception:  # noqa: BLE001 - warming is an optimisation, never a reason not to serve
        pass
    finally:
        engine.dispose()


class Served(BaseApplication):  # type: ignore[misc]
    """gunicorn running the WSGI app that ``load_app`` builds (once, before the fork)."""

    def __init__(self, load_app: Callable[[], Any], options: dict[str, Any]) -> None:
        self.load_app, self.options = load_app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        tune_malloc()  # before the app is built and forked: the workers inherit it
        app = self.load_app()
        before_fork()  # collected, frozen and trimmed: see delivery.malloc
        return app


def serve(load_app: Callable[[], Any], options: dict[str, Any]) -> None:
    """Run gunicorn in this process until it is stopped (SIGTERM or Ctrl-C)."""
    Served(load_app, options).run()
