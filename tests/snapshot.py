"""Build a large test world once per test process and restore it before every test that uses it (issue #17).

The access matrix and the security gates run hundreds of tests against the same world of two cities with every
domain's objects. Building it through the services costs about 650 statements and 2 s per test; restoring a copy
of its rows costs one INSERT per table. ``reuse(key, build)`` builds on first use, keeps a copy of every row (and,
on PostgreSQL, the position of every sequence) and the upload folder, and on later calls puts exactly that state
back: the test starts from the same rows with the same ids, whatever the test before it wrote or deleted.

The Python object ``build`` returned is handed out again; the ORM instances in it are attached to the new test's
session, so attribute access reloads them from the restored rows.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile

import sqlalchemy as sa
from flask import current_app

from network.extensions import db

_CACHE: dict[str, tuple[object, "Snapshot"]] = {}


class Snapshot:
    """Every row of every table, the sequences' positions and the upload folder, at one moment."""

    def __init__(self):
        db.session.commit()
        self.rows: dict[str, list[dict]] = {}
        with db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                cols = [c for c in table.c if c.computed is None]
                rows = conn.execute(sa.select(*cols).order_by(*table.primary_key.columns)).mappings().all()
                if rows:
                    self.rows[table.name] = [dict(r) for r in rows]
            self.sequences = []
            if db.engine.dialect.name == "postgresql":
                self.sequences = conn.execute(sa.text(
                    "SELECT format('%I', sequencename), last_value FROM pg_sequences "
                    "WHERE schemaname = current_schema() AND last_value IS NOT NULL")).all()
        self.uploads = _upload_folder()
        self.upload_copy = None
        if self.uploads and os.path.isdir(self.uploads):
            self.upload_copy = tempfile.mkdtemp(prefix="staedtenetz-snapshot-uploads-")
            shutil.copytree(self.uploads, self.upload_copy, dirs_exist_ok=True)

    def restore(self) -> None:
        from tests.conftest import _empty_all_tables
        db.session.rollback()
        _empty_all_tables()
        for table in db.metadata.sorted_tables:
            rows = self.rows.get(table.name)
            if rows:
                db.session.execute(table.insert(), rows)
        for name, value in self.sequences:
            db.session.execute(sa.text("SELECT setval(CAST(:name AS regclass), :value, true)"),
                               {"name": name, "value": value})
        db.session.commit()
        if self.upload_copy is not None:
            shutil.rmtree(self.uploads, ignore_errors=True)
            shutil.copytree(self.upload_copy, self.uploads)


def _upload_folder() -> str | None:
    """The test app's own upload folder (tests/conftest.py `app`); a test that points the config elsewhere restores
    it (monkeypatch), so the instance folder is never copied over."""
    return current_app.config.get("UPLOAD_FOLDER")


def _orm_instances(obj, seen=None):
    """The ORM instances inside `obj` (dicts, lists, tuples, sets, dataclasses and plain objects, recursively)."""
    seen = set() if seen is None else seen
    if id(obj) in seen or obj is None or isinstance(obj, (str, bytes, int, float, bool)):
        return
    seen.add(id(obj))
    if hasattr(obj, "_sa_instance_state"):
        yield obj
        return
    if isinstance(obj, dict):
        items = obj.values()
    elif isinstance(obj, (list, tuple, set, frozenset)):
        items = obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        items = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
    elif hasattr(obj, "__dict__") and not callable(obj):
        items = vars(obj).values()
    else:
        return
    for item in items:
        yield from _orm_instances(item, seen)


def reuse(key: str, build):
    """`build()`'s result, built once per process under `key`; later calls restore the rows it wrote first."""
    cached = _CACHE.get(key)
    if cached is None:
        world = build()
        _CACHE[key] = (world, Snapshot())
        return world
    world, snapshot = cached
    snapshot.restore()
    db.session.expunge_all()  # e.g. the default network the test's setup made: the restored row has its id
    for instance in _orm_instances(world):
        state = sa.inspect(instance)
        if state.detached:
            db.session.add(instance)
        db.session.expire(instance)
    return world
