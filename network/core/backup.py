"""Backup and restore: a consistent copy of the database plus the uploads and the secret key in one directory.

Layout of a backup directory::

    manifest.json        kind of database, Alembic revision, time, number of upload files
    database.sqlite      SQLite: written with SQLite's online backup API (consistent while the app runs)
    database.pgdump      PostgreSQL: ``pg_dump -Fc`` (one snapshot transaction), restored with ``pg_restore``
    uploads/             a copy of UPLOAD_FOLDER (instance/uploads)
    secret_key           the SECRET_KEY (sessions, tokens in links); mode 0600

CLI commands and not requests: they commit and close connections themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from network.extensions import db


class BackupError(Exception):
    """A backup or restore cannot be done; the message is German and meant for the operator."""


def upload_folder(app) -> str:
    return app.config.get("UPLOAD_FOLDER") or os.path.join(app.instance_path, "uploads")


def _pg_env_and_url(url: sa.engine.URL) -> tuple[dict, str]:
    """libpq URL without the password (it goes into PGPASSWORD, not onto the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return env, plain


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(_("Das PostgreSQL-Programm „%(name)s“ ist nicht installiert. Bitte installieren Sie die "
                            "PostgreSQL-Client-Programme (z. B. Paket postgresql-client) in der Version des "
                            "Servers und versuchen Sie es erneut.", name=name))
    return path


def _revision() -> str | None:
    try:
        with db.engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # a database made with create_all() has no Alembic table
        return None


def _copy_tree(src: str, dst: str) -> int:
    count = 0
    if os.path.isdir(src):
        shutil.copytree(src, dst, dirs_exist_ok=True)
        count = sum(len(files) for _r, _d, files in os.walk(dst))
    else:
        os.makedirs(dst, exist_ok=True)
    return count


def backup(target: str) -> dict:
    """Write a backup into the new or empty directory ``target``; returns the manifest."""
    app = current_app._get_current_object()
    if os.path.exists(target) and os.listdir(target):
        raise BackupError(_("Das Verzeichnis %(dir)s ist nicht leer. Bitte geben Sie ein neues oder leeres "
                            "Verzeichnis an.", dir=target))
    os.makedirs(target, mode=0o700, exist_ok=True)
    url = db.engine.url
    kind = db.engine.dialect.name
    db.session.remove()
    if kind == "sqlite":
        source = sqlite3.connect(url.database, timeout=30)
        dest = sqlite3.connect(os.path.join(target, "database.sqlite"))
        try:
            with dest:
                source.backup(dest)  # online backup API: a consistent copy while others keep writing
        finally:
            dest.close()
            source.close()
    elif kind == "postgresql":
        env, plain = _pg_env_and_url(url)
        res = subprocess.run([_tool("pg_dump"), "-Fc", "--no-owner", "-f", os.path.join(target, "database.pgdump"),
                              "-d", plain], env=env, capture_output=True, text=True)
        if res.returncode != 0:
            raise BackupError(_("pg_dump ist fehlgeschlagen: %(err)s", err=res.stderr.strip()[-500:]))
    else:
        raise BackupError(_("Diese Datenbank (%(kind)s) wird nicht unterstützt.", kind=kind))
    files = _copy_tree(upload_folder(app), os.path.join(target, "uploads"))
    key_path = os.path.join(target, "secret_key")
    with open(os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as fh:
        fh.write(app.config["SECRET_KEY"])
    manifest = {"format": 1, "database": kind, "revision": _revision(), "files": files,
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    with open(os.path.join(target, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
    return manifest


def restore(source: str) -> dict:
    """Replace the database, the uploads and the secret key file with the backup in ``source``."""
    app = current_app._get_current_object()
    try:
        with open(os.path.join(source, "manifest.json")) as fh:
            manifest = json.load(fh)
    except (OSError, ValueError):
        raise BackupError(_("In %(dir)s liegt keine Sicherung (manifest.json fehlt oder ist beschädigt).",
                            dir=source)) from None
    kind = db.engine.dialect.name
    if manifest.get("database") != kind:
        raise BackupError(_("Die Sicherung stammt aus einer %(src)s-Datenbank, konfiguriert ist %(dst)s.",
                            src=manifest.get("database"), dst=kind))
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold a lock on the tables that are replaced
    if kind == "sqlite":
        src = sqlite3.connect(os.path.join(source, "database.sqlite"))
        dest = sqlite3.connect(url.database, timeout=30)
        try:
            with dest:
                src.backup(dest)
        finally:
            dest.close()
            src.close()
    else:
        env, plain = _pg_env_and_url(url)
        res = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                              "--exit-on-error", "-d", plain, os.path.join(source, "database.pgdump")],
                             env=env, capture_output=True, text=True)
        if res.returncode != 0:
            raise BackupError(_("pg_restore ist fehlgeschlagen: %(err)s", err=res.stderr.strip()[-500:]))
    folder = upload_folder(app)
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    _copy_tree(os.path.join(source, "uploads"), folder)
    with open(os.path.join(source, "secret_key")) as fh:
        key = fh.read().strip()
    key_file = os.path.join(app.instance_path, "secret_key")
    with open(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as fh:
        fh.write(key)
    manifest["secret_key_differs"] = key != app.config["SECRET_KEY"]
    return manifest
