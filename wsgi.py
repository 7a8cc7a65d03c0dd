"""WSGI entry point for production servers: `gunicorn wsgi:server`.

Builds the app from the environment's settings; refuses to start on a database that is behind.
"""

from dashboards.app import create_app

server = create_app().server
