"""The schema comes from Alembic: an empty database upgrades to one head that matches the models."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from tests.dbutil import db_kind, new_database_url
from tests.live import ROOT

BIN = os.path.dirname(sys.executable)


def _flask(url, *args):
    env = dict(os.environ, DATABASE_URL=url, STAEDTENETZ_SECRET_KEY="x")
    return subprocess.run([os.path.join(BIN, "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def test_upgrade_empty_database_to_single_head_matching_models():
    url = new_database_url("mig")
    heads = _flask(url, "db", "heads")
    assert heads.returncode == 0, heads.stderr
    assert len([l for l in heads.stdout.splitlines() if "(head)" in l]) == 1, heads.stdout
    up = _flask(url, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    check = _flask(url, "db", "check")  # autogenerate finds no difference between models and schema
    assert check.returncode == 0, check.stdout + check.stderr
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    inspector = sa.inspect(engine)
    tables = set(inspector.get_table_names())
    # network-owned rows name their network: no default that would put them into some network (issue #16)
    for table in ("field_of_action", "topic", "body"):
        column = next(c for c in inspector.get_columns(table) if c["name"] == "network_id")
        assert column["default"] is None and column["nullable"] is False, (table, column)
    engine.dispose()
    assert {"municipality", "user", "api_token", "audit_event", "outbox_message", "alembic_version"} <= tables
    down = _flask(url, "db", "downgrade", "base")
    assert down.returncode == 0, down.stderr
    print(f"migrations checked on {db_kind()}")
