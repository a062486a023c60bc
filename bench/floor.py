"""The floor of the page bench: Flask + Flask-SQLAlchemy, one indexed query, a tiny page.

Served exactly like the app (gunicorn, the same number of sync workers, the same database kind), it measures
what a request costs before the app does anything: the WSGI server, Flask's routing, a pooled connection and
one primary-key-indexed SELECT. ``bench/pages.py`` alternates its requests with the app's pages and reports
every page as a multiple of this floor.

    FLOOR_DATABASE_URL=sqlite:////tmp/floor.sqlite gunicorn -w 2 "bench.floor:create_app()"
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, abort
from flask_sqlalchemy import SQLAlchemy
from markupsafe import escape

ROWS = 10_000

db = SQLAlchemy()


class Item(db.Model):
    __tablename__ = "bench_floor_item"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(80), nullable=False)


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url or os.environ.get("FLOOR_DATABASE_URL",
                                                                  "sqlite:////tmp/staedtenetz-bench-floor.sqlite")
    db.init_app(app)
    with app.app_context():
        db.create_all()
        if db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 0:
            db.session.execute(sa.insert(Item), [{"id": i, "name": f"Eintrag {i}"} for i in range(1, ROWS + 1)])
            db.session.commit()

    @app.route("/floor/<int:item_id>")
    def item(item_id: int):
        row = db.session.get(Item, item_id)
        if row is None:
            abort(404)
        return (f"<!doctype html><html lang=de><title>Boden</title><p>{escape(row.name)}</p></html>")

    @app.route("/healthz")
    def health():
        return "ok"

    return app



