"""WSGI entry point for any WSGI server (`gunicorn wsgi:server`); `delivery serve` runs gunicorn.

Builds the app from the environment's settings; refuses to start on a database that is behind.
The weekly review's kept data is computed here (with gunicorn's ``--preload``: once, before
the workers are forked, so that all of them start warm); the connections used for it are
closed, so that no worker shares one.
"""

from dashboards.app import create_app
from delivery.serving import before_fork, tune_malloc, warm_review

tune_malloc()  # before the app is built and forked (--preload): the workers inherit it
server = create_app().server
warm_review(**{k: server.extensions["delivery"][k] for k in ("session_factory", "engine")})
before_fork()  # collected, frozen and trimmed: see delivery.malloc
