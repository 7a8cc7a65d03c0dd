"""WSGI entry point for any WSGI server (`gunicorn wsgi:server`); `delivery serve` runs gunicorn.

Builds the app from the environment's settings; refuses to start on a database that is behind.
"""

from dashboards.app import create_app

server = create_app().server
