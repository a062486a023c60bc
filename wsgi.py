"""Entry point for gunicorn and `flask --app wsgi`."""

from network import create_app

app = create_app()
