"""Issue #15, finding 6: `flask network backup DIR` / `restore DIR` round trip (every table row by row, the
uploads and the secret key) on the configured database; `flask db downgrade -1` works."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from network.core.outbox import queue_mail
from network.extensions import db
from tests.dbutil import migrated_database_url
from tests.inventory.conftest import make_project
from tests.live import ROOT
from tests.topics.conftest import make_field

pytestmark = pytest.mark.slow
FLASK = os.path.join(os.path.dirname(sys.executable), "flask")


def _flask(env, *args, check=True):
    res = subprocess.run([FLASK, "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    if check:
        assert res.returncode == 0, res.stdout + res.stderr
    return res


def _snapshot():
    """Every row of every table, in primary-key order."""
    out = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*order))]
    return out


def _files(folder):
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as fh:
                found[os.path.relpath(path, folder)] = fh.read()
    return found


def test_backup_and_restore_round_trip(app, database_url, tmp_path, city_a, city_b, staff_a, lead_b):
    field = make_field("Digitale Bürgerdienste", position=10)
    db.session.flush()
    make_project(city_a, field, title="Online-Terminvergabe", budget_eur=25000)
    make_project(city_b, field, title="Bürgerportal")
    queue_mail("a@ettlingen.test", "reset", subject="Passwort", user=type("U", (), {"name": "A"})(), link="http://x")
    db.session.commit()
    uploads = app.config["UPLOAD_FOLDER"]
    os.makedirs(os.path.join(uploads, "ab"), exist_ok=True)
    with open(os.path.join(uploads, "ab", "bericht.pdf"), "wb") as fh:
        fh.write(b"%PDF-1.4 Sachstandsbericht")
    instance = tmp_path / "instance"
    env = dict(os.environ, DATABASE_URL=database_url, STAEDTENETZ_INSTANCE_PATH=str(instance),
               STAEDTENETZ_UPLOAD_FOLDER=uploads, PYTHONPATH=ROOT)
    env.pop("STAEDTENETZ_SECRET_KEY", None)
    before, files_before = _snapshot(), _files(uploads)
    assert sum(len(rows) for rows in before.values()) >= 8
    key_before = None
    out = _flask(env, "network", "backup", str(tmp_path / "sicherung"))
    assert "Sicherung geschrieben" in out.stdout
    key_before = (instance / "secret_key").read_text()
    assert (tmp_path / "sicherung" / "secret_key").read_text() == key_before
    assert oct(os.stat(tmp_path / "sicherung" / "secret_key").st_mode & 0o777) == "0o600"
    # a second backup into the same (now full) directory is refused with a German message
    again = _flask(env, "network", "backup", str(tmp_path / "sicherung"), check=False)
    assert again.returncode != 0 and "nicht leer" in again.stderr

    # everything changes after the backup: rows deleted, changed and added, files and key replaced
    from network.inventory.models import Project
    db.session.execute(sa.delete(Project).where(Project.title == "Bürgerportal"))
    db.session.execute(sa.update(Project).values(title="Geändert"))
    make_project(city_b, field, title="Nach der Sicherung")
    db.session.commit()
    os.remove(os.path.join(uploads, "ab", "bericht.pdf"))
    with open(os.path.join(uploads, "neu.txt"), "w") as fh:
        fh.write("später")
    (instance / "secret_key").write_text("anderer-schluessel")
    assert _snapshot() != before
    db.session.remove()
    db.engine.dispose()

    out = _flask(env, "network", "restore", "--yes", str(tmp_path / "sicherung"))
    assert "wiederhergestellt" in out.stdout
    after = _snapshot()
    for table, rows in before.items():
        assert after[table] == rows, table
    assert _files(uploads) == files_before
    assert (instance / "secret_key").read_text() == key_before


def test_restore_refuses_a_directory_without_backup(tmp_path, database_url):
    env = dict(os.environ, DATABASE_URL=database_url, STAEDTENETZ_SECRET_KEY="x",
               STAEDTENETZ_INSTANCE_PATH=str(tmp_path), PYTHONPATH=ROOT)
    (tmp_path / "leer").mkdir()
    res = _flask(env, "network", "restore", "--yes", str(tmp_path / "leer"), check=False)
    assert res.returncode != 0 and "keine Sicherung" in res.stderr


def test_without_pg_dump_a_clear_german_message(app, monkeypatch, tmp_path):
    from network.core import backup as mod
    monkeypatch.setattr(mod.shutil, "which", lambda name: None)
    with pytest.raises(mod.BackupError, match="postgresql-client"):
        mod._tool("pg_dump")


def test_db_downgrade_minus_one_and_back_up():
    url = migrated_database_url("down")  # at the head already (tests/dbutil.py)
    env = dict(os.environ, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="x", PYTHONPATH=ROOT)
    head = _flask(env, "db", "current").stdout.split()[0]
    down = _flask(env, "db", "downgrade", "-1")
    assert "Running downgrade " + head in down.stderr + down.stdout
    current = _flask(env, "db", "current").stdout.split()[0]
    assert current != head
    _flask(env, "db", "upgrade")
    assert _flask(env, "db", "current").stdout.split()[0] == head
